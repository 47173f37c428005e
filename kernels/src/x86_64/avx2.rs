//! AVX2 kernels in `std::arch`: `vmovups` loads, `vmulps`/`vmulpd` and the integer
//! products on `ymm` registers, `vmovups` stores, four registers per iteration, a scalar
//! head up to a 32-byte boundary of the output and a scalar tail. binary16 converts with
//! F16C (`vcvtph2ps`/`vcvtps2ph`), which every AVX2 CPU has. `scripts/check-disasm.sh`
//! checks the `ymm` multiplies in the release build.
//!
//! Why not `wide::f32x8`: built for the baseline target, `wide` selects its 256-bit types'
//! implementation at compile time, so inside this module's `#[target_feature]` functions
//! they would still be pairs of 128-bit `xmm` operations.
//!
//! Safety contract: the crate-level kernel contract, and the CPU has AVX2, FMA and F16C.

use super::{forward_int_methods, x86_float_reg};
use crate::integer::IntArith;
use crate::isa::{IntReg, Isa};
use core::arch::x86_64::*;

/// The AVX2 (+FMA, F16C) instruction set.
#[derive(Clone, Copy)]
pub(crate) struct Avx2;

impl Isa for Avx2 {
    type F32 = __m256;
    type F64 = __m256d;
    type Int = __m256i;

    #[inline(always)]
    unsafe fn fence() {
        // SAFETY: SSE is baseline on x86_64.
        unsafe { _mm_sfence() }
    }

    #[inline(always)]
    unsafe fn load_f16(ptr: *const u16) -> __m256 {
        // SAFETY: `ptr` is readable for 8 elements = 16 bytes (caller); the CPU has F16C
        // and AVX (caller).
        unsafe { _mm256_cvtph_ps(_mm_loadu_si128(ptr.cast())) }
    }

    #[inline(always)]
    unsafe fn store_f16(v: __m256, ptr: *mut u16) {
        // SAFETY: `ptr` is writable for 8 elements = 16 bytes (caller); the CPU has F16C
        // (caller). Rounding 0 is nearest-even, whatever MXCSR says.
        unsafe { _mm_storeu_si128(ptr.cast(), _mm256_cvtps_ph::<_MM_FROUND_TO_NEAREST_INT>(v)) }
    }

    #[inline(always)]
    unsafe fn load_bf16(ptr: *const u16) -> __m256 {
        // SAFETY: `ptr` is readable for 16 bytes (caller); the CPU has AVX2 (caller).
        unsafe {
            let wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(ptr.cast()));
            _mm256_castsi256_ps(_mm256_slli_epi32::<16>(wide))
        }
    }

    #[inline(always)]
    unsafe fn store_narrowed_u16(v: __m256i, ptr: *mut u16) {
        // SAFETY: `ptr` is writable for 16 bytes (caller); the CPU has AVX2 (caller).
        unsafe { _mm_storeu_si128(ptr.cast(), narrowed_u16(v)) }
    }

    #[inline(always)]
    unsafe fn store_f16_stream(v: __m256, ptr: *mut u16) {
        // SAFETY: `ptr` is writable for 16 bytes and 16-byte aligned (caller), as movntdq
        // requires; the CPU has F16C (caller).
        unsafe { _mm_stream_si128(ptr.cast(), _mm256_cvtps_ph::<_MM_FROUND_TO_NEAREST_INT>(v)) }
    }

    #[inline(always)]
    unsafe fn store_narrowed_u16_stream(v: __m256i, ptr: *mut u16) {
        // SAFETY: as `store_narrowed_u16`, with `ptr` 16-byte aligned (caller).
        unsafe { _mm_stream_si128(ptr.cast(), narrowed_u16(v)) }
    }

    #[inline(always)]
    unsafe fn f32_bits(v: __m256) -> __m256i {
        // SAFETY: the CPU has AVX (caller).
        unsafe { _mm256_castps_si256(v) }
    }
}

