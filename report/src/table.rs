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
    /// Where `a`, `b` and `out` start, in bytes past a 64-byte line (in cache the speed
    /// depends on it).
    pub offsets: [usize; 3],
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
                let offsets = [
                    a.as_ptr() as usize % 64,
                    b.as_ptr() as usize % 64,
                    out.as_ptr() as usize % 64,
                ];
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
                    offsets,
                });
            }
        }
        rows
    })
}

/// What each kind of row in `rows` measures, one line per kind present (and none for a
/// kind absent): the reader of a log sees no help text, and several rows mislead without
/// it (a forced split in L2, one thread in DRAM, AVX-512 behind AVX2 in L1).
pub fn legend(rows: &[Row]) -> Vec<String> {
    let mut lines = vec![
        "GB/s: bytes the call moves (a, b read, out written: 3 per element) per second, \
         median of the samples; copy GB/s: a copy of a into out (2 per element) on the same \
         buffers and threads; vs copy: the first over the second"
            .to_string(),
    ];
    let in_cache = |r: &&Row| r.size == "L1" || r.size == "L2";
    let placements: std::collections::BTreeSet<[usize; 3]> =
        rows.iter().filter(in_cache).map(|r| r.offsets).collect();
    if !placements.is_empty() {
        let listed: Vec<String> = placements
            .iter()
            .map(|[a, b, out]| format!("{a}, {b}, {out}"))
            .collect();
        lines.push(format!(
            "L1 and L2 rows: a, b and out are three Vecs where the allocator put them, \
             starting {} bytes past a 64-byte line. In cache that placement changes speed \
             2-3x: off a line every 64-byte AVX-512 load spans two lines, at most every \
             other 32-byte AVX2 load does, so avx2 can beat avx512 here. \
             `--ops --only mul/f32` measures each kernel with the operands on a line, all \
             at one offset and at different offsets",
            listed.join(" or ")
        ));
    }
    let threads: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.threads.as_str()).collect();
    for t in threads {
        lines.push(if t == "1" {
            "threads 1: the call on one thread (Parallelism::Sequential)".to_string()
        } else {
            format!(
                "threads {t}: the call forced to split over {t} threads (Parallelism::Parallel), \
                 the copy too. Below the size where splitting pays the default call stays on \
                 one thread; these rows show the cost it avoids: waking the other threads \
                 dominates both, so a 'vs copy' far above 100% there means the copy suffered \
                 more, not that the product is fast"
            )
        });
    }
    if rows.iter().any(|r| r.size == "DRAM" && r.threads == "1") {
        lines.push(
            "DRAM rows on one thread: one core does not reach the memory's bandwidth (the \
             split rows move more); its rate is bounded by the cache misses it keeps in \
             flight, of which the product's two input streams likely keep more than the \
             copy's one, so it can move more bytes per second than the copy (above 100%)"
                .into(),
        );
    }
    let suffixes = ["/normal", "/nt"];
    if rows.iter().any(|r| r.what.ends_with("/normal")) {
        lines.push("kernel/normal: stores through the cache, forced (Stores::Normal)".into());
    }
    if rows.iter().any(|r| r.what.ends_with("/nt")) {
        lines.push("kernel/nt: streaming (non-temporal) stores, forced (Stores::Streaming)".into());
    }
    let plain = |r: &Row| !suffixes.iter().any(|s| r.what.ends_with(s));
    let kernel_rows = "kernel: the kernel forced with Options::kernel";
    lines.push(if rows.iter().all(plain) {
        format!(
            "{kernel_rows}, storing as the default call does (streaming stores when the \
             output is larger than the last-level cache)"
        )
    } else if rows.iter().any(plain) {
        format!(
            "{kernel_rows}; without a suffix, storing as the default call does (streaming \
             stores when the output is larger than the last-level cache)"
        )
    } else {
        format!("{kernel_rows}; the suffix says how it stores")
    });
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(size: &str, threads: &str, what: &str) -> Row {
        Row {
            type_name: "f32",
            size: size.into(),
            elements: 1,
            threads: threads.into(),
            what: what.into(),
            gb_s: 1.0,
            ns_per_element: 1.0,
            copy_gb_s: 1.0,
            offsets: [16, 32, 48],
        }
    }

    fn says(lines: &[String], what: &str) -> bool {
        lines.iter().any(|l| l.contains(what))
    }

    #[test]
    fn the_legend_explains_the_rows_present_and_no_others() {
        let lines = legend(&[row("L1", "1", "avx512"), row("L1", "1", "avx2")]);
        assert!(says(
            &lines,
            "starting 16, 32, 48 bytes past a 64-byte line"
        ));
        assert!(says(&lines, "threads 1:") && !says(&lines, "forced to split"));
        assert!(!says(&lines, "DRAM rows") && !says(&lines, "without a suffix"));
        assert!(!says(&lines, "kernel/nt") && !says(&lines, "kernel/normal"));
        let lines = legend(&[row("DRAM", "1", "avx512/nt"), row("DRAM", "4", "avx512")]);
        assert!(!says(&lines, "L1 and L2 rows"));
        assert!(
            says(&lines, "DRAM rows on one thread") && says(&lines, "threads 4: the call forced")
        );
        assert!(says(&lines, "kernel/nt") && says(&lines, "without a suffix"));
        let lines = legend(&[row("DRAM", "4", "avx512/nt")]);
        assert!(!says(&lines, "DRAM rows on one thread") && !says(&lines, "without a suffix"));
    }
}
