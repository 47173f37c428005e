//! How many threads a call uses: as many as pay for themselves on this machine, from
//! what handing work to the pool costs here, measured once per process.
//!
//! A call that moves `bytes` would take `t1 = bytes / rate` on one thread (the rate this
//! process measured for operands in L2 and past it). On `k` threads it takes about
//! `t1 / k + handoff(k)`, where `handoff(k)` is the time from handing `k − 1` pieces to the
//! pool until all of them have run, measured for 2 threads and for the whole pool (in
//! between: by `log₂ k`). That cost depends on whether the pool's threads are awake: rayon's
//! idle workers spin for a while (the *awake window*, measured too) and then sleep, and
//! waking one costs tens of microseconds in a VM where it costs one when they spin. So:
//!
//! - **awake** (a split of this process ended within the window): the `k` with the least
//!   `t1/k + handoff_awake(k)`, if that is at most [`SPLIT_MARGIN`] of `t1`;
//! - **asleep**: the same with `handoff_asleep(k)`; and when only an awake pool would pay,
//!   a back-to-back run of such calls wakes it once its calls have lost, together, as much
//!   as waking costs (the ski-rental rule: a caller in a loop pays at most one wake-up
//!   more than the best choice in hindsight, an isolated call never pays one).
//!
//! Results never depend on this: products are per element, and sums add in the one order
//! of `hadamard_kernels::sum_order` however they are split.

use crate::Parallelism;
#[cfg(feature = "std")]
use core::sync::atomic::AtomicU64;
use core::sync::atomic::{AtomicUsize, Ordering};

/// Environment variable: the most threads any call of this process uses (a positive
/// integer; `1` keeps every call on its calling thread). Read once.
pub const MAX_THREADS_ENV_VAR: &str = "HADAMARD_MAX_THREADS";

/// Environment variable: bytes moved from which a [`Parallelism::Auto`] call uses every
/// thread of its pool (capped as above) instead of the measured decision, which is then
/// never measured. For reproducing the fixed threshold of earlier versions
/// (`HADAMARD_SPLIT_BYTES=5242880`) or pinning a benchmark. Read once.
pub const SPLIT_BYTES_ENV_VAR: &str = "HADAMARD_SPLIT_BYTES";

/// A split is taken only when its estimated time is at most this fraction of one
/// thread's, with the pool awake (first) and asleep (second): the estimate's error
/// (operands assumed in L2 may sit in L1, an in-place call moves fewer distinct lines, a
/// sleeping thread's wake-up varies several-fold in a VM) must not make a call slower than
/// staying on its thread, and it is larger asleep.
pub const SPLIT_MARGIN: [f64; 2] = [0.75, 0.7];

/// Calls moving fewer bytes never split under `Auto`, whatever the measurement says:
/// two pieces of 16 KiB of output.
pub(crate) const FLOOR_BYTES: usize = 64 << 10;

#[cfg(feature = "std")]
/// Past this many bytes moved a call decides its stores out of line anyway (streaming is
/// an L3-sized question), so the inline test never needs a larger limit.
const SMALL_CALL_BYTES: usize = 1 << 20;

/// Bytes moved below which a call under the `Auto` policies is one kernel call on its
/// thread: the one comparison small calls make. [`FLOOR_BYTES`] until this process has
/// measured its costs, then the least size a split could pay for (capped at
/// [`SMALL_CALL_BYTES`]).
static SMALL_LIMIT: AtomicUsize = AtomicUsize::new(FLOOR_BYTES);

/// Bytes moved below which `Auto` stays on one thread, for the inline test.
#[inline(always)]
pub(crate) fn small_limit() -> usize {
    SMALL_LIMIT.load(Ordering::Relaxed)
}

/// What this process measured (or was told) about splitting calls across threads.
///
/// ```
/// let costs = hadamard::split_costs(); // measured now if no call has needed it yet
/// println!("{costs}");
/// // A call of 16 KiB never splits; what a 64 MiB one does depends on the machine.
/// assert_eq!(costs.threads_for(16 << 10, 64, true), 1);
/// assert!(costs.threads_for(64 << 20, 64, false) >= 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct SplitCosts {
    /// Where the figures come from.
    pub source: SplitSource,
    /// Threads of the pool the handoffs were measured in.
    pub pool_threads: usize,
    /// What a split costs beyond its share of the work, in nanoseconds, with the pool's
    /// threads awake: for 2 threads, and for all `pool_threads`. Measured on a real call
    /// (`f32` products of [`near_bytes`](Self::near_bytes) and of a quarter of that, two
    /// batches of 41 back-to-back pairs each, the smaller batch, the larger size): its time on that many threads less
    /// its one-thread time divided among them (the median over pairs), so it holds the
    /// handoff, the wait for the last piece, and whatever the threads do not gain.
    pub awake_handoff_ns: [f64; 2],
    /// The same with the pool's threads asleep (each call after 1 ms of idleness, the
    /// caller's too; the median of 9 pairs), on a product of
    /// [`far_bytes`](Self::far_bytes): a woken thread runs slowly for a while, which only a
    /// longer call shows.
    pub asleep_handoff_ns: [f64; 2],
    /// How long the pool's threads stay awake after a split ends, in nanoseconds: the
    /// longest idle gap measured after which a handoff still cost about what it costs
    /// back to back.
    pub awake_window_ns: f64,
    /// Bytes per nanosecond one thread moves (an `f32` product), called back to back:
    /// with operands in L2 (`near_bytes` in all), and larger than L2 (`far_bytes`).
    pub awake_bytes_per_ns: [f64; 2],
    /// The same for a call after 1 ms of idleness, when the caller's caches and clock
    /// have often cooled too.
    pub asleep_bytes_per_ns: [f64; 2],
    /// Bytes moved by the near measurement (half of L2); calls up to L2 use the near rate.
    pub near_bytes: usize,
    /// Bytes moved by the far measurement.
    pub far_bytes: usize,
    /// The L2 size the two rates are told apart by.
    pub l2_bytes: usize,
    /// How long the measurement took, in nanoseconds.
    pub measured_in_ns: f64,
}

