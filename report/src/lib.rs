//! The parts of `hadamard`'s report tool (the `hadamard` binary of this crate, run by
//! `cargo run --release` at the top of the workspace). Not part of the library, never
//! published: the criterion benches in the top-level `benches/` borrow the operands, the
//! plain loops and the peers from here.

pub mod args;
pub mod cases;
#[cfg(feature = "compare")]
pub mod compare;
#[cfg(feature = "compare")]
pub mod contenders;
pub mod measure;
pub mod native;
pub mod ops;
pub mod plot;
pub mod progress;
pub mod sample;
pub mod streaming;
pub mod table;
pub mod threshold;
pub mod workload;
