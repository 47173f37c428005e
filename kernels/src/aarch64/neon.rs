//! NEON kernels: the portable `wide` body, which on aarch64 compiles to `ldr q` loads,
//! `fmul v.4s`/`fmul v.2d` and `str q` stores.
//!
//! This file cannot be built or run on the x86_64 machines this crate is developed on; it
//! is correct by construction: the same generic loop as the SSE2 kernel, tested there,
//! over `wide`'s `f32x4`/`f64x2`, whose NEON implementation `wide` selects at compile
//! time. Safety contract: the crate-level kernel contract.

use crate::mul::mul_kernels;
use wide::{f32x4, f64x2};

// NEON is baseline on aarch64: the attribute documents rather than enables.
mul_kernels!(
    "neon",
    "NEON (every aarch64 CPU)",
    mul_f32,
    mul_stream_f32,
    f32x4,
    f32
);
mul_kernels!(
    "neon",
    "NEON (every aarch64 CPU)",
    mul_f64,
    mul_stream_f64,
    f64x2,
    f64
);
