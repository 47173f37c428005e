//! How a call is split across cores: the threshold below which it stays on the calling
//! thread, the piece size, and piece boundaries on 64-byte lines of `out`.
//!
//! Below the threshold nothing here touches rayon or allocates: the call is one kernel
//! call on the calling thread. Above it, the operands are halved recursively with
//! `rayon::join` (work-stealing, no allocation: rayon's jobs live on the stack) inside
//! whatever pool the caller is running in (`ThreadPool::install` or the global one).

use crate::dispatch::CheckedKernel;
use crate::element::MulKernels;
use crate::Element;
use hadamard_kernels::MulFn;
use std::marker::PhantomData;
use std::mem::{size_of, MaybeUninit};

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
const MIN_PIECE_BYTES: usize = 16 * 1024;

/// Pieces per thread: more than one, so a thread that is descheduled on a busy machine
/// costs one piece of imbalance, not half the call.
const PIECES_PER_THREAD: usize = 4;

/// Piece boundaries fall on multiples of this many bytes of `out`, so no two threads write
/// the same cache line.
const LINE_BYTES: usize = 64;

/// The operands of one element-wise call, already checked to have equal lengths.
///
/// Raw pointers rather than slices because the in-place form (`acc[i] *= b[i]`) reads and
/// writes the same memory, which a `&[T]` and a `&mut [T]` may not share; the lifetime
/// keeps the borrows of the caller's slices alive for as long as this exists.
pub(crate) struct Operands<'a, T> {
    a: *const T,
    b: *const T,
    out: *mut T,
    len: usize,
    borrows: PhantomData<(&'a [T], &'a mut [T])>,
}

// SAFETY: an `Operands` is built only from a shared borrow of `a` and `b` and an exclusive
// borrow of `out` (or of `acc`, which is both `a` and `out`), all live for 'a. Splitting
// gives each piece a disjoint index range, so two threads never write the same element and
// never read an element another thread writes. Sending one to another thread is therefore
// like sending the slices themselves, which needs `T: Send + Sync`.
unsafe impl<T: Send + Sync> Send for Operands<'_, T> {}

impl<'a, T: Element> Operands<'a, T> {
    /// `out = a ⊙ b`.
    pub(crate) fn new(a: &'a [T], b: &'a [T], out: &'a mut [T]) -> Self {
        assert!(a.len() == out.len() && b.len() == out.len());
        Operands {
            a: a.as_ptr(),
            b: b.as_ptr(),
            out: out.as_mut_ptr(),
            len: out.len(),
            borrows: PhantomData,
        }
    }

    /// `out = a ⊙ b` into memory that holds no values yet (for the allocating form).
    pub(crate) fn uninit(a: &'a [T], b: &'a [T], out: &'a mut [MaybeUninit<T>]) -> Self {
        assert!(a.len() == out.len() && b.len() == out.len());
        Operands {
            a: a.as_ptr(),
            b: b.as_ptr(),
            out: out.as_mut_ptr().cast::<T>(),
            len: out.len(),
            borrows: PhantomData,
        }
    }

    /// `acc = acc ⊙ b`.
    pub(crate) fn in_place(acc: &'a mut [T], b: &'a [T]) -> Self {
        assert!(acc.len() == b.len());
        let acc = acc.as_mut_ptr();
        Operands {
            a: acc,
            b: b.as_ptr(),
            out: acc,
            len: b.len(),
            borrows: PhantomData,
        }
    }

    #[inline]
    fn bytes_moved(&self) -> usize {
        3 * self.len * size_of::<T>()
    }

    #[inline]
    fn is_in_place(&self) -> bool {
        self.a == self.out.cast_const()
    }

    /// Elements `..mid` and `mid..`.
    fn split_at(self, mid: usize) -> (Self, Self) {
        assert!(mid <= self.len);
        // SAFETY: mid <= len, so each offset pointer stays inside (or one past the end of)
        // the memory this `Operands` covers.
        let (a, b, out) = unsafe { (self.a.add(mid), self.b.add(mid), self.out.add(mid)) };
        let right = Operands {
            a,
            b,
            out,
            len: self.len - mid,
            borrows: PhantomData,
        };
        let left = Operands { len: mid, ..self };
        (left, right)
    }

