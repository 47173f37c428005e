//! `out = a ⊙ b` for `f32` and `f64`: one IEEE multiply per lane.

use super::Float;
use crate::elementwise::{Lanes, Loads, Source};
use crate::isa::{FloatReg, Isa};
use core::marker::PhantomData;
use core::mem::size_of;

/// The real product on ISA `I`; `b` a stream or a broadcast value (`S`).
pub(crate) struct RealMul<I, T, S = *const T>(PhantomData<(I, T, S)>);

// SAFETY: load and store move exactly LANES elements of each pointer (FloatReg's
// contract); `mul` is the lane-wise IEEE product, which is what `one` computes.
unsafe impl<I: Isa, T: Float, S: Source<T>> Lanes for RealMul<I, T, S> {
    type In = (*const T, S);
    type Out = *mut T;
    type Loaded = (T::Reg<I>, T::Reg<I>);
    type Computed = T::Reg<I>;
    const LANES: usize = T::Reg::<I>::LANES;
    const OUT_STEP_BYTES: usize = Self::LANES * size_of::<T>();
    const OUT_ELEM_BYTES: usize = size_of::<T>();

    #[inline(always)]
    fn out_addr(out: *mut T) -> usize {
        out as usize
    }

    const REALIGN_BYTES: usize = I::REALIGN_BYTES;

    #[inline(always)]
    fn in_addrs((a, b): Self::In) -> [Option<usize>; 2] {
        [Some(a as usize), b.stream_addr()]
    }

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>((a, b): Self::In) -> Self::Loaded {
        // SAFETY: forwarded from the trait contract and `Ld`'s.
        unsafe { (Ld::float(a, 0), Ld::float(b.ptr(), 1)) }
    }

    #[inline(always)]
    unsafe fn compute((a, b): Self::Loaded) -> Self::Computed {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { a.mul(b) }
    }

    #[inline(always)]
    unsafe fn store(r: Self::Computed, out: *mut T) {
        // SAFETY: forwarded from the trait contract.
        unsafe { r.store(out) }
    }

    #[inline(always)]
    unsafe fn store_stream(r: Self::Computed, out: *mut T) {
        // SAFETY: forwarded from the trait contract (out aligned to the register).
        unsafe { r.store_stream(out) }
    }

    #[inline(always)]
    unsafe fn fence() {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { I::fence() }
    }

    #[inline(always)]
    unsafe fn one((a, b): Self::In, out: *mut T) {
        // SAFETY: each pointer is valid for one element (caller).
        unsafe { *out = *a * *b.ptr() };
    }

    #[inline(always)]
    unsafe fn partial((a, b): Self::In, out: *mut T, n: usize) {
        // SAFETY: forwarded from the trait contract.
        unsafe { T::Reg::<I>::mul_partial(a, b.ptr(), out, n) }
    }
}
