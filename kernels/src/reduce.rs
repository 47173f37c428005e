//! The sum-of-products loop (`Σ a[i]·b[i]`), written once for every type and ISA.
//!
//! Four independent register accumulators (so consecutive additions do not wait on each
//! other), each step adding one register of products; then the four are added pairwise,
//! the lanes of the result added pairwise, and the tail elements added one by one. Floats
//! are therefore summed in a different order than a plain loop: the result differs from it
//! within the bound the `hadamard` crate documents. Wrapping integer sums are exact.
//!
//! The order is a function of the indices only, never of the addresses, so a float sum
//! has the same bits wherever its inputs start. Yet a register load that straddles two
//! cache lines costs twice, and at a 16-byte offset most AVX-512 loads do. So where `a`
//! does not start on a register boundary, the loop runs its steps on `a`'s register
//! boundaries instead: accumulator lane `k` then collects the elements that would have
//! gone to lane `k - offset` (counting the four accumulators as one row of `4·LANES`
//! lanes), each lane still adding its elements in index order, starting from `+0` (the
//! partial first and last steps add `+0` in their empty lanes, which changes no
//! accumulator: one that starts at `+0` never holds `-0`). Turning the row back by the
//! offset before the final additions restores exactly the index-only order.

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

    /// Bytes of one element of `a` (a step reads `LANES` of them).
    const ELEMENT_BYTES: usize;
    /// Bytes of one register load: the boundary the aligned loop puts `a`'s loads on.
    const REGISTER_BYTES: usize;
    /// The address of `a`.
    fn address(input: Self::In) -> usize;
    /// `acc` plus the products of the step whose lanes `lane..lane + n` hold elements
    /// `0..n` at `input`; the other lanes add `+0`.
    ///
    /// # Safety
    /// `lane + n <= LANES`; each input is readable for `n` elements; the CPU has the ISA.
    unsafe fn step_lanes(acc: Self::Acc, input: Self::In, lane: usize, n: usize) -> Self::Acc;
    /// The four accumulators read as one row of `4·LANES` lanes in element order, turned
    /// so that lane `by` comes first.
    ///
    /// # Safety
    /// `by < LANES`; the CPU has the ISA.
    unsafe fn turn(accs: [Self::Acc; 4], by: usize) -> [Self::Acc; 4];
}

/// Below this many steps a call sums with unaligned loads: the partial steps and the
/// turn cost about as much as the split loads they save.
const MIN_STEPS_TO_ALIGN: usize = 16;

/// `Σ a[i]·b[i]` over `0..len` in the order the module docs describe.
///
/// # Safety
/// Each input is readable for `len` elements; the CPU has `R`'s ISA.
#[inline(always)]
pub(crate) unsafe fn sum<R: Reduction>(input: R::In, len: usize) -> R::Out {
    let lanes = R::LANES;
    let blocks = len - len % (4 * lanes);
    let mut i = 0;
    // SAFETY: the CPU has R's ISA (caller); every step reads elements i..i + lanes, inside
    // 0..len by the loop conditions; the tail reads elements below len one at a time.
    unsafe {
        let (mut s0, mut s1, mut s2, mut s3) = (R::zero(), R::zero(), R::zero(), R::zero());
        let offset = offset_from_register::<R>(input);
        if offset != 0 && blocks >= MIN_STEPS_TO_ALIGN * lanes {
            [s0, s1, s2, s3] = R::turn(aligned_blocks::<R>(input, blocks, offset), offset);
            i = blocks;
        }
        ([s0, s1, s2, s3], i) = whole_blocks::<R>([s0, s1, s2, s3], input, i, len);
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

/// The accumulators plus one step each per block of four registers from element `i`, while
/// a whole block fits before `end`; and the element after the last block.
///
/// # Safety
/// Each input is readable for `end` elements; the CPU has `R`'s ISA.
#[inline(always)]
unsafe fn whole_blocks<R: Reduction>(
    [mut s0, mut s1, mut s2, mut s3]: [R::Acc; 4],
    input: R::In,
    mut i: usize,
    end: usize,
) -> ([R::Acc; 4], usize) {
    let lanes = R::LANES;
    // SAFETY: every step reads elements i..i + lanes below end by the loop condition.
    unsafe {
        while i + 4 * lanes <= end {
            s0 = R::step(s0, input.advance(i));
            s1 = R::step(s1, input.advance(i + lanes));
            s2 = R::step(s2, input.advance(i + 2 * lanes));
            s3 = R::step(s3, input.advance(i + 3 * lanes));
            i += 4 * lanes;
        }
    }
    ([s0, s1, s2, s3], i)
}

/// How many elements before `a` its register boundary lies (0 when `a` is on one, or
/// when no whole number of elements puts it on one).
#[inline(always)]
fn offset_from_register<R: Reduction>(input: R::In) -> usize {
    let boundary = R::REGISTER_BYTES.min(64);
    let bytes = R::address(input) % boundary;
    if bytes % R::ELEMENT_BYTES == 0 {
        bytes / R::ELEMENT_BYTES
    } else {
        0
    }
}

/// The four accumulators over elements `0..blocks` with every load of `a` on a register
/// boundary (the module docs): step `v` covers elements `v·LANES - offset ..`, its lanes
/// outside `0..blocks` empty, and goes to accumulator `v % 4`.
///
/// # Safety
/// `0 < offset < LANES`; `blocks` is a multiple of `4·LANES`, at least `4·LANES`; each
/// input is readable for `blocks` elements; the CPU has `R`'s ISA.
#[inline(always)]
unsafe fn aligned_blocks<R: Reduction>(input: R::In, blocks: usize, offset: usize) -> [R::Acc; 4] {
    let lanes = R::LANES;
    // SAFETY: the first step reads elements 0..lanes - offset, the full steps elements
    // from 4·lanes - offset up to blocks - offset, and the last step blocks - offset..blocks,
    // all inside 0..blocks (caller); the CPU has the ISA (caller).
    unsafe {
        let first = [
            R::step_lanes(R::zero(), input, offset, lanes - offset),
            R::step(R::zero(), input.advance(lanes - offset)),
            R::step(R::zero(), input.advance(2 * lanes - offset)),
            R::step(R::zero(), input.advance(3 * lanes - offset)),
        ];
        let ([s0, s1, s2, s3], i) = whole_blocks::<R>(first, input, 4 * lanes - offset, blocks);
        [R::step_lanes(s0, input.advance(i), 0, offset), s1, s2, s3]
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
