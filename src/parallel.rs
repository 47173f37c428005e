//! How a call is split across cores: the threshold below which it stays on the calling
//! thread, the piece size, and piece boundaries on 64-byte lines of `out`.
//!
//! Below the threshold nothing here touches rayon or allocates: the call is one kernel
//! call on the calling thread. Above it, the operands are halved recursively with
//! `rayon::join` (work-stealing, no allocation: rayon's jobs live on the stack) inside
//! whatever pool the caller is running in (`ThreadPool::install` or the global one).

use crate::element::KernelPair;
use core::marker::PhantomData;
use core::mem::size_of;
use hadamard_kernels::{BinaryFn, SplitFn, SumFn, TernaryFn};

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
    crate::cache_sizes().l3.saturating_mul(STREAM_CACHE_FACTOR)
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

/// One element-wise call's operands and kernel, already checked: what the split policy
/// runs on one thread or cuts into pieces.
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
    /// Runs the kernel on the whole job, with streaming stores when `stream`.
    fn run(self, stream: bool);

    #[inline]
    fn bytes_moved(&self) -> usize {
        self.len().saturating_mul(Self::BYTES_PER_ELEMENT)
    }
}

/// `out[i] = f(a[i], b[i])` with a binary kernel.
///
/// Raw pointers rather than slices because the in-place form (`acc[i] *= b[i]`) reads and
/// writes the same memory, which a `&[T]` and a `&mut [T]` may not share; the lifetime
/// keeps the borrows of the caller's slices alive for as long as this exists.
pub(crate) struct Binary<'a, A, B, O> {
    a: *const A,
    b: *const B,
    /// 1: `b` is a stream of `len` elements; 0: `b` points at the one value of a
    /// broadcast, which every piece reads.
    b_step: usize,
    out: *mut O,
    len: usize,
    kernels: KernelPair<BinaryFn<A, B, O>>,
    borrows: PhantomData<(&'a [A], &'a [B], &'a mut [O])>,
}

// SAFETY: a `Binary` is built only from shared borrows of `a` and `b` and an exclusive
// borrow of `out` (or of `acc`, which is both `a` and `out`), all live for 'a. Splitting
// gives each piece a disjoint index range, so two threads never write the same element and
// never read an element another thread writes. Sending one to another thread is therefore
// like sending the slices themselves, which needs the element types `Send + Sync`.
unsafe impl<A: Send + Sync, B: Send + Sync, O: Send + Sync> Send for Binary<'_, A, B, O> {}

impl<'a, A, B, O> Binary<'a, A, B, O> {
    /// `out = f(a, b)` from slices of equal length (asserted), viewed as the kernels'
    /// types by the caller: each pointer valid for `len` elements, `out` exclusive.
    ///
    /// # Safety
    /// `a` and `b` are readable and `out` writable for `len` elements for 'a; `out` is
    /// disjoint from `a` and `b`, or equal to `a` (in place) with `A == O`; `kernels`
    /// belong to a kernel this CPU can run (a `CheckedKernel`'s table entry).
    pub(crate) unsafe fn new(
        a: *const A,
        b: *const B,
        out: *mut O,
        len: usize,
        kernels: KernelPair<BinaryFn<A, B, O>>,
    ) -> Self {
        Binary {
            a,
            b,
            b_step: 1,
            out,
            len,
            kernels,
            borrows: PhantomData,
        }
    }

    /// `out = f(a, s)`: like [`new`](Self::new), but `b` points at the one value `s`,
    /// which every piece reads.
    ///
    /// # Safety
    /// As `new`, with `b` readable for one element for 'a.
    pub(crate) unsafe fn broadcast(
        a: *const A,
        b: *const B,
        out: *mut O,
        len: usize,
        kernels: KernelPair<BinaryFn<A, B, O>>,
    ) -> Self {
        Binary {
            b_step: 0,
            // SAFETY: forwarded from this function's contract.
            ..unsafe { Binary::new(a, b, out, len, kernels) }
        }
    }
}

