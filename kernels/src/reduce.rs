//! The sum-of-products loop (`Σ a[i]·b[i]`), written once for every type and ISA, in the
//! order of `sum_order.rs`.
//!
//! A block's `W` partial sums are a row of `ROWS = W / LANES` accumulator registers:
//! register `r`, lane `l` holds partial `r·LANES + l`. A step adds one register of
//! products, so element `i` of the block lands in partial `i mod W`, each partial adding
//! its elements in index order from `+0` (partial steps add `+0` in their empty lanes,
//! which changes no accumulator: one that starts at `+0` never holds `-0`). The row is then
//! halved register by register and the last register's lanes halved in lane order: the
//! tree of `sum_order::fold`, with the same additions in the same places.
//!
//! A register load that straddles two cache lines costs twice, and at a 16-byte offset
//! most AVX-512 loads do. So where `a` does not start on a register boundary, the loop
//! runs its steps on `a`'s register boundaries instead: element `i` then lands in lane
//! `i + offset` of the row (mod `W`), each lane still adding its elements in index order,
//! and turning the row back by `offset` before the halving restores exactly the order
//! above. Nothing in the result depends on an address.

use crate::elementwise::Cursor;
use crate::sum_order;

/// A row of `N` accumulators: exactly `ROWS` of them, a size each kernel names as a
/// constant so the row lives in registers.
pub(crate) type Row<A, const N: usize> = [A; N];

/// One sum of products on one instruction set: `LANES` elements per step.
///
/// # Safety
/// Implementors promise that `step` reads exactly `LANES` elements from each input
/// pointer, `step_lanes` the `n` it is given, `one` only element 0, and the row methods
/// `W = ROWS·LANES` partials.
pub(crate) unsafe trait Reduction {
    /// The input pointers.
    type In: Cursor;
    /// An accumulator register (or registers).
    type Acc: Copy;
    /// The sum.
    type Out: Copy;
    /// Elements per step.
    const LANES: usize;
    /// Bytes of one element of `a` (a step reads `LANES` of them).
    const ELEMENT_BYTES: usize;
    /// Bytes of one register load: the boundary the aligned loop puts `a`'s loads on.
    const REGISTER_BYTES: usize;
    /// Registers in one accumulator (two for complex: a real and an imaginary plane).
    const ACC_REGISTERS: usize = 1;
    /// Accumulators in a row: `W / LANES`, a power of two (at most 16).
    const ROWS: usize = sum_order::PARTIAL_BYTES / (Self::LANES * Self::ELEMENT_BYTES);

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
    /// `acc` plus the products of the step whose lanes `lane..lane + n` hold elements
    /// `0..n` at `input`; the other lanes add `+0`.
    ///
    /// # Safety
    /// `lane + n <= LANES`; each input is readable for `n` elements; the CPU has the ISA.
    unsafe fn step_lanes(acc: Self::Acc, input: Self::In, lane: usize, n: usize) -> Self::Acc;
    /// Two accumulators added lane by lane.
    ///
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn merge(x: Self::Acc, y: Self::Acc) -> Self::Acc;
    /// The lanes of an accumulator halved in lane order (`sum_order::fold`).
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
    /// The address of `a`.
    fn address(input: Self::In) -> usize;
    /// The row read as one row of `W` lanes in element order, turned so that lane `by`
    /// comes first.
    ///
    /// # Safety
    /// `by < LANES`; `N == ROWS`; the CPU has the ISA.
    unsafe fn turn<const N: usize>(row: Row<Self::Acc, N>, by: usize) -> Row<Self::Acc, N>;
    /// The `W` partials at `p`, in order, as a row.
    ///
    /// # Safety
    /// `p` is readable for `W` values; `N == ROWS`; the CPU has the ISA.
    unsafe fn load_row<const N: usize>(p: *const Self::Out) -> Row<Self::Acc, N>;
    /// Writes the row's `W` partials at `p`, in order.
    ///
    /// # Safety
    /// `p` is writable for `W` values; `N == ROWS`; the CPU has the ISA.
    unsafe fn store_row<const N: usize>(row: Row<Self::Acc, N>, p: *mut Self::Out);
}

/// Rows a pass covers before the next pass takes the same rows (`rows`).
const PASS_ROWS: usize = 8;

/// Below this many steps (or one row) a block sums with unaligned loads: the partial steps
/// and the turn cost about as much as the split loads they save.
const MIN_STEPS_TO_ALIGN: usize = 16;

/// `Σ a[i]·b[i]` over `0..len` in the order of `sum_order.rs`.
///
/// # Safety
/// `N == R::ROWS`; each input is readable for `len` elements; the CPU has `R`'s ISA.
#[inline(always)]
pub(crate) unsafe fn sum<R: Reduction, const N: usize>(input: R::In, len: usize) -> R::Out {
    let block = sum_order::BLOCK_BYTES / R::ELEMENT_BYTES;
    sum_order::sum_of_blocks!(
        len,
        block,
        // SAFETY: every block lies inside 0..len; the CPU has the ISA (caller).
        |start, n| unsafe { block_sum::<R, N>(input.advance(start), n) },
        R::add
    )
}

