//! What every measurement multiplies, and at which lengths: normal numbers (never
//! subnormal, which would measure the slow path), different in a, b and out. Shared by the
//! report binary and the benches.

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

/// The operands `a`, `b` and `out` of `len` elements, each written once (so no page fault
/// lands in a timing).
pub fn operands<T: Sample>(len: usize) -> [Vec<T>; 3] {
    [
        (0..len).map(T::from_index).collect(),
        (0..len).map(|i| T::from_index(i * 7 + 3)).collect(),
        (0..len).map(|i| T::from_index(i * 3)).collect(),
    ]
}

/// The lengths sweeps use: 16, 64, 256, … 64M, every power of four.
pub fn sweep_lengths() -> impl Iterator<Item = usize> {
    (2..=13).map(|k| 1usize << (2 * k))
}
