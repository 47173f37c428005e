//! The one order in which every sum of products adds its terms, on every ISA, at every
//! address, in every split across threads: what makes a float sum's bits a function of the
//! values alone.
//!
//! For an element type of `s` bytes (a complex number counts as one element):
//!
//! 1. The slice is cut into **blocks** of [`block_len`] `= 65536 / s` elements, counted
//!    from its first element (never from an address); the last block may be shorter.
//! 2. In a block, element `i` goes to **partial sum** `i mod W`, [`partials`] `W = 256 / s`
//!    (64 for `f32`, 32 for `f64` and `Complex<f32>`, 16 for `Complex<f64>`): each partial
//!    starts at `+0` and adds its elements' products in index order.
//! 3. The `W` partials are added by **halving**: `x[k] += x[k + w]` for `k < w`, `w = W/2,
//!    W/4, .., 1`; `x[0]` is the block's sum.
//! 4. The block sums are added by one **pairwise tree**: a run of `n > 1` blocks is the run of
//!    its first `2^⌊log₂(n−1)⌋` blocks (the largest power of two below `n`) plus the run of
//!    the rest ([`split_point`]); the kernels fold blocks left to right into exactly that
//!    tree.
//!
//! The widths are what the registers hold: `W` partials are four AVX-512 registers, eight
//! AVX2 ones, sixteen SSE2 or NEON ones, and plain values for the scalar kernel; a block is
//! long enough that its own additions cost next to nothing. Because a run of blocks that
//! starts on a split point is summed by the same rule as a whole slice, a thread that sums
//! one side of a split gives what the whole call's tree needs: threads decide who adds
//! which run, never what is added to what.

use core::mem::size_of;

/// Bytes of one block's partial sums: `W = PARTIAL_BYTES / size_of::<T>()` partials.
pub const PARTIAL_BYTES: usize = 256;

/// Bytes of each input in one block: `BLOCK_BYTES / size_of::<T>()` elements.
pub const BLOCK_BYTES: usize = 64 * 1024;

/// How many partial sums a block of `T` keeps (`W`).
#[inline(always)]
pub const fn partials<T>() -> usize {
    PARTIAL_BYTES / size_of::<T>()
}

/// Elements of `T` in one block.
#[inline(always)]
pub const fn block_len<T>() -> usize {
    BLOCK_BYTES / size_of::<T>()
}

/// Where the tree first splits a sum of `len` elements of `T`: the length of its left run
/// (`block_len` times the largest power of two below the number of blocks), or `None`
/// for one block. Summing `[..mid]` and `[mid..]` each by the same rule and adding the two
/// (left first) gives the bits of the whole sum.
#[inline]
pub const fn split_point<T>(len: usize) -> Option<usize> {
    let block = block_len::<T>();
    if len <= block {
        return None;
    }
    let blocks = len.div_ceil(block);
    let left = 1usize << (usize::BITS - 1 - (blocks - 1).leading_zeros());
    Some(left * block)
}

/// `x[0]` after adding `x[k + w]` into `x[k]` for `w = n/2, n/4, .., 1` (`n = x.len()`, a
/// power of two): the tree of step 3 of the module docs, over partials or register lanes.
#[inline(always)]
pub(crate) fn fold<T: Copy>(x: &mut [T], mut add: impl FnMut(T, T) -> T) -> T {
    let mut width = x.len();
    while width > 1 {
        width /= 2;
        for k in 0..width {
            x[k] = add(x[k], x[k + width]);
        }
    }
    x[0]
}

/// A sum of `len` elements from its blocks: `|start, n| block_sum` sums the `n` elements
/// of the block at `start`, and the blocks' sums are added by `add` in the tree of step 4.
/// The one block loop of every kernel (the SIMD loop in `reduce.rs`, the scalar kernel); a
/// macro, not a function taking a closure, because a closure inside a generic function
/// does not get the calling kernel's target features and was not inlined.
macro_rules! sum_of_blocks {
    ($len:expr, $block:expr, |$start:ident, $n:ident| $block_sum:expr, $add:expr) => {{
        let (len, block) = ($len, $block);
        let ($start, $n) = (0usize, len.min(block));
        let first = $block_sum;
        if len <= block {
            first
        } else {
            let mut blocks = $crate::sum_order::BlockTree::starting_with(first);
            let mut next = block;
            while next < len {
                let ($start, $n) = (next, block.min(len - next));
                blocks.push($block_sum, $add);
                next += $n;
            }
            blocks.finish($add)
        }
    }};
}
pub(crate) use sum_of_blocks;

