//! `wide`'s 128-bit float vectors as [`FloatReg`]s: the portable body of the SSE2 and
//! NEON kernels.
//!
//! `wide` picks its implementation at compile time from `cfg(target_feature)`: `f32x4`
//! and `f64x2` are SSE2 registers on x86_64 (where SSE2 is baseline) and NEON registers
//! on aarch64 (where NEON is baseline), so one source serves as both. Its wider types are
//! not used: built for the baseline target they stay 128-bit even inside an AVX2 or
//! AVX-512 `#[target_feature]` function (ARCHITECTURE.md, "Why it is built this way"), which is why those ISAs have
//! `std::arch` bodies instead. `wide` has no lane shuffles or streaming stores, so those
//! few operations cast the register (bytemuck: both are plain 16-byte values) to
//! `std::arch`'s type for that architecture.
//!
//! Loads and stores go through `[T; N]` with `read_unaligned`/`write_unaligned`, which
//! compile to unaligned vector moves (`movups`, `ldr q`) and never assume an alignment
//! the caller did not promise.

use crate::isa::FloatReg;
use wide::{f32x4, f64x2};

#[cfg(target_arch = "aarch64")]
use core::arch::aarch64 as arch;
#[cfg(target_arch = "x86_64")]
use core::arch::x86_64 as arch;

macro_rules! wide_float {
    ($v:ty, $t:ty, $n:literal) => {
        impl FloatReg for $v {
            type Elem = $t;
            const LANES: usize = $n;

            #[inline(always)]
            unsafe fn load(ptr: *const $t) -> Self {
                // SAFETY: the caller guarantees `ptr` is readable for $n elements;
                // read_unaligned accepts any alignment.
                <$v>::new(unsafe { ptr.cast::<[$t; $n]>().read_unaligned() })
            }

            #[inline(always)]
            unsafe fn store(self, ptr: *mut $t) {
                // SAFETY: the caller guarantees `ptr` is writable for $n elements;
                // write_unaligned accepts any alignment.
                unsafe { ptr.cast::<[$t; $n]>().write_unaligned(self.to_array()) }
            }

            #[cfg(target_arch = "x86_64")]
            #[inline(always)]
            unsafe fn store_stream(self, ptr: *mut $t) {
                // SAFETY: `ptr` is writable for $n elements and 16-byte aligned (caller),
                // as the streaming store requires; SSE2 is baseline on x86_64.
                unsafe { shuffle::stream(ptr, self) }
            }

            #[inline(always)]
            unsafe fn mul(self, other: Self) -> Self {
                self * other
            }

            #[inline(always)]
            unsafe fn add(self, other: Self) -> Self {
                self + other
            }

            #[inline(always)]
            unsafe fn sub(self, other: Self) -> Self {
                self - other
            }

            #[inline(always)]
            unsafe fn mul_add(self, b: Self, c: Self) -> Self {
                // SAFETY: baseline instructions (or none) on both architectures.
                unsafe { shuffle::fused(self, b, c) }
            }

            #[inline(always)]
            unsafe fn deinterleave(x: Self, y: Self) -> (Self, Self) {
                // SAFETY: the shuffles are baseline on both architectures.
                unsafe { shuffle::deinterleave(x, y) }
            }

            #[inline(always)]
            unsafe fn interleave(re: Self, im: Self) -> (Self, Self) {
                // SAFETY: as above.
                unsafe { shuffle::interleave(re, im) }
            }
        }
    };
}

wide_float!(f32x4, f32, 4);
wide_float!(f64x2, f64, 2);

/// The lane shuffles and streaming stores `wide` lacks, per architecture, for each of
/// the two register types (`Shuffle` dispatches on the type).
mod shuffle {
    use super::*;

