//! `Σ a[i]·b[i]` (the Frobenius inner product of two matrices stored as slices) for reals,
//! wrapping integers and complex numbers (optionally `Σ a[i]·conj(b[i])`), as
//! [`Reduction`]s over an ISA's registers.

use super::integer::Wrapping;
use super::Float;
use crate::isa::{FloatReg, IntReg, Isa};
use crate::reduce::{pairwise, Reduction};
use crate::scalar::element::{complex_mul, complex_mul_conj};
use core::marker::PhantomData;
use core::mem::size_of;

/// The most lanes of any float register (f32 on AVX-512).
const MAX_FLOAT_LANES: usize = 16;

/// The lanes of a float register, added pairwise.
///
/// # Safety
/// The CPU has the ISA of `I`.
#[inline(always)]
unsafe fn horizontal<I: Isa, T: Float>(v: T::Reg<I>) -> T {
    let mut lanes = [T::ZERO; MAX_FLOAT_LANES];
    // SAFETY: the buffer holds MAX_FLOAT_LANES >= LANES elements.
    unsafe { v.store(lanes.as_mut_ptr()) };
    pairwise(&mut lanes, T::Reg::<I>::LANES, |p, q| p + q)
}

/// `Σ a[i]·b[i]` for `f32`/`f64`: each product rounded, then added (no FMA, so the
/// products are the same on every ISA; only the order of the additions differs).
pub(crate) struct RealSum<I, T>(PhantomData<(I, T)>);

// SAFETY: `step` reads one register from each input; `one` reads element 0.
unsafe impl<I: Isa, T: Float> Reduction for RealSum<I, T> {
    type In = (*const T, *const T);
    type Acc = T::Reg<I>;
    type Out = T;
    const LANES: usize = T::Reg::<I>::LANES;

    #[inline(always)]
    unsafe fn zero() -> Self::Acc {
        let zeros = [T::ZERO; MAX_FLOAT_LANES];
        // SAFETY: the array holds MAX_FLOAT_LANES >= LANES elements.
        unsafe { T::Reg::<I>::load(zeros.as_ptr()) }
    }
    #[inline(always)]
    unsafe fn step(acc: Self::Acc, (a, b): Self::In) -> Self::Acc {
        // SAFETY: each input is readable for LANES elements (caller).
        unsafe { acc.add(T::Reg::<I>::load(a).mul(T::Reg::<I>::load(b))) }
    }
    #[inline(always)]
    unsafe fn merge(x: Self::Acc, y: Self::Acc) -> Self::Acc {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { x.add(y) }
    }
    #[inline(always)]
    unsafe fn finish(acc: Self::Acc) -> T {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { horizontal::<I, T>(acc) }
    }
    #[inline(always)]
    unsafe fn one((a, b): Self::In) -> T {
        // SAFETY: each input is readable for one element (caller).
        unsafe { *a * *b }
    }
    #[inline(always)]
    fn add(x: T, y: T) -> T {
        x + y
    }
}

/// `Σ a[i]·b[i]` with wrapping integer arithmetic: exact modulo 2^bits, so every ISA and
/// every order gives the same value.
pub(crate) struct IntSum<I, O>(PhantomData<(I, O)>);

// SAFETY: `step` reads one register from each input; `one` reads element 0.
unsafe impl<I: Isa, O: Wrapping> Reduction for IntSum<I, O> {
    type In = (*const O::T, *const O::T);
    type Acc = I::Int;
    type Out = O::T;
    const LANES: usize = I::Int::BYTES / size_of::<O::T>();

    #[inline(always)]
    unsafe fn zero() -> I::Int {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { I::Int::zero() }
    }
    #[inline(always)]
    unsafe fn step(acc: I::Int, (a, b): Self::In) -> I::Int {
        // SAFETY: each input is readable for BYTES bytes (caller).
        unsafe {
            let product = O::simd(I::Int::load(a.cast()), I::Int::load(b.cast()));
            O::simd_add(acc, product)
        }
    }
    #[inline(always)]
    unsafe fn merge(x: I::Int, y: I::Int) -> I::Int {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { O::simd_add(x, y) }
    }
    #[inline(always)]
    unsafe fn finish(acc: I::Int) -> O::T {
        let mut bytes = [0u8; 64];
        // SAFETY: the buffer holds 64 >= BYTES bytes; each lane is then read unaligned.
        unsafe {
            acc.store(bytes.as_mut_ptr());
            let lanes = bytes.as_ptr().cast::<O::T>();
            let mut total = lanes.read_unaligned();
            for k in 1..Self::LANES {
                total = O::add(total, lanes.add(k).read_unaligned());
            }
            total
        }
    }
    #[inline(always)]
    unsafe fn one((a, b): Self::In) -> O::T {
        // SAFETY: each input is readable for one element (caller).
        unsafe { O::one(*a, *b) }
    }
    #[inline(always)]
    fn add(x: O::T, y: O::T) -> O::T {
        O::add(x, y)
    }
}

/// `Σ a[i]·b[i]` (or `Σ a[i]·conj(b[i])`) for interleaved complex numbers: each product
/// by the reference formula, summed per component.
pub(crate) struct ComplexSum<I, T, const CONJ: bool>(PhantomData<(I, T)>);

// SAFETY: `step` reads two registers (LANES pairs) from each input; `one` reads pair 0.
unsafe impl<I: Isa, T: Float, const CONJ: bool> Reduction for ComplexSum<I, T, CONJ> {
    type In = (*const [T; 2], *const [T; 2]);
    type Acc = (T::Reg<I>, T::Reg<I>);
    type Out = [T; 2];
    const LANES: usize = T::Reg::<I>::LANES;

    #[inline(always)]
    unsafe fn zero() -> Self::Acc {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { (RealSum::<I, T>::zero(), RealSum::<I, T>::zero()) }
    }
    #[inline(always)]
    unsafe fn step((sr, si): Self::Acc, (a, b): Self::In) -> Self::Acc {
        // SAFETY: each input holds LANES pairs here (caller).
        unsafe {
            let planes = |p| super::complex::load_planes::<T::Reg<I>>(p);
            let ((ar, ai), (br, bi)) = (planes(a), planes(b));
            let (re, im) = super::complex::product::<_, CONJ>(ar, ai, br, bi);
            (sr.add(re), si.add(im))
        }
    }
    #[inline(always)]
    unsafe fn merge(x: Self::Acc, y: Self::Acc) -> Self::Acc {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { (x.0.add(y.0), x.1.add(y.1)) }
    }
    #[inline(always)]
    unsafe fn finish((sr, si): Self::Acc) -> [T; 2] {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { [horizontal::<I, T>(sr), horizontal::<I, T>(si)] }
    }
    #[inline(always)]
    unsafe fn one((a, b): Self::In) -> [T; 2] {
        // SAFETY: each input is readable for one pair (caller).
        unsafe {
            if CONJ {
                complex_mul_conj(*a, *b)
            } else {
                complex_mul(*a, *b)
            }
        }
    }
    #[inline(always)]
    fn add(x: [T; 2], y: [T; 2]) -> [T; 2] {
        [x[0] + y[0], x[1] + y[1]]
    }
}