/// Where [`SplitCosts`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SplitSource {
    /// Measured by this process, the first time a call was large enough to ask.
    Measured,
    /// Fixed by [`SPLIT_BYTES_ENV_VAR`]: every thread from this many bytes moved.
    Environment {
        /// The threshold the variable gave.
        bytes: usize,
    },
    /// Nothing to measure: a build without `std` (one thread), or a pool of one thread.
    OneThread,
}

impl SplitCosts {
    const ONE_THREAD: SplitCosts = SplitCosts {
        source: SplitSource::OneThread,
        pool_threads: 1,
        awake_handoff_ns: [f64::INFINITY; 2],
        asleep_handoff_ns: [f64::INFINITY; 2],
        awake_window_ns: 0.0,
        awake_bytes_per_ns: [1.0; 2],
        asleep_bytes_per_ns: [1.0; 2],
        near_bytes: 0,
        far_bytes: 0,
        l2_bytes: 0,
        measured_in_ns: 0.0,
    };

    /// Estimated nanoseconds of a call moving `bytes` on one thread, back to back with
    /// others (`awake`) or after idleness: the near rate up to `near_bytes`, the far one
    /// from `far_bytes`, nanoseconds per byte interpolated in between.
    pub fn one_thread_ns(&self, bytes: usize, awake: bool) -> f64 {
        let [near, far] = if awake {
            self.awake_bytes_per_ns
        } else {
            self.asleep_bytes_per_ns
        };
        let (from, to) = (self.near_bytes as f64, self.far_bytes as f64);
        let at = (bytes as f64).clamp(from, to.max(from));
        let along = if to > from {
            (at - from) / (to - from)
        } else {
            1.0
        };
        bytes as f64 * ((1.0 - along) / near + along / far)
    }

    /// Estimated nanoseconds of handing pieces to `threads − 1` other threads and having
    /// them run, with the pool awake or asleep.
    pub fn handoff_ns(&self, threads: usize, awake: bool) -> f64 {
        let [two, all] = if awake {
            self.awake_handoff_ns
        } else {
            self.asleep_handoff_ns
        };
        if threads <= 2 || self.pool_threads <= 2 {
            return two;
        }
        // By tree depth: log₂ 2 = 1 for two threads, log₂ pool_threads for all of them,
        // and on beyond for a pool larger than the one measured.
        let (depth, full) = (log2(threads), log2(self.pool_threads));
        two + (all - two).max(0.0) * (depth - 1.0) / (full - 1.0)
    }

    /// Estimated nanoseconds of a call moving `bytes` on `threads` threads.
    pub fn split_ns(&self, bytes: usize, threads: usize, awake: bool) -> f64 {
        let one = self.one_thread_ns(bytes, awake);
        if threads <= 1 {
            return one;
        }
        one / threads as f64 + self.handoff_ns(threads, awake)
    }

    /// The threads a call moving `bytes` uses in a pool of `pool` threads, the pool awake
    /// or asleep: the count with the least estimated time, if that beats one thread by
    /// [`SPLIT_MARGIN`], else 1. (A call also counts what back-to-back calls lost while
    /// the pool slept: see the module docs in `split_cost.rs`.)
    pub fn threads_for(&self, bytes: usize, pool: usize, awake: bool) -> usize {
        if let SplitSource::Environment { bytes: from } = self.source {
            return if bytes >= from { pool.max(1) } else { 1 };
        }
        if pool < 2 || bytes < FLOOR_BYTES {
            return 1;
        }
        let one = self.one_thread_ns(bytes, awake);
        let margin = SPLIT_MARGIN[usize::from(!awake)];
        let (mut best, mut best_ns) = (1, one * margin);
        // Powers of two, then the whole pool.
        let mut k = 2;
        loop {
            let k_here = k.min(pool);
            let ns = self.split_ns(bytes, k_here, awake);
            if ns < best_ns {
                (best, best_ns) = (k_here, ns);
            }
            if k >= pool {
                break;
            }
            k *= 2;
        }
        best
    }