x86_float_reg!(
    __m256,
    f32,
    8,
    _mm256_loadu_ps,
    _mm256_storeu_ps,
    _mm256_stream_ps,
    _mm256_mul_ps,
    _mm256_add_ps,
    _mm256_sub_ps,
    _mm256_fmadd_ps,
    |x, y| (
        _mm256_shuffle_ps::<0b10_00_10_00>(x, y),
        _mm256_shuffle_ps::<0b11_01_11_01>(x, y)
    ),
    |re, im| (_mm256_unpacklo_ps(re, im), _mm256_unpackhi_ps(re, im)),
    placed_joined(placed_ps, joined_ps)
);
x86_float_reg!(
    __m256d,
    f64,
    4,
    _mm256_loadu_pd,
    _mm256_storeu_pd,
    _mm256_stream_pd,
    _mm256_mul_pd,
    _mm256_add_pd,
    _mm256_sub_pd,
    _mm256_fmadd_pd,
    |x, y| (_mm256_unpacklo_pd(x, y), _mm256_unpackhi_pd(x, y)),
    |re, im| (_mm256_unpacklo_pd(re, im), _mm256_unpackhi_pd(re, im)),
    placed_joined(placed_pd, joined_pd)
);

// The sums' partial steps and turned rows (`reduce.rs`), without the stack buffer of the
// defaults: a masked load instead of a copy, two permutes and a blend instead of a load
// that straddles two stores (which stalls on store forwarding). Each works on 32-bit
// lanes; the f64 forms count two per element.

/// The 32-bit lanes `lo..hi` set, the others clear.
///
/// # Safety
/// The CPU has AVX2.
#[inline(always)]
unsafe fn lanes_between(lo: usize, hi: usize) -> __m256i {
    // SAFETY: the CPU has AVX2 (caller).
    unsafe {
        let lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        let above_lo = _mm256_cmpgt_epi32(lane, _mm256_set1_epi32(lo as i32 - 1));
        let below_hi = _mm256_cmpgt_epi32(_mm256_set1_epi32(hi as i32), lane);
        _mm256_and_si256(above_lo, below_hi)
    }
}

/// Elements `0..n` at `ptr` in lanes `lane..lane + n`, the others zero.
///
/// # Safety
/// `lane + n <= 8`; `ptr` is readable for `n` elements; the CPU has AVX2.
#[inline(always)]
unsafe fn placed_ps(ptr: *const f32, lane: usize, n: usize) -> __m256 {
    // SAFETY: vmaskmovps reads only the lanes its mask sets, lanes lane..lane + n of the
    // register at ptr - lane: the n readable elements at ptr (caller); the others neither
    // read nor fault. The CPU has AVX2 (caller).
    unsafe { _mm256_maskload_ps(ptr.wrapping_sub(lane), lanes_between(lane, lane + n)) }
}

/// As [`placed_ps`] for f64.
///
/// # Safety
/// `lane + n <= 4`; `ptr` is readable for `n` elements; the CPU has AVX2.
#[inline(always)]
unsafe fn placed_pd(ptr: *const f64, lane: usize, n: usize) -> __m256d {
    // SAFETY: as `placed_ps`, each element two 32-bit lanes of the mask.
    unsafe {
        let mask = lanes_between(2 * lane, 2 * (lane + n));
        _mm256_maskload_pd(ptr.wrapping_sub(lane), mask)
    }
}

/// Lanes `by..by + 8` of the row `x` then `y`.
///
/// # Safety
/// `by < 8`; the CPU has AVX2.
#[inline(always)]
unsafe fn joined_ps(x: __m256, y: __m256, by: usize) -> __m256 {
    // SAFETY: the CPU has AVX2 (caller); vpermps reads each index mod 8.
    unsafe {
        let at = _mm256_add_epi32(
            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
            _mm256_set1_epi32(by as i32),
        );
        let from_y = _mm256_cmpgt_epi32(at, _mm256_set1_epi32(7));
        let (x, y) = (
            _mm256_permutevar8x32_ps(x, at),
            _mm256_permutevar8x32_ps(y, at),
        );
        _mm256_blendv_ps(x, y, _mm256_castsi256_ps(from_y))
    }
}

/// As [`joined_ps`] for f64.
///
/// # Safety
/// `by < 4`; the CPU has AVX2.
#[inline(always)]
unsafe fn joined_pd(x: __m256d, y: __m256d, by: usize) -> __m256d {
    // SAFETY: an f64 lane is two f32 lanes, moved together; the CPU has AVX2 (caller).
    unsafe {
        let joined = joined_ps(_mm256_castpd_ps(x), _mm256_castpd_ps(y), 2 * by);
        _mm256_castps_pd(joined)
    }
}

