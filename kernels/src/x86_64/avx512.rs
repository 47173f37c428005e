//! AVX-512 kernels in `std::arch`: `vmovups` loads, `vmulps`/`vmulpd` and the integer
//! products on `zmm` registers, `vmovups` stores, four registers per iteration. For the
//! real products the head (up to a 64-byte boundary of `out`, so no store splits a cache
//! line) and the tail are single masked operations: masked-off lanes are neither read nor
//! written, and never fault. The 64-bit wrapping product is AVX-512DQ's `vpmullq`;
//! binary16 converts with AVX-512F's `vcvtph2ps`/`vcvtps2ph`. bfloat16 rounds in integer
//! registers, not with AVX512_BF16's `vcvtneps2bf16`, which flushes subnormal results
//! to zero. `scripts/check-disasm.sh` checks the `zmm` multiplies in the release build.
//!
//! This is the one ISA that realigns (`REALIGN_BYTES = 64`): an input at another 16-byte
//! offset than the aligned output is read as the two aligned registers around it joined
//! by `valignd` with a constant (see `elementwise.rs`), so no load straddles a line.
//! AVX2's equivalent (two aligned 32-byte loads joined by `vperm2i128` for a 16-byte
//! offset) was built and measured on the same machine, and dropped: at different offsets
//! it ran 3–8% slower than AVX2's unaligned loads (f32, f64, 16/32-bit products,
//! multiply-add), since only every other 256-bit load straddles a line there.
//!
//! The dispatcher offers this level only with AVX-512 F, BW, DQ and VL (x86-64-v4), the
//! set every AVX-512 CPU since Skylake-SP has: the 8- and 16-bit products need BW, the
//! 64-bit ones and the compare-to-vector moves DQ.
//!
//! Safety contract: the crate-level kernel contract, and the CPU has AVX-512 F/BW/DQ/VL.

use super::{forward_int_methods, x86_float_reg};
use crate::integer::IntArith;
use crate::isa::{IntReg, Isa};
use core::arch::x86_64::*;

/// The AVX-512 F/BW/DQ/VL instruction set.
#[derive(Clone, Copy)]
pub(crate) struct Avx512;

impl Isa for Avx512 {
    type F32 = __m512;
    type F64 = __m512d;
    type Int = __m512i;
    const REALIGN_BYTES: usize = 64;

    #[inline(always)]
    unsafe fn fence() {
        // SAFETY: SSE is baseline on x86_64.
        unsafe { _mm_sfence() }
    }

    #[inline(always)]
    unsafe fn load_f16(ptr: *const u16) -> __m512 {
        // SAFETY: `ptr` is readable for 16 elements = 32 bytes (caller); the CPU has
        // AVX-512F (caller).
        unsafe { _mm512_cvtph_ps(_mm256_loadu_si256(ptr.cast())) }
    }

    #[inline(always)]
    unsafe fn store_f16(v: __m512, ptr: *mut u16) {
        // SAFETY: `ptr` is writable for 32 bytes (caller); the CPU has AVX-512F (caller).
        // Rounding 0 is nearest-even, whatever MXCSR says.
        unsafe {
            let halves = _mm512_cvtps_ph::<_MM_FROUND_TO_NEAREST_INT>(v);
            _mm256_storeu_si256(ptr.cast(), halves)
        }
    }

    #[inline(always)]
    unsafe fn load_bf16(ptr: *const u16) -> __m512 {
        // SAFETY: `ptr` is readable for 32 bytes (caller); the CPU has AVX-512F (caller).
        unsafe {
            let wide = _mm512_cvtepu16_epi32(_mm256_loadu_si256(ptr.cast()));
            _mm512_castsi512_ps(_mm512_slli_epi32::<16>(wide))
        }
    }

    #[inline(always)]
    unsafe fn store_narrowed_u16(v: __m512i, ptr: *mut u16) {
        // SAFETY: `ptr` is writable for 32 bytes (caller); the CPU has AVX-512F (caller).
        // vpmovdw truncates, which keeps every value below 2^16.
        unsafe { _mm256_storeu_si256(ptr.cast(), _mm512_cvtepi32_epi16(v)) }
    }

    #[inline(always)]
    unsafe fn store_f16_stream(v: __m512, ptr: *mut u16) {
        // SAFETY: `ptr` is writable for 32 bytes and 32-byte aligned (caller), as vmovntdq
        // requires; the CPU has AVX-512F (caller).
        unsafe {
            let halves = _mm512_cvtps_ph::<_MM_FROUND_TO_NEAREST_INT>(v);
            _mm256_stream_si256(ptr.cast(), halves)
        }
    }

    #[inline(always)]
    unsafe fn store_narrowed_u16_stream(v: __m512i, ptr: *mut u16) {
        // SAFETY: `ptr` is writable for 32 bytes and 32-byte aligned (caller).
        unsafe { _mm256_stream_si256(ptr.cast(), _mm512_cvtepi32_epi16(v)) }
    }

