//! Complex products, interleaved (`[re, im]` pairs) and over split planes, with and without
//! conjugating `b`.
//!
//! Every ISA computes the formula of `scalar::element::complex_mul` (or `_conj`) with the
//! same operations on the same operands, each exactly rounded and none fused: so every
//! kernel gives the same bits as the scalar reference, on every CPU. Interleaved data is
//! split into real and imaginary registers (`deinterleave`), computed as planes, and
//! interleaved back.

use super::Float;
use crate::elementwise::{Lanes, Loads, Source};
use crate::isa::{FloatReg, IntReg, Isa};
use crate::scalar::element::{complex_mul, complex_mul_conj};
use core::marker::PhantomData;
use core::mem::size_of;

/// `(re, im)` of a·b, or of a·conj(b) with `CONJ`, lane by lane, in the reference's order.
///
/// # Safety
/// The CPU has the ISA of `V`.
#[inline(always)]
pub(crate) unsafe fn product<V: FloatReg, const CONJ: bool>(ar: V, ai: V, br: V, bi: V) -> (V, V) {
    // SAFETY: the CPU has the ISA (caller).
    unsafe {
        if CONJ {
            (ar.mul(br).add(ai.mul(bi)), ai.mul(br).sub(ar.mul(bi)))
        } else {
            (ar.mul(br).sub(ai.mul(bi)), ar.mul(bi).add(ai.mul(br)))
        }
    }
}

/// `LANES` interleaved pairs from `p` as a register of real parts and one of imaginary
/// parts (in the lane order `interleave` undoes).
///
/// # Safety
/// `p` is readable for `V::LANES` pairs; the CPU has the ISA of `V`.
#[inline(always)]
pub(crate) unsafe fn load_planes<V: FloatReg>(p: *const [V::Elem; 2]) -> (V, V) {
    let p = p.cast::<V::Elem>();
    // SAFETY: 2·LANES floats are readable from `p` (caller).
    unsafe { V::deinterleave(V::load(p), V::load(p.add(V::LANES))) }
}

/// Pairs `0..n` at `p` (`n <= LANES`) as a register of real parts and one of imaginary
/// parts, the other lanes zero, reading nothing past the `n` pairs: for the heads and
/// tails of ISAs with masked loads.
///
/// # Safety
/// `p` is readable for `n <= V::LANES` pairs; the CPU has the ISA of `V`.
#[inline(always)]
pub(crate) unsafe fn load_planes_partial<V: FloatReg>(p: *const [V::Elem; 2], n: usize) -> (V, V) {
    let (lanes, floats) = (V::LANES, 2 * n);
    let p = p.cast::<V::Elem>();
    // SAFETY: the two loads take floats 0..min(2n, LANES) and LANES..2n, exactly the 2n
    // readable ones (caller); the second pointer is only read from when 2n > LANES.
    unsafe {
        let first = V::load_placed(p, 0, floats.min(lanes));
        let second = V::load_placed(p.wrapping_add(lanes), 0, floats.saturating_sub(lanes));
        V::deinterleave(first, second)
    }
}

/// Writes pairs `0..n` (`n < LANES`) of two registers of interleaved pairs at `out` and
/// nothing else.
///
/// # Safety
/// `out` is writable for `n < V::LANES` pairs; the CPU has the ISA of `V`.
#[inline(always)]
pub(crate) unsafe fn store_pairs_partial<V: FloatReg>(
    (x, y): (V, V),
    out: *mut [V::Elem; 2],
    n: usize,
) {
    let (lanes, floats) = (V::LANES, 2 * n);
    let out = out.cast::<V::Elem>();
    // SAFETY: 2n < 2·LANES floats are writable at out (caller): the first register's
    // lanes up to min(2n, LANES), the second's up to 2n - LANES (< LANES) when positive.
    unsafe {
        if floats < lanes {
            x.store_partial(out, floats);
        } else {
            x.store(out);
            if floats > lanes {
                y.store_partial(out.add(lanes), floats - lanes);
            }
        }
    }
}

