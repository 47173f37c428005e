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
