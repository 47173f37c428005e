//! SSE2 kernels: the portable `wide` float body (`movups` loads, `mulps`/`mulpd` on
//! `xmm`, `movups` stores) and `std::arch` integer and conversion code on `__m128i`.
//!
//! SSE2 has no 8-bit, 32-bit-low or 64-bit multiply, no F16C conversions: the integer
//! products are built in `integer.rs` from `pmullw`/`pmulhw`/`pmuludq`, the binary16
//! conversions in `half_emulation.rs` from integer and f32 lane operations.
//!
//! Safety contract: the crate-level kernel contract. SSE2 is baseline on x86_64, so these
//! need no runtime detection.

use super::forward_int_methods;
use crate::half_emulation::{f16_to_f32, f32_to_f16};
use crate::integer::IntArith;
use crate::isa::{IntReg, Isa};
use core::arch::x86_64::*;
use wide::{f32x4, f64x2};

/// The SSE2 instruction set.
#[derive(Clone, Copy)]
pub(crate) struct Sse2;

impl Isa for Sse2 {
    type F32 = f32x4;
    type F64 = f64x2;
    type Int = __m128i;

    #[inline(always)]
    unsafe fn fence() {
        // SAFETY: SSE is baseline on x86_64.
        unsafe { _mm_sfence() }
    }

    #[inline(always)]
    unsafe fn load_f16(ptr: *const u16) -> f32x4 {
        // SAFETY: `ptr` is readable for 4 elements = 8 bytes (caller); movq takes any
        // alignment.
        let halves = unsafe { _mm_loadl_epi64(ptr.cast()) };
        // SAFETY: SSE2 is baseline.
        let bits = unsafe { f16_to_f32(_mm_unpacklo_epi16(halves, _mm_setzero_si128())) };
        bytemuck::cast::<__m128i, f32x4>(bits)
    }

    #[inline(always)]
    unsafe fn store_f16(v: f32x4, ptr: *mut u16) {
        // SAFETY: SSE2 is baseline; `ptr` is writable for 4 elements (caller).
        unsafe { Self::store_narrowed_u16(f32_to_f16(bytemuck::cast::<f32x4, __m128i>(v)), ptr) }
    }

    #[inline(always)]
    unsafe fn load_bf16(ptr: *const u16) -> f32x4 {
        // SAFETY: `ptr` is readable for 4 elements = 8 bytes (caller).
        let halves = unsafe { _mm_loadl_epi64(ptr.cast()) };
        // Each bfloat16 becomes the high half of its f32 lane.
        // SAFETY: SSE2 is baseline.
        let bits = unsafe { _mm_unpacklo_epi16(_mm_setzero_si128(), halves) };
        bytemuck::cast::<__m128i, f32x4>(bits)
    }

    #[inline(always)]
    unsafe fn store_narrowed_u16(v: __m128i, ptr: *mut u16) {
        // SAFETY: SSE2 is baseline; `ptr` is writable for 4 elements = 8 bytes (caller).
        unsafe { _mm_storel_epi64(ptr.cast(), narrowed_u16(v)) }
    }

    #[inline(always)]
    unsafe fn store_f16_stream(v: f32x4, ptr: *mut u16) {
        // SAFETY: SSE2 is baseline; `ptr` is writable for 8 bytes and 8-byte aligned (caller).
        unsafe {
            Self::store_narrowed_u16_stream(f32_to_f16(bytemuck::cast::<f32x4, __m128i>(v)), ptr)
        }
    }

    #[inline(always)]
    unsafe fn store_narrowed_u16_stream(v: __m128i, ptr: *mut u16) {
        // As `store_narrowed_u16`, then the low 8 bytes through a general register with
        // `movnti`, SSE2's one non-temporal store narrower than 16 bytes.
        // SAFETY: SSE2 is baseline; `ptr` is writable for 8 bytes and 8-byte aligned
        // (caller), as movnti requires.
        unsafe { _mm_stream_si64(ptr.cast(), _mm_cvtsi128_si64(narrowed_u16(v))) }
    }

    #[inline(always)]
    unsafe fn f32_bits(v: f32x4) -> __m128i {
        bytemuck::cast(v)
    }
}