/// Stores two registers of interleaved pairs (`interleave`'s output) at `out`, with
/// streaming stores when `STREAM`.
///
/// # Safety
/// `out` is writable for `V::LANES` pairs; with `STREAM` it is aligned to two registers;
/// the CPU has the ISA of `V`.
#[inline(always)]
pub(crate) unsafe fn store_pairs<V: FloatReg, const STREAM: bool>(
    (x, y): (V, V),
    out: *mut [V::Elem; 2],
) {
    let out = out.cast::<V::Elem>();
    // SAFETY: 2·LANES floats are writable from `out` (caller); with STREAM each half is
    // aligned to one register.
    unsafe {
        if STREAM {
            x.store_stream(out);
            y.store_stream(out.add(V::LANES));
        } else {
            x.store(out);
            y.store(out.add(V::LANES));
        }
    }
}

/// The complex product of interleaved `[re, im]` pairs on ISA `I`; `b` a stream or a
/// broadcast value (`S`).
pub(crate) struct ComplexMul<I, T, const CONJ: bool, S = *const [T; 2]>(PhantomData<(I, T, S)>);

// SAFETY: a step reads two registers (LANES pairs) from each input and writes two to the
// output; `product` is the reference formula lane by lane, and `one` is the reference.
unsafe impl<I: Isa, T: Float, const CONJ: bool, S: Source<[T; 2]>> Lanes
    for ComplexMul<I, T, CONJ, S>
{
    type In = (*const [T; 2], S);
    type Out = *mut [T; 2];
    type Loaded = [T::Reg<I>; 4];
    type Computed = (T::Reg<I>, T::Reg<I>);
    const LANES: usize = T::Reg::<I>::LANES;
    const OUT_STEP_BYTES: usize = Self::LANES * 2 * size_of::<T>();
    const OUT_ELEM_BYTES: usize = 2 * size_of::<T>();

    #[inline(always)]
    fn out_addr(out: Self::Out) -> usize {
        out as usize
    }

    // No realigned loads: measured on AVX-512 (Intel, one 512-bit shuffle port), they made
    // the complex products 9–20% slower at different offsets, the deinterleaving already
    // keeping that port busy.
    #[inline(always)]
    unsafe fn load_with<Ld: Loads>((a, b): Self::In) -> Self::Loaded {
        // SAFETY: each input holds LANES pairs here (caller).
        unsafe {
            let (ar, ai) = load_planes::<T::Reg<I>>(a);
            let (br, bi) = load_planes::<T::Reg<I>>(b.ptr());
            [ar, ai, br, bi]
        }
    }

    #[inline(always)]
    unsafe fn compute([ar, ai, br, bi]: Self::Loaded) -> Self::Computed {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let (re, im) = product::<_, CONJ>(ar, ai, br, bi);
            T::Reg::<I>::interleave(re, im)
        }
    }

    #[inline(always)]
    unsafe fn store(r: Self::Computed, out: Self::Out) {
        // SAFETY: forwarded from the trait contract.
        unsafe { store_pairs::<_, false>(r, out) }
    }

    #[inline(always)]
    unsafe fn store_stream(r: Self::Computed, out: Self::Out) {
        // SAFETY: forwarded from the trait contract (out aligned to two registers).
        unsafe { store_pairs::<_, true>(r, out) }
    }

    #[inline(always)]
    unsafe fn fence() {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { I::fence() }
    }

    /// The head and tail as one masked step where the ISA has masked memory operations
    /// (a complex product at a time cost a 1024-pair product at a 16-byte offset 8–13%).
    #[inline(always)]
    unsafe fn partial((a, b): Self::In, out: Self::Out, n: usize) {
        // SAFETY: n < LANES pairs are valid at every pointer (caller; a broadcast `b`
        // holds REPEAT_BYTES >= LANES pairs' worth of copies); lanes past n are zero,
        // computed, and never stored.
        unsafe {
            if I::Int::MASKED {
                let (ar, ai) = load_planes_partial::<T::Reg<I>>(a, n);
                let (br, bi) = load_planes_partial::<T::Reg<I>>(b.ptr(), n);
                store_pairs_partial(Self::compute([ar, ai, br, bi]), out, n);
            } else {
                for i in 0..n {
                    Self::one((a.add(i), b.advance(i)), out.add(i));
                }
            }
        }
    }

    #[inline(always)]
    unsafe fn one((a, b): Self::In, out: Self::Out) {
        // SAFETY: each pointer is valid for one pair (caller).
        unsafe {
            let b = *b.ptr();
            *out = if CONJ {
                complex_mul_conj(*a, b)
            } else {
                complex_mul(*a, b)
            }
        }
    }
}

