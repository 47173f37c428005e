//! Timing: median of repeated samples, each long enough to dwarf the clock's resolution.

use std::time::{Duration, Instant};

/// How long each point is measured.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub samples: usize,
    pub sample_time: Duration,
}

/// The median time of one call of `f`, in seconds (an f64: a `Duration` holds whole
/// nanoseconds, most of a 16-element call), over `budget.samples` samples that each repeat
/// `f` enough times to last about `budget.sample_time`.
pub fn median_time_per_call(budget: Budget, mut f: impl FnMut()) -> f64 {
    f(); // warm caches, page tables and the rayon pool
    let start = Instant::now();
    f();
    let once = start.elapsed().max(Duration::from_nanos(1));
    let reps = (budget.sample_time.as_nanos() / once.as_nanos()).clamp(1, 1 << 24) as u32;
    let mut samples: Vec<f64> = (0..budget.samples.max(1))
        .map(|_| {
            let start = Instant::now();
            for _ in 0..reps {
                f();
            }
            start.elapsed().as_secs_f64() / f64::from(reps)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Decimal gigabytes per second.
pub fn gb_per_s(bytes: usize, seconds: f64) -> f64 {
    bytes as f64 / seconds / 1e9
}

/// Median seconds per call of each function, measured round-robin: each round takes one
/// sample of every function, so a drift in the machine (another tenant taking memory
/// bandwidth for a few seconds) lands on all of them alike instead of on whichever
/// happened to be measured then. Each function's repetitions per sample are calibrated
/// once, to last about `budget.sample_time`.
pub fn interleaved_medians(budget: Budget, fns: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    let reps: Vec<u32> = fns
        .iter_mut()
        .map(|f| {
            f(); // warm caches, page tables and the rayon pool
            let start = Instant::now();
            f();
            let once = start.elapsed().as_secs_f64().max(1e-9);
            (budget.sample_time.as_secs_f64() / once).clamp(1.0, (1u32 << 24) as f64) as u32
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(budget.samples); fns.len()];
    let n = fns.len();
    for round in 0..budget.samples.max(1) {
        // Each round starts one later, so no function always runs right after the same
        // other one (measured: a product timed right after a parallel copy ran 10–35%
        // slower than the same call timed elsewhere in the round).
        for i in (0..n).map(|k| (k + round) % n) {
            let f = &mut fns[i];
            let start = Instant::now();
            for _ in 0..reps[i] {
                f();
            }
            samples[i].push(start.elapsed().as_secs_f64() / f64::from(reps[i]));
        }
    }
    samples.into_iter().map(median).collect()
}

/// Seconds of single calls of each function, each after `idle` of sleep (the pool's
/// threads and the caller's caches gone cold), `rounds` rounds, each round starting one
/// function later as in `interleaved_medians`: every sample, round by round, per function.
pub fn after_idle_samples(
    rounds: usize,
    idle: Duration,
    fns: &mut [&mut dyn FnMut()],
) -> Vec<Vec<f64>> {
    let n = fns.len();
    let mut samples = vec![Vec::with_capacity(rounds); n];
    for round in 0..rounds.max(1) {
        for i in (0..n).map(|k| (k + round) % n) {
            std::thread::sleep(idle);
            let start = Instant::now();
            fns[i]();
            samples[i].push(start.elapsed().as_secs_f64());
        }
    }
    samples
}

/// The median (the upper one of an even count).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
