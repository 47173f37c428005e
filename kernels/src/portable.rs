//! `wide`'s 128-bit vectors as [`Vector`]s: the portable body.
//!
//! `wide` picks its implementation at compile time from `cfg(target_feature)`: `f32x4`
//! and `f64x2` are SSE2 registers on x86_64 (where SSE2 is baseline) and NEON registers
//! on aarch64 (where NEON is baseline), so one source serves as both kernels. Its wider
//! types are not used: built for the baseline target they stay 128-bit even inside an
//! AVX2 or AVX-512 `#[target_feature]` function (see DESIGN.md), which is why those ISAs
//! have `std::arch` bodies instead.
//!
//! Loads and stores go through `[T; N]` with `read_unaligned`/`write_unaligned`, which
//! compile to unaligned vector moves (`movups`/`movupd`, `ldr q`/`str q`) and never
//! assume an alignment the caller did not promise.

use crate::vector::Vector;
use wide::{f32x4, f64x2};

macro_rules! wide_vector {
    ($v:ty, $t:ty, $n:literal, $stream:ident) => {
        // SAFETY: load/store move exactly $n elements through a [$t; $n]; `mul` is
        // `wide`'s lane-wise `*`, an IEEE product per lane; `mul_partial` is the default.
        unsafe impl Vector for $v {
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

            #[inline(always)]
            unsafe fn mul(self, other: Self) -> Self {
                self * other
            }

            // x86_64 has SSE2 streaming stores; `wide` does not offer them, so its
            // register is cast (bytemuck: both are plain 16-byte values) to `std::arch`'s.
            #[cfg(target_arch = "x86_64")]
            #[inline(always)]
            unsafe fn store_stream(self, ptr: *mut $t) {
                // SAFETY: `ptr` is writable for $n elements and 16-byte aligned (caller),
                // as the streaming store requires; SSE2 is baseline on x86_64.
                unsafe { x86_stream::$stream(ptr, self) }
            }

            #[cfg(target_arch = "x86_64")]
            #[inline(always)]
            unsafe fn stream_fence() {
                // SAFETY: SSE is baseline on x86_64.
                unsafe { core::arch::x86_64::_mm_sfence() }
            }
        }
    };
}

wide_vector!(f32x4, f32, 4, stream_f32);
wide_vector!(f64x2, f64, 2, stream_f64);

/// SSE2 streaming stores of `wide` registers.
#[cfg(target_arch = "x86_64")]
mod x86_stream {
    use core::arch::x86_64::{__m128, __m128d, _mm_stream_pd, _mm_stream_ps};
    use wide::{f32x4, f64x2};

    /// # Safety
    /// `ptr` is writable for 4 elements and 16-byte aligned.
    #[inline(always)]
    pub(super) unsafe fn stream_f32(ptr: *mut f32, v: f32x4) {
        // SAFETY: forwarded from this function's contract.
        unsafe { _mm_stream_ps(ptr, bytemuck::cast::<f32x4, __m128>(v)) }
    }

    /// # Safety
    /// `ptr` is writable for 2 elements and 16-byte aligned.
    #[inline(always)]
    pub(super) unsafe fn stream_f64(ptr: *mut f64, v: f64x2) {
        // SAFETY: forwarded from this function's contract.
        unsafe { _mm_stream_pd(ptr, bytemuck::cast::<f64x2, __m128d>(v)) }
    }
}