/// The blocks `start..end` as whole subtrees of the tree of step 4, left to right: runs
/// `(first block, level)` of `2^level` blocks each starting at a multiple of `2^level`,
/// each as long as that allows. Summing each run as a slice of its own and handing the
/// sums to [`BlockTree::push_run`] in order gives the bits of the blocks' sum, however the
/// blocks were cut into parts (the parallel sums cut them where the threads' shares end).
pub fn aligned_runs(start: usize, end: usize) -> impl Iterator<Item = (usize, u8)> {
    let mut at = start;
    core::iter::from_fn(move || {
        if at >= end {
            return None;
        }
        // The largest power of two that divides `at` (any, at 0) and fits before `end`.
        let aligned = if at == 0 { 63 } else { at.trailing_zeros() };
        let fits = usize::BITS - 1 - (end - at).leading_zeros();
        let level = aligned.min(fits);
        let run = (at, level as u8);
        at += 1 << level;
        Some(run)
    })
}

/// The deepest the tree of blocks gets: a slice holds fewer than 2^64 bytes.
const MAX_DEPTH: usize = 64;

/// Block sums added, as they come from left to right, into the tree of step 4 of the
/// module docs: a stack of the sums of complete power-of-two runs, like a binary counter;
/// two runs of one size are added as soon as both are there, and what is left is added
/// from the right at the end.
///
/// A run of `2^j` blocks that starts at a multiple of `2^j` blocks is a whole subtree of
/// that tree, and a slice of exactly those blocks sums to that subtree's value (its own
/// tree is the same complete one). So threads can sum such runs on their own and hand
/// them in with [`push_run`](Self::push_run), in order, for the whole sum's bits.
///
/// ```
/// use hadamard_kernels::sum_order::BlockTree;
/// // Blocks 0..5 one by one, and as runs [0, 4) and [4, 5): the same tree, (((0+1)+(2+3))+4).
/// let add = |x: u64, y: u64| x * 10 + y; // order-revealing
/// let mut one_by_one = BlockTree::starting_with(0);
/// for k in 1..5 {
///     one_by_one.push(k, add);
/// }
/// let mut by_runs = BlockTree::starting_with_run(add(add(0, 1), add(2, 3)), 2);
/// by_runs.push_run(4, 0, add);
/// assert_eq!(one_by_one.finish(add), by_runs.finish(add));
/// ```
#[derive(Clone, Copy)]
pub struct BlockTree<O> {
    sums: [O; MAX_DEPTH],
    /// log₂ of the number of blocks under each sum.
    levels: [u8; MAX_DEPTH],
    depth: usize,
}

impl<O: Copy> BlockTree<O> {
    /// A tree holding the first block's sum.
    #[inline(always)]
    pub fn starting_with(first: O) -> Self {
        Self::starting_with_run(first, 0)
    }

    /// A tree holding the sum of the first `2^level` blocks.
    #[inline(always)]
    pub fn starting_with_run(first: O, level: u8) -> Self {
        BlockTree {
            sums: [first; MAX_DEPTH],
            levels: [level; MAX_DEPTH],
            depth: 1,
        }
    }

    /// The next block's sum.
    #[inline(always)]
    pub fn push(&mut self, sum: O, add: impl FnMut(O, O) -> O) {
        self.push_run(sum, 0, add);
    }

    /// The sum of the next `2^level` blocks, which start at a multiple of `2^level` blocks
    /// (as every run before them ends there).
    #[inline(always)]
    pub fn push_run(&mut self, sum: O, level: u8, mut add: impl FnMut(O, O) -> O) {
        let (mut sum, mut level) = (sum, level);
        while self.depth > 0 && self.levels[self.depth - 1] == level {
            self.depth -= 1;
            sum = add(self.sums[self.depth], sum);
            level += 1;
        }
        debug_assert!(
            self.depth == 0 || self.levels[self.depth - 1] > level,
            "a run must start at a multiple of its length"
        );
        self.sums[self.depth] = sum;
        self.levels[self.depth] = level;
        self.depth += 1;
    }

