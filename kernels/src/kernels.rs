//! The kernel functions: every operation, instantiated once per ISA.
//!
//! [`isa_kernels!`] expands, inside an ISA's module, to one `#[target_feature]` function
//! per operation (and a `_stream` twin with non-temporal stores where the operation has
//! them), each running the loop of `elementwise.rs` over that ISA's registers. The names
//! match [`scalar`](crate::scalar)'s, so `tables.rs` builds each operation's table from
//! the same name in every module.

/// One binary kernel and its streaming twin.
macro_rules! binary_kernel {
    ($features:literal, $needs:literal, $doc:literal, $name:ident, $stream:ident,
     $op:ty, $a:ty, $b:ty, $o:ty) => {
        #[doc = $doc]
        ///
        /// # Safety
        ///
        #[doc = concat!("The crate-level kernel contract; the CPU has ", $needs, ".")]
        #[target_feature(enable = $features)]
        pub unsafe fn $name(a: *const $a, b: *const $b, out: *mut $o, len: usize) {
            // SAFETY: forwarded from this function's contract, which includes the CPU
            // features the operation's registers need.
            unsafe { $crate::elementwise::run::<$op, false>((a, b), out, len) }
        }

        #[doc = concat!("[`", stringify!($name), "`] with streaming (non-temporal) stores where the operation has them, and a fence at the end: for outputs much larger than the last-level cache.")]
        ///
        /// # Safety
        ///
        #[doc = concat!("The crate-level kernel contract; the CPU has ", $needs, ".")]
        #[target_feature(enable = $features)]
        pub unsafe fn $stream(a: *const $a, b: *const $b, out: *mut $o, len: usize) {
            // SAFETY: as above.
            unsafe { $crate::elementwise::run::<$op, true>((a, b), out, len) }
        }
    };
}
pub(crate) use binary_kernel;

/// One broadcast kernel (`out[i] = f(a[i], s)`, `s` pointing at the one scalar) and its
/// streaming twin.
///
/// The kernel copies the scalar into a stack buffer of [`REPEAT_BYTES`](crate::REPEAT_BYTES)
/// (the most one step reads) with its own registers, so the loop reads whole registers of
/// copies that were stored whole: built by the (baseline) caller instead, from 16-byte
/// stores, the first 64-byte load could not be forwarded from them and stalled (measured:
/// a 2048-element f32 scale took 13 ns longer than the plain loop).
macro_rules! scale_kernel {
    ($features:literal, $needs:literal, $doc:literal, $name:ident, $stream:ident,
     $op:ty, $t:ty) => {
        #[doc = $doc]
        ///
        /// # Safety
        ///
        #[doc = concat!("The crate-level kernel contract, with `s` readable for one element; the CPU has ", $needs, ".")]
        #[target_feature(enable = $features)]
        pub unsafe fn $name(a: *const $t, s: *const $t, out: *mut $t, len: usize) {
            // SAFETY: `s` is readable (caller).
            let copies = [unsafe { *s }; $crate::REPEAT_BYTES / size_of::<$t>()];
            let s = $crate::elementwise::Repeated(copies.as_ptr());
            // SAFETY: forwarded from this function's contract; every read of `s` stays
            // within its REPEAT_BYTES (no step reads more).
            unsafe { $crate::elementwise::run::<$op, false>((a, s), out, len) }
        }

        #[doc = concat!("[`", stringify!($name), "`] with streaming stores and a fence at the end.")]
        ///
        /// # Safety
        ///
        #[doc = concat!("As [`", stringify!($name), "`].")]
        #[target_feature(enable = $features)]
        pub unsafe fn $stream(a: *const $t, s: *const $t, out: *mut $t, len: usize) {
            // SAFETY: as above.
            let copies = [unsafe { *s }; $crate::REPEAT_BYTES / size_of::<$t>()];
            let s = $crate::elementwise::Repeated(copies.as_ptr());
            // SAFETY: as above.
            unsafe { $crate::elementwise::run::<$op, true>((a, s), out, len) }
        }
    };
}
pub(crate) use scale_kernel;

