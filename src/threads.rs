//! The threads a call may use: the current rayon pool with the `std` feature, only the
//! calling thread without it (`no_std` builds are single-threaded).
//!
//! A split call runs as `parts` pieces: the calling thread runs the first itself and hands
//! the others to the pool (`rayon::in_place_scope`), then waits for them. Measured on the
//! 2-core development guest (BENCHMARKS.md, 2026-12-04): a `rayon::join` from a thread
//! outside the pool parks that thread until a worker has run the whole join, 19 µs of
//! overhead on every call even with the workers awake; the calling thread working on its
//! own piece and spinning briefly for the others costs 1 µs there.

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

/// Runs `work` in `parts` pieces, at most that many threads at once: `split(w, left, of)`
/// cuts `w` into a part holding `left` of its `of` shares and the rest; `run(w, index)`
/// runs piece `index` (0 for the leftmost, in order). Piece 0 runs on the calling thread.
pub(crate) fn run_parts<W, S, R>(work: W, parts: usize, split: &S, run: &R)
where
    W: Send,
    S: Fn(W, usize, usize) -> (W, W) + Sync,
    R: Fn(W, usize) + Sync,
{
    #[cfg(feature = "std")]
    {
        use core::sync::atomic::{AtomicUsize, Ordering};
        if parts <= 1 {
            run(work, 0);
            return;
        }
        let pending = AtomicUsize::new(parts - 1);
        rayon::in_place_scope(|scope| {
            spread(scope, work, 0, parts, split, run, &pending);
            // A worker thread waits in rayon instead: it runs what nobody took.
            if rayon::current_thread_index().is_none() {
                let start = std::time::Instant::now();
                let mut spins = 0u32;
                while pending.load(Ordering::Acquire) != 0 {
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
        // One thread: the pieces in order, which is what `run` would see anyway.
        fn all<W, S: Fn(W, usize, usize) -> (W, W), R: Fn(W, usize)>(
            w: W,
            first: usize,
            parts: usize,
            split: &S,
            run: &R,
        ) {
            if parts <= 1 {
                return run(w, first);
            }
            let left = parts / 2;
            let (l, r) = split(w, left, parts);
            all(l, first, left, split, run);
            all(r, first + left, parts - left, split, run);
        }
        all(work, 0, parts, split, run);
    }
}

/// Pieces `first..first + parts` of `work`: the right share handed to the pool, the left
/// run here (so the calling thread ends up with piece 0).
#[cfg(feature = "std")]
fn spread<'scope, W, S, R>(
    scope: &rayon::Scope<'scope>,
    work: W,
    first: usize,
    parts: usize,
    split: &'scope S,
    run: &'scope R,
    pending: &'scope core::sync::atomic::AtomicUsize,
) where
    W: Send + 'scope,
    S: Fn(W, usize, usize) -> (W, W) + Sync,
    R: Fn(W, usize) + Sync,
{
    if parts <= 1 {
        run(work, first);
        if first != 0 {
            pending.fetch_sub(1, core::sync::atomic::Ordering::Release);
        }
        return;
    }
    let left = parts / 2;
    let (l, r) = split(work, left, parts);
    scope.spawn(move |scope| spread(scope, r, first + left, parts - left, split, run, pending));
    spread(scope, l, first, left, split, run, pending);
}
