//! What both criterion benches share: the operands and lengths (from the report's
//! `sample.rs`) and the sampling plan per length.

use criterion::measurement::Measurement;
use criterion::{BenchmarkGroup, Throughput};
use std::time::Duration;

#[path = "../../src/report/sample.rs"]
pub mod sample;

#[path = "../../src/report/native.rs"]
#[allow(dead_code)] // benches/peers.rs does not use it
pub mod native;

#[path = "../../src/report/cases.rs"]
#[allow(dead_code)] // benches/peers.rs does not use it
pub mod cases;

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
