//! The two-product formulas, in one pass over their operands: `out = a ⊙ b + c ⊙ d`
//! (reals, wrapping integers, complex), the blend `out = w ⊙ a + (1 − w) ⊙ b` (reals), and
//! the 8-bit blend `out = round((α·fg + (255 − α)·bg) / 255)`.
//!
//! Each evaluates the plain Rust expression with the same operations on the same operands,
//! every product and sum rounded on its own and nothing fused, so every kernel gives the
//! bits that expression gives: `a * b + c * d`, `w * a + (1.0 - w) * b`. The in-place form
//! `acc = acc ⊙ a + b ⊙ c` is the first with `out` equal to its first input (every step
//! loads before it stores).

use super::complex::store_pairs_partial;
use super::complex::{load_planes, load_planes_partial, product, store_pairs};
use super::integer::Wrapping;
use super::Float;
use crate::elementwise::{Lanes, Loads};
use crate::integer::IntArith;
use crate::isa::{FloatReg, IntReg, Isa};
use crate::scalar::element::{blend_normalized_u8, complex_mul};
use core::marker::PhantomData;
use core::mem::size_of;

/// Four input streams: `((a, b), (c, d))`.
type Four<T> = ((*const T, *const T), (*const T, *const T));
/// Three input streams: `((a, b), c)`.
type Three<T> = ((*const T, *const T), *const T);

/// The `Lanes` items every operation here shares: one output stream of `$elem`, `$lanes`
/// elements a step, and the fence; with `float`, `int` or `pairs`, also the stores of a
/// float register, an integer register, or two registers of interleaved complex pairs.
macro_rules! one_output {
    ($elem:ty, $lanes:expr, $step_bytes:expr) => {
        type Out = *mut $elem;
        const LANES: usize = $lanes;
        const OUT_STEP_BYTES: usize = $step_bytes;
        const OUT_ELEM_BYTES: usize = size_of::<$elem>();

        #[inline(always)]
        fn out_addr(out: *mut $elem) -> usize {
            out as usize
        }

        #[inline(always)]
        unsafe fn fence() {
            // SAFETY: the CPU has the ISA (caller).
            unsafe { I::fence() }
        }
    };
    (float $t:ty) => {
        one_output!($t, T::Reg::<I>::LANES, T::Reg::<I>::LANES * size_of::<$t>());

        #[inline(always)]
        unsafe fn store(r: T::Reg<I>, out: *mut $t) {
            // SAFETY: forwarded from the trait contract.
            unsafe { r.store(out) }
        }

        #[inline(always)]
        unsafe fn store_stream(r: T::Reg<I>, out: *mut $t) {
            // SAFETY: forwarded from the trait contract (out aligned to the register).
            unsafe { r.store_stream(out) }
        }
    };
    (int $t:ty) => {
        one_output!($t, I::Int::BYTES / size_of::<$t>(), I::Int::BYTES);

        #[inline(always)]
        unsafe fn store(r: I::Int, out: *mut $t) {
            // SAFETY: the output is writable for BYTES bytes (caller).
            unsafe { r.store(out.cast()) }
        }

        #[inline(always)]
        unsafe fn store_stream(r: I::Int, out: *mut $t) {
            // SAFETY: as `store`, and out is aligned to BYTES (caller).
            unsafe { r.store_stream(out.cast()) }
        }
    };
    (pairs $t:ty) => {
        one_output!(
            [$t; 2],
            T::Reg::<I>::LANES,
            T::Reg::<I>::LANES * 2 * size_of::<$t>()
        );

        #[inline(always)]
        unsafe fn store(r: Self::Computed, out: *mut [$t; 2]) {
            // SAFETY: forwarded from the trait contract.
            unsafe { store_pairs::<_, false>(r, out) }
        }

        #[inline(always)]
        unsafe fn store_stream(r: Self::Computed, out: *mut [$t; 2]) {
            // SAFETY: forwarded from the trait contract (out aligned to two registers).
            unsafe { store_pairs::<_, true>(r, out) }
        }
    };
}

