//! `--threshold`: one thread against all threads over lengths around the parallel
//! threshold, to find where splitting first pays. `PARALLEL_THRESHOLD_BYTES` was chosen
//! from this measurement.

use super::args::Args;
use super::measure::{interleaved_medians, Budget};
use super::workload::{Buffers, Sample};
use hadamard::{Options, Parallelism, PARALLEL_THRESHOLD_BYTES};
use std::time::Duration;

/// Bytes moved per call (3 operands), from 32 KiB to 32 MiB in steps of 2^(1/4).
fn byte_sizes() -> Vec<usize> {
    (0..=40)
        .map(|step| (32.0 * 1024.0 * 2f64.powf(step as f64 / 4.0)) as usize)
        .collect()
}

pub fn run<T: Sample>(args: &Args) {
    let budget = Budget {
        samples: args.samples,
        sample_time: Duration::from_millis(args.sample_ms),
    };
    let threads = rayon::current_num_threads();
    println!(
        "{}: 1 thread vs {threads} threads (kernel {}), PARALLEL_THRESHOLD_BYTES = {} KiB",
        T::NAME,
        hadamard::selected_kernel(),
        PARALLEL_THRESHOLD_BYTES / 1024
    );
    println!(
        "{:>10} {:>10} {:>11} {:>11} {:>11} {:>8} {:>6}",
        "bytes", "elements", "1 thr (us)", "all (us)", "auto (us)", "all/1", "auto"
    );
    let sizes = byte_sizes();
    let mut wins = Vec::new();
    let progress = crate::progress::Progress::new();
    for (i, &bytes) in sizes.iter().enumerate() {
        progress.show(&format!("[{}/{}] {} bytes", i + 1, sizes.len(), bytes));
        let len = bytes / 3 / std::mem::size_of::<T>();
        let buffers = std::cell::RefCell::new(Buffers::<T>::new(len));
        // One thread, all threads and the default, interleaved round by round.
        let run = |p: Parallelism| {
            let opts = Options::new().parallelism(p);
            let buffers = &buffers;
            move || {
                let mut guard = buffers.borrow_mut();
                let Buffers { a, b, out } = &mut *guard;
                opts.mul_elementwise(a, b, out).unwrap()
            }
        };
        let (mut one, mut all, mut auto) = (
            run(Parallelism::Sequential),
            run(Parallelism::Parallel),
            run(Parallelism::Auto),
        );
        let times = interleaved_medians(budget, &mut [&mut one, &mut all, &mut auto]);
        let (one, all, auto) = (times[0], times[1], times[2]);
        let speedup = one / all;
        wins.push((bytes, speedup > 1.0));
        let auto_is = if bytes >= PARALLEL_THRESHOLD_BYTES {
            "split"
        } else {
            "1 thr"
        };
        progress.clear();
        println!(
            "{:>10} {:>10} {:>11.2} {:>11.2} {:>11.2} {:>7.2}x {:>6}",
            bytes,
            len,
            one * 1e6,
            all * 1e6,
            auto * 1e6,
            speedup,
            auto_is
        );
    }
    // The smallest size from which all threads win at every larger size measured.
    let first_win = (0..wins.len())
        .find(|&i| wins[i..].iter().all(|&(_, win)| win))
        .map(|i| wins[i].0);
    match first_win {
        Some(bytes) => println!(
            "{}: all threads win from {} bytes ({} KiB) on\n",
            T::NAME,
            bytes,
            bytes / 1024
        ),
        None => println!(
            "{}: all threads never won consistently in this range\n",
            T::NAME
        ),
    }
}