    /// `deinterleave`/`interleave` (and on x86_64 `stream`) for one register type.
    pub(super) trait Shuffle: Sized {
        type Elem;
        unsafe fn deinterleave(x: Self, y: Self) -> (Self, Self);
        unsafe fn interleave(re: Self, im: Self) -> (Self, Self);
        /// `a · b + c` with one rounding per lane.
        unsafe fn fused(a: Self, b: Self, c: Self) -> Self;
        #[cfg(target_arch = "x86_64")]
        unsafe fn stream(ptr: *mut Self::Elem, v: Self);
    }

    #[inline(always)]
    pub(super) unsafe fn fused<V: Shuffle>(a: V, b: V, c: V) -> V {
        // SAFETY: forwarded (baseline instructions).
        unsafe { V::fused(a, b, c) }
    }

    #[inline(always)]
    pub(super) unsafe fn deinterleave<V: Shuffle>(x: V, y: V) -> (V, V) {
        // SAFETY: forwarded (baseline instructions).
        unsafe { V::deinterleave(x, y) }
    }

    #[inline(always)]
    pub(super) unsafe fn interleave<V: Shuffle>(re: V, im: V) -> (V, V) {
        // SAFETY: forwarded (baseline instructions).
        unsafe { V::interleave(re, im) }
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    pub(super) unsafe fn stream<V: Shuffle>(ptr: *mut V::Elem, v: V) {
        // SAFETY: forwarded from the caller's contract (aligned, writable).
        unsafe { V::stream(ptr, v) }
    }

    #[cfg(target_arch = "x86_64")]
    impl Shuffle for f32x4 {
        type Elem = f32;
        #[inline(always)]
        unsafe fn deinterleave(x: Self, y: Self) -> (Self, Self) {
            let (x, y): (arch::__m128, arch::__m128) = (bytemuck::cast(x), bytemuck::cast(y));
            // [x0r x0i x1r x1i], [y0r y0i y1r y1i] -> [x0r x1r y0r y1r], [x0i x1i y0i y1i]
            // SAFETY: SSE is baseline on x86_64.
            let (re, im) = unsafe {
                (
                    arch::_mm_shuffle_ps::<0b10_00_10_00>(x, y),
                    arch::_mm_shuffle_ps::<0b11_01_11_01>(x, y),
                )
            };
            (bytemuck::cast(re), bytemuck::cast(im))
        }
        #[inline(always)]
        unsafe fn interleave(re: Self, im: Self) -> (Self, Self) {
            let (re, im): (arch::__m128, arch::__m128) = (bytemuck::cast(re), bytemuck::cast(im));
            // SAFETY: SSE is baseline on x86_64.
            let (x, y) = unsafe { (arch::_mm_unpacklo_ps(re, im), arch::_mm_unpackhi_ps(re, im)) };
            (bytemuck::cast(x), bytemuck::cast(y))
        }
        /// SSE2 has no FMA: a correctly rounded software FMA per lane (slow, but the same
        /// bits as the FMA instruction of the wider kernels).
        #[inline(always)]
        unsafe fn fused(a: Self, b: Self, c: Self) -> Self {
            let (a, b, c) = (a.to_array(), b.to_array(), c.to_array());
            f32x4::new(core::array::from_fn(|i| libm::fmaf(a[i], b[i], c[i])))
        }
        #[inline(always)]
        unsafe fn stream(ptr: *mut f32, v: Self) {
            // SAFETY: `ptr` is writable for 4 elements and 16-byte aligned (caller).
            unsafe { arch::_mm_stream_ps(ptr, bytemuck::cast(v)) }
        }
    }

    #[cfg(target_arch = "x86_64")]
    impl Shuffle for f64x2 {
        type Elem = f64;
        #[inline(always)]
        unsafe fn deinterleave(x: Self, y: Self) -> (Self, Self) {
            let (x, y): (arch::__m128d, arch::__m128d) = (bytemuck::cast(x), bytemuck::cast(y));
            // SAFETY: SSE2 is baseline on x86_64.
            let (re, im) = unsafe { (arch::_mm_unpacklo_pd(x, y), arch::_mm_unpackhi_pd(x, y)) };
            (bytemuck::cast(re), bytemuck::cast(im))
        }
        #[inline(always)]
        unsafe fn interleave(re: Self, im: Self) -> (Self, Self) {
            // With one pair per register, interleaving is the same permutation.
            // SAFETY: baseline instructions.
            unsafe { <Self as Shuffle>::deinterleave(re, im) }
        }
        /// SSE2 has no FMA: see the f32x4 version.
        #[inline(always)]
        unsafe fn fused(a: Self, b: Self, c: Self) -> Self {
            let (a, b, c) = (a.to_array(), b.to_array(), c.to_array());
            f64x2::new(core::array::from_fn(|i| libm::fma(a[i], b[i], c[i])))
        }
        #[inline(always)]
        unsafe fn stream(ptr: *mut f64, v: Self) {
            // SAFETY: `ptr` is writable for 2 elements and 16-byte aligned (caller).
            unsafe { arch::_mm_stream_pd(ptr, bytemuck::cast(v)) }
        }
    }

    #[cfg(target_arch = "aarch64")]
    impl Shuffle for f32x4 {
        type Elem = f32;
        #[inline(always)]
        unsafe fn deinterleave(x: Self, y: Self) -> (Self, Self) {
            let (x, y): (arch::float32x4_t, arch::float32x4_t) =
                (bytemuck::cast(x), bytemuck::cast(y));
            // SAFETY: NEON is baseline on aarch64.
            let (re, im) = unsafe { (arch::vuzp1q_f32(x, y), arch::vuzp2q_f32(x, y)) };
            (bytemuck::cast(re), bytemuck::cast(im))
        }
        #[inline(always)]
        unsafe fn interleave(re: Self, im: Self) -> (Self, Self) {
            let (re, im): (arch::float32x4_t, arch::float32x4_t) =
                (bytemuck::cast(re), bytemuck::cast(im));
            // SAFETY: NEON is baseline on aarch64.
            let (x, y) = unsafe { (arch::vzip1q_f32(re, im), arch::vzip2q_f32(re, im)) };
            (bytemuck::cast(x), bytemuck::cast(y))
        }
        #[inline(always)]
        unsafe fn fused(a: Self, b: Self, c: Self) -> Self {
            let (a, b, c): (arch::float32x4_t, arch::float32x4_t, arch::float32x4_t) =
                (bytemuck::cast(a), bytemuck::cast(b), bytemuck::cast(c));
            // SAFETY: NEON is baseline on aarch64; fmla rounds once.
            bytemuck::cast(unsafe { arch::vfmaq_f32(c, a, b) })
        }
    }

    #[cfg(target_arch = "aarch64")]
    impl Shuffle for f64x2 {
        type Elem = f64;
        #[inline(always)]
        unsafe fn deinterleave(x: Self, y: Self) -> (Self, Self) {
            let (x, y): (arch::float64x2_t, arch::float64x2_t) =
                (bytemuck::cast(x), bytemuck::cast(y));
            // SAFETY: NEON is baseline on aarch64.
            let (re, im) = unsafe { (arch::vzip1q_f64(x, y), arch::vzip2q_f64(x, y)) };
            (bytemuck::cast(re), bytemuck::cast(im))
        }
        #[inline(always)]
        unsafe fn interleave(re: Self, im: Self) -> (Self, Self) {
            // With one pair per register, interleaving is the same permutation.
            // SAFETY: NEON is baseline on aarch64.
            unsafe { <Self as Shuffle>::deinterleave(re, im) }
        }
        #[inline(always)]
        unsafe fn fused(a: Self, b: Self, c: Self) -> Self {
            let (a, b, c): (arch::float64x2_t, arch::float64x2_t, arch::float64x2_t) =
                (bytemuck::cast(a), bytemuck::cast(b), bytemuck::cast(c));
            // SAFETY: NEON is baseline on aarch64; fmla rounds once.
            bytemuck::cast(unsafe { arch::vfmaq_f64(c, a, b) })
        }
    }
}