/// Adds element `k` of `0..len` to partial `(phase + k) mod W` of the `W` partials at
/// `partials`: a block's sum continued from a chunk of another length (the integrations'
/// strided lanes). Elements before the next row start are added one by one.
///
/// # Safety
/// `N == R::ROWS`; `phase < W`; `partials` is valid for `W` values; each input is
/// readable for `len` elements; the CPU has `R`'s ISA.
#[inline(always)]
pub(crate) unsafe fn accumulate<R: Reduction, const N: usize>(
    partials: *mut R::Out,
    phase: usize,
    input: R::In,
    len: usize,
) {
    let width = R::LANES * R::ROWS;
    let head = ((width - phase) % width).min(len);
    // SAFETY: phase + k < W for k < head; elements below len; the CPU has the ISA (caller).
    unsafe {
        for k in 0..head {
            let p = partials.add(phase + k);
            *p = R::add(*p, R::one(input.advance(k)));
        }
        if len > head {
            let row = rows::<R, N>(
                R::load_row(partials),
                input.advance(head),
                len - head,
                false,
            );
            R::store_row(row, partials);
        }
    }
}

/// One block's sum: its row from zero, halved.
///
/// # Safety
/// Each input is readable for `n` elements; the CPU has `R`'s ISA.
#[inline(always)]
unsafe fn block_sum<R: Reduction, const N: usize>(input: R::In, n: usize) -> R::Out {
    // SAFETY: forwarded (caller).
    unsafe { halve::<R, N>(rows::<R, N>([R::zero(); N], input, n, true)) }
}

/// The row's partials halved (register by register, then the lanes): a block's sum.
///
/// # Safety
/// The CPU has `R`'s ISA.
#[inline(always)]
unsafe fn halve<R: Reduction, const N: usize>(mut row: Row<R::Acc, N>) -> R::Out {
    // Written out per width so every index is a constant and the row stays in registers.
    // SAFETY: the CPU has the ISA (caller).
    unsafe {
        if N >= 16 {
            for k in 0..8 {
                row[k] = R::merge(row[k], row[k + 8]);
            }
        }
        if N >= 8 {
            for k in 0..4 {
                row[k] = R::merge(row[k], row[k + 4]);
            }
        }
        if N >= 4 {
            for k in 0..2 {
                row[k] = R::merge(row[k], row[k + 2]);
            }
        }
        if N >= 2 {
            row[0] = R::merge(row[0], row[1]);
        }
        R::finish(row[0])
    }
}

/// `row` plus elements `0..n` (element `k` into partial `k mod W`); with `align`, `a`'s
/// loads on register boundaries where that pays (the module docs).
///
/// # Safety
/// Each input is readable for `n` elements; the CPU has `R`'s ISA.
// Index loops over the row: register `r` takes the elements at `r·LANES` of each row, which
// the indices say plainly.
#[allow(clippy::needless_range_loop)]
#[inline(always)]
unsafe fn rows<R: Reduction, const N: usize>(
    mut row: Row<R::Acc, N>,
    input: R::In,
    n: usize,
    align: bool,
) -> Row<R::Acc, N> {
    const { assert!(N > 0 && N <= 16 && N.is_power_of_two()) };
    debug_assert_eq!(N, R::ROWS);
    let (lanes, count) = (R::LANES, N);
    let width = lanes * count;
    let offset = if align && n >= (MIN_STEPS_TO_ALIGN * lanes).max(width) {
        offset_from_register::<R>(input)
    } else {
        0
    };
    // Positions count lanes of the row from its start: element k sits at k + offset.
    let end = n + offset;
    let mut pos = 0;
    // SAFETY: a step at position p reads elements p - offset.. below end - offset = n;
    // the first partial step reads elements 0..lanes - offset; n >= width when offset > 0,
    // so the first row lies inside; the CPU has the ISA (caller).
    unsafe {
        if offset != 0 {
            row[0] = R::step_lanes(row[0], input, offset, lanes - offset);
            for r in 1..count {
                row[r] = R::step(row[r], input.advance(r * lanes - offset));
            }
            pos = width;
        }
        // A row of sixteen complex accumulators (eight pairs of 128-bit registers) does not
        // fit the register file beside a complex step's temporaries, so those rows run in
        // passes of four pairs over PASS_ROWS rows at a time (each partial still adds its
        // elements in index order). Short passes: each reads only its part of each row,
        // and passes over a whole block left the later ones waiting on memory again (SSE2
        // sums ran at half speed out of cache). Real rows run in one pass, sixteen
        // registers on SSE2 included: every split of them measured slower.
        let pass = if R::ACC_REGISTERS == 1 {
            count
        } else {
            count.min(8 / R::ACC_REGISTERS)
        };
        if pass == count {
            while pos + width <= end {
                for r in 0..count {
                    row[r] = R::step(row[r], input.advance(pos + r * lanes - offset));
                }
                pos += width;
            }
        }
        while pos + width <= end {
            let chunk_end = pos + ((end - pos) / width).min(PASS_ROWS) * width;
            let start = pos;
            for first in (0..count).step_by(pass) {
                pos = start;
                while pos < chunk_end {
                    for r in first..first + pass {
                        row[r] = R::step(row[r], input.advance(pos + r * lanes - offset));
                    }
                    pos += width;
                }
            }
        }
        // Written out per register, so the row stays in registers (LLVM keeps a loop here
        // rolled, with the row in memory).
        macro_rules! last_step {
            ($($r:literal)*) => {$(
                if $r < N && pos + $r * lanes < end {
                    let p = pos + $r * lanes;
                    let at = input.advance(p - offset);
                    row[$r] = if end - p >= lanes {
                        R::step(row[$r], at)
                    } else {
                        R::step_lanes(row[$r], at, 0, end - p)
                    };
                }
            )*};
        }
        if pos < end {
            last_step!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
        }
        if offset != 0 {
            row = R::turn(row, offset);
        }
    }
    row
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
