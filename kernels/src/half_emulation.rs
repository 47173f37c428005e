//! binary16 <-> f32 conversions from integer and f32 lane operations, for ISAs without
//! conversion instructions Rust can reach on stable (SSE2; NEON, whose `fcvtl`/`fcvtn`
//! need the unstable `float16x4_t`). Each 32-bit lane holds one value.
//!
//! Both give exactly what `half`'s software conversions give (`tests/half.rs` checks all
//! 65,536 binary16 values one way and a sweep of f32 bit patterns the other), in the default
//! floating-point environment, which the crate never changes. Safety contract of both:
//! the CPU has the ISA of the register.

use crate::isa::IntReg;

/// The f32 exponent bias minus binary16's, in f32's exponent field.
const REBIAS: u32 = (127 - 15) << 23;
/// 2^-24, the binary16 subnormal step, as f32 bits.
const TWO_POW_MINUS_24: u32 = 0x3380_0000;
/// 0.5 as f32 bits: adding it to a value below 2^-14 rounds that value to a multiple of
/// 2^-24 (the spacing of f32 values in [0.5, 1)), to nearest-even, in one IEEE addition.
const HALF: u32 = 0x3F00_0000;

/// Each lane's low 16 bits, a binary16 value, as f32 bits.
///
/// # Safety
/// The CPU has the ISA.
#[inline(always)]
pub(crate) unsafe fn f16_to_f32<R: IntReg>(h: R) -> R {
    // SAFETY: the CPU has the ISA (caller).
    unsafe {
        let sign = h.and(R::splat32(0x8000)).shl32(16);
        let magnitude = h.and(R::splat32(0x7FFF));
        // Normal: move exponent and mantissa into place and rebias.
        let normal = magnitude.shl32(13).add32(R::splat32(REBIAS));
        // Infinity and NaN: exponent 31 becomes 255 (rebias twice); NaNs are quieted.
        let is_nan = magnitude.gt_i32(R::splat32(0x7C00));
        let special = normal
            .add32(R::splat32(REBIAS))
            .or(is_nan.and(R::splat32(0x0040_0000)));
        let is_special = magnitude.gt_i32(R::splat32(0x7BFF));
        // Zero and subnormal: the integer times 2^-24, both steps exact.
        let subnormal = magnitude.i32_to_f32().f32_mul(R::splat32(TWO_POW_MINUS_24));
        let is_subnormal = R::splat32(0x0400).gt_i32(magnitude);
        let value = R::select(
            is_subnormal,
            subnormal,
            R::select(is_special, special, normal),
        );
        value.or(sign)
    }
}

/// Each lane's f32 bits rounded to binary16, nearest-even, in the lane's low 16 bits.
///
/// # Safety
/// The CPU has the ISA.
#[inline(always)]
pub(crate) unsafe fn f32_to_f16<R: IntReg>(x: R) -> R {
    // SAFETY: the CPU has the ISA (caller).
    unsafe {
        let magnitude = x.and(R::splat32(0x7FFF_FFFF));
        let sign = x.shr32(16).and(R::splat32(0x8000));
        // NaN: quiet, keeping the top of the payload (as `half` does).
        let nan = magnitude
            .shr32(13)
            .and(R::splat32(0x03FF))
            .or(R::splat32(0x7E00));
        let is_nan = magnitude.gt_i32(R::splat32(0x7F80_0000));
        // At or above 2^16 (and infinity): infinity. Just below, rounding carries there.
        let is_overflow = magnitude.gt_i32(R::splat32(0x477F_FFFF));
        // Normal: rebias, then round the 13 dropped bits to nearest-even.
        let rebiased = magnitude.sub32(R::splat32(REBIAS));
        let odd = rebiased.shr32(13).and(R::splat32(1));
        let normal = rebiased.add32(R::splat32(0x0FFF)).add32(odd).shr32(13);
        let is_normal = magnitude.gt_i32(R::splat32(0x387F_FFFF));
        // Below 2^-14: one rounding addition (see HALF), then the bits above 0.5's.
        let subnormal = magnitude.f32_add(R::splat32(HALF)).sub32(R::splat32(HALF));
        let value = R::select(is_normal, normal, subnormal);
        let value = R::select(is_overflow, R::splat32(0x7C00), value);
        let value = R::select(is_nan, nan, value);
        value.or(sign)
    }
}

/// Each lane's f32 bits rounded to bfloat16, nearest-even, in the lane's low 16 bits;
/// NaNs quieted keeping the top of the payload: what `half::bf16::from_f32` gives. Used
/// by every ISA: AVX512_BF16's `vcvtneps2bf16` flushes subnormal results to zero
/// (measured on Zen 5), which `half` does not.
///
/// # Safety
/// The CPU has the ISA.
#[inline(always)]
pub(crate) unsafe fn f32_to_bf16<R: IntReg>(x: R) -> R {
    // SAFETY: the CPU has the ISA (caller).
    unsafe {
        let is_nan = x
            .and(R::splat32(0x7FFF_FFFF))
            .gt_i32(R::splat32(0x7F80_0000));
        let nan = x.shr32(16).or(R::splat32(0x0040));
        let odd = x.shr32(16).and(R::splat32(1));
        let rounded = x.add32(R::splat32(0x7FFF)).add32(odd).shr32(16);
        R::select(is_nan, nan, rounded)
    }
}