    /// The least bytes moved at which an awake pool of `pool` threads could split.
    #[cfg(feature = "std")]
    fn least_split_bytes(&self, pool: usize) -> usize {
        let mut bytes = FLOOR_BYTES;
        while bytes < SMALL_CALL_BYTES && self.threads_for(bytes, pool, true) < 2 {
            bytes += bytes / 8;
        }
        bytes.min(SMALL_CALL_BYTES)
    }
}

/// log₂ `n` for `n >= 1`: exact at powers of two, linear between them (`no_std` has no
/// `f64::log2`, and a tree's depth needs no more).
fn log2(n: usize) -> f64 {
    let k = n.max(1).ilog2();
    let base = (1usize << k) as f64;
    f64::from(k) + (n as f64 - base) / base
}

impl core::fmt::Display for SplitCosts {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.source {
            SplitSource::OneThread => f.write_str("one thread: calls never split"),
            SplitSource::Environment { bytes } => write!(
                f,
                "{SPLIT_BYTES_ENV_VAR}={bytes}: every thread from {} KiB moved, nothing measured",
                bytes >> 10
            ),
            SplitSource::Measured => write!(
                f,
                "measured in {:.1} ms over {} threads: a split costs {:.1} µs on 2 threads, {:.1} µs \
                 on all (awake), {:.1} / {:.1} µs (asleep); threads stay awake {:.0} µs; one thread \
                 moves {:.0} / {:.0} GB/s in L2 / past it (awake), {:.0} / {:.0} (asleep)",
                self.measured_in_ns / 1e6,
                self.pool_threads,
                self.awake_handoff_ns[0] / 1e3,
                self.awake_handoff_ns[1] / 1e3,
                self.asleep_handoff_ns[0] / 1e3,
                self.asleep_handoff_ns[1] / 1e3,
                self.awake_window_ns / 1e3,
                self.awake_bytes_per_ns[0],
                self.awake_bytes_per_ns[1],
                self.asleep_bytes_per_ns[0],
                self.asleep_bytes_per_ns[1],
            ),
        }
    }
}

/// This process's split costs: measured the first time a call (or this function) needs
/// them, in the current rayon pool, in 40–50 ms on the development guest (most of it the
/// 1 ms idle gaps that let the pool fall asleep); fixed by [`SPLIT_BYTES_ENV_VAR`] when
/// that is set; [`SplitSource::OneThread`] without `std` or in a pool of one thread.
pub fn split_costs() -> SplitCosts {
    #[cfg(feature = "std")]
    {
        static COSTS: std::sync::OnceLock<SplitCosts> = std::sync::OnceLock::new();
        *COSTS.get_or_init(|| {
            let costs = match env_usize(SPLIT_BYTES_ENV_VAR) {
                Some(bytes) => SplitCosts {
                    source: SplitSource::Environment { bytes },
                    ..SplitCosts::ONE_THREAD
                },
                None if crate::threads::current_num_threads() < 2 => SplitCosts::ONE_THREAD,
                None => measure::costs(),
            };
            let least = match costs.source {
                SplitSource::Environment { bytes } => bytes.min(SMALL_CALL_BYTES),
                SplitSource::OneThread => SMALL_CALL_BYTES,
                SplitSource::Measured => {
                    costs.least_split_bytes(crate::threads::current_num_threads())
                }
            };
            SMALL_LIMIT.store(least, Ordering::Relaxed);
            costs
        })
    }
    #[cfg(not(feature = "std"))]
    {
        SplitCosts::ONE_THREAD
    }
}

/// The process-wide cap on threads a call uses ([`MAX_THREADS_ENV_VAR`]), `usize::MAX`
/// when unset.
fn env_cap() -> usize {
    #[cfg(feature = "std")]
    {
        static CAP: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        *CAP.get_or_init(|| env_usize(MAX_THREADS_ENV_VAR).map_or(usize::MAX, |n| n.max(1)))
    }
    #[cfg(not(feature = "std"))]
    {
        1
    }
}

/// A positive integer from the environment; `None` when unset, and a panic naming the
/// variable when it is not one (a typo should not silently change how a program runs).
#[cfg(feature = "std")]
fn env_usize(name: &str) -> Option<usize> {
    let value = std::env::var(name).ok()?;
    match value.trim().parse::<usize>() {
        Ok(n) if n > 0 => Some(n),
        _ => panic!("{name}={value:?}: expected a positive integer"),
    }
}

/// Nanoseconds since this process first asked.
#[cfg(feature = "std")]
fn now_ns() -> u64 {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    EPOCH
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_nanos() as u64
}

