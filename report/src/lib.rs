//! The parts of the report binary (`src/main.rs`); not part of the library.

pub mod args;
pub mod cases;
#[cfg(feature = "compare")]
pub mod compare;
#[cfg(feature = "compare")]
pub mod contenders;
pub mod measure;
pub mod native;
pub mod ops;
#[cfg(feature = "compare")]
pub mod plot;
pub mod progress;
pub mod sample;
pub mod table;
pub mod threshold;
pub mod workload;