/// One `out = f(a, b, c)` kernel and its streaming twin.
macro_rules! ternary_kernel {
    ($features:literal, $needs:literal, $doc:literal, $name:ident, $stream:ident,
     $op:ty, $t:ty) => {
        #[doc = $doc]
        ///
        /// # Safety
        ///
        #[doc = concat!("The crate-level kernel contract for three inputs (`out` may equal `c`, the accumulating form); the CPU has ", $needs, ".")]
        #[target_feature(enable = $features)]
        pub unsafe fn $name(a: *const $t, b: *const $t, c: *const $t, out: *mut $t, len: usize) {
            // SAFETY: forwarded from this function's contract.
            unsafe { $crate::elementwise::run::<$op, false>(((a, b), c), out, len) }
        }

        #[doc = concat!("[`", stringify!($name), "`] with streaming stores and a fence at the end.")]
        ///
        /// # Safety
        ///
        #[doc = concat!("As [`", stringify!($name), "`].")]
        #[target_feature(enable = $features)]
        pub unsafe fn $stream(a: *const $t, b: *const $t, c: *const $t, out: *mut $t, len: usize) {
            // SAFETY: as above.
            unsafe { $crate::elementwise::run::<$op, true>(((a, b), c), out, len) }
        }
    };
}
pub(crate) use ternary_kernel;

/// One `out = f(a, b, c, d)` kernel and its streaming twin.
macro_rules! quaternary_kernel {
    ($features:literal, $needs:literal, $doc:literal, $name:ident, $stream:ident,
     $op:ty, $t:ty) => {
        #[doc = $doc]
        ///
        /// # Safety
        ///
        #[doc = concat!("The crate-level kernel contract for four inputs (`out` may equal `a`, the in-place form); the CPU has ", $needs, ".")]
        #[target_feature(enable = $features)]
        pub unsafe fn $name(
            a: *const $t, b: *const $t, c: *const $t, d: *const $t, out: *mut $t, len: usize,
        ) {
            // SAFETY: forwarded from this function's contract.
            unsafe { $crate::elementwise::run::<$op, false>(((a, b), (c, d)), out, len) }
        }

        #[doc = concat!("[`", stringify!($name), "`] with streaming stores and a fence at the end.")]
        ///
        /// # Safety
        ///
        #[doc = concat!("As [`", stringify!($name), "`].")]
        #[target_feature(enable = $features)]
        pub unsafe fn $stream(
            a: *const $t, b: *const $t, c: *const $t, d: *const $t, out: *mut $t, len: usize,
        ) {
            // SAFETY: as above.
            unsafe { $crate::elementwise::run::<$op, true>(((a, b), (c, d)), out, len) }
        }
    };
}
pub(crate) use quaternary_kernel;

/// One sum-of-products kernel and its continuing form (`reduce::accumulate`).
macro_rules! sum_kernel {
    ($features:literal, $needs:literal, $doc:literal, $name:ident, $acc:ident, $op:ty, $t:ty, $o:ty) => {
        #[doc = $doc]
        ///
        /// # Safety
        ///
        #[doc = concat!("`a` and `b` readable for `len` elements; the CPU has ", $needs, ".")]
        #[target_feature(enable = $features)]
        pub unsafe fn $name(a: *const $t, b: *const $t, len: usize) -> $o {
            // SAFETY: forwarded from this function's contract.
            unsafe { $crate::reduce::sum::<$op, { <$op as $crate::reduce::Reduction>::ROWS }>((a, b), len) }
        }

        #[doc = concat!("[`", stringify!($name), "`]'s terms added into a block's partial sums, from partial `phase` on.")]
        ///
        /// # Safety
        ///
        #[doc = concat!("`phase < W`; `partials` valid for the `W` partials; `a` and `b` readable for `len` elements; the CPU has ", $needs, ".")]
        #[target_feature(enable = $features)]
        pub unsafe fn $acc(partials: *mut $o, phase: usize, a: *const $t, b: *const $t, len: usize) {
            // SAFETY: forwarded from this function's contract.
            unsafe {
                $crate::reduce::accumulate::<$op, { <$op as $crate::reduce::Reduction>::ROWS }>(partials, phase, (a, b), len)
            }
        }
    };
}
pub(crate) use sum_kernel;

