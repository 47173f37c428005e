//! The threads a call may use: the current rayon pool with the `std` feature, only the
//! calling thread without it (`no_std` builds are single-threaded).
//!
//! A split call on `k` threads is cut into pieces that the calling thread and `k − 1` jobs
//! handed to the pool (`rayon::in_place_scope`) claim in order, then the caller waits for
//! the last. Measured on the 2-core development guest (BENCHMARKS.md, 2026-12-04): a
//! `rayon::join` from a thread outside the pool parks that thread until a worker has run
//! the whole join, 19 µs of overhead on every call even with the workers awake; the
//! calling thread working on pieces itself and spinning briefly for the others costs
//! 1–2 µs there.

/// Threads of the current rayon pool (1 without `std`).
#[inline]
pub(crate) fn current_num_threads() -> usize {
    #[cfg(feature = "std")]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(feature = "std"))]
    {
        1
    }
}

/// How long the calling thread spins for the other pieces before it blocks in rayon:
/// pieces are sized to end together, so the wait is short when the pool is awake, and
/// blocking costs a wake-up of the caller (tens of microseconds in a VM).
#[cfg(feature = "std")]
const SPIN_NS: u64 = 100_000;

/// Pieces a split call is cut into per thread: the threads claim them one at a time, so a
/// thread that starts late (woken from sleep) or runs slow (another tenant on its core)
/// leaves its later pieces to the others. Measured out of cache on the 2-core guest: one
/// piece a thread ran 0.89–0.94× a rayon + streaming-store loop, four a thread 0.92–1.00×.
#[cfg(feature = "std")]
pub(crate) const PIECES_PER_THREAD: usize = 4;

/// The pieces [`run_parts`] cuts a call on `threads` threads into, given at most
/// `max_pieces`.
#[cfg(feature = "std")]
pub(crate) fn piece_count(threads: usize, max_pieces: usize) -> usize {
    (threads * PIECES_PER_THREAD).min(max_pieces).max(threads)
}

/// Runs `work` on at most `threads` threads, cut into `PIECES_PER_THREAD` pieces a thread
/// but at most `max_pieces` (and at least one a thread), that the threads claim in order: `split(w, left, of)` cuts `w` into a part
/// holding `left` of its `of` shares and the rest; `run(w, index)` runs piece `index` (0
/// for the leftmost). The calling thread claims pieces too; the other threads are handed
/// one claiming job each. With one thread, `run(work, 0)` on the whole.
pub(crate) fn run_parts<W, S, R>(work: W, threads: usize, max_pieces: usize, split: &S, run: &R)
where
    W: Send,
    S: Fn(W, usize, usize) -> (W, W) + Sync,
    R: Fn(W, usize) + Sync,
{
    if threads <= 1 {
        run(work, 0);
        return;
    }
    #[cfg(feature = "std")]
    {
        use core::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Mutex;
        let count = piece_count(threads, max_pieces);
        let mut slots: std::vec::Vec<Mutex<Option<W>>> = std::vec::Vec::with_capacity(count);
        cut_into(work, count, split, &mut slots);
        let (next, done) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let claim = || loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                return;
            }
            let piece: Option<W> = slots[i].lock().map_or(None, |mut slot| slot.take());
            run(piece.expect("each piece is claimed once"), i);
            done.fetch_add(1, Ordering::Release);
        };
        rayon::in_place_scope(|scope| {
            for _ in 1..threads {
                scope.spawn(|_| claim());
            }
            claim();
            // A worker thread waits in rayon instead: it runs what nobody took.
            if rayon::current_thread_index().is_none() {
                let start = std::time::Instant::now();
                let mut spins = 0u32;
                while done.load(Ordering::Acquire) != count {
                    core::hint::spin_loop();
                    spins = spins.wrapping_add(1);
                    if spins.is_multiple_of(256) && start.elapsed().as_nanos() as u64 > SPIN_NS {
                        break;
                    }
                }
            }
        });
    }
    #[cfg(not(feature = "std"))]
    {
        let _ = (max_pieces, split);
        run(work, 0);
    }
}

/// `work` cut into `count` pieces of equal shares, in order, onto `slots`.
#[cfg(feature = "std")]
fn cut_into<W, S>(
    work: W,
    count: usize,
    split: &S,
    slots: &mut std::vec::Vec<std::sync::Mutex<Option<W>>>,
) where
    S: Fn(W, usize, usize) -> (W, W),
{
    if count <= 1 {
        slots.push(std::sync::Mutex::new(Some(work)));
        return;
    }
    let left = count / 2;
    let (l, r) = split(work, left, count);
    cut_into(l, left, split, slots);
    cut_into(r, count - left, split, slots);
}
