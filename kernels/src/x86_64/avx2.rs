//! AVX2 kernels in `std::arch`: `vmovups` loads, `vmulps`/`vmulpd` on `ymm` registers,
//! `vmovups` stores, four registers per iteration, a scalar head up to a 32-byte boundary
//! of `out` and a scalar tail. `scripts/check-disasm.sh` checks the `ymm` multiplies in
//! the release build.
//!
//! Why not `wide::f32x8`: built for the baseline target, `wide` selects its 256-bit types'
//! implementation at compile time, so inside this module's `#[target_feature]` functions
//! they would still be pairs of 128-bit `xmm` operations.
//!
//! Safety contract: the crate-level kernel contract, and the CPU has AVX2 and FMA.

use crate::mul::mul_kernels;
use crate::vector::Vector;
use core::arch::x86_64::{
    __m256, __m256d, _mm256_loadu_pd, _mm256_loadu_ps, _mm256_mul_pd, _mm256_mul_ps,
    _mm256_storeu_pd, _mm256_storeu_ps, _mm256_stream_pd, _mm256_stream_ps, _mm_sfence,
};

macro_rules! avx2_vector {
    ($v:ty, $t:ty, $n:literal, $load:ident, $store:ident, $stream:ident, $mul:ident) => {
        // SAFETY: the unaligned load and store intrinsics move exactly $n elements; the
        // multiply intrinsic is the IEEE product per lane (no FMA contraction).
        unsafe impl Vector for $v {
            type Elem = $t;
            const LANES: usize = $n;

            #[inline(always)]
            unsafe fn load(ptr: *const $t) -> Self {
                // SAFETY: `ptr` is readable for $n elements (caller); loadu takes any
                // alignment; the CPU has AVX (caller).
                unsafe { $load(ptr) }
            }

            #[inline(always)]
            unsafe fn store(self, ptr: *mut $t) {
                // SAFETY: `ptr` is writable for $n elements (caller); storeu takes any
                // alignment; the CPU has AVX (caller).
                unsafe { $store(ptr, self) }
            }

            #[inline(always)]
            unsafe fn store_stream(self, ptr: *mut $t) {
                // SAFETY: `ptr` is writable for $n elements and aligned to the register
                // size (caller), as the streaming store requires.
                unsafe { $stream(ptr, self) }
            }

            #[inline(always)]
            unsafe fn stream_fence() {
                // SAFETY: SSE is baseline on x86_64.
                unsafe { _mm_sfence() }
            }

            #[inline(always)]
            unsafe fn mul(self, other: Self) -> Self {
                // SAFETY: the CPU has AVX (caller).
                unsafe { $mul(self, other) }
            }
        }
    };
}

avx2_vector!(
    __m256,
    f32,
    8,
    _mm256_loadu_ps,
    _mm256_storeu_ps,
    _mm256_stream_ps,
    _mm256_mul_ps
);
avx2_vector!(
    __m256d,
    f64,
    4,
    _mm256_loadu_pd,
    _mm256_storeu_pd,
    _mm256_stream_pd,
    _mm256_mul_pd
);

mul_kernels!(
    "avx2,fma",
    "AVX2 and FMA",
    mul_f32,
    mul_stream_f32,
    __m256,
    f32
);
mul_kernels!(
    "avx2,fma",
    "AVX2 and FMA",
    mul_f64,
    mul_stream_f64,
    __m256d,
    f64
);
