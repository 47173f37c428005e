//! How a call is split across cores: the pieces (one per thread the call uses, as
//! `split_cost.rs` decides), their boundaries on 64-byte lines of `out`, and the sums'
//! pieces on runs of blocks.
//!
//! A call that stays on one thread touches neither rayon nor the heap: one kernel call on
//! the calling thread. A split call runs its first piece on the calling thread and hands
//! the others to whatever pool the caller is running in (`ThreadPool::install` or the
//! global one): `threads::run_parts`.

use core::mem::size_of;
use hadamard_kernels::sum_order;
use hadamard_kernels::tables::{Binary, Quaternary, Scale, Split, Sum, Ternary};
use hadamard_kernels::Token;

/// Whether a call may use more than the calling thread.
///
/// ```
/// use hadamard::{Options, Parallelism};
/// let a = vec![2.0f64; 1 << 20];
/// let mut out = vec![0.0; a.len()];
/// // Already inside a parallel loop? Keep each call on its own thread:
/// Options::new().parallelism(Parallelism::Sequential).mul_elementwise(&a, &a, &mut out)?;
/// assert!(out.iter().all(|&x| x == 4.0));
/// # Ok::<(), hadamard::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Parallelism {
    /// As many threads of the current rayon pool as pay for themselves on this machine
    /// at this size ([`split_costs`](crate::split_costs)), at most
    /// [`Options::max_threads`](crate::Options::max_threads) and
    /// `HADAMARD_MAX_THREADS`; calls too small to ever split stay on the calling thread
    /// after one comparison.
    #[default]
    Auto,
    /// Always run on the calling thread; never call into rayon.
    Sequential,
    /// Every thread of the current rayon pool (at most the caps above) whatever the
    /// size, down to pieces of 16 KiB of output (for measuring the split).
    Parallel,
}

/// How a call stores its output.
///
/// Streaming (non-temporal) stores write whole lines to memory without reading them into
/// the cache first: for an output far larger than the last-level cache that saves one of
/// the four memory transfers per element, but for an output that fits in cache it throws
/// away what the next call would have found there. Results are the same bits either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stores {
    /// Stream when the call moves more than [`streaming_threshold_bytes`] and is not in
    /// place (`mul_assign` reads every line of its output anyway).
    #[default]
    Auto,
    /// Always normal stores.
    Normal,
    /// Streaming stores wherever the kernel's ISA has them (SSE2, AVX2, AVX-512).
    Streaming,
}

impl Stores {
    /// Whether a call under this policy that moves `bytes_moved` bytes (every operand read
    /// or written once: `3 × len × size_of::<T>()` for `out = a ⊙ b`) uses its streaming
    /// kernel: the one decision every large call makes, here for callers and tests to ask.
    /// (A split complex call streams only when its two output planes also sit at one offset
    /// from a 64-byte line, and the scalar kernel has no streaming store at all.)
    ///
    /// ```
    /// use hadamard::{streaming_threshold_bytes, Stores};
    /// let big = streaming_threshold_bytes() + 1;
    /// assert!(Stores::Auto.streams(big, false));
    /// assert!(!Stores::Auto.streams(big, true)); // in place: the output is read anyway
    /// assert!(!Stores::Auto.streams(4096, false));
    /// assert!(Stores::Streaming.streams(4096, true) && !Stores::Normal.streams(big, false));
    /// ```
    #[inline]
    pub fn streams(self, bytes_moved: usize, in_place: bool) -> bool {
        match self {
            Stores::Normal => false,
            Stores::Streaming => true,
            // The first test keeps small calls from even looking at the cache sizes.
            Stores::Auto => !in_place && bytes_moved > streaming_threshold_bytes(),
        }
    }
}

/// Bytes moved by one call (`3 × len × size_of::<T>()`) above which [`Stores::Auto`]
/// streams: STREAM_CACHE_FACTOR times the last-level cache the OS reports.
pub fn streaming_threshold_bytes() -> usize {
    crate::cache::cache_sizes()
        .l3
        .saturating_mul(STREAM_CACHE_FACTOR)
}

/// See [`streaming_threshold_bytes`]; chosen by measurement (BENCHMARKS.md).
const STREAM_CACHE_FACTOR: usize = 1;

