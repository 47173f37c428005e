//! NEON kernels: the portable `wide` float body (`ldr q`, `fmul v.4s`/`v.2d`, `str q`) and
//! `std::arch::aarch64` integer and conversion code on 128-bit registers.
//!
//! NEON has what x86 lacks for the integer products: 8/16/32-bit `mul`, and widening
//! multiplies (`umull`/`smull`) with saturating narrows (`uqxtn`/`sqxtn`) for the
//! saturating ones; only the 64-bit products use the partial-product emulation of
//! `integer.rs`. binary16 converts with the emulation of `half_emulation.rs`: NEON's
//! `fcvtl`/`fcvtn` need `float16x4_t`, which is not stable Rust. No streaming stores.
//!
//! Built and tested on x86_64 hosts with `scripts/test-aarch64.sh` (nightly
//! `-Zbuild-std`, qemu-user); see the README. Safety contract: the crate-level kernel
//! contract; NEON is baseline on aarch64.

use crate::half_emulation::{f16_to_f32, f32_to_f16};
use crate::integer::IntArith;
use crate::isa::{IntReg, Isa};
use core::arch::aarch64::*;
use wide::{f32x4, f64x2};

/// The NEON instruction set.
#[derive(Clone, Copy)]
pub(crate) struct Neon;

impl Isa for Neon {
    type F32 = f32x4;
    type F64 = f64x2;
    type Int = uint8x16_t;

    #[inline(always)]
    unsafe fn load_f16(ptr: *const u16) -> f32x4 {
        // SAFETY: `ptr` is readable for 4 elements (caller); NEON is baseline.
        let bits = unsafe { f16_to_f32(vreinterpretq_u8_u32(vmovl_u16(vld1_u16(ptr)))) };
        bytemuck::cast(bits)
    }

    #[inline(always)]
    unsafe fn store_f16(v: f32x4, ptr: *mut u16) {
        // SAFETY: `ptr` is writable for 4 elements (caller); NEON is baseline.
        unsafe { Self::store_narrowed_u16(f32_to_f16(bytemuck::cast::<f32x4, uint8x16_t>(v)), ptr) }
    }

    #[inline(always)]
    unsafe fn load_bf16(ptr: *const u16) -> f32x4 {
        // SAFETY: `ptr` is readable for 4 elements (caller); NEON is baseline. Each
        // bfloat16 becomes the high half of its f32 lane.
        let bits = unsafe { vshll_n_u16::<16>(vld1_u16(ptr)) };
        bytemuck::cast(bits)
    }

    #[inline(always)]
    unsafe fn store_narrowed_u16(v: uint8x16_t, ptr: *mut u16) {
        // SAFETY: `ptr` is writable for 4 elements (caller); NEON is baseline.
        unsafe { vst1_u16(ptr, vmovn_u32(vreinterpretq_u32_u8(v))) }
    }

    #[inline(always)]
    unsafe fn f32_bits(v: f32x4) -> uint8x16_t {
        bytemuck::cast(v)
    }
}

/// One NEON expression per method: `unsafe` only because intrinsics are, outside a
/// `#[target_feature]` function; NEON is baseline on aarch64.
macro_rules! neon {
    ($e:expr) => {
        // SAFETY: NEON is baseline on aarch64; no memory is accessed.
        unsafe { $e }
    };
}