/// What this process has seen of its pool, on `now_ns`'s clock: when the last split
/// ended and when the last call that could have split ended (both as measured, not
/// estimated: a split that ran longer than its estimate must not leave a back-to-back
/// loop thinking the pool asleep), and what back-to-back calls lost since the pool slept.
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct PoolState {
    last_split_end: u64,
    last_call_end: u64,
    lost_ns: u64,
}

#[cfg(feature = "std")]
impl PoolState {
    /// Whether the pool's threads are still spinning at `now`.
    fn awake_at(&self, now: u64, costs: &SplitCosts) -> bool {
        self.last_split_end > 0 && now < self.last_split_end + costs.awake_window_ns as u64
    }

    /// Whether a call at `now` follows the last one back to back (close enough that a pool
    /// woken for the last one would still be awake).
    fn back_to_back_at(&self, now: u64, costs: &SplitCosts) -> bool {
        self.last_call_end > 0 && now < self.last_call_end + costs.awake_window_ns as u64
    }

    /// The state after a call on `threads` threads that ended at `end`.
    fn ended(mut self, threads: usize, end: u64) -> PoolState {
        self.last_call_end = end;
        if threads > 1 {
            self.last_split_end = end;
        }
        self
    }
}

/// [`PoolState`] shared by every thread of the process. Relaxed and not updated as one:
/// two racing calls may both count a loss or both see the pool awake, which changes
/// how many threads a call uses and never a result.
#[cfg(feature = "std")]
static LAST_SPLIT_END: AtomicU64 = AtomicU64::new(0);
#[cfg(feature = "std")]
static LAST_CALL_END: AtomicU64 = AtomicU64::new(0);
#[cfg(feature = "std")]
static LOST_NS: AtomicU64 = AtomicU64::new(0);

#[cfg(feature = "std")]
fn pool_state() -> PoolState {
    PoolState {
        last_split_end: LAST_SPLIT_END.load(Ordering::Relaxed),
        last_call_end: LAST_CALL_END.load(Ordering::Relaxed),
        lost_ns: LOST_NS.load(Ordering::Relaxed),
    }
}

/// The threads one call uses, and whether its end must be recorded ([`Threads::ended`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a call's end is recorded with `ended`"]
pub(crate) struct Threads {
    pub(crate) count: usize,
    /// An `Auto` call that went through the measured decision.
    tracked: bool,
}

impl Threads {
    const fn untracked(count: usize) -> Threads {
        Threads {
            count,
            tracked: false,
        }
    }

    /// Records that the call has ended (its pieces all done), for the next call's view
    /// of the pool: one clock read, only for calls that could have split.
    #[inline]
    pub(crate) fn ended(self) {
        #[cfg(feature = "std")]
        if self.tracked {
            let state = pool_state();
            let next = state.ended(self.count, now_ns());
            LAST_CALL_END.store(next.last_call_end, Ordering::Relaxed);
            // Only what this call changed: writing back a value read above could undo a
            // newer split another thread recorded meanwhile.
            if next.last_split_end != state.last_split_end {
                LAST_SPLIT_END.store(next.last_split_end, Ordering::Relaxed);
            }
        }
    }
}

/// The threads a call moving `bytes` uses: the one rule of every operation (slices,
/// sums, matrices, the integrations, Python). `cap`: the call's own limit
/// ([`Options::max_threads`](crate::Options::max_threads)); `max_parts`: the most pieces
/// its length allows. The caller runs its pieces, then calls [`Threads::ended`].
pub(crate) fn threads_for(
    bytes: usize,
    parallelism: Parallelism,
    cap: usize,
    max_parts: usize,
) -> Threads {
    if parallelism == Parallelism::Sequential {
        return Threads::untracked(1);
    }
    let limit = cap.min(env_cap()).min(max_parts);
    if limit < 2 {
        return Threads::untracked(1);
    }
    if parallelism == Parallelism::Parallel {
        return Threads::untracked(crate::threads::current_num_threads().min(limit));
    }
    // Auto.
    if bytes < small_limit() {
        return Threads::untracked(1);
    }
    let pool = crate::threads::current_num_threads().min(limit);
    if pool < 2 {
        return Threads::untracked(1);
    }
    auto_threads(&split_costs(), bytes, pool)
}

/// The `Auto` decision for a call that could split, with the pool's state tracked.
#[cfg(feature = "std")]
fn auto_threads(costs: &SplitCosts, bytes: usize, pool: usize) -> Threads {
    if costs.source != SplitSource::Measured {
        return Threads::untracked(costs.threads_for(bytes, pool, false));
    }
    let state = pool_state();
    let (count, next) = decide(costs, bytes, pool, now_ns(), state);
    if next.lost_ns != state.lost_ns {
        LOST_NS.store(next.lost_ns, Ordering::Relaxed);
    }
    Threads {
        count,
        tracked: true,
    }
}