/// The smallest piece a split produces, in bytes of `out`: below this the cost of handing
/// a piece to another thread (about a microsecond) outweighs its work.
pub(crate) const MIN_PIECE_BYTES: usize = 16 * 1024;

/// Piece boundaries fall on multiples of this many bytes of `out`, so no two threads write
/// the same cache line.
pub(crate) const LINE_BYTES: usize = 64;

/// One element-wise call's operands and kernel table, already checked: what the split
/// policy runs on one thread or cuts into pieces. Every operand is a slice, so a piece is
/// a sub-slice and two threads can never touch one element.
pub(crate) trait Job: Sized + Send {
    /// Bytes read or written per element, over every operand.
    const BYTES_PER_ELEMENT: usize;
    /// Bytes of one element of the (first) output, whose lines the pieces start on.
    const OUT_ELEMENT_BYTES: usize;

    fn len(&self) -> usize;
    /// The address of the (first) output.
    fn out_addr(&self) -> usize;
    /// Whether the output is also an input (then streaming stores would not save a read).
    fn is_in_place(&self) -> bool;
    /// Elements `..mid` and `mid..`.
    fn split_at(self, mid: usize) -> (Self, Self);
    /// Runs the token's kernel on the whole job, with streaming stores when `stream`.
    fn run(self, token: Token, stream: bool);

    /// Whether the default path runs this job's 256-bit kernel past L1 (the table's
    /// `narrows_past_l1`; the in-place and accumulating forms and every other kind keep
    /// their width: measured, they gain nothing or lose).
    #[inline(always)]
    fn narrows_past_l1(&self) -> bool {
        false
    }

    #[inline]
    fn bytes_moved(&self) -> usize {
        self.len().saturating_mul(Self::BYTES_PER_ELEMENT)
    }
}

/// The three `Job` methods that only describe the output: its length, its address, and
/// whether it is also an input.
macro_rules! output_is {
    ($field:ident $(. $index:tt)?, in_place: $in_place:literal) => {
        #[inline]
        fn len(&self) -> usize {
            self.$field$(.$index)?.len()
        }

        #[inline]
        fn out_addr(&self) -> usize {
            self.$field$(.$index)?.as_ptr() as usize
        }

        #[inline]
        fn is_in_place(&self) -> bool {
            $in_place
        }
    };
}

/// Counts a piece that streamed, for [`observe`].
#[inline(always)]
fn counted(stream: bool) -> bool {
    if stream {
        observe::streamed();
    }
    stream
}

/// `out[i] = f(a[i], b[i])`.
pub(crate) struct BinaryJob<'a, A: 'static, B: 'static, O: 'static> {
    pub(crate) table: &'static Binary<A, B, O>,
    pub(crate) a: &'a [A],
    pub(crate) b: &'a [B],
    pub(crate) out: &'a mut [O],
}

impl<A: Sync, B: Sync, O: Send> Job for BinaryJob<'_, A, B, O> {
    const BYTES_PER_ELEMENT: usize = size_of::<A>() + size_of::<B>() + size_of::<O>();
    const OUT_ELEMENT_BYTES: usize = size_of::<O>();

    output_is!(out, in_place: false);

    fn split_at(self, mid: usize) -> (Self, Self) {
        let (a, a2) = self.a.split_at(mid);
        let (b, b2) = self.b.split_at(mid);
        let (out, out2) = self.out.split_at_mut(mid);
        let table = self.table;
        (
            BinaryJob { table, a, b, out },
            BinaryJob {
                table,
                a: a2,
                b: b2,
                out: out2,
            },
        )
    }

    #[inline(always)]
    fn run(self, token: Token, stream: bool) {
        self.table
            .run(token, counted(stream), self.a, self.b, self.out)
    }

    #[inline(always)]
    fn narrows_past_l1(&self) -> bool {
        self.table.narrows_past_l1()
    }
}

/// `acc[i] = f(acc[i], b[i])`.
pub(crate) struct InPlaceJob<'a, T: 'static> {
    pub(crate) table: &'static Binary<T, T, T>,
    pub(crate) acc: &'a mut [T],
    pub(crate) b: &'a [T],
}

