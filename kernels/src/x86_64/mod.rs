//! x86_64 kernels: one module per instruction-set level.
//!
//! | module | needs (runtime-detected by the caller) | registers |
//! |---|---|---|
//! | [`sse2`] | nothing: SSE2 is part of the x86_64 baseline | `xmm`, through `wide` |
//! | [`avx2`] | `avx2` and `fma` | `ymm`, `std::arch` |
//! | [`avx512`] | `avx512f`, `avx512bw`, `avx512dq`, `avx512vl` | `zmm`, `std::arch`, masked head and tail |

pub mod avx2;
pub mod avx512;
pub mod sse2;
