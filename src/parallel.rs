//! How a call is split across cores: the threshold below which it stays on the calling
//! thread, the piece size, and piece boundaries on 64-byte lines of `out`.
//!
//! Below the threshold nothing here touches rayon or allocates: the call is one kernel
//! call on the calling thread. Above it, the operands are halved recursively with
//! `rayon::join` (work-stealing, no allocation: rayon's jobs live on the stack) inside
//! whatever pool the caller is running in (`ThreadPool::install` or the global one).

use crate::dispatch::CheckedKernel;
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

/// Bytes moved by one call (every operand read or written once: `3 × len × size_of::<T>()`
/// for `out = a ⊙ b`) from which [`Parallelism::Auto`] splits across threads.
///
/// Measured on the development machine (2 cores of an AMD Zen 5, 1 MiB L2 per core) with
/// `cargo run --release -- --threshold`: two threads first beat one at this size, for f32
/// and f64 alike once counted in bytes. See BENCHMARKS.md for the table.
pub const PARALLEL_THRESHOLD_BYTES: usize = 768 * 1024;

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

    fn bytes_moved(&self) -> usize {
        3 * self.len * size_of::<T>()
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
        let left = Operands {
            len: mid,
            ..self
        };
        (left, right)
    }

    /// A split point near the middle at which `out` starts a 64-byte line.
    fn line_aligned_middle(&self) -> usize {
        let half_addr = self.out as usize + self.len / 2 * size_of::<T>();
        let line_start = half_addr - half_addr % LINE_BYTES;
        (line_start - self.out as usize) / size_of::<T>()
    }

    fn run(self, kernel: MulFn<T>) {
        // SAFETY: the constructors took slices of `len` elements each (so every pointer
        // is valid for `len` elements, non-null and aligned), with `out` either a distinct
        // exclusive borrow or the very same pointer as `a` (in place); splits keep that.
        // `kernel` comes from a `CheckedKernel`, so this CPU has its instruction set.
        unsafe { kernel(self.a, self.b, self.out, self.len) }
    }
}

/// Runs `ops` with `kernel`, on this thread or split across the current rayon pool.
pub(crate) fn execute<T: Element>(
    ops: Operands<'_, T>,
    kernel: CheckedKernel,
    parallelism: Parallelism,
) {
    let f = T::mul_kernel(kernel.kernel());
    let split = match parallelism {
        Parallelism::Sequential => false,
        Parallelism::Auto => ops.bytes_moved() >= PARALLEL_THRESHOLD_BYTES,
        Parallelism::Parallel => true,
    };
    // Only now ask rayon (whose first use starts the global pool) how wide the pool is.
    let threads = if split { rayon::current_num_threads() } else { 1 };
    if threads <= 1 {
        return ops.run(f);
    }
    let min_piece = (MIN_PIECE_BYTES / size_of::<T>()).max(1);
    let piece = ops.len.div_ceil(threads * PIECES_PER_THREAD).max(min_piece);
    split_and_run(ops, f, piece);
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