impl<T: Send + Sync> Job for InPlaceJob<'_, T> {
    const BYTES_PER_ELEMENT: usize = 3 * size_of::<T>();
    const OUT_ELEMENT_BYTES: usize = size_of::<T>();

    output_is!(acc, in_place: true);

    fn split_at(self, mid: usize) -> (Self, Self) {
        let (acc, acc2) = self.acc.split_at_mut(mid);
        let (b, b2) = self.b.split_at(mid);
        let table = self.table;
        (
            InPlaceJob { table, acc, b },
            InPlaceJob {
                table,
                acc: acc2,
                b: b2,
            },
        )
    }

    #[inline(always)]
    fn run(self, token: Token, stream: bool) {
        self.table
            .run_in_place(token, counted(stream), self.acc, self.b)
    }
}

/// `out[i] = f(a[i], s)`.
pub(crate) struct ScaleJob<'a, T: 'static> {
    pub(crate) table: &'static Scale<T>,
    pub(crate) a: &'a [T],
    pub(crate) s: T,
    pub(crate) out: &'a mut [T],
}

impl<T: Copy + Send + Sync> Job for ScaleJob<'_, T> {
    // The one value of `s` counted as a stream too: a bound on the traffic is all the
    // policy needs.
    const BYTES_PER_ELEMENT: usize = 3 * size_of::<T>();
    const OUT_ELEMENT_BYTES: usize = size_of::<T>();

    output_is!(out, in_place: false);

    fn split_at(self, mid: usize) -> (Self, Self) {
        let (a, a2) = self.a.split_at(mid);
        let (out, out2) = self.out.split_at_mut(mid);
        let (table, s) = (self.table, self.s);
        (
            ScaleJob { table, a, s, out },
            ScaleJob {
                table,
                a: a2,
                s,
                out: out2,
            },
        )
    }

    #[inline(always)]
    fn run(self, token: Token, stream: bool) {
        // A copy of its own, so only the value (not the job) needs an address.
        let s = self.s;
        self.table.run(token, counted(stream), self.a, &s, self.out)
    }

    #[inline(always)]
    fn narrows_past_l1(&self) -> bool {
        self.table.narrows_past_l1()
    }
}

/// `acc[i] = f(acc[i], s)`.
pub(crate) struct ScaleInPlaceJob<'a, T: 'static> {
    pub(crate) table: &'static Scale<T>,
    pub(crate) s: T,
    pub(crate) acc: &'a mut [T],
}

impl<T: Copy + Send + Sync> Job for ScaleInPlaceJob<'_, T> {
    const BYTES_PER_ELEMENT: usize = 3 * size_of::<T>();
    const OUT_ELEMENT_BYTES: usize = size_of::<T>();

    output_is!(acc, in_place: true);

    fn split_at(self, mid: usize) -> (Self, Self) {
        let (acc, acc2) = self.acc.split_at_mut(mid);
        let (table, s) = (self.table, self.s);
        (
            ScaleInPlaceJob { table, s, acc },
            ScaleInPlaceJob {
                table,
                s,
                acc: acc2,
            },
        )
    }

    #[inline(always)]
    fn run(self, token: Token, stream: bool) {
        let s = self.s;
        self.table
            .run_in_place(token, counted(stream), self.acc, &s)
    }
}

/// `out[i] = f(a[i], b[i], c[i])`.
pub(crate) struct TernaryJob<'a, T: 'static> {
    pub(crate) table: &'static Ternary<T>,
    pub(crate) a: &'a [T],
    pub(crate) b: &'a [T],
    pub(crate) c: &'a [T],
    pub(crate) out: &'a mut [T],
}

impl<T: Send + Sync> Job for TernaryJob<'_, T> {
    const BYTES_PER_ELEMENT: usize = 4 * size_of::<T>();
    const OUT_ELEMENT_BYTES: usize = size_of::<T>();

    output_is!(out, in_place: false);

    fn split_at(self, mid: usize) -> (Self, Self) {
        let (a, a2) = self.a.split_at(mid);
        let (b, b2) = self.b.split_at(mid);
        let (c, c2) = self.c.split_at(mid);
        let (out, out2) = self.out.split_at_mut(mid);
        let table = self.table;
        (
            TernaryJob {
                table,
                a,
                b,
                c,
                out,
            },
            TernaryJob {
                table,
                a: a2,
                b: b2,
                c: c2,
                out: out2,
            },
        )
    }

    #[inline(always)]
    fn run(self, token: Token, stream: bool) {
        let inputs = [self.a, self.b, self.c];
        self.table.run(token, counted(stream), inputs, self.out)
    }

    #[inline(always)]
    fn narrows_past_l1(&self) -> bool {
        self.table.narrows_past_l1()
    }
}

