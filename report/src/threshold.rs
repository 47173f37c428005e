//! `--threshold`: the default call's thread count beside the best pool, for each size
//! from 64 KiB to 48 MiB moved. Every pool of 1, 2, 4, … threads and the whole pool
//! (`Parallelism::Parallel` capped by `Options::max_threads`) and the default call are
//! timed *hot* (back to back, interleaved round by round, so the pool's threads are awake)
//! and *cold* (2 ms of idleness before each single call, so they sleep), and beside each
//! size the report prints what `split_costs` decides for it, awake and asleep.

use super::args::Args;
use super::measure::{after_idle_samples, interleaved_medians, median, Budget};
use super::workload::Sample;
use hadamard::{Options, Parallelism};
use std::cell::RefCell;
use std::time::Duration;

/// Bytes moved per call: 64 KiB to 32 MiB in steps of 2^(1/2), then 48 MiB.
fn byte_sizes() -> Vec<usize> {
    let mut sizes: Vec<usize> = (0..=18)
        .map(|step| (64.0 * 1024.0 * 2f64.powf(step as f64 / 2.0)) as usize)
        .collect();
    sizes.push(48 << 20);
    sizes
}

/// The operations measured: name, bytes moved per element (in units of the element).
pub const OPERATIONS: [(&str, usize); 4] = [
    ("mul", 3),
    ("mul_assign", 3),
    ("mul_then_add_assign", 4),
    ("sum", 2),
];

/// The thread counts timed: 1, 2, 4, … below the pool, and the pool.
fn pools() -> Vec<usize> {
    let all = rayon::current_num_threads();
    let mut pools: Vec<usize> = (0..)
        .map(|k| 1usize << k)
        .take_while(|&k| k < all)
        .collect();
    pools.push(all);
    pools
}

/// One timed call of `op` on the buffers under `opts`.
fn call<T: Sample + hadamard::Accumulate>(op: &str, opts: Options, [a, b, out]: &mut [Vec<T>; 3]) {
    match op {
        "mul" => opts.mul_elementwise(a, b, out).unwrap(),
        "mul_assign" => opts.mul_assign(out, b).unwrap(),
        "mul_then_add_assign" => opts.mul_then_add_assign(out, a, b).unwrap(),
        "sum" => {
            std::hint::black_box(opts.hadamard_sum(a, b).unwrap());
        }
        _ => unreachable!("an operation of OPERATIONS"),
    }
}

fn options_for(threads: Option<usize>) -> Options {
    match threads {
        None => Options::new(),
        Some(1) => Options::new().parallelism(Parallelism::Sequential),
        Some(k) => Options::new()
            .parallelism(Parallelism::Parallel)
            .max_threads(k),
    }
}

/// One size's figures: per variant (each pool, then the default), hot and cold medians.
struct Point {
    bytes: usize,
    hot: Vec<f64>,
    cold: Vec<f64>,
    /// Every cold sample, round by round, per variant.
    cold_samples: Vec<Vec<f64>>,
}

impl Point {
    /// The cold default against variant `k`: the median of the rounds' ratios (each round
    /// times every variant once, so a slow stretch of the machine lands on both sides of
    /// a ratio; single cold calls vary far more than back-to-back ones).
    fn cold_ratio(&self, k: usize) -> f64 {
        let default = &self.cold_samples[self.cold_samples.len() - 1];
        median(
            default
                .iter()
                .zip(&self.cold_samples[k])
                .map(|(d, x)| d / x)
                .collect(),
        )
    }
}

