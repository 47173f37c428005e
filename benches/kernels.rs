//! Every available kernel side by side, on one thread, over lengths 16 … 64M elements,
//! for f32 and f64; plus the default path (dispatch and the parallel split included).
//! Throughput counts two reads and one write per element.
//!
//! `cargo bench --bench kernels` runs it all (about half an hour, most of it in the
//! large sizes); `cargo bench --bench kernels -- 'f32/.*/4096$'` runs one length.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use hadamard::{Options, Parallelism};
use std::hint::black_box;
use std::time::Duration;

#[path = "../src/report/sample.rs"]
mod sample;
use sample::Sample;

/// 16, 64, 256, … 64M: every power of four.
fn lengths() -> impl Iterator<Item = usize> {
    (2..=13).map(|k| 1usize << (2 * k))
}

fn bench_type<T: Sample>(c: &mut Criterion) {
    let mut group = c.benchmark_group(T::NAME);
    for len in lengths() {
        let a: Vec<T> = (0..len).map(T::from_index).collect();
        let b: Vec<T> = (0..len).map(|i| T::from_index(i * 7 + 3)).collect();
        let mut out: Vec<T> = a.clone();
        let bytes = 3 * len * std::mem::size_of::<T>();
        group.throughput(Throughput::Bytes(bytes as u64));
        // Big lengths take milliseconds a call: fewer, longer samples keep the run short.
        if bytes > 64 << 20 {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(4));
        } else {
            group
                .sample_size(30)
                .measurement_time(Duration::from_secs(1));
        }
        group.warm_up_time(Duration::from_millis(300));

        for kernel in hadamard::available_kernels() {
            let opts = Options::new()
                .kernel(kernel)
                .unwrap()
                .parallelism(Parallelism::Sequential);
            group.bench_function(BenchmarkId::new(kernel.name(), len), |bench| {
                bench.iter(|| {
                    opts.mul_elementwise(black_box(&a), black_box(&b), black_box(&mut out))
                        .unwrap()
                })
            });
        }
        group.bench_function(BenchmarkId::new("default", len), |bench| {
            bench.iter(|| {
                hadamard::mul_elementwise(black_box(&a), black_box(&b), black_box(&mut out))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_type::<f32>, bench_type::<f64>);
criterion_main!(benches);