/// `out[i] = f(a[i], b[i], c[i], d[i])`.
pub(crate) struct QuaternaryJob<'a, T: 'static> {
    pub(crate) table: &'static Quaternary<T>,
    pub(crate) inputs: [&'a [T]; 4],
    pub(crate) out: &'a mut [T],
}

impl<T: Send + Sync> Job for QuaternaryJob<'_, T> {
    const BYTES_PER_ELEMENT: usize = 5 * size_of::<T>();
    const OUT_ELEMENT_BYTES: usize = size_of::<T>();

    output_is!(out, in_place: false);

    fn split_at(self, mid: usize) -> (Self, Self) {
        let halves = self.inputs.map(|x| x.split_at(mid));
        let (out, out2) = self.out.split_at_mut(mid);
        let table = self.table;
        (
            QuaternaryJob {
                table,
                inputs: halves.map(|h| h.0),
                out,
            },
            QuaternaryJob {
                table,
                inputs: halves.map(|h| h.1),
                out: out2,
            },
        )
    }

    #[inline(always)]
    fn run(self, token: Token, stream: bool) {
        self.table
            .run(token, counted(stream), self.inputs, self.out)
    }
}

/// `acc[i] = f(acc[i], a[i], b[i], c[i])`.
pub(crate) struct QuaternaryInPlaceJob<'a, T: 'static> {
    pub(crate) table: &'static Quaternary<T>,
    pub(crate) acc: &'a mut [T],
    pub(crate) inputs: [&'a [T]; 3],
}

impl<T: Send + Sync> Job for QuaternaryInPlaceJob<'_, T> {
    const BYTES_PER_ELEMENT: usize = 5 * size_of::<T>();
    const OUT_ELEMENT_BYTES: usize = size_of::<T>();

    output_is!(acc, in_place: true);

    fn split_at(self, mid: usize) -> (Self, Self) {
        let (acc, acc2) = self.acc.split_at_mut(mid);
        let halves = self.inputs.map(|x| x.split_at(mid));
        let table = self.table;
        (
            QuaternaryInPlaceJob {
                table,
                acc,
                inputs: halves.map(|h| h.0),
            },
            QuaternaryInPlaceJob {
                table,
                acc: acc2,
                inputs: halves.map(|h| h.1),
            },
        )
    }

    #[inline(always)]
    fn run(self, token: Token, stream: bool) {
        self.table
            .run_in_place(token, counted(stream), self.acc, self.inputs)
    }
}

/// `acc[i] = f(a[i], b[i], acc[i])`.
pub(crate) struct AccumulateJob<'a, T: 'static> {
    pub(crate) table: &'static Ternary<T>,
    pub(crate) acc: &'a mut [T],
    pub(crate) a: &'a [T],
    pub(crate) b: &'a [T],
}

impl<T: Send + Sync> Job for AccumulateJob<'_, T> {
    const BYTES_PER_ELEMENT: usize = 4 * size_of::<T>();
    const OUT_ELEMENT_BYTES: usize = size_of::<T>();

    output_is!(acc, in_place: true);

    fn split_at(self, mid: usize) -> (Self, Self) {
        let (acc, acc2) = self.acc.split_at_mut(mid);
        let (a, a2) = self.a.split_at(mid);
        let (b, b2) = self.b.split_at(mid);
        let table = self.table;
        (
            AccumulateJob { table, acc, a, b },
            AccumulateJob {
                table,
                acc: acc2,
                a: a2,
                b: b2,
            },
        )
    }

    #[inline(always)]
    fn run(self, token: Token, stream: bool) {
        let inputs = [self.a, self.b];
        self.table
            .run_accumulate(token, counted(stream), inputs, self.acc)
    }
}

