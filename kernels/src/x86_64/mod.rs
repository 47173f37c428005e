//! x86_64 kernels: one module per instruction-set level.
//!
//! Each module's `FEATURES` is the one list of target features its kernels are compiled
//! with; the caller's run-time detection checks that same constant.
//!
//! | module | needs (detected by `crate::cpu` before a token is given) | registers |
//! |---|---|---|
//! | [`sse2`] | nothing: SSE2 is part of the x86_64 baseline | `xmm`, through `wide` for floats |
//! | [`avx2`] | `avx2`, `fma` and `f16c` | `ymm`, `std::arch` |
//! | [`avx512`] | `avx512f`, `avx512bw`, `avx512dq`, `avx512vl` | `zmm`, `std::arch`, masked head and tail for floats |

pub mod avx2;
pub mod avx512;
pub(crate) mod cpuid;
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

/// `FloatReg` for an AVX or AVX-512 register: one intrinsic per method (unsafe outside a
/// `#[target_feature]` function, hence the blocks), lane shuffles within 128-bit lanes as
/// SSE2 does them, and, given masked load/store intrinsics, a masked head and tail.
macro_rules! x86_float_reg {
    (
        $v:ty, $t:ty, $n:literal,
        $load:ident, $store:ident, $stream:ident, $mul:ident, $add:ident, $sub:ident,
        $fmadd:ident, $deinterleave:expr, $interleave:expr
        $(, realigned($realigned:expr))?
        $(, masked($mask:ty, $mload:ident, $mstore:ident, $expand:ident, $permute2:expr))?
        $(, placed_joined($placed:expr, $joined:expr))?
    ) => {
        impl $crate::isa::FloatReg for $v {
            type Elem = $t;
            const LANES: usize = $n;

            #[inline(always)]
            unsafe fn load(ptr: *const $t) -> Self {
                // SAFETY: `ptr` is readable for $n elements (caller); loadu takes any
                // alignment; the CPU has the ISA (caller).
                unsafe { $load(ptr) }
            }
            #[inline(always)]
            unsafe fn store(self, ptr: *mut $t) {
                // SAFETY: `ptr` is writable for $n elements (caller); storeu takes any
                // alignment; the CPU has the ISA (caller).
                unsafe { $store(ptr, self) }
            }
            #[inline(always)]
            unsafe fn store_stream(self, ptr: *mut $t) {
                // SAFETY: `ptr` is writable for $n elements and aligned to the register
                // size (caller), as the streaming store requires.
                unsafe { $stream(ptr, self) }
            }
            #[inline(always)]
            unsafe fn mul(self, o: Self) -> Self {
                // SAFETY: the CPU has the ISA (caller).
                unsafe { $mul(self, o) }
            }
            #[inline(always)]
            unsafe fn add(self, o: Self) -> Self {
                // SAFETY: the CPU has the ISA (caller).
                unsafe { $add(self, o) }
            }
            #[inline(always)]
            unsafe fn sub(self, o: Self) -> Self {
                // SAFETY: the CPU has the ISA (caller).
                unsafe { $sub(self, o) }
            }
            #[inline(always)]
            unsafe fn mul_add(self, b: Self, c: Self) -> Self {
                // SAFETY: the CPU has the ISA, FMA included (caller).
                unsafe { $fmadd(self, b, c) }
            }
            #[inline(always)]
            unsafe fn deinterleave(x: Self, y: Self) -> (Self, Self) {
                // SAFETY: the CPU has the ISA (caller).
                unsafe { $deinterleave(x, y) }
            }
            #[inline(always)]
            unsafe fn interleave(re: Self, im: Self) -> (Self, Self) {
                // SAFETY: the CPU has the ISA (caller).
                unsafe { $interleave(re, im) }
            }
            $(
            #[inline(always)]
            unsafe fn load_realigned(ptr: *const $t, units: usize) -> Self {
                // SAFETY: the trait's contract, which the join function's is; the CPU has
                // the ISA (caller).
                unsafe { $realigned(ptr, units) }
            }
            )?
            $(
            #[inline(always)]
            unsafe fn load_partial(ptr: *const $t, n: usize) -> Self {
                // n < $n <= 16: the mask selects lanes 0..n exactly.
                let mask = ((1u32 << n) - 1) as $mask;
                // SAFETY: masked-off lanes are neither read nor able to fault; lanes 0..n
                // are readable (caller); the CPU has the ISA (caller).
                unsafe { $mload(mask, ptr) }
            }

            #[inline(always)]
            unsafe fn load_placed(ptr: *const $t, lane: usize, n: usize) -> Self {
                // lane + n <= $n <= 16: the mask selects lanes lane..lane + n exactly.
                let mask = ((((1u32 << n) - 1) << lane) & ((1u32 << $n) - 1)) as $mask;
                // SAFETY: an expanding load reads exactly popcount(mask) = n consecutive
                // elements from ptr, which are readable (caller); the CPU has the ISA
                // (caller).
                unsafe { $expand(mask, ptr) }
            }

            #[inline(always)]
            unsafe fn joined_from(self, next: Self, by: usize) -> Self {
                // SAFETY: the CPU has the ISA (caller); by < LANES (caller), so every
                // index by + k < 2·LANES picks a lane of the two registers.
                unsafe { $permute2(self, next, by) }
            }

            #[inline(always)]
            unsafe fn store_partial(self, ptr: *mut $t, n: usize) {
                let mask = ((1u32 << n) - 1) as $mask;
                // SAFETY: as `load_partial`, for writes.
                unsafe { $mstore(ptr, mask, self) }
            }

            #[inline(always)]
            unsafe fn mul_partial(a: *const $t, b: *const $t, out: *mut $t, n: usize) {
                // n < $n <= 16, so the shift cannot overflow and the mask selects lanes
                // 0..n exactly.
                let mask = ((1u32 << n) - 1) as $mask;
                // SAFETY: lanes outside the mask are not accessed (AVX-512 masked memory
                // operations suppress both the access and any fault), and lanes 0..n are
                // valid (caller). The CPU has the ISA (caller).
                unsafe {
                    let product = $mul($mload(mask, a), $mload(mask, b));
                    $mstore(out, mask, product);
                }
            }
            )?
            $(
            #[inline(always)]
            unsafe fn load_placed(ptr: *const $t, lane: usize, n: usize) -> Self {
                // SAFETY: forwarded.
                unsafe { $placed(ptr, lane, n) }
            }

            #[inline(always)]
            unsafe fn joined_from(self, next: Self, by: usize) -> Self {
                // SAFETY: forwarded.
                unsafe { $joined(self, next, by) }
            }
            )?
        }
    };
}
pub(crate) use x86_float_reg;
