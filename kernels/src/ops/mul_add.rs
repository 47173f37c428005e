//! `out = a ⊙ b + c` (and `acc += a ⊙ b`, which is `c == out`): real products then sums,
//! each rounded (or, `FUSED`, one rounding per element with FMA); wrapping integer
//! products then wrapping sums; complex products (optionally of conj(b)) then sums.
//!
//! The unfused forms round the product and the sum separately, exactly as `a * b + c` in
//! plain Rust, so every kernel gives the same bits. The fused form computes `fma(a, b, c)`,
//! correctly rounded: an FMA instruction where the ISA has one and a software FMA per lane
//! where it does not (SSE2, the scalar kernel), so it too is the same on every kernel.

use super::complex::store_pairs;
use super::integer::Wrapping;
use super::Float;
use crate::elementwise::{Lanes, Loads};
use crate::isa::{FloatReg, IntReg, Isa};
use crate::scalar::element::{complex_mul, complex_mul_conj};
use core::marker::PhantomData;
use core::mem::size_of;

type Three<T> = ((*const T, *const T), *const T);

/// `out = a ⊙ b + c` for `f32`/`f64`, fused (one rounding) or not.
pub(crate) struct RealMulAdd<I, T, const FUSED: bool>(PhantomData<(I, T)>);

// SAFETY: a step reads one register from each input and writes one; `compute` is `one`'s
// operation lane by lane (IEEE multiply then add, or a correctly rounded FMA).
unsafe impl<I: Isa, T: Float, const FUSED: bool> Lanes for RealMulAdd<I, T, FUSED> {
    type In = Three<T>;
    type Out = *mut T;
    type Loaded = [T::Reg<I>; 3];
    type Computed = T::Reg<I>;
    const LANES: usize = T::Reg::<I>::LANES;
    const OUT_STEP_BYTES: usize = Self::LANES * size_of::<T>();
    const OUT_ELEM_BYTES: usize = size_of::<T>();

    #[inline(always)]
    fn out_addr(out: *mut T) -> usize {
        out as usize
    }

    // `a` and `b` realign; `c` is the output itself in the accumulating form, which the
    // head aligns, and otherwise loads as it lies.
    const REALIGN_BYTES: usize = I::REALIGN_BYTES;

    #[inline(always)]
    fn in_addrs(((a, b), _): Self::In) -> [Option<usize>; 2] {
        [Some(a as usize), Some(b as usize)]
    }

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>(((a, b), c): Self::In) -> Self::Loaded {
        // SAFETY: each input is readable for LANES elements (caller), and what `Ld` asks.
        unsafe { [Ld::float(a, 0), Ld::float(b, 1), T::Reg::<I>::load(c)] }
    }

    #[inline(always)]
    unsafe fn compute([a, b, c]: Self::Loaded) -> T::Reg<I> {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            if FUSED {
                a.mul_add(b, c)
            } else {
                a.mul(b).add(c)
            }
        }
    }

    #[inline(always)]
    unsafe fn store(r: T::Reg<I>, out: *mut T) {
        // SAFETY: forwarded from the trait contract.
        unsafe { r.store(out) }
    }

    #[inline(always)]
    unsafe fn store_stream(r: T::Reg<I>, out: *mut T) {
        // SAFETY: forwarded from the trait contract (out aligned to the register).
        unsafe { r.store_stream(out) }
    }

    #[inline(always)]
    unsafe fn fence() {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { I::fence() }
    }

    /// The head and tail through registers too (masked on AVX-512, a stack buffer
    /// elsewhere): one element at a time, the fused form is a software FMA per element
    /// (about 2.5 ns), which made 16-byte-offset operands 25% slower than aligned ones.
    #[inline(always)]
    unsafe fn partial(((a, b), c): Self::In, out: *mut T, n: usize) {
        // SAFETY: n < LANES elements are valid at every pointer (caller); lanes past n
        // are zero, computed, and never stored.
        unsafe {
            let load = |p| T::Reg::<I>::load_partial(p, n);
            let r = Self::compute([load(a), load(b), load(c)]);
            r.store_partial(out, n)
        }
    }

    #[inline(always)]
    unsafe fn one(((a, b), c): Self::In, out: *mut T) {
        // SAFETY: each pointer is valid for one element (caller).
        unsafe {
            *out = if FUSED {
                T::fused(*a, *b, *c)
            } else {
                *a * *b + *c
            }
        }
    }
}

/// `out = a ⊙ b + c` with wrapping integer arithmetic of `O`'s width.
pub(crate) struct IntMulAdd<I, O>(PhantomData<(I, O)>);

// SAFETY: a step loads and stores one register; the lanes wrap exactly as `one` does.
unsafe impl<I: Isa, O: Wrapping> Lanes for IntMulAdd<I, O> {
    type In = Three<O::T>;
    type Out = *mut O::T;
    type Loaded = [I::Int; 3];
    type Computed = I::Int;
    const LANES: usize = I::Int::BYTES / size_of::<O::T>();
    const OUT_STEP_BYTES: usize = I::Int::BYTES;
    const OUT_ELEM_BYTES: usize = size_of::<O::T>();