/// `Σ f(a[i], b[i])` on this thread or over the current rayon pool. Either way the bits
/// are those of the one order of `hadamard_kernels::sum_order`: each thread takes a share
/// of whole blocks, sums it as runs that are whole subtrees of the order's tree of blocks
/// (`sum_order::aligned_runs`, one kernel call each), and the runs' sums are added in that
/// tree, so the pool only decides which thread sums which run.
pub(crate) fn reduce<T: Copy + Send + Sync>(
    token: Token,
    table: &'static Sum<T, T>,
    a: &[T],
    b: &[T],
    parallelism: Parallelism,
    cap: usize,
) -> T {
    let bytes = a.len().saturating_mul(2 * size_of::<T>());
    let block = sum_order::block_len::<T>();
    let blocks = a.len().div_ceil(block);
    if blocks < 2 {
        return table.run(token, a, b);
    }
    let threads = crate::split_cost::threads_for(bytes, parallelism, cap, blocks);
    let sum = if threads.count <= 1 {
        table.run(token, a, b)
    } else {
        split_sum(token, table, a, b, threads.count)
    };
    threads.ended();
    if bytes >= crate::split_cost::FLOOR_BYTES {
        observe::large_sum(token);
    }
    sum
}

/// `reduce` over `threads` threads (see there).
#[cfg(feature = "std")]
fn split_sum<T: Copy + Send + Sync>(
    token: Token,
    table: &'static Sum<T, T>,
    a: &[T],
    b: &[T],
    threads: usize,
) -> T {
    let block = sum_order::block_len::<T>();
    let blocks = a.len().div_ceil(block);
    // Shares of whole blocks, a few a thread (claimed in order by the threads); every run
    // of every share, in order: (first block, log₂ blocks), and the share it belongs to.
    let shares = crate::threads::piece_count(threads, blocks);
    let share = |k: usize| k * blocks / shares;
    // A share of s blocks is at most 2·(log₂ s + 1) runs (up to its middle, then down).
    let per_share = 2 * (usize::BITS - blocks.leading_zeros()) as usize;
    let mut runs = std::vec::Vec::with_capacity(shares * per_share);
    for part in 0..shares {
        let of_part = sum_order::aligned_runs(share(part), share(part + 1));
        runs.extend(of_part.map(|(first, level)| (first, level, part)));
    }
    let sums: std::vec::Vec<std::sync::OnceLock<T>> =
        runs.iter().map(|_| Default::default()).collect();
    let run_share = |part: core::ops::Range<usize>, _: usize| {
        for (k, &(first, level, _)) in runs.iter().enumerate().skip(part.start).take(part.len()) {
            let start = first * block;
            let end = ((first + (1 << level)) * block).min(a.len());
            let _ = sums[k].set(table.run(token, &a[start..end], &b[start..end]));
        }
    };
    // A piece is the runs of some shares: cut the run list where a share begins.
    let share_start = |share: usize| runs.partition_point(|&(_, _, p)| p < share);
    let cut = |r: core::ops::Range<usize>, left: usize, _of: usize| {
        // `r` holds the runs of `_of` shares from its first run's; the left piece the
        // first `left` of them.
        let mid = share_start(runs[r.start].2 + left);
        (r.start..mid, mid..r.end)
    };
    crate::threads::run_parts(0..runs.len(), threads, shares, &cut, &run_share);
    let value = |k: usize| *sums[k].get().expect("every run was summed");
    let mut tree = sum_order::BlockTree::starting_with_run(value(0), runs[0].1);
    for (k, &(_, level, _)) in runs.iter().enumerate().skip(1) {
        tree.push_run(value(k), level, |x, y| table.add(x, y));
    }
    observe::large_call(threads);
    tree.finish(|x, y| table.add(x, y))
}

/// Without `std` no call splits.
#[cfg(not(feature = "std"))]
fn split_sum<T: Copy>(token: Token, table: &'static Sum<T, T>, a: &[T], b: &[T], _: usize) -> T {
    table.run(token, a, b)
}

/// The complex product over split planes.
pub(crate) struct SplitJob<'a, T: 'static> {
    pub(crate) table: &'static Split<T>,
    pub(crate) a: (&'a [T], &'a [T]),
    pub(crate) b: (&'a [T], &'a [T]),
    pub(crate) out: (&'a mut [T], &'a mut [T]),
}