/// The items of an operation whose inputs `a` and `b` (the first two, `((a, b), _)`) realign
/// at `$bytes` (0: never), as the multiply-add's do; the other inputs load as they lie.
macro_rules! realigns_a_and_b {
    ($bytes:expr) => {
        const REALIGN_BYTES: usize = $bytes;

        #[inline(always)]
        fn in_addrs(((a, b), _): Self::In) -> [Option<usize>; 2] {
            [Some(a as usize), Some(b as usize)]
        }
    };
}

/// `out = a ⊙ b + c ⊙ d` for `f32`/`f64`: two IEEE products, then their sum.
pub(crate) struct RealMulAddMul<I, T>(PhantomData<(I, T)>);

// SAFETY: a step reads one register from each input and writes one; `compute` is `one`'s
// expression lane by lane (IEEE multiply, multiply, add; none fused).
unsafe impl<I: Isa, T: Float> Lanes for RealMulAddMul<I, T> {
    type In = Four<T>;
    type Loaded = [T::Reg<I>; 4];
    type Computed = T::Reg<I>;
    one_output!(float T);

    // In the in-place form `a` is the output, at distance 0: plain loads.
    realigns_a_and_b!(I::REALIGN_BYTES);

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>(((a, b), (c, d)): Self::In) -> Self::Loaded {
        // SAFETY: each input is readable for LANES elements (caller), and what `Ld` asks.
        unsafe {
            let load = |p| T::Reg::<I>::load(p);
            [Ld::float(a, 0), Ld::float(b, 1), load(c), load(d)]
        }
    }

    #[inline(always)]
    unsafe fn compute([a, b, c, d]: Self::Loaded) -> T::Reg<I> {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { a.mul(b).add(c.mul(d)) }
    }

    /// The head and tail as one masked step where the ISA has masked memory operations,
    /// else an element at a time (through stack buffers, four inputs' vector loads of
    /// elements just stored one by one would wait on store forwarding).
    #[inline(always)]
    unsafe fn partial(((a, b), (c, d)): Self::In, out: *mut T, n: usize) {
        // SAFETY: n < LANES elements are valid at every pointer (caller); lanes past n
        // are zero, computed, and never stored.
        unsafe {
            if I::Int::MASKED {
                let load = |p| T::Reg::<I>::load_partial(p, n);
                let r = Self::compute([load(a), load(b), load(c), load(d)]);
                r.store_partial(out, n)
            } else {
                for i in 0..n {
                    Self::one(((a.add(i), b.add(i)), (c.add(i), d.add(i))), out.add(i));
                }
            }
        }
    }

    #[inline(always)]
    unsafe fn one(((a, b), (c, d)): Self::In, out: *mut T) {
        // SAFETY: each pointer is valid for one element (caller); all are read first.
        unsafe { *out = *a * *b + *c * *d }
    }
}

/// `out = a ⊙ b + c ⊙ d` with wrapping integer arithmetic of `O`'s width.
pub(crate) struct IntMulAddMul<I, O>(PhantomData<(I, O)>);

// SAFETY: a step loads and stores one register; the lanes wrap exactly as `one` does.
unsafe impl<I: Isa, O: Wrapping> Lanes for IntMulAddMul<I, O> {
    type In = Four<O::T>;
    type Loaded = [I::Int; 4];
    type Computed = I::Int;
    one_output!(int O::T);

    // For the widths whose product realigns.
    realigns_a_and_b!(if O::REALIGNS { I::REALIGN_BYTES } else { 0 });

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>(((a, b), (c, d)): Self::In) -> Self::Loaded {
        // SAFETY: each input is readable for BYTES bytes (caller), and what `Ld` asks.
        unsafe {
            let load = |p: *const O::T| I::Int::load(p.cast());
            [Ld::int(a.cast(), 0), Ld::int(b.cast(), 1), load(c), load(d)]
        }
    }