    #[inline(always)]
    unsafe fn f32_bits(v: __m512) -> __m512i {
        // SAFETY: the CPU has AVX-512F (caller).
        unsafe { _mm512_castps_si512(v) }
    }
}

/// The 64 bytes at `ptr`, which lies `16·units` bytes past a 64-byte boundary, from the
/// two aligned registers around it joined by `valignd` (one constant per offset): neither
/// load straddles a cache line. `units` is a constant wherever this is inlined.
///
/// # Safety
/// With `units` in 1..=3, `ptr - 16·units` is 64-byte aligned and the 128 bytes from it
/// are readable; with `units == 0`, the 64 bytes at `ptr`. The CPU has AVX-512F.
#[inline(always)]
unsafe fn realigned(ptr: *const u8, units: usize) -> __m512i {
    // SAFETY: the reads are the ones this function's contract makes readable.
    unsafe {
        if units == 0 {
            return _mm512_loadu_si512(ptr.cast());
        }
        let base = ptr.sub(16 * units);
        let lo = _mm512_loadu_si512(base.cast());
        let hi = _mm512_loadu_si512(base.add(64).cast());
        match units {
            1 => _mm512_alignr_epi32::<4>(hi, lo),
            2 => _mm512_alignr_epi32::<8>(hi, lo),
            _ => _mm512_alignr_epi32::<12>(hi, lo),
        }
    }
}

x86_float_reg!(
    __m512,
    f32,
    16,
    _mm512_loadu_ps,
    _mm512_storeu_ps,
    _mm512_stream_ps,
    _mm512_mul_ps,
    _mm512_add_ps,
    _mm512_sub_ps,
    _mm512_fmadd_ps,
    |x, y| (
        _mm512_shuffle_ps::<0b10_00_10_00>(x, y),
        _mm512_shuffle_ps::<0b11_01_11_01>(x, y)
    ),
    |re, im| (_mm512_unpacklo_ps(re, im), _mm512_unpackhi_ps(re, im)),
    realigned(|p: *const f32, units| _mm512_castsi512_ps(realigned(p.cast(), units))),
    masked(
        u16,
        _mm512_maskz_loadu_ps,
        _mm512_mask_storeu_ps,
        _mm512_maskz_expandloadu_ps,
        |x, y, by: usize| {
            let lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
            _mm512_permutex2var_ps(x, _mm512_add_epi32(lanes, _mm512_set1_epi32(by as i32)), y)
        }
    )
);
x86_float_reg!(
    __m512d,
    f64,
    8,
    _mm512_loadu_pd,
    _mm512_storeu_pd,
    _mm512_stream_pd,
    _mm512_mul_pd,
    _mm512_add_pd,
    _mm512_sub_pd,
    _mm512_fmadd_pd,
    |x, y| (_mm512_unpacklo_pd(x, y), _mm512_unpackhi_pd(x, y)),
    |re, im| (_mm512_unpacklo_pd(re, im), _mm512_unpackhi_pd(re, im)),
    realigned(|p: *const f64, units| _mm512_castsi512_pd(realigned(p.cast(), units))),
    masked(
        u8,
        _mm512_maskz_loadu_pd,
        _mm512_mask_storeu_pd,
        _mm512_maskz_expandloadu_pd,
        |x, y, by: usize| {
            let lanes = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
            _mm512_permutex2var_pd(x, _mm512_add_epi64(lanes, _mm512_set1_epi64(by as i64)), y)
        }
    )
);

