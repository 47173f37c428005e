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
    ($v:ty, $t:ty, $n:literal) => {
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
        }
    };
}

wide_vector!(f32x4, f32, 4);
wide_vector!(f64x2, f64, 2);

/// Instantiates the portable loop as `pub unsafe fn $name` for one ISA.
///
/// `$features` is the `#[target_feature]` list of the ISA whose registers `wide` uses on
/// this target; both of today's users (SSE2 on x86_64, NEON on aarch64) are baseline, so
/// the attribute documents rather than enables.
macro_rules! portable_kernel {
    ($features:literal, $isa:literal, $name:ident, $v:ty, $t:ty) => {
        #[doc = concat!("`out[i] = a[i] * b[i]` for `", stringify!($t), "`, with ", $isa, " registers through `wide`.")]
        ///
        /// # Safety
        ///
        /// The crate-level kernel contract.
        #[target_feature(enable = $features)]
        pub unsafe fn $name(a: *const $t, b: *const $t, out: *mut $t, len: usize) {
            // SAFETY: forwarded from this function's contract; the ISA is the target's
            // baseline, which the enclosing target_feature also names.
            unsafe { crate::mul::mul::<$v>(a, b, out, len) }
        }
    };
}
pub(crate) use portable_kernel;