    #[inline(always)]
    unsafe fn compute([a, b, c, d]: Self::Loaded) -> I::Int {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { O::simd_add(O::simd(a, b), O::simd(c, d)) }
    }

    #[inline(always)]
    unsafe fn one(((a, b), (c, d)): Self::In, out: Self::Out) {
        // SAFETY: each pointer is valid for one element (caller); all are read first.
        unsafe { *out = O::add(O::one(*a, *b), O::one(*c, *d)) };
    }
}

/// `out = a ⊙ b + c ⊙ d` for interleaved complex numbers: each product with the formula of
/// `complex_mul`, then the sum of the two, component by component.
pub(crate) struct ComplexMulAddMul<I, T>(PhantomData<(I, T)>);

// SAFETY: a step reads two registers (LANES pairs) from each input and writes two; the
// planes are computed with the reference formula and the sum, as `one` does.
unsafe impl<I: Isa, T: Float> Lanes for ComplexMulAddMul<I, T> {
    type In = Four<[T; 2]>;
    type Loaded = [T::Reg<I>; 8];
    type Computed = (T::Reg<I>, T::Reg<I>);
    one_output!(pairs T);

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>(((a, b), (c, d)): Self::In) -> Self::Loaded {
        // SAFETY: each input holds LANES pairs here (caller).
        unsafe {
            let ((ar, ai), (br, bi)) = (load_planes(a), load_planes(b));
            let ((cr, ci), (dr, di)) = (load_planes(c), load_planes(d));
            [ar, ai, br, bi, cr, ci, dr, di]
        }
    }

    #[inline(always)]
    unsafe fn compute([ar, ai, br, bi, cr, ci, dr, di]: Self::Loaded) -> Self::Computed {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let (pr, pi) = product::<_, false>(ar, ai, br, bi);
            let (qr, qi) = product::<_, false>(cr, ci, dr, di);
            T::Reg::<I>::interleave(pr.add(qr), pi.add(qi))
        }
    }

    /// The head and tail as one masked step where the ISA has masked memory operations.
    #[inline(always)]
    unsafe fn partial(((a, b), (c, d)): Self::In, out: Self::Out, n: usize) {
        // SAFETY: n < LANES pairs are valid at every pointer (caller); lanes past n are
        // zero, computed, and never stored.
        unsafe {
            if I::Int::MASKED {
                // No closure here: it would be compiled without the kernel's features.
                let (ar, ai) = load_planes_partial::<T::Reg<I>>(a, n);
                let (br, bi) = load_planes_partial::<T::Reg<I>>(b, n);
                let (cr, ci) = load_planes_partial::<T::Reg<I>>(c, n);
                let (dr, di) = load_planes_partial::<T::Reg<I>>(d, n);
                let r = Self::compute([ar, ai, br, bi, cr, ci, dr, di]);
                store_pairs_partial(r, out, n);
            } else {
                for i in 0..n {
                    Self::one(((a.add(i), b.add(i)), (c.add(i), d.add(i))), out.add(i));
                }
            }
        }
    }

    #[inline(always)]
    unsafe fn one(((a, b), (c, d)): Self::In, out: Self::Out) {
        // SAFETY: each pointer is valid for one pair (caller); all are read first.
        unsafe {
            let (p, q) = (complex_mul(*a, *b), complex_mul(*c, *d));
            *out = [p[0] + q[0], p[1] + q[1]];
        }
    }
}

/// `out = w ⊙ a + (1 − w) ⊙ b` for `f32`/`f64`: the product `w·a`, the difference `1 − w`,
/// its product with `b`, then the sum, each rounded (the expression
/// `w * a + (1.0 - w) * b`).
pub(crate) struct RealBlend<I, T>(PhantomData<(I, T)>);

// SAFETY: a step reads one register from each input and writes one; `compute` is `one`'s
// expression lane by lane, in its order, none fused.
unsafe impl<I: Isa, T: Float> Lanes for RealBlend<I, T> {
    type In = Three<T>;
    type Loaded = [T::Reg<I>; 3];
    type Computed = T::Reg<I>;
    one_output!(float T);