/// Reinterpretations, so each method below reads as the instruction it is.
mod lanes {
    use core::arch::aarch64::*;
    #[inline(always)]
    pub(super) fn u16(x: uint8x16_t) -> uint16x8_t {
        neon!(vreinterpretq_u16_u8(x))
    }
    #[inline(always)]
    pub(super) fn s16(x: uint8x16_t) -> int16x8_t {
        neon!(vreinterpretq_s16_u8(x))
    }
    #[inline(always)]
    pub(super) fn u32(x: uint8x16_t) -> uint32x4_t {
        neon!(vreinterpretq_u32_u8(x))
    }
    #[inline(always)]
    pub(super) fn s32(x: uint8x16_t) -> int32x4_t {
        neon!(vreinterpretq_s32_u8(x))
    }
    #[inline(always)]
    pub(super) fn u64(x: uint8x16_t) -> uint64x2_t {
        neon!(vreinterpretq_u64_u8(x))
    }
    #[inline(always)]
    pub(super) fn s64(x: uint8x16_t) -> int64x2_t {
        neon!(vreinterpretq_s64_u8(x))
    }
    #[inline(always)]
    pub(super) fn f32(x: uint8x16_t) -> float32x4_t {
        neon!(vreinterpretq_f32_u8(x))
    }
    #[inline(always)]
    pub(super) fn bytes<T: Copy>(x: T) -> uint8x16_t {
        const { assert!(core::mem::size_of::<T>() == 16) };
        // SAFETY: T is one of the 16-byte NEON register types (the assertion checks the
        // size), plain bits with no invalid values, like uint8x16_t.
        unsafe { core::mem::transmute_copy(&x) }
    }
}

use lanes::{bytes, f32 as lf32, s16, s32, s64, u16 as lu16, u32 as lu32, u64 as lu64};