impl IntReg for __m128i {
    const BYTES: usize = 16;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: `ptr` is readable for 16 bytes (caller); loadu takes any alignment.
        unsafe { _mm_loadu_si128(ptr.cast()) }
    }
    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: `ptr` is writable for 16 bytes (caller); storeu takes any alignment.
        unsafe { _mm_storeu_si128(ptr.cast(), self) }
    }
    #[inline(always)]
    unsafe fn store_stream(self, ptr: *mut u8) {
        // SAFETY: `ptr` is writable for 16 bytes and 16-byte aligned (caller).
        unsafe { _mm_stream_si128(ptr.cast(), self) }
    }
    /// SSE2 has no `pmulld` (SSE4.1): the low halves of the even and odd lanes' 64-bit
    /// products.
    #[inline(always)]
    unsafe fn mullo32(self, o: Self) -> Self {
        // SAFETY: SSE2 is baseline.
        unsafe { self.mul_u32_full(o).0 }
    }
    /// SSE2 has no `pcmpeqq` (SSE4.1): both 32-bit halves equal.
    #[inline(always)]
    unsafe fn eq64(self, o: Self) -> Self {
        // SAFETY: SSE2 is baseline.
        unsafe {
            let halves = _mm_cmpeq_epi32(self, o);
            _mm_and_si128(halves, _mm_shuffle_epi32::<0b10_11_00_01>(halves))
        }
    }
    /// SSE2 has no 64-bit arithmetic shift: the high half's sign, copied to both halves.
    #[inline(always)]
    unsafe fn sign64(self) -> Self {
        // SAFETY: SSE2 is baseline.
        unsafe { _mm_shuffle_epi32::<0b11_11_01_01>(_mm_srai_epi32::<31>(self)) }
    }
    #[inline(always)]
    unsafe fn i32_to_f32(self) -> Self {
        // SAFETY: SSE2 is baseline.
        unsafe { _mm_castps_si128(_mm_cvtepi32_ps(self)) }
    }
    #[inline(always)]
    unsafe fn f32_add(self, o: Self) -> Self {
        // SAFETY: SSE2 is baseline.
        unsafe { _mm_castps_si128(_mm_add_ps(_mm_castsi128_ps(self), _mm_castsi128_ps(o))) }
    }
    #[inline(always)]
    unsafe fn f32_mul(self, o: Self) -> Self {
        // SAFETY: SSE2 is baseline.
        unsafe { _mm_castps_si128(_mm_mul_ps(_mm_castsi128_ps(self), _mm_castsi128_ps(o))) }
    }

    forward_int_methods! {
        binary {
            and => _mm_and_si128,
            or => _mm_or_si128,
            xor => _mm_xor_si128,
            add8 => _mm_add_epi8,
            add16 => _mm_add_epi16,
            add32 => _mm_add_epi32,
            add64 => _mm_add_epi64,
            sub32 => _mm_sub_epi32,
            sub64 => _mm_sub_epi64,
            mullo16 => _mm_mullo_epi16,
            mulhi_u16 => _mm_mulhi_epu16,
            mulhi_i16 => _mm_mulhi_epi16,
            mul_u32_wide => _mm_mul_epu32,
            eq16 => _mm_cmpeq_epi16,
            eq32 => _mm_cmpeq_epi32,
            gt_i32 => _mm_cmpgt_epi32,
            min_i16 => _mm_min_epi16,
            max_i16 => _mm_max_epi16,
        }
        shift {
            shl16 => _mm_sll_epi16,
            shr16 => _mm_srl_epi16,
            sar16 => _mm_sra_epi16,
            shl32 => _mm_sll_epi32,
            shr32 => _mm_srl_epi32,
            sar32 => _mm_sra_epi32,
            shl64 => _mm_sll_epi64,
            shr64 => _mm_srl_epi64,
        }
        splat {
            splat16(u16) => _mm_set1_epi16,
            splat32(u32) => _mm_set1_epi32,
            splat64(u64) => _mm_set1_epi64x,
        }
    }
}

impl IntArith for __m128i {}

// SSE2 is baseline on x86_64: the attribute documents rather than enables.
crate::kernels::isa_kernels!("sse2", "SSE2 (every x86_64 CPU)", Sse2);

/// The four 32-bit lanes of `v` (each below 2^16) as 16-bit values in the low 8 bytes, for
/// the plain and the streaming store alike. packs saturates signed values: sign-extend the
/// low halves first so that every value below 2^16 survives as its own bits.
#[inline(always)]
fn narrowed_u16(v: __m128i) -> __m128i {
    // SAFETY: SSE2 is baseline on x86_64.
    unsafe {
        let signed = _mm_srai_epi32::<16>(_mm_slli_epi32::<16>(v));
        _mm_packs_epi32(signed, signed)
    }
}