pub fn run<T: Sample + hadamard::Accumulate>(args: &Args) {
    let budget = Budget {
        samples: args.samples,
        sample_time: Duration::from_millis(args.sample_ms),
    };
    let pools = pools();
    let costs = hadamard::split_costs();
    let all = rayon::current_num_threads();
    let operations: Vec<_> = OPERATIONS
        .iter()
        .filter(|(name, _)| {
            args.only.is_empty()
                || args
                    .only
                    .iter()
                    .any(|o| o == name || *o == format!("{name}/{}", T::NAME))
        })
        .collect();
    for &&(op, units) in &operations {
        println!(
            "{op}/{}: the default call's time over the best pool's (1.00 = as fast), hot (medians) and \
             cold (medians; ratios: median of the rounds' ratios); pools of {pools:?} threads; \
             'threads' is what the default decides (awake / asleep)",
            T::NAME
        );
        println!(
            "{:>9} {:>9} {:>12} {:>8} {:>6} | {:>9} {:>12} {:>8} {:>6} {:>7} | {:>7}",
            "moved",
            "1 thr hot",
            "best hot",
            "default",
            "/best",
            "1 thr cold",
            "best cold",
            "default",
            "/best",
            "/1 thr",
            "threads"
        );
        let progress = crate::progress::Progress::new();
        let sizes = byte_sizes();
        let mut points = Vec::new();
        for (i, &bytes) in sizes.iter().enumerate() {
            progress.show(&format!(
                "[{}/{}] {op} {} KiB",
                i + 1,
                sizes.len(),
                bytes >> 10
            ));
            let len = bytes / units / std::mem::size_of::<T>();
            let buffers = RefCell::new(super::sample::operands::<T>(len));
            let variants: Vec<Option<usize>> =
                pools.iter().map(|&k| Some(k)).chain([None]).collect();
            let mut fns: Vec<Box<dyn FnMut()>> = variants
                .iter()
                .map(|&threads| {
                    let opts = options_for(threads);
                    let buffers = &buffers;
                    Box::new(move || call(op, opts, &mut buffers.borrow_mut())) as Box<dyn FnMut()>
                })
                .collect();
            let mut refs: Vec<&mut dyn FnMut()> = fns
                .iter_mut()
                .map(|f| &mut **f as &mut dyn FnMut())
                .collect();
            let hot = interleaved_medians(budget, &mut refs);
            // Single calls vary more than back-to-back ones: three times the samples.
            let idle = Duration::from_millis(2);
            let cold_samples = after_idle_samples(3 * budget.samples, idle, &mut refs);
            let cold = cold_samples.iter().map(|s| median(s.clone())).collect();
            progress.clear();
            let point = Point {
                bytes,
                hot,
                cold,
                cold_samples,
            };
            print_point(
                &point,
                &pools,
                costs.threads_for(bytes, all, true),
                costs.threads_for(bytes, all, false),
            );
            points.push(point);
        }
        summarize(&points, &pools);
        println!();
    }
}

/// The best pool (threads, seconds) of one size's times.
fn best(times: &[f64], pools: &[usize]) -> (usize, f64) {
    pools
        .iter()
        .zip(times)
        .map(|(&k, &t)| (k, t))
        .min_by(|x, y| x.1.total_cmp(&y.1))
        .expect("at least one pool")
}

fn print_point(p: &Point, pools: &[usize], awake: usize, asleep: usize) {
    let n = pools.len();
    let (hot_k, hot_best) = best(&p.hot[..n], pools);
    let (cold_k, cold_best) = best(&p.cold[..n], pools);
    let (hot_default, cold_default) = (p.hot[n], p.cold[n]);
    let best_index = pools.iter().position(|&k| k == cold_k).unwrap_or(0);
    println!(
        "{:>6} KiB {:>9.1} {:>8.1} ({:>2}) {:>8.1} {:>6.2} | {:>10.1} {:>8.1} ({:>2}) {:>8.1} {:>6.2} {:>7.2} | {:>3} / {:<3}",
        p.bytes >> 10,
        p.hot[0] * 1e6,
        hot_best * 1e6,
        hot_k,
        hot_default * 1e6,
        hot_default / hot_best,
        p.cold[0] * 1e6,
        cold_best * 1e6,
        cold_k,
        cold_default * 1e6,
        p.cold_ratio(best_index),
        p.cold_ratio(0),
        awake,
        asleep
    );
}

/// The worst of each ratio the targets name.
fn summarize(points: &[Point], pools: &[usize]) {
    let n = pools.len();
    let worst = |f: &dyn Fn(&Point) -> f64, from: usize| {
        points
            .iter()
            .filter(|p| p.bytes >= from)
            .map(|p| (f(p), p.bytes))
            .max_by(|x, y| x.0.total_cmp(&y.0))
            .unwrap_or((f64::NAN, 0))
    };
    let (hot, at_hot) = worst(&|p| p.hot[n] / best(&p.hot[..n], pools).1, 0);
    let best_cold = |p: &Point| {
        let k = best(&p.cold[..n], pools).0;
        pools.iter().position(|&q| q == k).unwrap_or(0)
    };
    let (cold1, at_cold1) = worst(&|p| p.cold_ratio(0), 0);
    let (cold, at_cold) = worst(&|p| p.cold_ratio(best_cold(p)), 2 << 20);
    println!(
        "worst: hot default/best {hot:.2} (at {} KiB); cold default/one thread {cold1:.2} (at {} KiB); \
         cold default/best from 2 MiB {cold:.2} (at {} KiB)",
        at_hot >> 10,
        at_cold1 >> 10,
        at_cold >> 10
    );
}