    /// A split point near the middle at which `out` starts a 64-byte line.
    fn line_aligned_middle(&self) -> usize {
        let half_addr = self.out as usize + self.len / 2 * size_of::<T>();
        let line_start = half_addr - half_addr % LINE_BYTES;
        (line_start - self.out as usize) / size_of::<T>()
    }

    #[inline]
    fn run(self, kernel: MulFn<T>) {
        // SAFETY: the constructors took slices of `len` elements each (so every pointer
        // is valid for `len` elements, non-null and aligned), with `out` either a distinct
        // exclusive borrow or the very same pointer as `a` (in place); splits keep that.
        // `kernel` comes from a `CheckedKernel`, so this CPU has its instruction set.
        unsafe { kernel(self.a, self.b, self.out, self.len) }
    }
}

/// Calls moving at most this many bytes neither stream nor split (under the `Auto`
/// policies), so they skip both decisions. Below both thresholds whatever the cache sizes.
const SMALL_CALL_BYTES: usize = 1 << 20;

/// Runs `ops` with `kernel`, on this thread or split across the current rayon pool.
///
/// The small-call path is inlined into the public function: a size test and an indirect
/// call. Everything else is out of line.
#[inline(always)]
pub(crate) fn execute<T: Element>(
    ops: Operands<'_, T>,
    kernel: CheckedKernel,
    parallelism: Parallelism,
    stores: Stores,
) {
    let kernels: MulKernels<T> = T::mul_kernels(kernel.kernel());
    let small = ops.bytes_moved() <= SMALL_CALL_BYTES
        && parallelism != Parallelism::Parallel
        && stores != Stores::Streaming;
    if small {
        ops.run(kernels.plain)
    } else {
        execute_large(ops, kernels, parallelism, stores)
    }
}

#[inline(never)]
fn execute_large<T: Element>(
    ops: Operands<'_, T>,
    kernels: MulKernels<T>,
    parallelism: Parallelism,
    stores: Stores,
) {
    let f = if streams(ops.bytes_moved(), ops.is_in_place(), stores) {
        kernels.stream
    } else {
        kernels.plain
    };
    // Only ask rayon (whose first use starts the global pool) once splitting is wanted.
    let threads = if may_split(ops.bytes_moved(), parallelism) {
        rayon::current_num_threads()
    } else {
        1
    };
    if threads <= 1 {
        return ops.run(f);
    }
    let piece = piece_len::<T>(ops.len, threads);
    split_and_run(ops, f, piece);
}

#[inline]
fn streams(bytes_moved: usize, in_place: bool, stores: Stores) -> bool {
    match stores {
        Stores::Normal => false,
        Stores::Streaming => true,
        // The first test keeps small calls from even looking at the cache sizes.
        Stores::Auto => !in_place && bytes_moved > streaming_threshold_bytes(),
    }
}

#[inline]
fn may_split(bytes_moved: usize, parallelism: Parallelism) -> bool {
    match parallelism {
        Parallelism::Sequential => false,
        Parallelism::Auto => bytes_moved >= PARALLEL_THRESHOLD_BYTES,
        Parallelism::Parallel => true,
    }
}

/// The length below which a piece is not split further.
fn piece_len<T>(len: usize, threads: usize) -> usize {
    let min_piece = (MIN_PIECE_BYTES / size_of::<T>()).max(1);
    len.div_ceil(threads * PIECES_PER_THREAD).max(min_piece)
}

fn split_and_run<T: Element>(ops: Operands<'_, T>, f: MulFn<T>, piece: usize) {
    if ops.len <= piece {
        return ops.run(f);
    }
    let (left, right) = {
        let mid = ops.line_aligned_middle();
        ops.split_at(mid)
    };
    rayon::join(
        || split_and_run(left, f, piece),
        || split_and_run(right, f, piece),
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
            pool.install(|| {
                split_and_run(
                    Operands::new(&a, &b, out),
                    recording_kernel,
                    piece_len::<f32>(len, 3),
                )
            });
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
        let min_f32 = MIN_PIECE_BYTES / 4;
        assert_eq!(piece_len::<f32>(10, 2), min_f32);
        assert_eq!(
            piece_len::<f32>(8 << 20, 2),
            (8 << 20) / (2 * PIECES_PER_THREAD)
        );
        assert_eq!(
            piece_len::<f64>(8 << 20, 4),
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
