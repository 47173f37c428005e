//! hadamard against its peers (naive and native-feature loops, rayon `par_chunks`, ndarray
//! `Zip`, nalgebra `component_mul`, faer `zip!`) at 16 … 64M elements, f32 and f64, on one
//! thread and all threads as each contender does by default. Throughput counts two reads
//! and one write per element.
//!
//! `cargo bench --bench peers` runs it all (about 20 minutes);
//! `cargo bench --bench peers -- 'f32/.*/16$'` the small calls only.
//! The same contenders, with a ratio table, come from
//! `cargo run --release --features compare -- --compare`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

mod common;
use hadamard_report::contenders;

use common::sample::{self, Sample};
use contenders::{Op, PeerElement};

fn bench_type<T: Sample + PeerElement>(c: &mut Criterion) {
    let list = contenders::all::<T>();
    let mut group = c.benchmark_group(T::NAME);
    for len in sample::sweep_lengths() {
        let [a, b, mut out] = sample::operands::<T>(len);
        common::plan(&mut group, len, std::mem::size_of::<T>());
        for contender in &list {
            if contender.op == Op::InPlace {
                out.copy_from_slice(&a); // keep in-place products away from inf
            }
            group.bench_function(BenchmarkId::new(&contender.name, len), |bench| {
                bench.iter(|| (contender.run)(black_box(&a), black_box(&b), black_box(&mut out)))
            });
        }
    }
    group.finish();
}

/// Three operands of `len` elements whose starts are `offset_bytes` past a 64-byte line.
struct Placed<T> {
    buf: [Vec<T>; 3],
    starts: [usize; 3],
    len: usize,
}

impl<T: Sample> Placed<T> {
    fn new(len: usize, offset_bytes: usize) -> Placed<T> {
        let size = std::mem::size_of::<T>();
        let make = |k: usize| {
            (0..len + 64)
                .map(|i| T::from_index(i * k + 1))
                .collect::<Vec<T>>()
        };
        let buf = [make(1), make(7), make(3)];
        let starts = [0, 1, 2].map(|i| {
            let addr = buf[i].as_ptr() as usize;
            ((64 - addr % 64) % 64 + offset_bytes) / size
        });
        Placed { buf, starts, len }
    }

    fn split(&mut self) -> (&[T], &[T], &mut [T]) {
        let [s0, s1, s2] = self.starts;
        let n = self.len;
        let [a, b, out] = &mut self.buf;
        (&a[s0..s0 + n], &b[s1..s1 + n], &mut out[s2..s2 + n])
    }
}

/// In cache, one thread: the dispatched call against the loop compiled with the CPU's
/// features, with every operand on a 64-byte line and with every operand 16 bytes off one
/// (as malloc places them).
fn in_cache_alignment<T: Sample + PeerElement>(c: &mut Criterion) {
    let mut group = c.benchmark_group(format!("{}-alignment", T::NAME));
    group
        .sample_size(30)
        .measurement_time(Duration::from_millis(800));
    group.warm_up_time(Duration::from_millis(200));
    let list: Vec<_> = contenders::all::<T>()
        .into_iter()
        .filter(|c| {
            c.op == Op::Out
                && (c.hadamard_default || c.name.contains("native") || c.name.contains("1 thread"))
        })
        .collect();
    for len in [1024, 4096, 16384] {
        group.throughput(Throughput::Bytes(
            (3 * len * std::mem::size_of::<T>()) as u64,
        ));
        for offset in [0, 16] {
            let mut placed = Placed::<T>::new(len, offset);
            for contender in &list {
                let id = format!("{}/offset{offset}", contender.name);
                group.bench_function(BenchmarkId::new(id, len), |bench| {
                    let (a, b, out) = placed.split();
                    bench.iter(|| (contender.run)(black_box(a), black_box(b), black_box(out)))
                });
            }
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    in_cache_alignment::<f32>,
    in_cache_alignment::<f64>,
    bench_type::<f32>,
    bench_type::<f64>
);
criterion_main!(benches);
