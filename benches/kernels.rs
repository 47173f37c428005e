//! Every available kernel side by side, on one thread, over lengths 16 … 64M elements,
//! for f32 and f64; plus the default path (dispatch and the parallel split included);
//! then every other operation and element type at three operand alignments beside the plain
//! loop compiled with the CPU's features (the `ops` group).
//! Throughput counts two reads and one write per element.
//!
//! `cargo bench --bench kernels` runs it all (about half an hour, most of it in the
//! large sizes); `cargo bench --bench kernels -- 'f32/.*/4096$'` runs one length.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use hadamard::{Options, Parallelism};
use std::hint::black_box;

mod common;
use common::cases::{Align, Runner};
use common::native::Native;
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

/// Every operation on every element type (integers, complex, split complex, f16/bf16,
/// widening): each available kernel on one thread, the default call, and the plain loop
/// compiled with the CPU's features (`native avx512`, `native avx2`), in cache (1024
/// elements) with the operands on a cache line, all 16 bytes past one, and at different
/// offsets, then out of cache (4M elements, different offsets, as `Vec`s usually are).
/// `cargo bench --bench kernels -- 'ops/mul/f32/different'` runs one operation and case.
fn bench_ops(c: &mut Criterion) {
    let mut group = c.benchmark_group("ops");
    let plans = Align::ALL
        .into_iter()
        .map(|align| (1024, align))
        .chain([(4 << 20, Align::Different)]);
    for (len, align) in plans {
        for mut case in common::cases::cases(|_| len, align) {
            let bytes = case.bytes_per_element * len;
            group.throughput(criterion::Throughput::Bytes(bytes as u64));
            group
                .sample_size(10)
                .warm_up_time(std::time::Duration::from_millis(100))
                .measurement_time(std::time::Duration::from_millis(400));
            let id = |who: &str| format!("{}/{}/{}/{who}", case.op, case.ty, align.name());
            for kernel in hadamard::available_kernels() {
                let opts = Options::new()
                    .kernel(kernel)
                    .unwrap()
                    .parallelism(Parallelism::Sequential);
                group.bench_function(BenchmarkId::new(id(kernel.name()), len), |bench| {
                    bench.iter(|| (case.run)(Runner::Crate(black_box(&opts))))
                });
            }
            let default = Options::new();
            group.bench_function(BenchmarkId::new(id("default"), len), |bench| {
                bench.iter(|| (case.run)(Runner::Crate(black_box(&default))))
            });
            for native in Native::available() {
                group.bench_function(BenchmarkId::new(id(native.name()), len), |bench| {
                    bench.iter(|| (case.run)(Runner::Native(black_box(native))))
                });
            }
        }
    }
    group.finish();
}

criterion_group!(benches, bench_type::<f32>, bench_type::<f64>, bench_ops);
criterion_main!(benches);