impl<A: Send + Sync, B: Send + Sync, O: Send + Sync> Job for Binary<'_, A, B, O> {
    // A broadcast `b` is counted too: a bound on the traffic is all the policy needs.
    const BYTES_PER_ELEMENT: usize = size_of::<A>() + size_of::<B>() + size_of::<O>();
    const OUT_ELEMENT_BYTES: usize = size_of::<O>();

    #[inline]
    fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn out_addr(&self) -> usize {
        self.out as usize
    }

    #[inline]
    fn is_in_place(&self) -> bool {
        core::ptr::eq(self.a.cast::<u8>(), self.out.cast_const().cast::<u8>())
    }

    fn split_at(self, mid: usize) -> (Self, Self) {
        assert!(mid <= self.len);
        // SAFETY: mid <= len, so each offset pointer stays inside (or one past the end of)
        // the memory this job covers.
        let (a, b, out) = unsafe {
            let b = self.b.add(mid * self.b_step);
            (self.a.add(mid), b, self.out.add(mid))
        };
        let right = Binary {
            a,
            b,
            out,
            len: self.len - mid,
            ..self
        };
        (Binary { len: mid, ..self }, right)
    }

    #[inline]
    fn run(self, stream: bool) {
        let kernel = if stream {
            observe::streamed();
            self.kernels.stream
        } else {
            self.kernels.plain
        };
        // SAFETY: the constructor's contract: every pointer valid for `len` elements with
        // `out` exclusive or equal to `a`, and a kernel this CPU can run; splits keep it.
        unsafe { kernel(self.a, self.b, self.out, self.len) }
    }
}

/// `out[i] = f(a[i], b[i], c[i])` with a three-input kernel; `out` may equal `c` (the
/// accumulating form `acc += a ⊙ b`).
pub(crate) struct Ternary<'a, T> {
    inputs: [*const T; 3],
    out: *mut T,
    len: usize,
    kernels: KernelPair<TernaryFn<T>>,
    borrows: PhantomData<(&'a [T], &'a mut [T])>,
}

// SAFETY: as for `Binary`: built from shared borrows of the inputs and an exclusive borrow
// of `out` (which may also be the third input); pieces cover disjoint index ranges.
unsafe impl<T: Send + Sync> Send for Ternary<'_, T> {}

impl<T> Ternary<'_, T> {
    /// # Safety
    /// Every input readable and `out` writable for `len` elements while the job exists;
    /// `out` disjoint from the inputs or equal to `inputs[2]`; `kernels` belong to a kernel
    /// this CPU can run.
    pub(crate) unsafe fn new(
        inputs: [*const T; 3],
        out: *mut T,
        len: usize,
        kernels: KernelPair<TernaryFn<T>>,
    ) -> Self {
        Ternary {
            inputs,
            out,
            len,
            kernels,
            borrows: PhantomData,
        }
    }
}

impl<T: Send + Sync> Job for Ternary<'_, T> {
    const BYTES_PER_ELEMENT: usize = 4 * size_of::<T>();
    const OUT_ELEMENT_BYTES: usize = size_of::<T>();

    #[inline]
    fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn out_addr(&self) -> usize {
        self.out as usize
    }

    #[inline]
    fn is_in_place(&self) -> bool {
        core::ptr::eq(self.inputs[2], self.out.cast_const())
    }

    fn split_at(self, mid: usize) -> (Self, Self) {
        assert!(mid <= self.len);
        // SAFETY: mid <= len, so each offset pointer stays inside (or one past the end of)
        // the memory this job covers.
        let (inputs, out) = unsafe { (self.inputs.map(|p| p.add(mid)), self.out.add(mid)) };
        let right = Ternary {
            inputs,
            out,
            len: self.len - mid,
            ..self
        };
        (Ternary { len: mid, ..self }, right)
    }

    #[inline]
    fn run(self, stream: bool) {
        let kernel = if stream {
            observe::streamed();
            self.kernels.stream
        } else {
            self.kernels.plain
        };
        let [a, b, c] = self.inputs;
        // SAFETY: the constructor's contract; splits keep it.
        unsafe { kernel(a, b, c, self.out, self.len) }
    }
}

/// `Σ f(a[i], b[i])` with a sum kernel, on this thread or, from the parallel threshold
/// (bytes read), as a tree of halves over the current rayon pool: the halves are summed
/// separately and added, which changes only the order of float additions.
///
/// # Safety
/// `a` and `b` readable for `len` elements; `kernel` one this CPU can run.
pub(crate) unsafe fn reduce<T: Copy + Send + Sync>(
    a: *const T,
    b: *const T,
    len: usize,
    kernel: SumFn<T, T>,
    add: fn(T, T) -> T,
    parallelism: Parallelism,
) -> T {
    let bytes = len.saturating_mul(2 * size_of::<T>());
    let threads = if may_split(bytes, parallelism) {
        crate::threads::current_num_threads()
    } else {
        1
    };
    if threads <= 1 {
        // SAFETY: forwarded from this function's contract.
        return unsafe { kernel(a, b, len) };
    }
    let min_piece = (MIN_PIECE_BYTES / size_of::<T>()).max(1);
    let piece = len.div_ceil(threads * PIECES_PER_THREAD).max(min_piece);
    /// Pointers that may cross to another thread: the caller's shared borrows.
    #[derive(Clone, Copy)]
    struct Shared<T>(*const T, *const T);
    // SAFETY: only read, from shared borrows the caller holds for the whole call.
    unsafe impl<T: Sync> Send for Shared<T> {}
    fn tree<T: Copy + Send + Sync>(
        p: Shared<T>,
        len: usize,
        piece: usize,
        kernel: SumFn<T, T>,
        add: fn(T, T) -> T,
    ) -> T {
        if len <= piece {
            // SAFETY: `p` covers `len` readable elements of each input (see `reduce`).
            return unsafe { kernel(p.0, p.1, len) };
        }
        let mid = len / 2;
        // SAFETY: mid < len: the right half starts inside both inputs.
        let right = unsafe { Shared(p.0.add(mid), p.1.add(mid)) };
        let (x, y) = crate::threads::join(
            move || tree(p, mid, piece, kernel, add),
            move || tree(right, len - mid, piece, kernel, add),
        );
        add(x, y)
    }
    tree(Shared(a, b), len, piece, kernel, add)
}