    /// The sum of every block pushed: the runs left on the stack, added from the right.
    #[inline(always)]
    pub fn finish(&self, mut add: impl FnMut(O, O) -> O) -> O {
        let mut total = self.sums[self.depth - 1];
        for k in (0..self.depth - 1).rev() {
            total = add(self.sums[k], total);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::{String, ToString};
    use std::{format, vec, vec::Vec};

    /// Expressions built by an order-revealing "addition": values are indices into it.
    struct Arena(Vec<String>);
    impl Arena {
        fn leaves(n: usize) -> Self {
            Arena((0..n).map(|k| k.to_string()).collect())
        }
        fn add(&mut self, x: usize, y: usize) -> usize {
            let e = format!("({}+{})", self.0[x], self.0[y]);
            self.0.push(e);
            self.0.len() - 1
        }
    }

    /// The tree of step 4 by its recursive statement: the reference for `BlockTree`.
    fn by_rule(lo: usize, hi: usize) -> String {
        if hi - lo == 1 {
            return lo.to_string();
        }
        let n = hi - lo;
        let left = 1usize << (usize::BITS - 1 - (n - 1).leading_zeros());
        format!("({}+{})", by_rule(lo, lo + left), by_rule(lo + left, hi))
    }

    #[test]
    fn the_block_tree_is_the_rule_of_the_docs() {
        for n in 1..=70 {
            let mut arena = Arena::leaves(n);
            let mut tree = BlockTree::starting_with(0usize);
            for k in 1..n {
                tree.push(k, |x, y| arena.add(x, y));
            }
            let got = tree.finish(|x, y| arena.add(x, y));
            assert_eq!(arena.0[got], by_rule(0, n), "{n} blocks");
        }
    }

    #[test]
    fn runs_of_any_parts_rebuild_the_rule() {
        for n in 1..=40 {
            for cuts in [
                vec![],
                vec![1],
                vec![3],
                vec![n / 2],
                vec![1, 2, 5, 6],
                vec![n / 3, 2 * n / 3],
            ] {
                let mut bounds = vec![0];
                bounds.extend(cuts.into_iter().filter(|&c| c > 0 && c < n));
                bounds.push(n);
                bounds.dedup();
                let mut arena = Arena::leaves(n);
                let mut tree: Option<BlockTree<usize>> = None;
                for part in bounds.windows(2) {
                    for (first, level) in aligned_runs(part[0], part[1]) {
                        assert_eq!(first % (1 << level), 0, "a run starts on its length");
                        let run = by_rule(first, (first + (1 << level)).min(n));
                        arena.0.push(run);
                        let sum = arena.0.len() - 1;
                        match tree.as_mut() {
                            None => tree = Some(BlockTree::starting_with_run(sum, level)),
                            Some(t) => t.push_run(sum, level, |x, y| arena.add(x, y)),
                        }
                    }
                }
                let got = tree.unwrap().finish(|x, y| arena.add(x, y));
                assert_eq!(arena.0[got], by_rule(0, n), "{n} blocks cut at {bounds:?}");
            }
        }
    }

    #[test]
    fn split_points_are_the_rules_first_split() {
        let b = block_len::<f32>();
        assert_eq!((b, partials::<f32>()), (16384, 64));
        assert_eq!(
            (block_len::<[f64; 2]>(), partials::<[f64; 2]>()),
            (4096, 16)
        );
        assert_eq!(split_point::<f32>(0), None);
        assert_eq!(split_point::<f32>(b), None);
        assert_eq!(split_point::<f32>(b + 1), Some(b));
        assert_eq!(split_point::<f32>(2 * b), Some(b));
        assert_eq!(split_point::<f32>(3 * b), Some(2 * b));
        assert_eq!(split_point::<f32>(4 * b), Some(2 * b));
        assert_eq!(split_point::<f32>(4 * b + 1), Some(4 * b));
        assert_eq!(split_point::<f32>(7 * b - 3), Some(4 * b));
        assert_eq!(split_point::<f64>(2 * 8192), Some(8192));
    }

    #[test]
    fn fold_halves() {
        let mut arena = Arena::leaves(8);
        let mut x: Vec<usize> = (0..8).collect();
        let got = fold(&mut x, |p, q| arena.add(p, q));
        assert_eq!(arena.0[got], "(((0+4)+(2+6))+((1+5)+(3+7)))");
    }
}