impl<T: Send + Sync> Job for SplitJob<'_, T> {
    const BYTES_PER_ELEMENT: usize = 6 * size_of::<T>();
    const OUT_ELEMENT_BYTES: usize = size_of::<T>();

    output_is!(out.0, in_place: false);

    fn split_at(self, mid: usize) -> (Self, Self) {
        type Planes<'p, T> = (&'p [T], &'p [T]);
        fn halves<T>(p: Planes<'_, T>, mid: usize) -> (Planes<'_, T>, Planes<'_, T>) {
            let ((re, re2), (im, im2)) = (p.0.split_at(mid), p.1.split_at(mid));
            ((re, im), (re2, im2))
        }
        let ((a, a2), (b, b2)) = (halves(self.a, mid), halves(self.b, mid));
        let (re, re2) = self.out.0.split_at_mut(mid);
        let (im, im2) = self.out.1.split_at_mut(mid);
        let table = self.table;
        (
            SplitJob {
                table,
                a,
                b,
                out: (re, im),
            },
            SplitJob {
                table,
                a: a2,
                b: b2,
                out: (re2, im2),
            },
        )
    }

    /// Streams only when the kernels crate finds the two output planes at one offset from
    /// a 64-byte line (see `Split::run`); counted only when it did.
    #[inline(always)]
    fn run(self, token: Token, stream: bool) {
        if self.table.run(token, stream, self.a, self.b, self.out) {
            observe::streamed();
        }
    }
}

/// Which kernel variant the large path ran, counted per thread, for tests: the streaming
/// decision is easy to get wrong for one operation (the half-precision and split complex
/// products had streaming kernels that were never streaming), and no result shows it.
#[doc(hidden)]
pub mod observe {
    #[cfg(feature = "std")]
    std::thread_local! {
        static STREAMED: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
        static LARGE: core::cell::Cell<(usize, usize)> = const { core::cell::Cell::new((0, 0)) };
        static NARROWED: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
        static SUMMED_WITH: core::cell::Cell<Option<crate::Kernel>> = const { core::cell::Cell::new(None) };
    }

    /// A sum of 64 KiB or more (one the split rule decides for) ran on this thread with
    /// `token`'s kernel, split or not.
    #[inline]
    pub(crate) fn large_sum(token: super::Token) {
        #[cfg(feature = "std")]
        SUMMED_WITH.with(|k| k.set(Some(crate::Kernel::of(token.isa()))));
        #[cfg(not(feature = "std"))]
        let _ = token;
    }

    /// The kernel the last sum of 64 KiB or more on this thread ran (split or not), cleared
    /// by the call: `None` when none did since the last call, and without `std`. Not part of the
    /// API: for the crate's tests, which cannot tell kernels apart by a sum's bits (every
    /// kernel gives the same).
    pub fn take_large_sum_kernel() -> Option<crate::Kernel> {
        #[cfg(feature = "std")]
        return SUMMED_WITH.with(|k| k.take());
        #[cfg(not(feature = "std"))]
        None
    }

    /// A call took the large path on this thread and ran in `pieces` pieces.
    #[inline]
    pub(crate) fn large_call(pieces: usize) {
        #[cfg(feature = "std")]
        LARGE.with(|n| n.set((n.get().0 + 1, pieces)));
        #[cfg(not(feature = "std"))]
        let _ = pieces;
    }

    /// How many calls made on this thread took the large path (deciding stores and the
    /// split), and how many pieces the last of them ran in; `(0, 0)` without `std`. Not
    /// part of the API: for the crate's tests, which otherwise could not see whether a
    /// call split (every piece gives the same bits).
    pub fn large_calls() -> (usize, usize) {
        #[cfg(feature = "std")]
        return LARGE.with(|n| n.get());
        #[cfg(not(feature = "std"))]
        (0, 0)
    }

    /// A call ran the default path's narrower kernel past L1 on this thread.
    #[inline]
    pub(crate) fn narrowed(token: super::Token) -> super::Token {
        #[cfg(feature = "std")]
        NARROWED.with(|n| n.set(n.get() + 1));
        token
    }

    /// How many calls made on this thread ran the default kernel's narrower sibling
    /// because their operands outgrew L1 (`Job::narrows_past_l1`); 0 without `std`. Not
    /// part of the API: for the crate's tests.
    pub fn narrowed_calls() -> usize {
        #[cfg(feature = "std")]
        return NARROWED.with(|n| n.get());
        #[cfg(not(feature = "std"))]
        0
    }

    /// A piece of a call ran its streaming kernel on this thread.
    #[inline]
    pub(crate) fn streamed() {
        #[cfg(feature = "std")]
        STREAMED.with(|n| n.set(n.get() + 1));
    }