    realigns_a_and_b!(I::REALIGN_BYTES);

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>(((a, b), w): Self::In) -> Self::Loaded {
        // SAFETY: each input is readable for LANES elements (caller), and what `Ld` asks.
        unsafe { [Ld::float(a, 0), Ld::float(b, 1), T::Reg::<I>::load(w)] }
    }

    #[inline(always)]
    unsafe fn compute([a, b, w]: Self::Loaded) -> T::Reg<I> {
        // A register of ones, loaded from a constant (the compiler keeps it out of the
        // loop).
        let ones = [T::ONE; 16];
        // SAFETY: the buffer holds 16 >= LANES elements; the CPU has the ISA (caller).
        unsafe {
            let one = T::Reg::<I>::load(ones.as_ptr());
            w.mul(a).add(one.sub(w).mul(b))
        }
    }

    /// The head and tail as one masked step where the ISA has masked memory operations,
    /// else an element at a time.
    #[inline(always)]
    unsafe fn partial(((a, b), w): Self::In, out: *mut T, n: usize) {
        // SAFETY: n < LANES elements are valid at every pointer (caller); lanes past n
        // are zero, computed, and never stored.
        unsafe {
            if I::Int::MASKED {
                let load = |p| T::Reg::<I>::load_partial(p, n);
                let r = Self::compute([load(a), load(b), load(w)]);
                r.store_partial(out, n)
            } else {
                for i in 0..n {
                    Self::one(((a.add(i), b.add(i)), w.add(i)), out.add(i));
                }
            }
        }
    }

    #[inline(always)]
    unsafe fn one(((a, b), w): Self::In, out: *mut T) {
        // SAFETY: each pointer is valid for one element (caller); all are read first.
        unsafe {
            let (a, b, w) = (*a, *b, *w);
            *out = w * a + (T::ONE - w) * b;
        }
    }
}

/// `out = round((α·fg + (255 − α)·bg) / 255)` on `u8` lanes (`In` is `((fg, bg), α)`).
pub(crate) struct BlendNormalizedU8<I>(PhantomData<I>);

// SAFETY: a step loads and stores one register; `blend_normalized_u8` on a register gives
// every lane what the reference gives (the exhaustive test checks all 2^24 triples).
unsafe impl<I: Isa> Lanes for BlendNormalizedU8<I> {
    type In = Three<u8>;
    type Loaded = [I::Int; 3];
    type Computed = I::Int;
    one_output!(int u8);

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>(((fg, bg), alpha): Self::In) -> Self::Loaded {
        // SAFETY: each input is readable for BYTES bytes (caller).
        unsafe { [I::Int::load(fg), I::Int::load(bg), I::Int::load(alpha)] }
    }

    #[inline(always)]
    unsafe fn compute([fg, bg, alpha]: Self::Loaded) -> I::Int {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { fg.blend_normalized_u8(bg, alpha) }
    }

    /// The head and tail as one masked step where the ISA has masked memory operations
    /// (one element at a time elsewhere).
    #[inline(always)]
    unsafe fn partial(((fg, bg), alpha): Self::In, out: *mut u8, n: usize) {
        // SAFETY: n < BYTES bytes are valid at every pointer (caller); bytes past n are
        // zero, computed, and never stored.
        unsafe {
            if I::Int::MASKED {
                let load = |p| I::Int::load_partial(p, n);
                let r = Self::compute([load(fg), load(bg), load(alpha)]);
                r.store_partial(out, n)
            } else {
                for i in 0..n {
                    Self::one(((fg.add(i), bg.add(i)), alpha.add(i)), out.add(i));
                }
            }
        }
    }

    #[inline(always)]
    unsafe fn one(((fg, bg), alpha): Self::In, out: *mut u8) {
        // SAFETY: each pointer is valid for one element (caller); all are read first.
        unsafe { *out = blend_normalized_u8(*fg, *bg, *alpha) };
    }
}
