//! x86_64 kernels: one module per instruction-set level.
//!
//! | module | needs (runtime-detected by the caller) | registers |
//! |---|---|---|
//! | [`sse2`] | nothing: SSE2 is part of the x86_64 baseline | `xmm`, through `wide` for floats |
//! | [`avx2`] | `avx2`, `fma` and `f16c` | `ymm`, `std::arch` |
//! | [`avx512`] | `avx512f`, `avx512bw`, `avx512dq`, `avx512vl` | `zmm`, `std::arch`, masked head and tail for floats |

pub mod avx2;
pub mod avx512;
pub mod sse2;

/// `IntReg` methods that are one intrinsic each, for the AVX2 and AVX-512 registers
/// (whose intrinsics are `unsafe` outside a `#[target_feature]` function).
macro_rules! forward_int_methods {
    (
        binary { $($bin:ident => $bf:expr,)* }
        shift { $($sh:ident => $sf:expr,)* }
        splat { $($sp:ident($st:ty) => $spf:expr,)* }
    ) => {
        $(
            #[inline(always)]
            unsafe fn $bin(self, o: Self) -> Self {
                // SAFETY: the CPU has this register's ISA (the `IntReg` contract).
                unsafe { $bf(self, o) }
            }
        )*
        $(
            #[inline(always)]
            unsafe fn $sh(self, n: u32) -> Self {
                // SAFETY: the CPU has this register's ISA (the `IntReg` contract). The
                // count-register form takes any count; a constant `n` becomes an immediate.
                unsafe { $sf(self, core::arch::x86_64::_mm_cvtsi32_si128(n as i32)) }
            }
        )*
        $(
            #[inline(always)]
            unsafe fn $sp(x: $st) -> Self {
                // SAFETY: the CPU has this register's ISA (the `IntReg` contract).
                unsafe { $spf(x as _) }
            }
        )*
    };
}
pub(crate) use forward_int_methods;