    /// How many pieces of calls ran their streaming kernels on this thread so far (always
    /// 0 without the `std` feature). Not part of the API: for the crate's tests.
    pub fn streamed_pieces() -> usize {
        #[cfg(feature = "std")]
        return STREAMED.with(|n| n.get());
        #[cfg(not(feature = "std"))]
        0
    }
}

/// Whether a call moving `bytes_moved` bytes runs its kernel once on this thread with
/// normal stores, deciding nothing else: the small-call path (one comparison under the
/// `Auto` policies; the limit is below any size that could split or stream).
#[inline(always)]
pub(crate) fn stays_small(bytes_moved: usize, parallelism: Parallelism, stores: Stores) -> bool {
    // The constant first: a call under 64 KiB never loads the measured limit.
    (bytes_moved < crate::split_cost::FLOOR_BYTES || bytes_moved < crate::split_cost::small_limit())
        && parallelism != Parallelism::Parallel
        && stores != Stores::Streaming
}

/// The large-call path: the store policy, then the job on this thread or split over the
/// threads `split_cost::threads_for` gives. `past_l1`: the token to run instead of `token`
/// if the call does not stream (the default path's narrower kernel for a job that
/// [narrows](Job::narrows_past_l1)). `cap`: the call's own thread limit.
#[inline(never)]
pub(crate) fn execute_large<J: Job>(
    token: Token,
    past_l1: Option<Token>,
    job: J,
    parallelism: Parallelism,
    stores: Stores,
    cap: usize,
) {
    let stream = stores.streams(job.bytes_moved(), job.is_in_place());
    // Streaming calls keep the full width: out of cache the two widths are within noise
    // of each other, AVX-512 slightly ahead on one thread (BENCHMARKS.md).
    let token = match past_l1 {
        Some(narrow) if !stream => observe::narrowed(narrow),
        _ => token,
    };
    let max_parts = (job.len().saturating_mul(J::OUT_ELEMENT_BYTES) / MIN_PIECE_BYTES).max(1);
    let threads = crate::split_cost::threads_for(job.bytes_moved(), parallelism, cap, max_parts);
    crate::threads::run_parts(
        job,
        threads.count,
        max_parts,
        &line_aligned_share,
        &|piece: J, _| piece.run(token, stream),
    );
    threads.ended();
    observe::large_call(threads.count);
}

