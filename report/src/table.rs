//! The default report: throughput of every kernel at each size, beside copy bandwidth.

use super::args::Args;
use super::measure::{gb_per_s, median_time_per_call, Budget};
use super::workload::{elements_for, size_label, threads_label, with_threads, Buffers, Sample};
use hadamard::CacheSizes;
use hadamard::{Kernel, Options, Stores};
use std::time::Duration;

pub struct Row {
    pub type_name: &'static str,
    pub size: String,
    pub elements: usize,
    pub threads: String,
    pub what: String,
    pub gb_s: f64,
    pub ns_per_element: f64,
    pub copy_gb_s: f64,
}

/// Measures every (type, size, threads) group: copy first, then each kernel.
pub fn run(args: &Args, kernels: &[Kernel], caches: &CacheSizes) -> Vec<Row> {
    let budget = Budget {
        samples: args.samples,
        sample_time: Duration::from_millis(args.sample_ms),
    };
    let points = args.types.len()
        * args.sizes.len()
        * args.threads.len()
        * (kernels.len() * args.stores.len() + 1);
    let plan = Plan {
        kernels,
        stores: &args.stores,
        caches,
        budget,
        points,
    };
    let mut done = 0;
    let mut rows = Vec::new();
    for &ty in &args.types {
        for &size in &args.sizes {
            for &threads in &args.threads {
                rows.extend(match ty {
                    super::args::Type::F32 => group::<f32>(&plan, size, threads, &mut done),
                    super::args::Type::F64 => group::<f64>(&plan, size, threads, &mut done),
                });
            }
        }
    }
    crate::progress::Progress::new().clear();
    rows
}

/// What every (type, size, threads) group of a run shares.
struct Plan<'a> {
    kernels: &'a [Kernel],
    stores: &'a [Stores],
    caches: &'a CacheSizes,
    budget: Budget,
    /// Points in the whole run, for the progress line.
    points: usize,
}

fn group<T: Sample>(
    plan: &Plan<'_>,
    size: super::args::Size,
    threads: super::args::Threads,
    done: &mut usize,
) -> Vec<Row> {
    let Plan {
        kernels,
        stores,
        caches,
        budget,
        points,
    } = *plan;
    let len = elements_for(size, caches, std::mem::size_of::<T>());
    let product_bytes = 3 * len * std::mem::size_of::<T>();
    let copy_bytes = 2 * len * std::mem::size_of::<T>();
    let label = size_label(size);
    let threads_text = threads_label(threads);
    let line = crate::progress::Progress::new();
    let mut progress = |what: &str| {
        *done += 1;
        line.show(&format!(
            "[{done}/{points}] {} {label} ({len} elements) threads {threads_text}: {what}",
            T::NAME
        ));
    };
    let mut buffers = Buffers::<T>::new(len);
    with_threads(threads, |parallelism| {
        progress("copy");
        let parallel = parallelism != hadamard::Parallelism::Sequential;
        let copy_time = median_time_per_call(budget, || buffers.copy(parallel));
        let copy_gb_s = gb_per_s(copy_bytes, copy_time);
        let mut rows = Vec::new();
        for &kernel in kernels {
            for &store in stores {
                let what = format!("{}{}", kernel.name(), super::args::stores_suffix(store));
                progress(&what);
                let opts = Options::new()
                    .kernel(kernel)
                    .expect("only available kernels are measured")
                    .parallelism(parallelism)
                    .stores(store);
                let Buffers { a, b, out } = &mut buffers;
                let time = median_time_per_call(budget, || {
                    opts.mul_elementwise(a, b, out).expect("equal lengths")
                });
                rows.push(Row {
                    type_name: T::NAME,
                    size: label.clone(),
                    elements: len,
                    threads: threads_text.clone(),
                    what,
                    gb_s: gb_per_s(product_bytes, time),
                    ns_per_element: time * 1e9 / len.max(1) as f64,
                    copy_gb_s,
                });
            }
        }
        rows
    })
}

/// What each kind of row in `rows` measures, one line per kind present: the reader of a
/// log sees no help text, and the forced-split rows in particular mislead without it.
pub fn legend(rows: &[Row]) -> Vec<String> {
    let mut lines = vec![
        "GB/s: bytes the call moves (a, b read, out written: 3 per element) per second, \
         median of the samples; copy GB/s: a copy of a into out (2 per element) on the same \
         buffers and threads; vs copy: the first over the second"
            .to_string(),
    ];
    let threads: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.threads.as_str()).collect();
    for t in threads {
        lines.push(if t == "1" {
            "threads 1: the call on one thread (Parallelism::Sequential)".to_string()
        } else {
            format!(
                "threads {t}: the call forced to split over {t} threads (Parallelism::Parallel), \
                 the copy too. Below the parallel threshold the default call stays on one \
                 thread; these rows show the cost it avoids: waking the other threads \
                 dominates both, so a 'vs copy' far above 100% there means the copy suffered \
                 more, not that the product is fast"
            )
        });
    }
    if rows.iter().any(|r| r.what.ends_with("/normal")) {
        lines.push("kernel/normal: stores through the cache, forced (Stores::Normal)".into());
    }
    if rows.iter().any(|r| r.what.ends_with("/nt")) {
        lines.push("kernel/nt: streaming (non-temporal) stores, forced (Stores::Streaming)".into());
    }
    if rows.iter().any(|r| !r.what.contains('/')) {
        lines.push(
            "kernel without a suffix: stores chosen by size (streaming above the last-level \
             cache)"
                .into(),
        );
    }
    lines
}

pub fn print(rows: &[Row]) {
    println!(
        "{:<5} {:<5} {:>10} {:>7} {:<14} {:>9} {:>10} {:>9} {:>7}",
        "type", "size", "elements", "threads", "kernel", "GB/s", "ns/elem", "copy GB/s", "vs copy"
    );
    for r in rows {
        println!(
            "{:<5} {:<5} {:>10} {:>7} {:<14} {:>9.1} {:>10.4} {:>9.1} {:>6.0}%",
            r.type_name,
            r.size,
            r.elements,
            r.threads,
            r.what,
            r.gb_s,
            r.ns_per_element,
            r.copy_gb_s,
            100.0 * r.gb_s / r.copy_gb_s
        );
    }
    for line in legend(rows) {
        println!("  {line}");
    }
}
