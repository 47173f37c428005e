//! What both criterion benches share: the operands, lengths, plain loops and cases (from
//! the report crate, `report/`) and the sampling plan per length.

use criterion::measurement::Measurement;
use criterion::{BenchmarkGroup, Throughput};
use std::time::Duration;

#[allow(unused_imports)] // each bench uses some of them
pub use hadamard_report::{cases, native, sample};

/// Throughput in bytes moved (two reads and one write per element) and a sampling plan:
/// big lengths take milliseconds a call, so fewer, longer samples keep the run short.
pub fn plan<M: Measurement>(group: &mut BenchmarkGroup<'_, M>, len: usize, element_bytes: usize) {
    let bytes = 3 * len * element_bytes;
    group.throughput(Throughput::Bytes(bytes as u64));
    if bytes > 64 << 20 {
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(3));
    } else {
        group
            .sample_size(20)
            .measurement_time(Duration::from_millis(800));
    }
    group.warm_up_time(Duration::from_millis(200));
}