impl IntReg for __m256i {
    const BYTES: usize = 32;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: `ptr` is readable for 32 bytes (caller); the CPU has AVX (caller).
        unsafe { _mm256_loadu_si256(ptr.cast()) }
    }
    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: `ptr` is writable for 32 bytes (caller); the CPU has AVX (caller).
        unsafe { _mm256_storeu_si256(ptr.cast(), self) }
    }
    #[inline(always)]
    unsafe fn store_stream(self, ptr: *mut u8) {
        // SAFETY: `ptr` is writable for 32 bytes and 32-byte aligned (caller).
        unsafe { _mm256_stream_si256(ptr.cast(), self) }
    }
    #[inline(always)]
    unsafe fn sign64(self) -> Self {
        // SAFETY: the CPU has AVX2 (caller).
        unsafe { _mm256_cmpgt_epi64(_mm256_setzero_si256(), self) }
    }
    #[inline(always)]
    unsafe fn i32_to_f32(self) -> Self {
        // SAFETY: the CPU has AVX (caller).
        unsafe { _mm256_castps_si256(_mm256_cvtepi32_ps(self)) }
    }
    #[inline(always)]
    unsafe fn f32_add(self, o: Self) -> Self {
        // SAFETY: the CPU has AVX (caller).
        unsafe {
            let sum = _mm256_add_ps(_mm256_castsi256_ps(self), _mm256_castsi256_ps(o));
            _mm256_castps_si256(sum)
        }
    }
    #[inline(always)]
    unsafe fn f32_mul(self, o: Self) -> Self {
        // SAFETY: the CPU has AVX (caller).
        unsafe {
            let product = _mm256_mul_ps(_mm256_castsi256_ps(self), _mm256_castsi256_ps(o));
            _mm256_castps_si256(product)
        }
    }

    forward_int_methods! {
        binary {
            and => _mm256_and_si256,
            or => _mm256_or_si256,
            xor => _mm256_xor_si256,
            add8 => _mm256_add_epi8,
            add16 => _mm256_add_epi16,
            add32 => _mm256_add_epi32,
            add64 => _mm256_add_epi64,
            sub32 => _mm256_sub_epi32,
            sub64 => _mm256_sub_epi64,
            mullo16 => _mm256_mullo_epi16,
            mulhi_u16 => _mm256_mulhi_epu16,
            mulhi_i16 => _mm256_mulhi_epi16,
            mullo32 => _mm256_mullo_epi32,
            mul_u32_wide => _mm256_mul_epu32,
            eq16 => _mm256_cmpeq_epi16,
            eq32 => _mm256_cmpeq_epi32,
            eq64 => _mm256_cmpeq_epi64,
            gt_i32 => _mm256_cmpgt_epi32,
            min_i16 => _mm256_min_epi16,
            max_i16 => _mm256_max_epi16,
        }
        shift {
            shl16 => _mm256_sll_epi16,
            shr16 => _mm256_srl_epi16,
            sar16 => _mm256_sra_epi16,
            shl32 => _mm256_sll_epi32,
            shr32 => _mm256_srl_epi32,
            sar32 => _mm256_sra_epi32,
            shl64 => _mm256_sll_epi64,
            shr64 => _mm256_srl_epi64,
        }
        splat {
            splat16(u16) => _mm256_set1_epi16,
            splat32(u32) => _mm256_set1_epi32,
            splat64(u64) => _mm256_set1_epi64x,
        }
    }
}

impl IntArith for __m256i {}

crate::kernels::isa_kernels!("avx2,fma,f16c", "AVX2, FMA and F16C", Avx2);

/// The eight 32-bit lanes of `v` (each below 2^16) as 16-bit values, for the plain and the
/// streaming store alike: packus works within 128-bit lanes (values below 2^16 pass
/// unchanged); the permute gathers each lane's low 64 bits.
///
/// # Safety
/// The CPU has AVX2.
#[inline(always)]
unsafe fn narrowed_u16(v: __m256i) -> __m128i {
    // SAFETY: the CPU has AVX2 (caller).
    unsafe {
        let packed = _mm256_permute4x64_epi64::<0b00_00_10_00>(_mm256_packus_epi32(v, v));
        _mm256_castsi256_si128(packed)
    }
}