/// The complex product over split planes: `(a_re, a_im)`, `(b_re, b_im)` into
/// `(out_re, out_im)`. The head aligns `out_re`; the streaming kernels are only called when
/// `out_im` sits at the same offset from a line, so that it is aligned too.
pub(crate) struct SplitComplexMul<I, T, const CONJ: bool>(PhantomData<(I, T)>);

type Plane<T> = (*const T, *const T);

// SAFETY: a step reads one register from each of the four planes and writes one to each
// output plane; `product` is the reference formula lane by lane, `one` the reference.
unsafe impl<I: Isa, T: Float, const CONJ: bool> Lanes for SplitComplexMul<I, T, CONJ> {
    type In = (Plane<T>, Plane<T>);
    type Out = (*mut T, *mut T);
    type Loaded = [T::Reg<I>; 4];
    type Computed = (T::Reg<I>, T::Reg<I>);
    const LANES: usize = T::Reg::<I>::LANES;
    const OUT_STEP_BYTES: usize = Self::LANES * size_of::<T>();
    const OUT_ELEM_BYTES: usize = size_of::<T>();

    #[inline(always)]
    fn out_addr(out: Self::Out) -> usize {
        out.0 as usize
    }

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>(((ar, ai), (br, bi)): Self::In) -> Self::Loaded {
        // SAFETY: each plane holds LANES elements here (caller).
        unsafe {
            [
                T::Reg::<I>::load(ar),
                T::Reg::<I>::load(ai),
                T::Reg::<I>::load(br),
                T::Reg::<I>::load(bi),
            ]
        }
    }

    #[inline(always)]
    unsafe fn compute([ar, ai, br, bi]: Self::Loaded) -> Self::Computed {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { product::<_, CONJ>(ar, ai, br, bi) }
    }

    #[inline(always)]
    unsafe fn store((re, im): Self::Computed, (out_re, out_im): Self::Out) {
        // SAFETY: each output plane holds LANES elements here (caller).
        unsafe {
            re.store(out_re);
            im.store(out_im);
        }
    }

    #[inline(always)]
    unsafe fn store_stream((re, im): Self::Computed, (out_re, out_im): Self::Out) {
        // SAFETY: each output plane holds LANES elements here; out_re is aligned to the
        // register (the trait contract) and out_im with it (the streaming kernel's).
        unsafe {
            re.store_stream(out_re);
            im.store_stream(out_im);
        }
    }

    #[inline(always)]
    unsafe fn fence() {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { I::fence() }
    }

    #[inline(always)]
    unsafe fn one(((ar, ai), (br, bi)): Self::In, (out_re, out_im): Self::Out) {
        // SAFETY: each pointer is valid for one element (caller).
        unsafe {
            let (a, b) = ([*ar, *ai], [*br, *bi]);
            let [re, im] = if CONJ {
                complex_mul_conj(a, b)
            } else {
                complex_mul(a, b)
            };
            *out_re = re;
            *out_im = im;
        }
    }
}
