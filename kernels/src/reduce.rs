//! The sum-of-products loop (`Σ a[i]·b[i]`), written once for every type and ISA.
//!
//! Four independent register accumulators (so consecutive additions do not wait on each
//! other), each step adding one register of products; then the four are added pairwise,
//! the lanes of the result added pairwise, and the tail elements added one by one. Floats
//! are therefore summed in a different order than a plain loop: the result differs from it
//! within the bound the `hadamard` crate documents. Wrapping integer sums are exact.

use crate::elementwise::Cursor;

/// One sum of products on one instruction set: `LANES` elements per step.
///
/// # Safety
/// Implementors promise that `step` reads exactly `LANES` elements from each input
/// pointer and `one` only element 0.
pub(crate) unsafe trait Reduction {
    /// The input pointers.
    type In: Cursor;
    /// An accumulator register (or registers).
    type Acc: Copy;
    /// The sum.
    type Out: Copy;
    /// Elements per step.
    const LANES: usize;

    /// An accumulator holding zero.
    ///
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn zero() -> Self::Acc;
    /// `acc` plus the products of one step's elements.
    ///
    /// # Safety
    /// Each input is readable for `LANES` elements; the CPU has the ISA.
    unsafe fn step(acc: Self::Acc, input: Self::In) -> Self::Acc;
    /// Two accumulators added lane by lane.
    ///
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn merge(x: Self::Acc, y: Self::Acc) -> Self::Acc;
    /// The lanes of an accumulator added pairwise.
    ///
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn finish(acc: Self::Acc) -> Self::Out;
    /// The product of element 0.
    ///
    /// # Safety
    /// Each input is readable for one element.
    unsafe fn one(input: Self::In) -> Self::Out;
    /// The sum of two partial sums.
    fn add(x: Self::Out, y: Self::Out) -> Self::Out;
}

/// `Σ a[i]·b[i]` over `0..len` in the order the module docs describe.
///
/// # Safety
/// Each input is readable for `len` elements; the CPU has `R`'s ISA.
#[inline(always)]
pub(crate) unsafe fn sum<R: Reduction>(input: R::In, len: usize) -> R::Out {
    let lanes = R::LANES;
    let mut i = 0;
    // SAFETY: the CPU has R's ISA (caller); every step reads elements i..i + lanes, inside
    // 0..len by the loop conditions; the tail reads elements below len one at a time.
    unsafe {
        let (mut s0, mut s1, mut s2, mut s3) = (R::zero(), R::zero(), R::zero(), R::zero());
        while i + 4 * lanes <= len {
            s0 = R::step(s0, input.advance(i));
            s1 = R::step(s1, input.advance(i + lanes));
            s2 = R::step(s2, input.advance(i + 2 * lanes));
            s3 = R::step(s3, input.advance(i + 3 * lanes));
            i += 4 * lanes;
        }
        while i + lanes <= len {
            s0 = R::step(s0, input.advance(i));
            i += lanes;
        }
        let mut total = R::finish(R::merge(R::merge(s0, s1), R::merge(s2, s3)));
        while i < len {
            total = R::add(total, R::one(input.advance(i)));
            i += 1;
        }
        total
    }
}

/// The pairwise sum of `x[..n]`, `n` a power of two (the lanes of a register).
#[inline(always)]
pub(crate) fn pairwise<T: Copy>(x: &mut [T], n: usize, add: impl Fn(T, T) -> T) -> T {
    let mut width = n;
    while width > 1 {
        width /= 2;
        for k in 0..width {
            x[k] = add(x[k], x[k + width]);
        }
    }
    x[0]
}