impl IntReg for uint8x16_t {
    const BYTES: usize = 16;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: `ptr` is readable for 16 bytes (caller); ld1 takes any alignment.
        unsafe { vld1q_u8(ptr) }
    }
    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: `ptr` is writable for 16 bytes (caller); st1 takes any alignment.
        unsafe { vst1q_u8(ptr, self) }
    }
    #[inline(always)]
    unsafe fn splat16(x: u16) -> Self {
        neon!(bytes(vdupq_n_u16(x)))
    }
    #[inline(always)]
    unsafe fn splat32(x: u32) -> Self {
        neon!(bytes(vdupq_n_u32(x)))
    }
    #[inline(always)]
    unsafe fn splat64(x: u64) -> Self {
        neon!(bytes(vdupq_n_u64(x)))
    }
    #[inline(always)]
    unsafe fn and(self, o: Self) -> Self {
        neon!(vandq_u8(self, o))
    }
    #[inline(always)]
    unsafe fn or(self, o: Self) -> Self {
        neon!(vorrq_u8(self, o))
    }
    #[inline(always)]
    unsafe fn xor(self, o: Self) -> Self {
        neon!(veorq_u8(self, o))
    }
    #[inline(always)]
    unsafe fn add8(self, o: Self) -> Self {
        neon!(vaddq_u8(self, o))
    }
    #[inline(always)]
    unsafe fn add16(self, o: Self) -> Self {
        neon!(bytes(vaddq_u16(lu16(self), lu16(o))))
    }
    #[inline(always)]
    unsafe fn add32(self, o: Self) -> Self {
        neon!(bytes(vaddq_u32(lu32(self), lu32(o))))
    }
    #[inline(always)]
    unsafe fn add64(self, o: Self) -> Self {
        neon!(bytes(vaddq_u64(lu64(self), lu64(o))))
    }
    #[inline(always)]
    unsafe fn sub32(self, o: Self) -> Self {
        neon!(bytes(vsubq_u32(lu32(self), lu32(o))))
    }
    #[inline(always)]
    unsafe fn sub64(self, o: Self) -> Self {
        neon!(bytes(vsubq_u64(lu64(self), lu64(o))))
    }
    // ushl/sshl shift left by a positive count and right by a negative one.
    #[inline(always)]
    unsafe fn shl16(self, n: u32) -> Self {
        neon!(bytes(vshlq_u16(lu16(self), vdupq_n_s16(n as i16))))
    }
    #[inline(always)]
    unsafe fn shr16(self, n: u32) -> Self {
        neon!(bytes(vshlq_u16(lu16(self), vdupq_n_s16(-(n as i16)))))
    }
    #[inline(always)]
    unsafe fn sar16(self, n: u32) -> Self {
        neon!(bytes(vshlq_s16(s16(self), vdupq_n_s16(-(n as i16)))))
    }
    #[inline(always)]
    unsafe fn shl32(self, n: u32) -> Self {
        neon!(bytes(vshlq_u32(lu32(self), vdupq_n_s32(n as i32))))
    }
    #[inline(always)]
    unsafe fn shr32(self, n: u32) -> Self {
        neon!(bytes(vshlq_u32(lu32(self), vdupq_n_s32(-(n as i32)))))
    }
    #[inline(always)]
    unsafe fn sar32(self, n: u32) -> Self {
        neon!(bytes(vshlq_s32(s32(self), vdupq_n_s32(-(n as i32)))))
    }
    #[inline(always)]
    unsafe fn shl64(self, n: u32) -> Self {
        neon!(bytes(vshlq_u64(lu64(self), vdupq_n_s64(n as i64))))
    }
    #[inline(always)]
    unsafe fn shr64(self, n: u32) -> Self {
        neon!(bytes(vshlq_u64(lu64(self), vdupq_n_s64(-(n as i64)))))
    }
    #[inline(always)]
    unsafe fn mullo16(self, o: Self) -> Self {
        neon!(bytes(vmulq_u16(lu16(self), lu16(o))))
    }
    /// The odd 16-bit halves of the widened products are the high halves.
    #[inline(always)]
    unsafe fn mulhi_u16(self, o: Self) -> Self {
        let (a, b) = (lu16(self), lu16(o));
        neon!({
            let low = vmull_u16(vget_low_u16(a), vget_low_u16(b));
            let high = vmull_high_u16(a, b);
            bytes(vuzp2q_u16(
                vreinterpretq_u16_u32(low),
                vreinterpretq_u16_u32(high),
            ))
        })
    }
    #[inline(always)]
    unsafe fn mulhi_i16(self, o: Self) -> Self {
        let (a, b) = (s16(self), s16(o));
        neon!({
            let low = vmull_s16(vget_low_s16(a), vget_low_s16(b));
            let high = vmull_high_s16(a, b);
            bytes(vuzp2q_s16(
                vreinterpretq_s16_s32(low),
                vreinterpretq_s16_s32(high),
            ))
        })
    }
    #[inline(always)]
    unsafe fn mullo32(self, o: Self) -> Self {
        neon!(bytes(vmulq_u32(lu32(self), lu32(o))))
    }
    #[inline(always)]
    unsafe fn mul_u32_wide(self, o: Self) -> Self {
        neon!(bytes(vmull_u32(vmovn_u64(lu64(self)), vmovn_u64(lu64(o)))))
    }
    #[inline(always)]
    unsafe fn eq16(self, o: Self) -> Self {
        neon!(bytes(vceqq_u16(lu16(self), lu16(o))))
    }
    #[inline(always)]
    unsafe fn eq32(self, o: Self) -> Self {
        neon!(bytes(vceqq_u32(lu32(self), lu32(o))))
    }
    #[inline(always)]
    unsafe fn eq64(self, o: Self) -> Self {
        neon!(bytes(vceqq_u64(lu64(self), lu64(o))))
    }
    #[inline(always)]
    unsafe fn gt_i32(self, o: Self) -> Self {
        neon!(bytes(vcgtq_s32(s32(self), s32(o))))
    }
    #[inline(always)]
    unsafe fn min_i16(self, o: Self) -> Self {
        neon!(bytes(vminq_s16(s16(self), s16(o))))
    }
    #[inline(always)]
    unsafe fn max_i16(self, o: Self) -> Self {
        neon!(bytes(vmaxq_s16(s16(self), s16(o))))
    }
    #[inline(always)]
    unsafe fn sign64(self) -> Self {
        neon!(bytes(vshrq_n_s64::<63>(s64(self))))
    }
    #[inline(always)]
    unsafe fn i32_to_f32(self) -> Self {
        neon!(bytes(vcvtq_f32_s32(s32(self))))
    }
    #[inline(always)]
    unsafe fn f32_add(self, o: Self) -> Self {
        neon!(bytes(vaddq_f32(lf32(self), lf32(o))))
    }
    #[inline(always)]
    unsafe fn f32_mul(self, o: Self) -> Self {
        neon!(bytes(vmulq_f32(lf32(self), lf32(o))))
    }
    #[inline(always)]
    unsafe fn select(mask: Self, a: Self, b: Self) -> Self {
        neon!(vbslq_u8(mask, a, b))
    }
}