/// The complex product over split planes.
pub(crate) struct Split<'a, T> {
    a: (*const T, *const T),
    b: (*const T, *const T),
    out: (*mut T, *mut T),
    len: usize,
    kernels: KernelPair<SplitFn<T>>,
    borrows: PhantomData<(&'a [T], &'a mut [T])>,
}

// SAFETY: as for `Binary`: built from shared borrows of the four input planes and
// exclusive borrows of the two output planes; pieces cover disjoint index ranges.
unsafe impl<T: Send + Sync> Send for Split<'_, T> {}

impl<'a, T> Split<'a, T> {
    /// From planes of equal length (the caller checked).
    pub(crate) fn new(
        a: (&'a [T], &'a [T]),
        b: (&'a [T], &'a [T]),
        out: (&'a mut [T], &'a mut [T]),
        kernels: KernelPair<SplitFn<T>>,
    ) -> Self {
        let len = out.0.len();
        assert!([a.0.len(), a.1.len(), b.0.len(), b.1.len(), out.1.len()]
            .iter()
            .all(|&l| l == len));
        Split {
            a: (a.0.as_ptr(), a.1.as_ptr()),
            b: (b.0.as_ptr(), b.1.as_ptr()),
            out: (out.0.as_mut_ptr(), out.1.as_mut_ptr()),
            len,
            kernels,
            borrows: PhantomData,
        }
    }
}

