//! Integer products from the primitives every ISA has.
//!
//! x86 has no 8-bit multiply, no 32-bit low multiply before SSE4.1, no 64-bit low multiply
//! before AVX-512DQ, and no high halves beyond 16 bits; so each product here is built
//! from 16-bit multiplies (`pmullw`, `pmulhw`, `pmulhuw`) and the 32x32->64 `pmuludq`.
//! An ISA with a native instruction overrides the method (AVX-512DQ `vpmullq`, NEON's
//! `mul` and saturating narrows). Every method gives, lane by lane, exactly what the
//! scalar reference in `scalar.rs` gives; `tests/kernels.rs` and the exhaustive 8-bit
//! tests hold them to it.
//!
//! Every method has the same safety contract: the CPU has the ISA of the register.

use crate::isa::IntReg;

/// The low byte of each 16-bit lane.
const LOW_BYTES: u16 = 0x00FF;

/// Element-wise products of integer lanes: wrapping, saturating, and normalized `u8`.
///
/// The defaults are the emulations; see the module docs.
pub(crate) trait IntArith: IntReg {
    /// `a.wrapping_mul(b)` on 8-bit lanes (the same bits for `u8` and `i8`): the low byte of
    /// a 16-bit product depends only on the low bytes, so even bytes multiply in place and
    /// odd bytes after a shift.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_wrapping8(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        // Even bytes: the low byte of each 16-bit product. Odd bytes: a's high byte times
        // b's high byte kept in place, (a >> 8)·(b & 0xFF00), whose high byte is their
        // product's low byte; one shift fewer than shifting both and the product back.
        unsafe {
            let even = self.mullo16(b);
            let odd = self.shr16(8).mullo16(b.and(Self::splat16(!LOW_BYTES)));
            Self::select(Self::splat16(LOW_BYTES), even, odd)
        }
    }

    /// `wrapping_mul` on 16-bit lanes.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_wrapping16(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { self.mullo16(b) }
    }

    /// `wrapping_mul` on 32-bit lanes.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_wrapping32(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { self.mullo32(b) }
    }

    /// `wrapping_mul` on 64-bit lanes: with a = ah·2³² + al, b = bh·2³² + bl, the low
    /// 64 bits are al·bl + ((ah·bl + al·bh) << 32).
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_wrapping64(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let low = self.mul_u32_wide(b);
            let cross = self
                .shr64(32)
                .mul_u32_wide(b)
                .add64(self.mul_u32_wide(b.shr64(32)));
            low.add64(cross.shl64(32))
        }
    }

    /// `saturating_mul` on `u8` lanes: 16-bit products of the even and odd bytes, each
    /// set to all ones where it has a high byte.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_saturating_u8(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let low = Self::splat16(LOW_BYTES);
            let even = self.and(low).mullo16(b.and(low));
            let odd = self.shr16(8).mullo16(b.shr16(8));
            let saturate = |p: Self| p.or(p.shr16(8).eq16(Self::zero()).not());
            saturate(even).and(low).or(saturate(odd).shl16(8))
        }
    }

    /// `saturating_mul` on `i8` lanes: sign-extended 16-bit products (within ±2¹⁴ + 1,
    /// so exact), clamped to `i8`'s range.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_saturating_i8(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let clamp = |p: Self| {
                p.min_i16(Self::splat16(i8::MAX as u16))
                    .max_i16(Self::splat16(i8::MIN as i16 as u16))
            };
            let even = self.shl16(8).sar16(8).mullo16(b.shl16(8).sar16(8));
            let odd = self.sar16(8).mullo16(b.sar16(8));
            clamp(even)
                .and(Self::splat16(LOW_BYTES))
                .or(clamp(odd).shl16(8))
        }
    }

    /// `saturating_mul` on `u16` lanes: all ones where the high half is not zero.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_saturating_u16(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let high = self.mulhi_u16(b);
            self.mullo16(b).or(high.eq16(Self::zero()).not())
        }
    }

    /// `saturating_mul` on `i16` lanes: the product fits where the high half is the sign
    /// extension of the low half; otherwise it saturates towards the sign of a·b.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_saturating_i16(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let low = self.mullo16(b);
            let fits = self.mulhi_i16(b).eq16(low.sar16(15));
            // Negative product: 0xFFFF ^ 0x7FFF = i16::MIN; positive: i16::MAX.
            let saturated = self.xor(b).sar16(15).xor(Self::splat16(i16::MAX as u16));
            Self::select(fits, low, saturated)
        }
    }

    /// `saturating_mul` on `u32` lanes: 64-bit products of the even and odd lanes; all
    /// ones where the high half is not zero.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_saturating_u32(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let (low, high) = self.mul_u32_full(b);
            low.or(high.eq32(Self::zero()).not())
        }
    }

    /// `saturating_mul` on `i32` lanes: the unsigned 64-bit product, its high half made
    /// signed (subtract b where a < 0 and a where b < 0), then the `i16` rule at 32 bits.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_saturating_i32(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let (low, high) = self.mul_u32_full(b);
            let high = high
                .sub32(self.sar32(31).and(b))
                .sub32(b.sar32(31).and(self));
            let fits = high.eq32(low.sar32(31));
            let saturated = self.xor(b).sar32(31).xor(Self::splat32(i32::MAX as u32));
            Self::select(fits, low, saturated)
        }
    }

    /// `saturating_mul` on `u64` lanes.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_saturating_u64(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let (product, overflow) = self.mul_u64_overflowing(b);
            product.or(overflow)
        }
    }

    /// `saturating_mul` on `i64` lanes: the unsigned product of the magnitudes (`i64::MIN`
    /// has magnitude 2⁶³, which wraps to itself), which fits when below 2⁶³; then the
    /// sign. A negative product of magnitude exactly 2⁶³ is `i64::MIN`, which is also what
    /// saturating gives, so it needs no case of its own.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_saturating_i64(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let (sa, sb) = (self.sign64(), b.sign64());
            let magnitude = |x: Self, s: Self| x.xor(s).sub64(s);
            let (p, overflow) = magnitude(self, sa).mul_u64_overflowing(magnitude(b, sb));
            let overflow = overflow.or(p.sign64());
            let negative = sa.xor(sb);
            let signed = p.xor(negative).sub64(negative);
            let saturated = negative.xor(Self::splat64(i64::MAX as u64));
            Self::select(overflow, saturated, signed)
        }
    }

    /// `round(a·b / 255)` on `u8` lanes, as `(t + (t >> 8)) >> 8` with `t = a·b + 128`:
    /// exact for every pair (the exhaustive test checks all 65,536), and within 16 bits.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_normalized_u8(self, b: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let low = Self::splat16(LOW_BYTES);
            let scale = |p: Self| {
                let t = p.add16(Self::splat16(128));
                t.add16(t.shr16(8)).shr16(8)
            };
            let even = scale(self.and(low).mullo16(b.and(low)));
            let odd = scale(self.shr16(8).mullo16(b.shr16(8)));
            even.or(odd.shl16(8))
        }
    }

    /// `round((α·fg + (255 − α)·bg) / 255)` on `u8` lanes (`self` is fg): the two 16-bit
    /// products of the even and of the odd bytes (255 − α is `!α` on a byte) added, at most
    /// 255·255 = 65,025, then [`mul_normalized_u8`](Self::mul_normalized_u8)'s rounding,
    /// which is exact on every value up to there (not only on products): the exhaustive
    /// test checks all 2²⁴ triples.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn blend_normalized_u8(self, bg: Self, alpha: Self) -> Self {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let low = Self::splat16(LOW_BYTES);
            let inverse = alpha.not();
            let scale = |p: Self| {
                let t = p.add16(Self::splat16(128));
                t.add16(t.shr16(8)).shr16(8)
            };
            let even = alpha
                .and(low)
                .mullo16(self.and(low))
                .add16(inverse.and(low).mullo16(bg.and(low)));
            let odd = alpha
                .shr16(8)
                .mullo16(self.shr16(8))
                .add16(inverse.shr16(8).mullo16(bg.shr16(8)));
            scale(even).or(scale(odd).shl16(8))
        }
    }

    /// The low and high 32 bits of each unsigned 32-bit lane's 64-bit product.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_u32_full(self, b: Self) -> (Self, Self) {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let even = self.mul_u32_wide(b);
            let odd = self.shr64(32).mul_u32_wide(b.shr64(32));
            let low_mask = Self::splat64(u32::MAX as u64);
            let low = even.and(low_mask).or(odd.shl64(32));
            let high = even.shr64(32).or(odd.and(low_mask.not()));
            (low, high)
        }
    }

    /// The wrapping 64-bit product and a mask of the lanes where it overflowed. If both
    /// high halves are non-zero it overflows; otherwise at most one cross product is
    /// non-zero, the middle word al·bh + ah·bl + (al·bl >> 32) stays below 2⁶⁴, and it
    /// overflows exactly when that word reaches 2³².
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_u64_overflowing(self, b: Self) -> (Self, Self) {
        // SAFETY: the CPU has the ISA (caller).
        unsafe {
            let zero = Self::zero();
            let (ah, bh) = (self.shr64(32), b.shr64(32));
            let low = self.mul_u32_wide(b);
            let cross = ah.mul_u32_wide(b).add64(self.mul_u32_wide(bh));
            let middle = cross.add64(low.shr64(32));
            let both_high = ah.eq64(zero).or(bh.eq64(zero)).not();
            let overflow = both_high.or(middle.shr64(32).eq64(zero).not());
            (low.add64(cross.shl64(32)), overflow)
        }
    }
}
