//! The parts of the report binary (`src/main.rs`); not part of the library.

pub mod args;
pub mod cache;
pub mod measure;
pub mod sample;
pub mod table;
pub mod threshold;
pub mod workload;
