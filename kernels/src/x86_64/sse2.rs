//! SSE2 kernels: the portable `wide` body, which on x86_64 compiles to `movups` loads,
//! `mulps`/`mulpd` on `xmm` registers and `movups` stores.
//!
//! Safety contract: the crate-level kernel contract. SSE2 is baseline on x86_64, so these
//! need no runtime detection.

use crate::mul::mul_kernels;
use wide::{f32x4, f64x2};

// SSE2 is baseline on x86_64: the attribute documents rather than enables.
mul_kernels!(
    "sse2",
    "SSE2 (every x86_64 CPU)",
    mul_f32,
    mul_stream_f32,
    f32x4,
    f32
);
mul_kernels!(
    "sse2",
    "SSE2 (every x86_64 CPU)",
    mul_f64,
    mul_stream_f64,
    f64x2,
    f64
);