/// The threads a call moving `bytes` uses at time `now` with the pool last seen as
/// `state`, and the state after the decision (the module docs' rule; the call's end is
/// recorded by [`PoolState::ended`]).
#[cfg(feature = "std")]
fn decide(
    costs: &SplitCosts,
    bytes: usize,
    pool: usize,
    now: u64,
    state: PoolState,
) -> (usize, PoolState) {
    let mut next = state;
    let awake = state.awake_at(now, costs);
    let as_is = costs.threads_for(bytes, pool, awake);
    let when_awake = if awake {
        as_is
    } else {
        costs.threads_for(bytes, pool, true)
    };
    if as_is > 1 || when_awake < 2 {
        return (as_is, next);
    }
    // Only an awake pool pays: count what this call loses by staying, and wake the pool
    // once earlier back-to-back calls have lost what a wake-up costs. (A call with none
    // before it is an isolated one as far as anyone can tell: the asleep estimate has
    // decided for it.)
    let one = costs.one_thread_ns(bytes, true);
    let lost = (one - costs.split_ns(bytes, when_awake, true)).max(0.0) as u64;
    let before = if state.back_to_back_at(now, costs) {
        state.lost_ns
    } else {
        0
    };
    let wake =
        (costs.handoff_ns(when_awake, false) - costs.handoff_ns(when_awake, true)).max(0.0) as u64;
    if before > 0 && before >= wake {
        next.lost_ns = 0;
        (when_awake, next)
    } else {
        next.lost_ns = before + lost;
        (1, next)
    }
}

#[cfg(not(feature = "std"))]
fn auto_threads(_: &SplitCosts, _: usize, _: usize) -> Threads {
    Threads::untracked(1)
}