/// One split-complex kernel: four input planes, two output planes.
macro_rules! split_kernel {
    ($features:literal, $needs:literal, $doc:literal, $name:ident, $stream:ident, $op:ty, $t:ty) => {
        #[doc = $doc]
        ///
        /// # Safety
        ///
        #[doc = concat!("The crate-level contract for split complex kernels; the CPU has ", $needs, ".")]
        #[target_feature(enable = $features)]
        #[allow(clippy::too_many_arguments)]
        pub unsafe fn $name(
            ar: *const $t,
            ai: *const $t,
            br: *const $t,
            bi: *const $t,
            out_re: *mut $t,
            out_im: *mut $t,
            len: usize,
        ) {
            // SAFETY: forwarded from this function's contract.
            unsafe {
                $crate::elementwise::run::<$op, false>(((ar, ai), (br, bi)), (out_re, out_im), len)
            }
        }

        #[doc = concat!("[`", stringify!($name), "`] with streaming stores to both output planes and a fence at the end.")]
        ///
        /// # Safety
        ///
        #[doc = concat!("As [`", stringify!($name), "`], and `out_im` lies at the same offset from a 64-byte line as `out_re` (the head aligns `out_re`, and the streaming stores need both planes aligned).")]
        #[target_feature(enable = $features)]
        #[allow(clippy::too_many_arguments)]
        pub unsafe fn $stream(
            ar: *const $t,
            ai: *const $t,
            br: *const $t,
            bi: *const $t,
            out_re: *mut $t,
            out_im: *mut $t,
            len: usize,
        ) {
            // SAFETY: forwarded from this function's contract.
            unsafe {
                $crate::elementwise::run::<$op, true>(((ar, ai), (br, bi)), (out_re, out_im), len)
            }
        }
    };
}
pub(crate) use split_kernel;

