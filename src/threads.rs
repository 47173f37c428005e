//! The threads a call may use: the current rayon pool with the `std` feature, only the
//! calling thread without it (`no_std` builds are single-threaded).

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

/// Runs both closures, in parallel on the current rayon pool when there is one.
#[inline]
pub(crate) fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    #[cfg(feature = "std")]
    {
        rayon::join(a, b)
    }
    #[cfg(not(feature = "std"))]
    {
        (a(), b())
    }
}