impl<T: Send + Sync> Job for Split<'_, T> {
    const BYTES_PER_ELEMENT: usize = 6 * size_of::<T>();
    const OUT_ELEMENT_BYTES: usize = size_of::<T>();

    #[inline]
    fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn out_addr(&self) -> usize {
        self.out.0 as usize
    }

    #[inline]
    fn is_in_place(&self) -> bool {
        false
    }

    fn split_at(self, mid: usize) -> (Self, Self) {
        assert!(mid <= self.len);
        // SAFETY: mid <= len, so each offset pointer stays inside (or one past the end of)
        // the plane it points into.
        let right = unsafe {
            Split {
                a: (self.a.0.add(mid), self.a.1.add(mid)),
                b: (self.b.0.add(mid), self.b.1.add(mid)),
                out: (self.out.0.add(mid), self.out.1.add(mid)),
                len: self.len - mid,
                ..self
            }
        };
        (Split { len: mid, ..self }, right)
    }

    /// Streams only when the two output planes sit at the same offset from a 64-byte line
    /// (as two allocations of a 64-byte-aligned allocator do, or two halves of one buffer
    /// split at a multiple of 16 elements): the head aligns the real plane, and a streaming
    /// store needs the imaginary one aligned with it. Otherwise normal stores.
    #[inline]
    fn run(self, stream: bool) {
        let (a, b, out) = (self.a, self.b, self.out);
        let planes_together = (out.0 as usize)
            .wrapping_sub(out.1 as usize)
            .is_multiple_of(LINE_BYTES);
        let kernel = if stream && planes_together {
            observe::streamed();
            self.kernels.stream
        } else {
            self.kernels.plain
        };
        // SAFETY: built from slices of `len` elements each, the outputs exclusive borrows;
        // the kernels come from a `CheckedKernel`'s table entry; splits keep both. The
        // streaming kernel only with both planes at one offset from a line, its contract.
        unsafe { kernel(a.0, a.1, b.0, b.1, out.0, out.1, self.len) }
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

/// Runs `job` on this thread or split across the current rayon pool.
///
/// The small-call path is inlined into the public function: a size test and an indirect
/// call. Everything else is out of line.
#[inline(always)]
pub(crate) fn execute<J: Job>(job: J, parallelism: Parallelism, stores: Stores) {
    if stays_small(job.bytes_moved(), parallelism, stores) {
        job.run(false)
    } else {
        execute_large(job, parallelism, stores)
    }
}

/// Whether a call moving `bytes_moved` bytes runs its kernel once on this thread with
/// normal stores, deciding nothing else: the small-call path.
#[inline(always)]
pub(crate) fn stays_small(bytes_moved: usize, parallelism: Parallelism, stores: Stores) -> bool {
    bytes_moved <= SMALL_CALL_BYTES
        && parallelism != Parallelism::Parallel
        && stores != Stores::Streaming
}

#[inline(never)]
pub(crate) fn execute_large<J: Job>(job: J, parallelism: Parallelism, stores: Stores) {
    let stream = stores.streams(job.bytes_moved(), job.is_in_place());
    // Only ask rayon (whose first use starts the global pool) once splitting is wanted.
    let threads = if may_split(job.bytes_moved(), parallelism) {
        crate::threads::current_num_threads()
    } else {
        1
    };
    if threads <= 1 {
        return job.run(stream);
    }
    let piece = piece_len::<J>(job.len(), threads);
    split_and_run(job, stream, piece);
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
    let min_piece = (MIN_PIECE_BYTES / J::OUT_ELEMENT_BYTES).max(1);
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

fn split_and_run<J: Job>(job: J, stream: bool, piece: usize) {
    if job.len() <= piece {
        return job.run(stream);
    }
    let mid = line_aligned_middle(&job);
    let (left, right) = job.split_at(mid);
    crate::threads::join(
        || split_and_run(left, stream, piece),
        || split_and_run(right, stream, piece),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Pieces seen by `recording_kernel`: (out address, length).
    static PIECES: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

    /// A kernel that multiplies like the scalar one and records each piece it is given.
    unsafe fn recording_kernel(a: *const f32, b: *const f32, out: *mut f32, len: usize) {
        PIECES.lock().unwrap().push((out as usize, len));
        // SAFETY: forwarded from this function's (the kernel) contract.
        unsafe { hadamard_kernels::scalar::mul_f32(a, b, out, len) }
    }

    #[test]
    fn pieces_tile_the_output_and_start_on_cache_lines() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        for (len, offset) in [(100_000, 0), (100_003, 1), (1_000_000, 5), (65_536, 15)] {
            let a: Vec<f32> = (0..len).map(|i| i as f32).collect();
            let b = vec![2.0f32; len];
            let mut buf = vec![0.0f32; len + offset];
            let out = &mut buf[offset..];
            let start = out.as_ptr() as usize;
            PIECES.lock().unwrap().clear();
            let kernels = KernelPair {
                plain: recording_kernel as BinaryFn<f32, f32, f32>,
                stream: recording_kernel,
            };
            // SAFETY: three slices of `len` elements, `out` an exclusive borrow;
            // `recording_kernel` needs no CPU feature.
            let job =
                unsafe { Binary::new(a.as_ptr(), b.as_ptr(), out.as_mut_ptr(), len, kernels) };
            pool.install(|| split_and_run(job, false, piece_len::<Binary<f32, f32, f32>>(len, 3)));
            assert!(a.iter().zip(out.iter()).all(|(x, y)| 2.0 * x == *y));

            let mut pieces = std::mem::take(&mut *PIECES.lock().unwrap());
            pieces.sort();
            assert!(pieces.len() >= 2, "len {len}: not split");
            let mut next = start;
            for (i, &(addr, n)) in pieces.iter().enumerate() {
                assert_eq!(addr, next, "pieces must tile out without gaps or overlaps");
                if i > 0 {
                    assert_eq!(addr % LINE_BYTES, 0, "piece {i} starts mid-line");
                }
                next = addr + n * size_of::<f32>();
            }
            assert_eq!(next, start + len * size_of::<f32>());
        }
    }

    #[test]
    fn piece_sizes_follow_the_pool_width_with_a_floor() {
        type F32 = Binary<'static, f32, f32, f32>;
        type F64 = Binary<'static, f64, f64, f64>;
        let min_f32 = MIN_PIECE_BYTES / 4;
        assert_eq!(piece_len::<F32>(10, 2), min_f32);
        assert_eq!(
            piece_len::<F32>(8 << 20, 2),
            (8 << 20) / (2 * PIECES_PER_THREAD)
        );
        assert_eq!(
            piece_len::<F64>(8 << 20, 4),
            (8 << 20) / (4 * PIECES_PER_THREAD)
        );
    }

    #[test]
    fn auto_splits_from_the_threshold_and_the_others_always_or_never() {
        let t = PARALLEL_THRESHOLD_BYTES;
        assert!(!may_split(t - 1, Parallelism::Auto));
        assert!(may_split(t, Parallelism::Auto));
        assert!(!may_split(usize::MAX, Parallelism::Sequential));
        assert!(may_split(0, Parallelism::Parallel));
    }
}
