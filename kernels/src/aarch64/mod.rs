//! aarch64 kernels. NEON is baseline on aarch64, so [`neon`] needs no runtime detection.

pub mod neon;
