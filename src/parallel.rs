//! How a call is split across cores: the threshold below which it stays on the calling
//! thread, the piece size, and piece boundaries on 64-byte lines of `out`.
//!
//! Below the threshold nothing here touches rayon or allocates: the call is one kernel
//! call on the calling thread. Above it, the operands are halved recursively with
//! `rayon::join` (work-stealing, no allocation: rayon's jobs live on the stack) inside
//! whatever pool the caller is running in (`ThreadPool::install` or the global one).

use core::mem::size_of;
use hadamard_kernels::sum_order;
use hadamard_kernels::tables::{Binary, Scale, Split, Sum, Ternary};
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
    /// Split across the current rayon pool when the operands hold at least
    /// [`PARALLEL_THRESHOLD_BYTES`]; below that, stay on the calling thread.
    #[default]
    Auto,
    /// Always run on the calling thread; never call into rayon.
    Sequential,
    /// Split across the current rayon pool whatever the size (for measuring the split).
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

/// Bytes moved by one call (every operand read or written once: `3 × len × size_of::<T>()`
/// for `out = a ⊙ b`) from which [`Parallelism::Auto`] splits across threads.
///
/// Measured on the development machine (2 cores of an AMD Zen 5 in a KVM guest, 1 MiB L2
/// per core) with `cargo run --release -- --threshold`, one thread and all threads timed
/// in alternation: a split costs 15–35 µs there (waking the other core), so two threads
/// first beat one at 4.5–5 MiB moved, for f32 and f64 alike once counted in bytes. It is a
/// cost of waking threads, not of cache sizes, so it is not derived from them.
/// BENCHMARKS.md has the runs.
pub const PARALLEL_THRESHOLD_BYTES: usize = 5 << 20;

/// The smallest piece a split produces, in bytes of `out`: below this the cost of handing
/// a piece to another thread (about a microsecond) outweighs its work.
pub(crate) const MIN_PIECE_BYTES: usize = 16 * 1024;

/// Pieces per thread: more than one, so a thread that is descheduled on a busy machine
/// costs one piece of imbalance, not half the call.
const PIECES_PER_THREAD: usize = 4;

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