/// The measurement behind [`split_costs`].
#[cfg(feature = "std")]
mod measure {
    use super::{SplitCosts, SplitSource};
    use crate::threads::{current_num_threads, run_parts};
    use crate::{Options, Parallelism};
    use core::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};
    use std::{vec, vec::Vec};

    /// Idle gaps tried for the awake window, in microseconds.
    const GAPS_US: [u64; 7] = [16, 32, 64, 128, 256, 512, 1024];
    /// Idleness after which the pool (and the caller) are taken to be asleep.
    const ASLEEP_AFTER: Duration = Duration::from_millis(1);
    /// Timed calls per awake figure; per asleep figure (each after `ASLEEP_AFTER`).
    const AWAKE_REPS: usize = 41;
    const ASLEEP_REPS: usize = 9;

    fn median(v: Vec<f64>) -> f64 {
        quantile(v, 0.5)
    }

    /// The `q` quantile (nearest rank) of `v`. Back-to-back figures take the lower
    /// quartile: interference (another tenant, an interrupt) only ever adds time.
    fn quantile(mut v: Vec<f64>, q: f64) -> f64 {
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * q) as usize]
    }

    /// Nanoseconds from handing `threads − 1` pieces to the pool until `threads` threads
    /// (the caller's included) are all running one: each piece waits for the others, up
    /// to a deadline (a pool whose threads are busy elsewhere then measures as slow, which
    /// only makes calls split less).
    fn handoff(threads: usize) -> f64 {
        let start = Instant::now();
        let deadline = start + Duration::from_millis(5);
        let arrived = AtomicUsize::new(0);
        let wait = |_: (), _: usize| {
            arrived.fetch_add(1, Ordering::AcqRel);
            while arrived.load(Ordering::Acquire) < threads && Instant::now() < deadline {
                core::hint::spin_loop();
            }
        };
        run_parts((), threads, threads, &|_, _, _| ((), ()), &wait);
        start.elapsed().as_nanos() as f64
    }

    /// An `f32` product's operands moving `bytes` in all.
    struct Product {
        a: Vec<f32>,
        b: Vec<f32>,
        out: Vec<f32>,
    }

    impl Product {
        fn new(bytes: usize) -> Product {
            let n = (bytes / 12).max(1024);
            Product {
                a: vec![1.5; n],
                b: vec![0.5; n],
                out: vec![0.0; n],
            }
        }

        fn bytes(&self) -> f64 {
            (12 * self.a.len()) as f64
        }

        /// Nanoseconds of one call on `threads` threads (exactly that many pieces).
        fn time(&mut self, threads: usize) -> f64 {
            let opts = match threads {
                1 => Options::new().parallelism(Parallelism::Sequential),
                k => Options::new()
                    .parallelism(Parallelism::Parallel)
                    .max_threads(k),
            };
            let start = Instant::now();
            opts.mul_elementwise(&self.a, &self.b, &mut self.out)
                .expect("equal lengths");
            start.elapsed().as_nanos().max(1) as f64
        }

        /// Back to back: the lower quartile of `reps` one-thread calls (after two untimed
        /// ones), and what a call on `threads` threads costs beyond its share of the work:
        /// the median over pairs (one call each way, alternating, so a drift of the machine
        /// lands on both) of `split − one / threads`.
        fn awake(&mut self, threads: usize, reps: usize) -> (f64, f64) {
            self.time(1);
            self.time(threads);
            let pairs: Vec<(f64, f64)> = (0..reps)
                .map(|_| (self.time(1), self.time(threads)))
                .collect();
            let one = quantile(pairs.iter().map(|p| p.0).collect(), 0.25);
            let cost = median(pairs.iter().map(|&(o, s)| s - o / threads as f64).collect());
            (one, cost.max(0.0))
        }

        /// The same with each call after `ASLEEP_AFTER` of idleness: the medians (a woken
        /// thread's delay varies several-fold from one wake-up to the next in a VM; the
        /// asleep margin, not the statistic, keeps a split from losing to one thread).
        fn asleep(&mut self, threads: usize, reps: usize) -> (f64, f64) {
            let mut idle_then = |k: usize| {
                std::thread::sleep(ASLEEP_AFTER);
                self.time(k)
            };
            let pairs: Vec<(f64, f64)> = (0..reps)
                .map(|_| (idle_then(1), idle_then(threads)))
                .collect();
            let one = median(pairs.iter().map(|p| p.0).collect());
            let cost = median(pairs.iter().map(|&(o, s)| s - o / threads as f64).collect());
            (one, cost.max(0.0))
        }
    }

    pub(super) fn costs() -> SplitCosts {
        let start = Instant::now();
        let pool = current_num_threads();
        let caches = crate::cache_sizes();
        let near_bytes = (caches.l2 / 2).max(96 << 10);
        let far_bytes = (4 * caches.l2)
            .min(caches.l3 / 2)
            .clamp(2 * near_bytes, 32 << 20);
        let (mut near, mut far) = (Product::new(near_bytes), Product::new(far_bytes));

        // The cost is taken at two sizes, the larger of the two: in-place calls of 256 KiB
        // measured a split costing twice what one of 512 KiB did on the 2-core guest.
        // Each in two batches, the smaller of the two: a batch that another tenant's
        // burst took the helper's core from (measured once: 117 µs where 1.5 is usual)
        // must not stop this process from ever splitting.
        let mut small = Product::new(near_bytes / 4);
        let twice = |p: &mut Product, k: usize| {
            let (one, x) = p.awake(k, AWAKE_REPS);
            let (one2, y) = p.awake(k, AWAKE_REPS);
            (one.min(one2), x.min(y))
        };
        let (awake_one, awake_two) = twice(&mut near, 2);
        let (_, awake_all) = twice(&mut near, pool);
        let (_, small_two) = twice(&mut small, 2);
        let (_, small_all) = twice(&mut small, pool);
        let (awake_two, awake_all) = (awake_two.max(small_two), awake_all.max(small_all));
        // Two threads cost no more than all of them (in a pool of two, the same thing
        // measured twice).
        let awake_all = awake_all.max(awake_two);
        let (awake_far, _) = far.awake(2, 5);
        let awake_bytes_per_ns = [near.bytes() / awake_one, far.bytes() / awake_far];
        let awake_handoff_ns = [awake_two, awake_all];

        // The awake window: a handoff after growing idle gaps, until it costs what waking
        // does.
        let mut window = 0.0;
        let back_to_back = median((0..AWAKE_REPS).map(|_| handoff(2)).collect());
        for gap in GAPS_US {
            let after_gap = (0..2)
                .map(|_| {
                    handoff(2);
                    let idle = Instant::now();
                    while idle.elapsed() < Duration::from_micros(gap) {
                        core::hint::spin_loop();
                    }
                    handoff(2)
                })
                .fold(f64::INFINITY, f64::min);
            if after_gap > (3.0 * back_to_back).max(back_to_back + 5_000.0) {
                break;
            }
            window = (gap * 1000) as f64;
        }

        // Asleep, a split is measured on the far operands: a thread woken from sleep (in a
        // VM, a halted virtual CPU) runs slowly for a while, which a short call would not
        // show (measured on the 2-core guest: 37 µs on 512 KiB, 250 on 8 MiB).
        let (asleep_near, _) = near.asleep(1, ASLEEP_REPS);
        let (asleep_far, asleep_two) = far.asleep(2, ASLEEP_REPS);
        let asleep_all = if pool > 2 {
            far.asleep(pool, ASLEEP_REPS).1.max(asleep_two)
        } else {
            asleep_two
        };
        let asleep_bytes_per_ns = [near.bytes() / asleep_near, far.bytes() / asleep_far];
        let asleep_handoff_ns = [asleep_two, asleep_all];

        SplitCosts {
            source: SplitSource::Measured,
            pool_threads: pool,
            awake_handoff_ns,
            asleep_handoff_ns,
            awake_window_ns: window,
            awake_bytes_per_ns,
            asleep_bytes_per_ns,
            near_bytes: near.bytes() as usize,
            far_bytes: far.bytes() as usize,
            l2_bytes: caches.l2,
            measured_in_ns: start.elapsed().as_nanos() as f64,
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    /// A machine measured as: a split costs 2 µs awake and 50 µs asleep on 2 threads, 4
    /// and 100 on 8; one thread moves 100 bytes/ns awake and 50 asleep; the pool stays
    /// awake 50 µs.
    fn machine() -> SplitCosts {
        SplitCosts {
            source: SplitSource::Measured,
            pool_threads: 8,
            awake_handoff_ns: [2_000.0, 4_000.0],
            asleep_handoff_ns: [50_000.0, 100_000.0],
            awake_window_ns: 50_000.0,
            awake_bytes_per_ns: [100.0; 2],
            asleep_bytes_per_ns: [50.0; 2],
            near_bytes: 512 << 10,
            far_bytes: 4 << 20,
            l2_bytes: 1 << 20,
            measured_in_ns: 0.0,
        }
    }

    #[test]
    fn handoff_grows_with_the_depth_of_the_split() {
        let m = machine();
        assert_eq!(m.handoff_ns(2, true), 2_000.0);
        assert_eq!(m.handoff_ns(8, true), 4_000.0);
        assert_eq!(m.handoff_ns(4, true), 3_000.0); // log₂ 4 = 2: half way from 1 to 3
        assert_eq!(m.handoff_ns(8, false), 100_000.0);
        assert_eq!(m.handoff_ns(16, true), 5_000.0); // on past the measured pool
    }

    #[test]
    fn one_thread_time_moves_from_the_near_rate_to_the_far_one() {
        let mut m = machine();
        m.awake_bytes_per_ns = [100.0, 50.0];
        assert_eq!(m.one_thread_ns(100 << 10, true), (100 << 10) as f64 / 100.0);
        assert_eq!(m.one_thread_ns(8 << 20, true), (8 << 20) as f64 / 50.0);
        let mid = (512 << 10) + ((4 << 20) - (512 << 10)) / 2;
        let want = mid as f64 * (0.5 / 100.0 + 0.5 / 50.0);
        assert!((m.one_thread_ns(mid, true) - want).abs() < 1e-6);
        assert_eq!(m.one_thread_ns(8 << 20, false), (8 << 20) as f64 / 50.0);
    }

    #[test]
    fn the_thread_count_is_the_cheapest_that_beats_one_thread_by_the_margin() {
        let m = machine();
        // Awake: 1 MiB takes 10.5 µs on one thread; on two 5.2 + 2 = 7.2 µs (0.69 of it,
        // under 0.75); on four 2.6 + 3 = 5.6; on eight 1.3 + 4 = 5.3: eight.
        assert_eq!(m.threads_for(1 << 20, 8, true), 8);
        // ... but a pool of three offers 2 and 3.
        assert_eq!(m.threads_for(1 << 20, 3, true), 3);
        // 300 KiB: 3.1 µs alone, 3.5 on two: stay.
        assert_eq!(m.threads_for(300 << 10, 8, true), 1);
        // Asleep, 1 MiB: 21 µs alone, 60 on two: stay; 64 MiB: 1.34 ms alone, 8 threads.
        assert_eq!(m.threads_for(1 << 20, 8, false), 1);
        assert_eq!(m.threads_for(64 << 20, 8, false), 8);
        // Below the floor, never; in a pool of one, never.
        let mut free = m;
        free.awake_handoff_ns = [0.0; 2];
        assert_eq!(free.threads_for(FLOOR_BYTES - 1, 8, true), 1);
        assert_eq!(free.threads_for(FLOOR_BYTES, 8, true), 8);
        assert_eq!(m.threads_for(64 << 20, 1, true), 1);
    }

    #[test]
    fn the_margin_keeps_a_call_whose_split_gains_too_little() {
        let mut m = machine();
        m.pool_threads = 2;
        // Two threads at 2 µs of handoff: t/2 + 2000 <= 0.75 t  <=>  t >= 8000 ns.
        let at = |ns: f64| (ns * 100.0) as usize; // bytes that take `ns` alone
        assert_eq!(m.threads_for(at(7_950.0), 2, true), 1);
        assert_eq!(m.threads_for(at(8_050.0), 2, true), 2);
        // Asleep at 50 µs and 50 bytes/ns: t/2 + 50000 <= 0.7 t  <=>  t >= 250 µs.
        let asleep = |ns: f64| (ns * 50.0) as usize;
        assert_eq!(m.threads_for(asleep(249_000.0), 2, false), 1);
        assert_eq!(m.threads_for(asleep(251_000.0), 2, false), 2);
    }

    #[test]
    fn a_fixed_threshold_uses_the_whole_pool_from_it() {
        let m = SplitCosts {
            source: SplitSource::Environment { bytes: 1 << 20 },
            ..SplitCosts::ONE_THREAD
        };
        assert_eq!(m.threads_for((1 << 20) - 1, 16, true), 1);
        assert_eq!(m.threads_for(1 << 20, 16, false), 16);
        assert_eq!(SplitCosts::ONE_THREAD.threads_for(1 << 30, 16, true), 1);
    }

    #[test]
    fn an_isolated_call_never_wakes_the_pool_but_a_run_of_calls_does() {
        let m = machine();
        let bytes = 2 << 20; // 21 µs alone; 8 threads awake: 6.6 µs; asleep: stay
        assert_eq!(m.threads_for(bytes, 8, false), 1);
        assert_eq!(m.threads_for(bytes, 8, true), 8);
        let wake = m.handoff_ns(8, false) - m.handoff_ns(8, true); // 96 µs
        let lost = m.one_thread_ns(bytes, true) - m.split_ns(bytes, 8, true);

        // Isolated calls (1 ms apart): never split, whatever they lose.
        let mut state = PoolState::default();
        for k in 1..20u64 {
            let now = k * 1_000_000;
            let (threads, next) = decide(&m, bytes, 8, now, state);
            assert_eq!(threads, 1, "isolated call {k}");
            state = next.ended(threads, now + m.one_thread_ns(bytes, false) as u64);
        }

        // Back to back (each starts when the last ended): stay until the calls before
        // have lost a wake-up's worth, then split, and then the pool is awake, even when
        // each split takes twice its estimate (the end recorded is the real one).
        let mut state = PoolState::default();
        let mut now = 100_000_000u64;
        let mut first_split = None;
        for k in 0..20 {
            let (threads, next) = decide(&m, bytes, 8, now, state);
            if threads > 1 && first_split.is_none() {
                first_split = Some(k);
            }
            if first_split.is_some() {
                assert_eq!(threads, 8, "call {k} after the pool woke");
            }
            let took = 2.0 * m.split_ns(bytes, threads, state.awake_at(now, &m));
            now += took as u64;
            state = next.ended(threads, now);
        }
        let want = (wake / lost).ceil() as usize;
        assert_eq!(
            first_split,
            Some(want),
            "woke after the calls before lost {wake} ns"
        );

        // An isolated call that alone loses more than a wake-up costs still stays: only
        // what calls before it lost counts (two threads, 2 µs awake and 100 µs asleep, 100
        // bytes/ns either way: 30 MB lose 148 µs awake, but asleep two threads pay only
        // from 50 MB).
        let mut two = machine();
        two.pool_threads = 2;
        two.awake_handoff_ns = [2_000.0; 2];
        two.asleep_handoff_ns = [100_000.0; 2];
        two.asleep_bytes_per_ns = [100.0; 2];
        let big = 30_000_000;
        assert_eq!(two.threads_for(big, 2, false), 1);
        assert!(two.one_thread_ns(big, true) - two.split_ns(big, 2, true) > 98_000.0);
        assert_eq!(
            decide(&two, big, 2, 5_000_000_000, PoolState::default()).0,
            1
        );

        // A gap longer than the awake window: asleep again, and the count starts over.
        now += 1_000_000;
        let (threads, next) = decide(&m, bytes, 8, now, state);
        assert_eq!((threads, next.lost_ns), (1, lost as u64));
    }

    #[test]
    fn a_tracked_call_records_its_end_and_a_split_the_split_end() {
        // The clock's epoch is its first use: let it pass, so "before" is after 0.
        now_ns();
        std::thread::sleep(std::time::Duration::from_millis(1));
        let before = now_ns();
        let one = Threads {
            count: 1,
            tracked: true,
        };
        one.ended();
        let state = pool_state();
        assert!(state.last_call_end >= before, "a call's end is recorded");
        assert!(
            state.last_split_end < before,
            "a one-thread call is no split"
        );
        let two = Threads {
            count: 2,
            tracked: true,
        };
        two.ended();
        assert!(
            pool_state().last_split_end >= before,
            "a split's end is recorded"
        );
        let untracked = now_ns();
        Threads::untracked(2).ended();
        assert!(
            pool_state().last_call_end < untracked,
            "untracked calls record nothing"
        );
    }

    #[test]
    fn sequential_never_splits_and_the_caps_bound_every_policy() {
        let threads_for = |b, p, c, m| super::threads_for(b, p, c, m).count;
        assert_eq!(threads_for(1 << 30, Parallelism::Sequential, 64, 64), 1);
        assert_eq!(threads_for(1 << 30, Parallelism::Parallel, 1, 64), 1);
        assert_eq!(threads_for(1 << 30, Parallelism::Parallel, 64, 1), 1);
        assert_eq!(threads_for(1 << 30, Parallelism::Auto, 1, 64), 1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(6)
            .build()
            .unwrap();
        pool.install(|| {
            assert_eq!(threads_for(0, Parallelism::Parallel, 64, 64), 6);
            assert_eq!(threads_for(0, Parallelism::Parallel, 4, 64), 4);
            assert_eq!(threads_for(0, Parallelism::Parallel, 64, 3), 3);
            assert_eq!(threads_for(FLOOR_BYTES - 1, Parallelism::Auto, 64, 64), 1);
        });
    }
}