impl IntReg for __m512i {
    const BYTES: usize = 64;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: `ptr` is readable for 64 bytes (caller); the CPU has AVX-512F (caller).
        unsafe { _mm512_loadu_si512(ptr.cast()) }
    }
    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: `ptr` is writable for 64 bytes (caller); the CPU has AVX-512F (caller).
        unsafe { _mm512_storeu_si512(ptr.cast(), self) }
    }
    #[inline(always)]
    unsafe fn load_realigned(ptr: *const u8, units: usize) -> Self {
        // SAFETY: the trait's contract is `realigned`'s; the CPU has AVX-512F (caller).
        unsafe { realigned(ptr, units) }
    }
    const MASKED: bool = true;
    #[inline(always)]
    unsafe fn load_partial(ptr: *const u8, bytes: usize) -> Self {
        // bytes < 64, so the mask selects bytes 0..bytes exactly.
        let mask = (1u64 << bytes) - 1;
        // SAFETY: masked-off bytes are neither read nor able to fault; bytes 0..bytes are
        // readable (caller); the CPU has AVX-512BW (caller).
        unsafe { _mm512_maskz_loadu_epi8(mask, ptr.cast()) }
    }
    #[inline(always)]
    unsafe fn store_partial(self, ptr: *mut u8, bytes: usize) {
        let mask = (1u64 << bytes) - 1;
        // SAFETY: as `load_partial`, for writes.
        unsafe { _mm512_mask_storeu_epi8(ptr.cast(), mask, self) }
    }
    #[inline(always)]
    unsafe fn store_stream(self, ptr: *mut u8) {
        // SAFETY: `ptr` is writable for 64 bytes and 64-byte aligned (caller).
        unsafe { _mm512_stream_si512(ptr.cast(), self) }
    }
    #[inline(always)]
    unsafe fn eq16(self, o: Self) -> Self {
        // SAFETY: the CPU has AVX-512BW (caller).
        unsafe { _mm512_movm_epi16(_mm512_cmpeq_epi16_mask(self, o)) }
    }
    #[inline(always)]
    unsafe fn eq32(self, o: Self) -> Self {
        // SAFETY: the CPU has AVX-512F and DQ (caller).
        unsafe { _mm512_movm_epi32(_mm512_cmpeq_epi32_mask(self, o)) }
    }
    #[inline(always)]
    unsafe fn eq64(self, o: Self) -> Self {
        // SAFETY: the CPU has AVX-512F and DQ (caller).
        unsafe { _mm512_movm_epi64(_mm512_cmpeq_epi64_mask(self, o)) }
    }
    #[inline(always)]
    unsafe fn gt_i32(self, o: Self) -> Self {
        // SAFETY: the CPU has AVX-512F and DQ (caller).
        unsafe { _mm512_movm_epi32(_mm512_cmpgt_epi32_mask(self, o)) }
    }
    #[inline(always)]
    unsafe fn sign64(self) -> Self {
        // SAFETY: the CPU has AVX-512F (caller).
        unsafe { _mm512_srai_epi64::<63>(self) }
    }
    #[inline(always)]
    unsafe fn i32_to_f32(self) -> Self {
        // SAFETY: the CPU has AVX-512F (caller).
        unsafe { _mm512_castps_si512(_mm512_cvtepi32_ps(self)) }
    }
    #[inline(always)]
    unsafe fn f32_add(self, o: Self) -> Self {
        // SAFETY: the CPU has AVX-512F (caller).
        unsafe {
            let sum = _mm512_add_ps(_mm512_castsi512_ps(self), _mm512_castsi512_ps(o));
            _mm512_castps_si512(sum)
        }
    }
    #[inline(always)]
    unsafe fn f32_mul(self, o: Self) -> Self {
        // SAFETY: the CPU has AVX-512F (caller).
        unsafe {
            let product = _mm512_mul_ps(_mm512_castsi512_ps(self), _mm512_castsi512_ps(o));
            _mm512_castps_si512(product)
        }
    }

    forward_int_methods! {
        binary {
            and => _mm512_and_si512,
            or => _mm512_or_si512,
            xor => _mm512_xor_si512,
            add8 => _mm512_add_epi8,
            add16 => _mm512_add_epi16,
            add32 => _mm512_add_epi32,
            add64 => _mm512_add_epi64,
            sub32 => _mm512_sub_epi32,
            sub64 => _mm512_sub_epi64,
            mullo16 => _mm512_mullo_epi16,
            mulhi_u16 => _mm512_mulhi_epu16,
            mulhi_i16 => _mm512_mulhi_epi16,
            mullo32 => _mm512_mullo_epi32,
            mul_u32_wide => _mm512_mul_epu32,
            min_i16 => _mm512_min_epi16,
            max_i16 => _mm512_max_epi16,
        }
        shift {
            shl16 => _mm512_sll_epi16,
            shr16 => _mm512_srl_epi16,
            sar16 => _mm512_sra_epi16,
            shl32 => _mm512_sll_epi32,
            shr32 => _mm512_srl_epi32,
            sar32 => _mm512_sra_epi32,
            shl64 => _mm512_sll_epi64,
            shr64 => _mm512_srl_epi64,
        }
        splat {
            splat16(u16) => _mm512_set1_epi16,
            splat32(u32) => _mm512_set1_epi32,
            splat64(u64) => _mm512_set1_epi64,
        }
    }

    #[inline(always)]
    unsafe fn select(mask: Self, a: Self, b: Self) -> Self {
        // SAFETY: the CPU has AVX-512F (caller). 0xCA = "mask ? a : b" bit by bit.
        unsafe { _mm512_ternarylogic_epi64::<0xCA>(mask, a, b) }
    }
}

impl IntArith for __m512i {
    #[inline(always)]
    unsafe fn mul_wrapping64(self, b: Self) -> Self {
        // SAFETY: the CPU has AVX-512DQ (caller).
        unsafe { _mm512_mullo_epi64(self, b) }
    }
}

crate::kernels::isa_kernels!(
    "avx512f,avx512bw,avx512dq,avx512vl",
    "AVX-512 F, BW, DQ and VL",
    Avx512
);