/// Every kernel for the ISA `$isa` (an [`Isa`](crate::isa::Isa)), compiled with
/// `#[target_feature(enable = $features)]`; `$needs` names the features in the docs.
macro_rules! isa_kernels {
    ($features:literal, $needs:literal, $isa:ty) => {
        /// The target features every kernel of this module is compiled with: the literal
        /// their `#[target_feature(enable = ...)]` takes, comma-separated. Run-time
        /// detection checks exactly this list, so the two cannot drift apart; a caller
        /// may run a kernel only where the CPU has every one.
        pub const FEATURES: &str = $features;

        use $crate::elementwise::Repeated;
        use $crate::kernels::{binary_kernel, quaternary_kernel, scale_kernel, split_kernel, sum_kernel, ternary_kernel};
        use $crate::ops::mul_add::{ComplexMulAdd, IntMulAdd, RealMulAdd};
        use $crate::ops::sum::{ComplexSum, IntSum, RealSum};
        use $crate::ops::complex::{ComplexMul, SplitComplexMul};
        use $crate::ops::half::{HalfMul, HalfWiden};
        use $crate::ops::integer::*;
        use $crate::ops::real::RealMul;
        use $crate::ops::two_products::{
            BlendNormalizedU8, ComplexMulAddMul, IntMulAddMul, RealBlend, RealMulAddMul,
        };

        binary_kernel!($features, $needs, "`out[i] = a[i] * b[i]` for `f32`.",
            mul_f32, mul_f32_stream, RealMul<$isa, f32>, f32, f32, f32);
        binary_kernel!($features, $needs, "`out[i] = a[i] * b[i]` for `f64`.",
            mul_f64, mul_f64_stream, RealMul<$isa, f64>, f64, f64, f64);
        binary_kernel!($features, $needs, "`wrapping_mul` on 8-bit integers (`u8` and `i8` alike).",
            mul_wrapping8, mul_wrapping8_stream, IntMul<$isa, Wrapping8>, u8, u8, u8);
        binary_kernel!($features, $needs, "`wrapping_mul` on 16-bit integers.",
            mul_wrapping16, mul_wrapping16_stream, IntMul<$isa, Wrapping16>, u16, u16, u16);
        binary_kernel!($features, $needs, "`wrapping_mul` on 32-bit integers.",
            mul_wrapping32, mul_wrapping32_stream, IntMul<$isa, Wrapping32>, u32, u32, u32);
        binary_kernel!($features, $needs, "`wrapping_mul` on 64-bit integers.",
            mul_wrapping64, mul_wrapping64_stream, IntMul<$isa, Wrapping64>, u64, u64, u64);
        binary_kernel!($features, $needs, "`saturating_mul` for `u8`.",
            mul_saturating_u8, mul_saturating_u8_stream, IntMul<$isa, SaturatingU8>, u8, u8, u8);
        binary_kernel!($features, $needs, "`saturating_mul` for `i8`.",
            mul_saturating_i8, mul_saturating_i8_stream, IntMul<$isa, SaturatingI8>, i8, i8, i8);
        binary_kernel!($features, $needs, "`saturating_mul` for `u16`.",
            mul_saturating_u16, mul_saturating_u16_stream, IntMul<$isa, SaturatingU16>, u16, u16, u16);
        binary_kernel!($features, $needs, "`saturating_mul` for `i16`.",
            mul_saturating_i16, mul_saturating_i16_stream, IntMul<$isa, SaturatingI16>, i16, i16, i16);
        binary_kernel!($features, $needs, "`saturating_mul` for `u32`.",
            mul_saturating_u32, mul_saturating_u32_stream, IntMul<$isa, SaturatingU32>, u32, u32, u32);
        binary_kernel!($features, $needs, "`saturating_mul` for `i32`.",
            mul_saturating_i32, mul_saturating_i32_stream, IntMul<$isa, SaturatingI32>, i32, i32, i32);
        binary_kernel!($features, $needs, "`saturating_mul` for `u64`.",
            mul_saturating_u64, mul_saturating_u64_stream, IntMul<$isa, SaturatingU64>, u64, u64, u64);
        binary_kernel!($features, $needs, "`saturating_mul` for `i64`.",
            mul_saturating_i64, mul_saturating_i64_stream, IntMul<$isa, SaturatingI64>, i64, i64, i64);
        binary_kernel!($features, $needs, "`round(a[i]·b[i] / 255)` for `u8`.",
            mul_normalized_u8, mul_normalized_u8_stream, IntMul<$isa, NormalizedU8>, u8, u8, u8);
        binary_kernel!($features, $needs, "Complex product of `[re, im]` pairs of `f32`.",
            mul_complex_f32, mul_complex_f32_stream, ComplexMul<$isa, f32, false>, [f32; 2], [f32; 2], [f32; 2]);
        binary_kernel!($features, $needs, "Complex product of `[re, im]` pairs of `f64`.",
            mul_complex_f64, mul_complex_f64_stream, ComplexMul<$isa, f64, false>, [f64; 2], [f64; 2], [f64; 2]);
        binary_kernel!($features, $needs, "`a[i] · conj(b[i])` of `[re, im]` pairs of `f32`.",
            mul_conj_complex_f32, mul_conj_complex_f32_stream, ComplexMul<$isa, f32, true>, [f32; 2], [f32; 2], [f32; 2]);
        binary_kernel!($features, $needs, "`a[i] · conj(b[i])` of `[re, im]` pairs of `f64`.",
            mul_conj_complex_f64, mul_conj_complex_f64_stream, ComplexMul<$isa, f64, true>, [f64; 2], [f64; 2], [f64; 2]);
        binary_kernel!($features, $needs, "binary16 product (bits), as `half` computes it.",
            mul_f16, mul_f16_stream, HalfMul<$isa, false>, u16, u16, u16);
        binary_kernel!($features, $needs, "bfloat16 product (bits), as `half` computes it.",
            mul_bf16, mul_bf16_stream, HalfMul<$isa, true>, u16, u16, u16);
        binary_kernel!($features, $needs, "f32 product of binary16 values (bits).",
            mul_widen_f16, mul_widen_f16_stream, HalfWiden<$isa, false>, u16, u16, f32);
        binary_kernel!($features, $needs, "f32 product of bfloat16 values (bits).",
            mul_widen_bf16, mul_widen_bf16_stream, HalfWiden<$isa, true>, u16, u16, f32);
        split_kernel!($features, $needs, "Complex product over split `f32` planes.",
            mul_split_complex_f32, mul_split_complex_f32_stream, SplitComplexMul<$isa, f32, false>, f32);
        split_kernel!($features, $needs, "Complex product over split `f64` planes.",
            mul_split_complex_f64, mul_split_complex_f64_stream, SplitComplexMul<$isa, f64, false>, f64);
        split_kernel!($features, $needs, "`a · conj(b)` over split `f32` planes.",
            mul_conj_split_complex_f32, mul_conj_split_complex_f32_stream, SplitComplexMul<$isa, f32, true>, f32);
        split_kernel!($features, $needs, "`a · conj(b)` over split `f64` planes.",
            mul_conj_split_complex_f64, mul_conj_split_complex_f64_stream, SplitComplexMul<$isa, f64, true>, f64);

        scale_kernel!($features, $needs, "`out[i] = a[i] * s` for `f32`.",
            scale_f32, scale_f32_stream, RealMul<$isa, f32, Repeated<f32>>, f32);
        scale_kernel!($features, $needs, "`out[i] = a[i] * s` for `f64`.",
            scale_f64, scale_f64_stream, RealMul<$isa, f64, Repeated<f64>>, f64);
        scale_kernel!($features, $needs, "`a[i].wrapping_mul(s)` on 8-bit integers.",
            scale_wrapping8, scale_wrapping8_stream, IntMul<$isa, Wrapping8, Repeated<u8>>, u8);
        scale_kernel!($features, $needs, "`a[i].wrapping_mul(s)` on 16-bit integers.",
            scale_wrapping16, scale_wrapping16_stream, IntMul<$isa, Wrapping16, Repeated<u16>>, u16);
        scale_kernel!($features, $needs, "`a[i].wrapping_mul(s)` on 32-bit integers.",
            scale_wrapping32, scale_wrapping32_stream, IntMul<$isa, Wrapping32, Repeated<u32>>, u32);
        scale_kernel!($features, $needs, "`a[i].wrapping_mul(s)` on 64-bit integers.",
            scale_wrapping64, scale_wrapping64_stream, IntMul<$isa, Wrapping64, Repeated<u64>>, u64);
        scale_kernel!($features, $needs, "`a[i] * s` for `[re, im]` pairs of `f32`.",
            scale_complex_f32, scale_complex_f32_stream, ComplexMul<$isa, f32, false, Repeated<[f32; 2]>>, [f32; 2]);
        scale_kernel!($features, $needs, "`a[i] * s` for `[re, im]` pairs of `f64`.",
            scale_complex_f64, scale_complex_f64_stream, ComplexMul<$isa, f64, false, Repeated<[f64; 2]>>, [f64; 2]);
        scale_kernel!($features, $needs, "`a[i] * s` for binary16 (bits), as `half` computes it.",
            scale_f16, scale_f16_stream, HalfMul<$isa, false, Repeated<u16>>, u16);
        scale_kernel!($features, $needs, "`a[i] * s` for bfloat16 (bits), as `half` computes it.",
            scale_bf16, scale_bf16_stream, HalfMul<$isa, true, Repeated<u16>>, u16);

        ternary_kernel!($features, $needs, "`out[i] = a[i] * b[i] + c[i]` for `f32`, two roundings.",
            mul_then_add_f32, mul_then_add_f32_stream, RealMulAdd<$isa, f32, false>, f32);
        ternary_kernel!($features, $needs, "`out[i] = a[i] * b[i] + c[i]` for `f64`, two roundings.",
            mul_then_add_f64, mul_then_add_f64_stream, RealMulAdd<$isa, f64, false>, f64);
        ternary_kernel!($features, $needs, "`out[i] = fma(a[i], b[i], c[i])` for `f32`, one rounding.",
            mul_add_f32, mul_add_f32_stream, RealMulAdd<$isa, f32, true>, f32);
        ternary_kernel!($features, $needs, "`out[i] = fma(a[i], b[i], c[i])` for `f64`, one rounding.",
            mul_add_f64, mul_add_f64_stream, RealMulAdd<$isa, f64, true>, f64);
        ternary_kernel!($features, $needs, "Wrapping `a[i] * b[i] + c[i]` on 8-bit integers.",
            mul_then_add_wrapping8, mul_then_add_wrapping8_stream, IntMulAdd<$isa, Wrapping8>, u8);
        ternary_kernel!($features, $needs, "Wrapping `a[i] * b[i] + c[i]` on 16-bit integers.",
            mul_then_add_wrapping16, mul_then_add_wrapping16_stream, IntMulAdd<$isa, Wrapping16>, u16);
        ternary_kernel!($features, $needs, "Wrapping `a[i] * b[i] + c[i]` on 32-bit integers.",
            mul_then_add_wrapping32, mul_then_add_wrapping32_stream, IntMulAdd<$isa, Wrapping32>, u32);
        ternary_kernel!($features, $needs, "Wrapping `a[i] * b[i] + c[i]` on 64-bit integers.",
            mul_then_add_wrapping64, mul_then_add_wrapping64_stream, IntMulAdd<$isa, Wrapping64>, u64);
        ternary_kernel!($features, $needs, "`a[i] * b[i] + c[i]` for `[re, im]` pairs of `f32`.",
            mul_then_add_complex_f32, mul_then_add_complex_f32_stream, ComplexMulAdd<$isa, f32, false>, [f32; 2]);
        ternary_kernel!($features, $needs, "`a[i] * b[i] + c[i]` for `[re, im]` pairs of `f64`.",
            mul_then_add_complex_f64, mul_then_add_complex_f64_stream, ComplexMulAdd<$isa, f64, false>, [f64; 2]);
        ternary_kernel!($features, $needs, "`a[i] * conj(b[i]) + c[i]` for `[re, im]` pairs of `f32`.",
            mul_conj_add_complex_f32, mul_conj_add_complex_f32_stream, ComplexMulAdd<$isa, f32, true>, [f32; 2]);
        ternary_kernel!($features, $needs, "`a[i] * conj(b[i]) + c[i]` for `[re, im]` pairs of `f64`.",
            mul_conj_add_complex_f64, mul_conj_add_complex_f64_stream, ComplexMulAdd<$isa, f64, true>, [f64; 2]);

        quaternary_kernel!($features, $needs, "`out[i] = a[i] * b[i] + c[i] * d[i]` for `f32`, every step rounded.",
            mul_then_add_mul_f32, mul_then_add_mul_f32_stream, RealMulAddMul<$isa, f32>, f32);
        quaternary_kernel!($features, $needs, "`out[i] = a[i] * b[i] + c[i] * d[i]` for `f64`, every step rounded.",
            mul_then_add_mul_f64, mul_then_add_mul_f64_stream, RealMulAddMul<$isa, f64>, f64);
        quaternary_kernel!($features, $needs, "Wrapping `a[i] * b[i] + c[i] * d[i]` on 8-bit integers.",
            mul_then_add_mul_wrapping8, mul_then_add_mul_wrapping8_stream, IntMulAddMul<$isa, Wrapping8>, u8);
        quaternary_kernel!($features, $needs, "Wrapping `a[i] * b[i] + c[i] * d[i]` on 16-bit integers.",
            mul_then_add_mul_wrapping16, mul_then_add_mul_wrapping16_stream, IntMulAddMul<$isa, Wrapping16>, u16);
        quaternary_kernel!($features, $needs, "Wrapping `a[i] * b[i] + c[i] * d[i]` on 32-bit integers.",
            mul_then_add_mul_wrapping32, mul_then_add_mul_wrapping32_stream, IntMulAddMul<$isa, Wrapping32>, u32);
        quaternary_kernel!($features, $needs, "Wrapping `a[i] * b[i] + c[i] * d[i]` on 64-bit integers.",
            mul_then_add_mul_wrapping64, mul_then_add_mul_wrapping64_stream, IntMulAddMul<$isa, Wrapping64>, u64);
        quaternary_kernel!($features, $needs, "`a[i] * b[i] + c[i] * d[i]` for `[re, im]` pairs of `f32`.",
            mul_then_add_mul_complex_f32, mul_then_add_mul_complex_f32_stream, ComplexMulAddMul<$isa, f32>, [f32; 2]);
        quaternary_kernel!($features, $needs, "`a[i] * b[i] + c[i] * d[i]` for `[re, im]` pairs of `f64`.",
            mul_then_add_mul_complex_f64, mul_then_add_mul_complex_f64_stream, ComplexMulAddMul<$isa, f64>, [f64; 2]);
        ternary_kernel!($features, $needs, "`w[i] * a[i] + (1 - w[i]) * b[i]` for `f32` (inputs `a`, `b`, `w`), every step rounded.",
            blend_f32, blend_f32_stream, RealBlend<$isa, f32>, f32);
        ternary_kernel!($features, $needs, "`w[i] * a[i] + (1 - w[i]) * b[i]` for `f64` (inputs `a`, `b`, `w`), every step rounded.",
            blend_f64, blend_f64_stream, RealBlend<$isa, f64>, f64);
        ternary_kernel!($features, $needs, "`round((α·fg + (255 − α)·bg) / 255)` for `u8` (inputs `fg`, `bg`, `α`).",
            blend_normalized_u8, blend_normalized_u8_stream, BlendNormalizedU8<$isa>, u8);

        sum_kernel!($features, $needs, "`Σ a[i] * b[i]` for `f32`.", sum_f32, accumulate_f32, RealSum<$isa, f32>, f32, f32);
        sum_kernel!($features, $needs, "`Σ a[i] * b[i]` for `f64`.", sum_f64, accumulate_f64, RealSum<$isa, f64>, f64, f64);
        sum_kernel!($features, $needs, "Wrapping `Σ a[i] * b[i]` on 8-bit integers.",
            sum_wrapping8, accumulate_wrapping8, IntSum<$isa, Wrapping8>, u8, u8);
        sum_kernel!($features, $needs, "Wrapping `Σ a[i] * b[i]` on 16-bit integers.",
            sum_wrapping16, accumulate_wrapping16, IntSum<$isa, Wrapping16>, u16, u16);
        sum_kernel!($features, $needs, "Wrapping `Σ a[i] * b[i]` on 32-bit integers.",
            sum_wrapping32, accumulate_wrapping32, IntSum<$isa, Wrapping32>, u32, u32);
        sum_kernel!($features, $needs, "Wrapping `Σ a[i] * b[i]` on 64-bit integers.",
            sum_wrapping64, accumulate_wrapping64, IntSum<$isa, Wrapping64>, u64, u64);
        sum_kernel!($features, $needs, "`Σ a[i] * b[i]` for `[re, im]` pairs of `f32`.",
            sum_complex_f32, accumulate_complex_f32, ComplexSum<$isa, f32, false>, [f32; 2], [f32; 2]);
        sum_kernel!($features, $needs, "`Σ a[i] * b[i]` for `[re, im]` pairs of `f64`.",
            sum_complex_f64, accumulate_complex_f64, ComplexSum<$isa, f64, false>, [f64; 2], [f64; 2]);
        sum_kernel!($features, $needs, "`Σ a[i] * conj(b[i])` for `[re, im]` pairs of `f32`.",
            sum_conj_complex_f32, accumulate_conj_complex_f32, ComplexSum<$isa, f32, true>, [f32; 2], [f32; 2]);
        sum_kernel!($features, $needs, "`Σ a[i] * conj(b[i])` for `[re, im]` pairs of `f64`.",
            sum_conj_complex_f64, accumulate_conj_complex_f64, ComplexSum<$isa, f64, true>, [f64; 2], [f64; 2]);
    };
}
pub(crate) use isa_kernels;