    #[inline(always)]
    fn out_addr(out: Self::Out) -> usize {
        out as usize
    }

    // As for the real form: `a` and `b` realign (for the widths whose product does).
    const REALIGN_BYTES: usize = if O::REALIGNS { I::REALIGN_BYTES } else { 0 };

    #[inline(always)]
    fn in_addrs(((a, b), _): Self::In) -> [Option<usize>; 2] {
        [Some(a as usize), Some(b as usize)]
    }

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>(((a, b), c): Self::In) -> Self::Loaded {
        // SAFETY: each input is readable for BYTES bytes (caller), and what `Ld` asks.
        unsafe {
            [
                Ld::int(a.cast(), 0),
                Ld::int(b.cast(), 1),
                I::Int::load(c.cast()),
            ]
        }
    }

    #[inline(always)]
    unsafe fn compute([a, b, c]: Self::Loaded) -> I::Int {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { O::simd_add(O::simd(a, b), c) }
    }

    #[inline(always)]
    unsafe fn store(r: I::Int, out: Self::Out) {
        // SAFETY: the output is writable for BYTES bytes (caller).
        unsafe { r.store(out.cast()) }
    }

    #[inline(always)]
    unsafe fn store_stream(r: I::Int, out: Self::Out) {
        // SAFETY: as `store`, and out is aligned to BYTES (caller).
        unsafe { r.store_stream(out.cast()) }
    }

    #[inline(always)]
    unsafe fn fence() {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { I::fence() }
    }

    #[inline(always)]
    unsafe fn one(((a, b), c): Self::In, out: Self::Out) {
        // SAFETY: each pointer is valid for one element (caller).
        unsafe { *out = O::add(O::one(*a, *b), *c) };
    }
}

/// `out = a ⊙ b + c` (or `a ⊙ conj(b) + c`) for interleaved complex numbers.
pub(crate) struct ComplexMulAdd<I, T, const CONJ: bool>(PhantomData<(I, T)>);

// SAFETY: a step reads two registers (LANES pairs) from each input and writes two; the
// planes are computed with the reference formula and the sum, as `one` does.
unsafe impl<I: Isa, T: Float, const CONJ: bool> Lanes for ComplexMulAdd<I, T, CONJ> {
    type In = Three<[T; 2]>;
    type Out = *mut [T; 2];
    type Loaded = [T::Reg<I>; 6];
    type Computed = (T::Reg<I>, T::Reg<I>);
    const LANES: usize = T::Reg::<I>::LANES;
    const OUT_STEP_BYTES: usize = Self::LANES * 2 * size_of::<T>();
    const OUT_ELEM_BYTES: usize = 2 * size_of::<T>();

    #[inline(always)]
    fn out_addr(out: Self::Out) -> usize {
        out as usize
    }

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>(((a, b), c): Self::In) -> Self::Loaded {
        // SAFETY: each input holds LANES pairs here (caller).
        unsafe {
            let planes = |p| super::complex::load_planes::<T::Reg<I>>(p);
            let ((ar, ai), (br, bi), (cr, ci)) = (planes(a), planes(b), planes(c));
            [ar, ai, br, bi, cr, ci]
        }
    }

    #[inline(always)]
    unsafe fn compute([ar, ai, br, bi, cr, ci]: Self::Loaded) -> Self::Computed {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let (re, im) = super::complex::product::<_, CONJ>(ar, ai, br, bi);
            T::Reg::<I>::interleave(re.add(cr), im.add(ci))
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

    /// The head and tail as one masked step where the ISA has masked memory operations.
    #[inline(always)]
    unsafe fn partial(((a, b), c): Self::In, out: Self::Out, n: usize) {
        // SAFETY: n < LANES pairs are valid at every pointer (caller); lanes past n are
        // zero, computed, and never stored.
        unsafe {
            if I::Int::MASKED {
                use super::complex::load_planes_partial;
                // No closure here: it would be compiled without the kernel's features.
                let (ar, ai) = load_planes_partial::<T::Reg<I>>(a, n);
                let (br, bi) = load_planes_partial::<T::Reg<I>>(b, n);
                let (cr, ci) = load_planes_partial::<T::Reg<I>>(c, n);
                let r = Self::compute([ar, ai, br, bi, cr, ci]);
                super::complex::store_pairs_partial(r, out, n);
            } else {
                for i in 0..n {
                    Self::one(((a.add(i), b.add(i)), c.add(i)), out.add(i));
                }
            }
        }
    }

    #[inline(always)]
    unsafe fn one(((a, b), c): Self::In, out: Self::Out) {
        // SAFETY: each pointer is valid for one pair (caller).
        unsafe {
            let p = if CONJ {
                complex_mul_conj(*a, *b)
            } else {
                complex_mul(*a, *b)
            };
            let c = *c;
            *out = [p[0] + c[0], p[1] + c[1]];
        }
    }
}
