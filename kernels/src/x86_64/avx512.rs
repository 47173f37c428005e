//! AVX-512 kernels in `std::arch`: `vmovups` loads, `vmulps`/`vmulpd` on `zmm`
//! registers, `vmovups` stores, four registers per iteration. The head (up to a 64-byte
//! boundary of `out`, so no store splits a cache line) and the tail are single masked
//! operations: masked-off lanes are neither read nor written, and never fault.
//! `scripts/check-disasm.sh` checks the `zmm` multiplies in the release build.
//!
//! The dispatcher offers this level only with AVX-512 F, BW, DQ and VL (x86-64-v4), the
//! set every AVX-512 CPU since Skylake-SP has; the element types to come need BW and DQ.
//!
//! Safety contract: the crate-level kernel contract, and the CPU has AVX-512 F/BW/DQ/VL.

use crate::mul::mul_kernels;
use crate::vector::Vector;
use core::arch::x86_64::{
    __m512, __m512d, _mm512_loadu_pd, _mm512_loadu_ps, _mm512_mask_storeu_pd,
    _mm512_mask_storeu_ps, _mm512_maskz_loadu_pd, _mm512_maskz_loadu_ps, _mm512_mul_pd,
    _mm512_mul_ps, _mm512_storeu_pd, _mm512_storeu_ps, _mm512_stream_pd, _mm512_stream_ps,
    _mm_sfence,
};

macro_rules! avx512_vector {
    (
        $v:ty, $t:ty, $n:literal, $mask:ty,
        $load:ident, $store:ident, $stream:ident, $mul:ident, $mload:ident, $mstore:ident
    ) => {
        // SAFETY: the unaligned load and store intrinsics move exactly $n elements, the
        // masked ones exactly the n lanes of the mask; the multiply intrinsic is the IEEE
        // product per lane (no FMA contraction).
        unsafe impl Vector for $v {
            type Elem = $t;
            const LANES: usize = $n;

            #[inline(always)]
            unsafe fn load(ptr: *const $t) -> Self {
                // SAFETY: `ptr` is readable for $n elements (caller); loadu takes any
                // alignment; the CPU has AVX-512F (caller).
                unsafe { $load(ptr) }
            }

            #[inline(always)]
            unsafe fn store(self, ptr: *mut $t) {
                // SAFETY: `ptr` is writable for $n elements (caller); storeu takes any
                // alignment; the CPU has AVX-512F (caller).
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
                // SAFETY: the CPU has AVX-512F (caller).
                unsafe { $mul(self, other) }
            }

            #[inline(always)]
            unsafe fn mul_partial(a: *const $t, b: *const $t, out: *mut $t, n: usize) {
                // n < $n <= 16, so the shift cannot overflow and the mask selects lanes
                // 0..n exactly.
                let mask = ((1u32 << n) - 1) as $mask;
                // SAFETY: lanes outside the mask are not accessed (AVX-512 masked memory
                // operations suppress both the access and any fault), and lanes 0..n are
                // valid (caller). The CPU has AVX-512F (caller).
                unsafe {
                    let product = $mul($mload(mask, a), $mload(mask, b));
                    $mstore(out, mask, product);
                }
            }
        }
    };
}

avx512_vector!(
    __m512,
    f32,
    16,
    u16,
    _mm512_loadu_ps,
    _mm512_storeu_ps,
    _mm512_stream_ps,
    _mm512_mul_ps,
    _mm512_maskz_loadu_ps,
    _mm512_mask_storeu_ps
);
avx512_vector!(
    __m512d,
    f64,
    8,
    u8,
    _mm512_loadu_pd,
    _mm512_storeu_pd,
    _mm512_stream_pd,
    _mm512_mul_pd,
    _mm512_maskz_loadu_pd,
    _mm512_mask_storeu_pd
);

mul_kernels!(
    "avx512f,avx512bw,avx512dq,avx512vl",
    "AVX-512 F, BW, DQ and VL",
    mul_f32,
    mul_stream_f32,
    __m512,
    f32
);
mul_kernels!(
    "avx512f,avx512bw,avx512dq,avx512vl",
    "AVX-512 F, BW, DQ and VL",
    mul_f64,
    mul_stream_f64,
    __m512d,
    f64
);
