//! Every available kernel side by side, on one thread, over lengths 16 … 64M elements,
//! for f32 and f64; plus the default path (dispatch and the parallel split included).
//! Throughput counts two reads and one write per element.
//!
//! `cargo bench --bench kernels` runs it all (about half an hour, most of it in the
//! large sizes); `cargo bench --bench kernels -- 'f32/.*/4096$'` runs one length.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use hadamard::{Options, Parallelism};
use std::hint::black_box;

mod common;
use common::sample::{self, Sample};

fn bench_type<T: Sample>(c: &mut Criterion) {
    let mut group = c.benchmark_group(T::NAME);
    for len in sample::sweep_lengths() {
        let [a, b, mut out] = sample::operands::<T>(len);
        common::plan(&mut group, len, std::mem::size_of::<T>());

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
