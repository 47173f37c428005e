//! The values benchmarks multiply: normal numbers (never subnormal, which would measure
//! the slow path), different in a and b. Shared by the report binary and the benches.

use hadamard::Element;

/// An element type the report and the benches measure.
pub trait Sample: Element {
    const NAME: &'static str;
    /// A normal value in [1, 2), varying with `i`.
    fn from_index(i: usize) -> Self;
}

impl Sample for f32 {
    const NAME: &'static str = "f32";
    fn from_index(i: usize) -> f32 {
        1.0 + (i % 1021) as f32 / 1024.0
    }
}

impl Sample for f64 {
    const NAME: &'static str = "f64";
    fn from_index(i: usize) -> f64 {
        1.0 + (i % 1021) as f64 / 1024.0
    }
}
