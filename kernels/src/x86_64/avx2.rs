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

use crate::vector::Vector;
use core::arch::x86_64::{
    __m256, __m256d, _mm256_loadu_pd, _mm256_loadu_ps, _mm256_mul_pd, _mm256_mul_ps,
    _mm256_storeu_pd, _mm256_storeu_ps,
};

macro_rules! avx2_vector {
    ($v:ty, $t:ty, $n:literal, $load:ident, $store:ident, $mul:ident) => {
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
    _mm256_mul_ps
);
avx2_vector!(
    __m256d,
    f64,
    4,
    _mm256_loadu_pd,
    _mm256_storeu_pd,
    _mm256_mul_pd
);

/// `out[i] = a[i] * b[i]` for `f32` with `ymm` registers.
///
/// # Safety
///
/// The crate-level kernel contract; the CPU has AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
pub unsafe fn mul_f32(a: *const f32, b: *const f32, out: *mut f32, len: usize) {
    // SAFETY: forwarded from this function's contract.
    unsafe { crate::mul::mul::<__m256>(a, b, out, len) }
}

/// `out[i] = a[i] * b[i]` for `f64` with `ymm` registers.
///
/// # Safety
///
/// The crate-level kernel contract; the CPU has AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
pub unsafe fn mul_f64(a: *const f64, b: *const f64, out: *mut f64, len: usize) {
    // SAFETY: forwarded from this function's contract.
    unsafe { crate::mul::mul::<__m256d>(a, b, out, len) }
}