/// `job` cut where its output's first `left` of `of` equal shares end, moved to the
/// nearest 64-byte line of the output before that point (so no two threads write one
/// line).
fn line_aligned_share<J: Job>(job: J, left: usize, of: usize) -> (J, J) {
    let size = J::OUT_ELEMENT_BYTES;
    let start = job.out_addr();
    let cut_addr = start + job.len() / of * left * size;
    let line_start = cut_addr - cut_addr % LINE_BYTES;
    let mid = (line_start.max(start) - start) / size;
    job.split_at(mid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A job that doubles `a` into `out` and records each piece it is given:
    /// (out address, length).
    struct Recording<'a> {
        a: &'a [f32],
        out: &'a mut [f32],
        pieces: &'a Mutex<Vec<(usize, usize)>>,
    }

    impl Job for Recording<'_> {
        const BYTES_PER_ELEMENT: usize = 8;
        const OUT_ELEMENT_BYTES: usize = 4;
        fn len(&self) -> usize {
            self.out.len()
        }
        fn out_addr(&self) -> usize {
            self.out.as_ptr() as usize
        }
        fn is_in_place(&self) -> bool {
            false
        }
        fn split_at(self, mid: usize) -> (Self, Self) {
            let (a, a2) = self.a.split_at(mid);
            let (out, out2) = self.out.split_at_mut(mid);
            let pieces = self.pieces;
            (
                Recording { a, out, pieces },
                Recording {
                    a: a2,
                    out: out2,
                    pieces,
                },
            )
        }
        fn run(self, _: Token, _: bool) {
            self.pieces
                .lock()
                .unwrap()
                .push((self.out_addr(), self.out.len()));
            for (o, x) in self.out.iter_mut().zip(self.a) {
                *o = 2.0 * x;
            }
        }
    }

    #[test]
    fn pieces_tile_the_output_and_start_on_cache_lines() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        for (len, offset, parts) in [
            (100_000, 0, 3),
            (100_003, 1, 2),
            (1_000_000, 5, 7),
            (65_536, 15, 3),
            (4_099, 3, 4),
        ] {
            let a: Vec<f32> = (0..len).map(|i| i as f32).collect();
            let mut buf = vec![0.0f32; len + offset];
            let out = &mut buf[offset..];
            let start = out.as_ptr() as usize;
            let pieces = Mutex::new(Vec::new());
            let job = Recording {
                a: &a,
                out,
                pieces: &pieces,
            };
            pool.install(|| {
                let run = |p: Recording, _| p.run(Token::SCALAR, false);
                crate::threads::run_parts(job, parts.min(3), parts, &line_aligned_share, &run)
            });
            assert!(a.iter().zip(&buf[offset..]).all(|(x, y)| 2.0 * x == *y));

            let mut pieces = pieces.into_inner().unwrap();
            assert_eq!(pieces.len(), parts, "len {len}: one piece a share");
            pieces.sort();
            let mut next = start;
            for (i, &(addr, n)) in pieces.iter().enumerate() {
                assert_eq!(addr, next, "pieces must tile out without gaps or overlaps");
                if i > 0 {
                    assert_eq!(addr % LINE_BYTES, 0, "piece {i} starts mid-line");
                }
                next = addr + n * size_of::<f32>();
                // Equal shares, each moved back to a line: within a line per cut of len/parts.
                let share = len / parts;
                assert!(
                    n + 16 * parts >= share && n <= share + 16 * parts + len % parts,
                    "len {len}: piece {i} has {n} elements, a share is {share}"
                );
            }
            assert_eq!(next, start + len * size_of::<f32>());
        }
    }

    /// Each job type against the slices it was built from: its length, the address its
    /// pieces align to, whether it writes in place (which decides streaming), the bytes
    /// it moves (which decide the split), and its halves.
    #[test]
    fn every_job_describes_its_slices() {
        use hadamard_kernels::tables as t;
        let (a, b, c) = (vec![1.0f32; 100], vec![2.0f32; 100], vec![3.0f32; 100]);
        let (mut out, mut out2) = (vec![0.0f32; 100], vec![0.0f32; 100]);
        let out_addr = out.as_ptr() as usize;

        fn check<J: Job>(job: J, addr: usize, in_place: bool, bytes_per_element: usize) {
            assert_eq!(job.len(), 100);
            assert_eq!(job.out_addr(), addr);
            assert_eq!(job.is_in_place(), in_place);
            assert_eq!(job.bytes_moved(), 100 * bytes_per_element);
            let (left, right) = job.split_at(30);
            assert_eq!((left.len(), right.len()), (30, 70));
            assert_eq!((left.out_addr(), right.out_addr()), (addr, addr + 30 * 4));
        }
        let table = &t::MUL_F32;
        check(
            BinaryJob {
                table,
                a: &a,
                b: &b,
                out: &mut out,
            },
            out_addr,
            false,
            12,
        );
        check(
            InPlaceJob {
                table,
                acc: &mut out,
                b: &b,
            },
            out_addr,
            true,
            12,
        );
        let table = &t::SCALE_F32;
        check(
            ScaleJob {
                table,
                a: &a,
                s: 2.0,
                out: &mut out,
            },
            out_addr,
            false,
            12,
        );
        check(
            ScaleInPlaceJob {
                table,
                s: 2.0,
                acc: &mut out,
            },
            out_addr,
            true,
            12,
        );
        let table = &t::MUL_THEN_ADD_F32;
        check(
            TernaryJob {
                table,
                a: &a,
                b: &b,
                c: &c,
                out: &mut out,
            },
            out_addr,
            false,
            16,
        );
        check(
            AccumulateJob {
                table,
                acc: &mut out,
                a: &a,
                b: &b,
            },
            out_addr,
            true,
            16,
        );
        let table = &t::MUL_SPLIT_COMPLEX_F32;
        let job = SplitJob {
            table,
            a: (&a, &b),
            b: (&c, &a),
            out: (&mut out, &mut out2),
        };
        check(job, out_addr, false, 24);
        // The f64 binary job counts 8-byte elements.
        let (x, mut y) = (vec![1.0f64; 100], vec![0.0f64; 100]);
        let job = BinaryJob {
            table: &t::MUL_F64,
            a: &x,
            b: &x,
            out: &mut y,
        };
        assert_eq!(job.bytes_moved(), 2400);
    }
}