/// `Σ f(a[i], b[i])` on this thread or, from the parallel threshold (bytes read), over the
/// current rayon pool. Either way the bits are those of the one order of
/// `hadamard_kernels::sum_order`: a split falls only where that order's tree of blocks
/// splits, and the two sides are added as the tree adds them, so the pool only decides
/// which thread sums which run of blocks.
pub(crate) fn reduce<T: Copy + Send + Sync>(
    token: Token,
    table: &'static Sum<T, T>,
    a: &[T],
    b: &[T],
    parallelism: Parallelism,
) -> T {
    let bytes = a.len().saturating_mul(2 * size_of::<T>());
    let threads = if may_split(bytes, parallelism) {
        crate::threads::current_num_threads()
    } else {
        1
    };
    if threads <= 1 {
        return table.run(token, a, b);
    }
    let piece = piece_elements(a.len(), threads, size_of::<T>());
    /// The sum of `a ⊙ b` and the number of pieces it was summed in.
    fn tree<T: Copy + Send + Sync>(
        token: Token,
        table: &'static Sum<T, T>,
        a: &[T],
        b: &[T],
        piece: usize,
    ) -> (T, usize) {
        let mid = match sum_order::split_point::<T>(a.len()) {
            Some(mid) if a.len() > piece => mid,
            _ => return (table.run(token, a, b), 1),
        };
        let ((a1, a2), (b1, b2)) = (a.split_at(mid), b.split_at(mid));
        let ((x, m), (y, n)) = crate::threads::join(
            move || tree(token, table, a1, b1, piece),
            move || tree(token, table, a2, b2, piece),
        );
        (table.add(x, y), m + n)
    }
    let (total, pieces) = tree(token, table, a, b, piece);
    observe::large_call(pieces);
    observe::large_sum(token);
    total
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

    /// A sum took the large path on this thread with `token`'s kernel.
    #[inline]
    pub(crate) fn large_sum(token: super::Token) {
        #[cfg(feature = "std")]
        SUMMED_WITH.with(|k| k.set(Some(crate::Kernel::of(token.isa()))));
        #[cfg(not(feature = "std"))]
        let _ = token;
    }

    /// The kernel the last sum that took the large path on this thread ran, cleared by the
    /// call: `None` when none did since the last call, and without `std`. Not part of the
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

/// Calls moving at most this many bytes neither stream nor split (under the `Auto`
/// policies), so they skip both decisions. Below both thresholds whatever the cache sizes.
const SMALL_CALL_BYTES: usize = 1 << 20;

/// Whether a call moving `bytes_moved` bytes runs its kernel once on this thread with
/// normal stores, deciding nothing else: the small-call path.
#[inline(always)]
pub(crate) fn stays_small(bytes_moved: usize, parallelism: Parallelism, stores: Stores) -> bool {
    bytes_moved <= SMALL_CALL_BYTES
        && parallelism != Parallelism::Parallel
        && stores != Stores::Streaming
}

/// The large-call path: the store policy, then the job on this thread or split.
/// `past_l1`: the token to run instead of `token` if the call does not stream (the
/// default path's narrower kernel for a job that [narrows](Job::narrows_past_l1)).
#[inline(never)]
pub(crate) fn execute_large<J: Job>(
    token: Token,
    past_l1: Option<Token>,
    job: J,
    parallelism: Parallelism,
    stores: Stores,
) {
    let stream = stores.streams(job.bytes_moved(), job.is_in_place());
    // Streaming calls keep the full width: out of cache the two widths are within noise
    // of each other, AVX-512 slightly ahead on one thread (BENCHMARKS.md).
    let token = match past_l1 {
        Some(narrow) if !stream => observe::narrowed(narrow),
        _ => token,
    };
    // Only ask rayon (whose first use starts the global pool) once splitting is wanted.
    let threads = if may_split(job.bytes_moved(), parallelism) {
        crate::threads::current_num_threads()
    } else {
        1
    };
    let pieces = if threads <= 1 {
        job.run(token, stream);
        1
    } else {
        let piece = piece_len::<J>(job.len(), threads);
        split_and_run(token, job, stream, piece)
    };
    observe::large_call(pieces);
}

/// Whether a call moving `bytes_moved` bytes may leave the calling thread: the one split
/// decision every operation (slices, matrices, the ndarray and nalgebra paths) uses.
#[inline]
pub(crate) fn may_split(bytes_moved: usize, parallelism: Parallelism) -> bool {
    match parallelism {
        Parallelism::Sequential => false,
        Parallelism::Auto => bytes_moved >= PARALLEL_THRESHOLD_BYTES,
        Parallelism::Parallel => true,
    }
}

/// The length below which a piece is not split further.
fn piece_len<J: Job>(len: usize, threads: usize) -> usize {
    piece_elements(len, threads, J::OUT_ELEMENT_BYTES)
}

/// The piece length for `len` elements of `element_bytes` each over `threads` threads:
/// [`PIECES_PER_THREAD`] pieces a thread, but none below [`MIN_PIECE_BYTES`].
fn piece_elements(len: usize, threads: usize, element_bytes: usize) -> usize {
    let min_piece = (MIN_PIECE_BYTES / element_bytes).max(1);
    len.div_ceil(threads * PIECES_PER_THREAD).max(min_piece)
}

/// A split point near the middle at which the output starts a 64-byte line.
fn line_aligned_middle<J: Job>(job: &J) -> usize {
    let size = J::OUT_ELEMENT_BYTES;
    let start = job.out_addr();
    let half_addr = start + job.len() / 2 * size;
    let line_start = half_addr - half_addr % LINE_BYTES;
    (line_start.max(start) - start) / size
}

/// Runs `job` in pieces of at most `piece` elements; returns how many.
fn split_and_run<J: Job>(token: Token, job: J, stream: bool, piece: usize) -> usize {
    if job.len() <= piece {
        job.run(token, stream);
        return 1;
    }
    let mid = line_aligned_middle(&job);
    let (left, right) = job.split_at(mid);
    let (l, r) = crate::threads::join(
        || split_and_run(token, left, stream, piece),
        || split_and_run(token, right, stream, piece),
    );
    l + r
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
        for (len, offset) in [(100_000, 0), (100_003, 1), (1_000_000, 5), (65_536, 15)] {
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
            let piece = piece_len::<Recording>(len, 3);
            let count = pool.install(|| split_and_run(Token::SCALAR, job, false, piece));
            assert!(a.iter().zip(&buf[offset..]).all(|(x, y)| 2.0 * x == *y));

            let mut pieces = pieces.into_inner().unwrap();
            assert_eq!(count, pieces.len(), "the count split_and_run returns");
            pieces.sort();
            assert!(pieces.len() >= 2, "len {len}: not split");
            let mut next = start;
            for (i, &(addr, n)) in pieces.iter().enumerate() {
                assert_eq!(addr, next, "pieces must tile out without gaps or overlaps");
                if i > 0 {
                    assert_eq!(addr % LINE_BYTES, 0, "piece {i} starts mid-line");
                }
                next = addr + n * size_of::<f32>();
                // Halving at the line nearest the middle keeps pieces between half the
                // piece length (less a line) and the piece length.
                assert!(
                    n <= piece && n + 16 >= piece / 2,
                    "len {len}: piece {i} has {n} elements, piece length {piece}"
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

    #[test]
    fn piece_sizes_follow_the_pool_width_with_a_floor() {
        type F32 = BinaryJob<'static, f32, f32, f32>;
        type F64 = BinaryJob<'static, f64, f64, f64>;
        // 16 KiB, as documented (README, crate docs): 4096 f32.
        let min_f32 = 4096;
        assert_eq!(piece_len::<F32>(10, 2), min_f32);
        // Four pieces a thread.
        assert_eq!(piece_len::<F32>(8 << 20, 2), (8 << 20) / 8);
        assert_eq!(piece_len::<F64>(8 << 20, 4), (8 << 20) / 16);
        // The sums' pieces follow the same rule, by the bytes of their elements.
        assert_eq!(piece_elements(10, 2, 8), 2048);
        assert_eq!(piece_elements(8 << 20, 4, 4), (8 << 20) / 16);
    }

    #[test]
    fn auto_splits_from_the_threshold_and_the_others_always_or_never() {
        // 5 MiB, as documented (README, `PARALLEL_THRESHOLD_BYTES`'s docs).
        assert_eq!(PARALLEL_THRESHOLD_BYTES, 5 << 20);
        let t = PARALLEL_THRESHOLD_BYTES;
        assert!(!may_split(t - 1, Parallelism::Auto));
        assert!(may_split(t, Parallelism::Auto));
        assert!(!may_split(usize::MAX, Parallelism::Sequential));
        assert!(may_split(0, Parallelism::Parallel));
    }
}