impl IntArith for uint8x16_t {
    #[inline(always)]
    unsafe fn mul_wrapping8(self, b: Self) -> Self {
        neon!(vmulq_u8(self, b))
    }
    #[inline(always)]
    unsafe fn mul_wrapping16(self, b: Self) -> Self {
        neon!(bytes(vmulq_u16(lu16(self), lu16(b))))
    }
    #[inline(always)]
    unsafe fn mul_wrapping32(self, b: Self) -> Self {
        neon!(bytes(vmulq_u32(lu32(self), lu32(b))))
    }
    #[inline(always)]
    unsafe fn mul_saturating_u8(self, b: Self) -> Self {
        neon!({
            let low = vqmovn_u16(vmull_u8(vget_low_u8(self), vget_low_u8(b)));
            vqmovn_high_u16(low, vmull_high_u8(self, b))
        })
    }
    #[inline(always)]
    unsafe fn mul_saturating_i8(self, b: Self) -> Self {
        let (a, b) = (vreinterpretq_s8_u8_(self), vreinterpretq_s8_u8_(b));
        neon!({
            let low = vqmovn_s16(vmull_s8(vget_low_s8(a), vget_low_s8(b)));
            bytes(vqmovn_high_s16(low, vmull_high_s8(a, b)))
        })
    }
    #[inline(always)]
    unsafe fn mul_saturating_u16(self, b: Self) -> Self {
        let (a, b) = (lu16(self), lu16(b));
        neon!({
            let low = vqmovn_u32(vmull_u16(vget_low_u16(a), vget_low_u16(b)));
            bytes(vqmovn_high_u32(low, vmull_high_u16(a, b)))
        })
    }
    #[inline(always)]
    unsafe fn mul_saturating_i16(self, b: Self) -> Self {
        let (a, b) = (s16(self), s16(b));
        neon!({
            let low = vqmovn_s32(vmull_s16(vget_low_s16(a), vget_low_s16(b)));
            bytes(vqmovn_high_s32(low, vmull_high_s16(a, b)))
        })
    }
    #[inline(always)]
    unsafe fn mul_saturating_u32(self, b: Self) -> Self {
        let (a, b) = (lu32(self), lu32(b));
        neon!({
            let low = vqmovn_u64(vmull_u32(vget_low_u32(a), vget_low_u32(b)));
            bytes(vqmovn_high_u64(low, vmull_high_u32(a, b)))
        })
    }
    #[inline(always)]
    unsafe fn mul_saturating_i32(self, b: Self) -> Self {
        let (a, b) = (s32(self), s32(b));
        neon!({
            let low = vqmovn_s64(vmull_s32(vget_low_s32(a), vget_low_s32(b)));
            bytes(vqmovn_high_s64(low, vmull_high_s32(a, b)))
        })
    }
    /// `(t + (t >> 8)) >> 8` with `t = a·b + 128`: `addhn` keeps the high byte of the sum.
    #[inline(always)]
    unsafe fn mul_normalized_u8(self, b: Self) -> Self {
        neon!({
            let bias = vdupq_n_u16(128);
            let t_low = vaddq_u16(vmull_u8(vget_low_u8(self), vget_low_u8(b)), bias);
            let t_high = vaddq_u16(vmull_high_u8(self, b), bias);
            let low = vaddhn_u16(t_low, vshrq_n_u16::<8>(t_low));
            vaddhn_high_u16(low, t_high, vshrq_n_u16::<8>(t_high))
        })
    }
}

/// `uint8x16_t` as `int8x16_t`.
#[inline(always)]
fn vreinterpretq_s8_u8_(x: uint8x16_t) -> int8x16_t {
    neon!(vreinterpretq_s8_u8(x))
}

crate::kernels::isa_kernels!("neon", "NEON (every aarch64 CPU)", Neon);
