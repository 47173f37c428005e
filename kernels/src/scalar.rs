//! The reference kernels: one element at a time, in index order, in plain Rust (the sums
//! in the order of `sum_order.rs`, with plain loops over the partials).
//!
//! Every other kernel is tested bit for bit against these, and uses their per-element
//! functions for its head and tail. The compiler may vectorise these loops for the target's
//! baseline; that cannot change a result, because each element's operation is fixed here.
//!
//! Complex numbers are `[re, im]` pairs and half-precision values their bits (`u16`): the
//! `hadamard` crate views `num_complex::Complex` and `half::{f16, bf16}` slices as these.

use half::{bf16, f16};

/// Per-element reference operations.
pub(crate) mod element {
    use super::{bf16, f16};

    /// `(ar·br − ai·bi, ar·bi + ai·br)`: each product rounded, then the sum: the formula
    /// (and the order) of `num_complex`'s `Mul`.
    #[inline(always)]
    pub(crate) fn complex_mul<T>(a: [T; 2], b: [T; 2]) -> [T; 2]
    where
        T: Copy
            + core::ops::Mul<Output = T>
            + core::ops::Add<Output = T>
            + core::ops::Sub<Output = T>,
    {
        [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]]
    }

    /// a · conj(b) = `(ar·br + ai·bi, ai·br − ar·bi)`: bit for bit what `num_complex`
    /// gives for `a * b.conj()` (negating an operand of a product or sum is exact).
    #[inline(always)]
    pub(crate) fn complex_mul_conj<T>(a: [T; 2], b: [T; 2]) -> [T; 2]
    where
        T: Copy
            + core::ops::Mul<Output = T>
            + core::ops::Add<Output = T>
            + core::ops::Sub<Output = T>,
    {
        [a[0] * b[0] + a[1] * b[1], a[1] * b[0] - a[0] * b[1]]
    }

    /// `half`'s binary16 product: both widened exactly, multiplied in f32 (exact: 11-bit
    /// significands give at most 22 bits, inside f32's range), rounded once.
    #[inline(always)]
    pub(crate) fn mul_f16(a: u16, b: u16) -> u16 {
        (f16::from_bits(a) * f16::from_bits(b)).to_bits()
    }

    /// `half`'s bfloat16 product: widened, multiplied in f32, rounded to bfloat16.
    #[inline(always)]
    pub(crate) fn mul_bf16(a: u16, b: u16) -> u16 {
        (bf16::from_bits(a) * bf16::from_bits(b)).to_bits()
    }

    /// The f32 product of two binary16 values (exact).
    #[inline(always)]
    pub(crate) fn mul_widen_f16(a: u16, b: u16) -> f32 {
        f16::from_bits(a).to_f32() * f16::from_bits(b).to_f32()
    }

    /// The f32 product of two bfloat16 values (rounded once, in f32).
    #[inline(always)]
    pub(crate) fn mul_widen_bf16(a: u16, b: u16) -> f32 {
        bf16::from_bits(a).to_f32() * bf16::from_bits(b).to_f32()
    }

    /// `round(a·b / 255)`, i.e. `floor(a·b/255 + 1/2)`; never a tie, since 255 is odd.
    #[inline(always)]
    pub(crate) fn mul_normalized_u8(a: u8, b: u8) -> u8 {
        ((2 * a as u32 * b as u32 + 255) / 510) as u8
    }

    /// `round((α·fg + (255 − α)·bg) / 255)`: the blend of two `u8` values read as fractions
    /// of 255, rounded as [`mul_normalized_u8`] rounds (`floor(x/255 + 1/2)`, never a tie).
    #[inline(always)]
    pub(crate) fn blend_normalized_u8(fg: u8, bg: u8, alpha: u8) -> u8 {
        let n = alpha as u32 * fg as u32 + (255 - alpha as u32) * bg as u32;
        ((2 * n + 255) / 510) as u8
    }

    /// `a·b + c·d` for complex numbers: each product with [`complex_mul`]'s formula, then
    /// their sum, component by component.
    #[inline(always)]
    pub(crate) fn complex_mul_add_mul<T>(a: [T; 2], b: [T; 2], c: [T; 2], d: [T; 2]) -> [T; 2]
    where
        T: Copy
            + core::ops::Mul<Output = T>
            + core::ops::Add<Output = T>
            + core::ops::Sub<Output = T>,
    {
        let (p, q) = (complex_mul(a, b), complex_mul(c, d));
        [p[0] + q[0], p[1] + q[1]]
    }
}

/// Defines `pub unsafe fn $name(a, b, out, len)` doing `out[i] = $f(a[i], b[i])`.
macro_rules! scalar_binary {
    ($(#[$doc:meta])* $name:ident, $a:ty, $b:ty, $o:ty, $f:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        ///
        /// The crate-level contract: `a`, `b` readable and `out` writable for `len`
        /// elements, `out` disjoint from `a` and `b` or (same type only) equal to one.
        pub unsafe fn $name(a: *const $a, b: *const $b, out: *mut $o, len: usize) {
            for i in 0..len {
                // SAFETY: i < len, and the caller guarantees all three pointers are valid
                // for `len` elements; element i is read before it is written.
                unsafe { *out.add(i) = $f(*a.add(i), *b.add(i)) };
            }
        }
    };
}

/// Defines `pub unsafe fn $name(ar, ai, br, bi, out_re, out_im, len)` over split planes.
macro_rules! scalar_split {
    ($(#[$doc:meta])* $name:ident, $t:ty, $f:path) => {
        $(#[$doc])*
        ///
        /// # Safety
        ///
        /// The crate-level contract for split complex kernels: the four inputs readable
        /// and the two outputs writable for `len` elements, the outputs disjoint from
        /// each other and from the inputs.
        #[allow(clippy::too_many_arguments)]
        pub unsafe fn $name(
            ar: *const $t, ai: *const $t, br: *const $t, bi: *const $t,
            out_re: *mut $t, out_im: *mut $t, len: usize,
        ) {
            for i in 0..len {
                // SAFETY: i < len, and the caller guarantees every pointer is valid for
                // `len` elements.
                unsafe {
                    let [re, im] = $f([*ar.add(i), *ai.add(i)], [*br.add(i), *bi.add(i)]);
                    *out_re.add(i) = re;
                    *out_im.add(i) = im;
                }
            }
        }
    };
}

scalar_binary!(/** `out[i] = a[i] * b[i]` for `f32`. */ mul_f32, f32, f32, f32, |x: f32, y: f32| x * y);
scalar_binary!(/** `out[i] = a[i] * b[i]` for `f64`. */ mul_f64, f64, f64, f64, |x: f64, y: f64| x * y);
scalar_binary!(/** `wrapping_mul` on 8-bit integers (`u8` and `i8` alike). */ mul_wrapping8, u8, u8, u8, u8::wrapping_mul);
scalar_binary!(/** `wrapping_mul` on 16-bit integers. */ mul_wrapping16, u16, u16, u16, u16::wrapping_mul);
scalar_binary!(/** `wrapping_mul` on 32-bit integers. */ mul_wrapping32, u32, u32, u32, u32::wrapping_mul);
scalar_binary!(/** `wrapping_mul` on 64-bit integers. */ mul_wrapping64, u64, u64, u64, u64::wrapping_mul);
scalar_binary!(/** `saturating_mul` for `u8`. */ mul_saturating_u8, u8, u8, u8, u8::saturating_mul);
scalar_binary!(/** `saturating_mul` for `i8`. */ mul_saturating_i8, i8, i8, i8, i8::saturating_mul);
scalar_binary!(/** `saturating_mul` for `u16`. */ mul_saturating_u16, u16, u16, u16, u16::saturating_mul);
scalar_binary!(/** `saturating_mul` for `i16`. */ mul_saturating_i16, i16, i16, i16, i16::saturating_mul);
scalar_binary!(/** `saturating_mul` for `u32`. */ mul_saturating_u32, u32, u32, u32, u32::saturating_mul);
scalar_binary!(/** `saturating_mul` for `i32`. */ mul_saturating_i32, i32, i32, i32, i32::saturating_mul);
scalar_binary!(/** `saturating_mul` for `u64`. */ mul_saturating_u64, u64, u64, u64, u64::saturating_mul);
scalar_binary!(/** `saturating_mul` for `i64`. */ mul_saturating_i64, i64, i64, i64, i64::saturating_mul);
scalar_binary!(/** `round(a·b / 255)` for `u8`. */ mul_normalized_u8, u8, u8, u8, element::mul_normalized_u8);
scalar_binary!(/** Complex product of `[re, im]` pairs of `f32`. */ mul_complex_f32, [f32; 2], [f32; 2], [f32; 2], element::complex_mul);
scalar_binary!(/** Complex product of `[re, im]` pairs of `f64`. */ mul_complex_f64, [f64; 2], [f64; 2], [f64; 2], element::complex_mul);
scalar_binary!(/** `a · conj(b)` of `[re, im]` pairs of `f32`. */ mul_conj_complex_f32, [f32; 2], [f32; 2], [f32; 2], element::complex_mul_conj);
scalar_binary!(/** `a · conj(b)` of `[re, im]` pairs of `f64`. */ mul_conj_complex_f64, [f64; 2], [f64; 2], [f64; 2], element::complex_mul_conj);
scalar_binary!(/** binary16 product (bits), as `half` computes it. */ mul_f16, u16, u16, u16, element::mul_f16);
scalar_binary!(/** bfloat16 product (bits), as `half` computes it. */ mul_bf16, u16, u16, u16, element::mul_bf16);
scalar_binary!(/** f32 product of binary16 values (bits). */ mul_widen_f16, u16, u16, f32, element::mul_widen_f16);
scalar_binary!(/** f32 product of bfloat16 values (bits). */ mul_widen_bf16, u16, u16, f32, element::mul_widen_bf16);
scalar_split!(/** Complex product over split `f32` planes. */ mul_split_complex_f32, f32, element::complex_mul);
scalar_split!(/** Complex product over split `f64` planes. */ mul_split_complex_f64, f64, element::complex_mul);
scalar_split!(/** `a · conj(b)` over split `f32` planes. */ mul_conj_split_complex_f32, f32, element::complex_mul_conj);
scalar_split!(/** `a · conj(b)` over split `f64` planes. */ mul_conj_split_complex_f64, f64, element::complex_mul_conj);

/// Defines `pub unsafe fn $name(a, s, out, len)` doing `out[i] = $f(a[i], *s)`.
macro_rules! scalar_scale {
    ($(#[$doc:meta])* $name:ident, $t:ty, $f:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        ///
        /// `a` readable and `out` writable for `len` elements, `out` disjoint from `a` or
        /// equal to it; `s` readable (only `s[0]` is read).
        pub unsafe fn $name(a: *const $t, s: *const $t, out: *mut $t, len: usize) {
            // SAFETY: `s` is readable (caller).
            let s = unsafe { *s };
            for i in 0..len {
                // SAFETY: i < len and both pointers are valid for `len` elements; element
                // i is read before it is written.
                unsafe { *out.add(i) = $f(*a.add(i), s) };
            }
        }
    };
}

/// Defines `pub unsafe fn $name(a, b, c, out, len)` doing `out[i] = $f(a[i], b[i], c[i])`.
macro_rules! scalar_ternary {
    ($(#[$doc:meta])* $name:ident, $t:ty, $f:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        ///
        /// `a`, `b`, `c` readable and `out` writable for `len` elements; `out` disjoint
        /// from the inputs or equal to one of them.
        pub unsafe fn $name(a: *const $t, b: *const $t, c: *const $t, out: *mut $t, len: usize) {
            for i in 0..len {
                // SAFETY: i < len and every pointer is valid for `len` elements; element i
                // of each input is read before it is written.
                unsafe { *out.add(i) = $f(*a.add(i), *b.add(i), *c.add(i)) };
            }
        }
    };
}

/// Defines `pub unsafe fn $name(a, b, c, d, out, len)` doing
/// `out[i] = $f(a[i], b[i], c[i], d[i])`.
macro_rules! scalar_quaternary {
    ($(#[$doc:meta])* $name:ident, $t:ty, $f:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        ///
        /// `a`, `b`, `c`, `d` readable and `out` writable for `len` elements; `out`
        /// disjoint from the inputs or equal to one of them.
        pub unsafe fn $name(
            a: *const $t, b: *const $t, c: *const $t, d: *const $t, out: *mut $t, len: usize,
        ) {
            for i in 0..len {
                // SAFETY: i < len and every pointer is valid for `len` elements; element i
                // of each input is read before it is written.
                unsafe { *out.add(i) = $f(*a.add(i), *b.add(i), *c.add(i), *d.add(i)) };
            }
        }
    };
}

/// Defines `pub unsafe fn $name(a, b, len) -> $o`, the `$add`-sum of `$mul(a[i], b[i])` in
/// the order of `sum_order.rs` (plain loops over the partials), and `$acc`, its continuing
/// form.
macro_rules! scalar_sum {
    ($(#[$doc:meta])* $name:ident, $acc:ident, $t:ty, $zero:expr, $mul:expr, $add:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        ///
        /// `a` and `b` readable for `len` elements.
        pub unsafe fn $name(a: *const $t, b: *const $t, len: usize) -> $t {
            let block = crate::sum_order::block_len::<$t>();
            crate::sum_order::sum_of_blocks!(len, block, |start, n| {
                let mut partials = [$zero; PARTIALS_MAX];
                let w = crate::sum_order::partials::<$t>();
                // SAFETY: the block's elements start..start + n lie below len.
                unsafe { $acc(partials.as_mut_ptr(), 0, a.add(start), b.add(start), n) };
                crate::sum_order::fold(&mut partials[..w], $add)
            }, $add)
        }

        #[doc = concat!("[`", stringify!($name), "`]'s terms added into a block's partial sums, from partial `phase` on.")]
        ///
        /// # Safety
        ///
        /// `phase < W`; `partials` valid for the `W` partials; `a` and `b` readable for
        /// `len` elements.
        pub unsafe fn $acc(partials: *mut $t, phase: usize, a: *const $t, b: *const $t, len: usize) {
            const W: usize = crate::sum_order::partials::<$t>();
            // SAFETY: W partials at `partials`, `len` elements at a and b (caller).
            let (partials, a, b) = unsafe {
                (
                    &mut *partials.cast::<[$t; W]>(),
                    core::slice::from_raw_parts(a, len),
                    core::slice::from_raw_parts(b, len),
                )
            };
            let head = ((W - phase) % W).min(len);
            for k in 0..head {
                partials[phase + k] = $add(partials[phase + k], $mul(a[k], b[k]));
            }
            // Whole rows on a copy of the partials, so they can live in registers.
            let mut row = *partials;
            let (a, b) = (a[head..].chunks_exact(W), b[head..].chunks_exact(W));
            let (a_rest, b_rest) = (a.remainder(), b.remainder());
            for (x, y) in a.zip(b) {
                for k in 0..W {
                    row[k] = $add(row[k], $mul(x[k], y[k]));
                }
            }
            for k in 0..a_rest.len() {
                row[k] = $add(row[k], $mul(a_rest[k], b_rest[k]));
            }
            *partials = row;
        }
    };
}

/// The most partials of any type's block: `W` for 8-bit integers.
const PARTIALS_MAX: usize = crate::sum_order::PARTIAL_BYTES;

/// `x + y` for the sums' partials.
pub(crate) fn add_f32(x: f32, y: f32) -> f32 {
    x + y
}

/// `x + y` for the sums' partials.
pub(crate) fn add_f64(x: f64, y: f64) -> f64 {
    x + y
}

pub(crate) fn add_pair<T: core::ops::Add<Output = T> + Copy>(x: [T; 2], y: [T; 2]) -> [T; 2] {
    [x[0] + y[0], x[1] + y[1]]
}

scalar_scale!(/** `out[i] = a[i] * s` for `f32`. */ scale_f32, f32, |x: f32, s: f32| x * s);
scalar_scale!(/** `out[i] = a[i] * s` for `f64`. */ scale_f64, f64, |x: f64, s: f64| x * s);
scalar_scale!(/** `a[i].wrapping_mul(s)` on 8-bit integers. */ scale_wrapping8, u8, u8::wrapping_mul);
scalar_scale!(/** `a[i].wrapping_mul(s)` on 16-bit integers. */ scale_wrapping16, u16, u16::wrapping_mul);
scalar_scale!(/** `a[i].wrapping_mul(s)` on 32-bit integers. */ scale_wrapping32, u32, u32::wrapping_mul);
scalar_scale!(/** `a[i].wrapping_mul(s)` on 64-bit integers. */ scale_wrapping64, u64, u64::wrapping_mul);
scalar_scale!(/** `a[i] * s` for `[re, im]` pairs of `f32`. */ scale_complex_f32, [f32; 2], element::complex_mul);
scalar_scale!(/** `a[i] * s` for `[re, im]` pairs of `f64`. */ scale_complex_f64, [f64; 2], element::complex_mul);
scalar_scale!(/** `a[i] * s` for binary16 (bits). */ scale_f16, u16, element::mul_f16);
scalar_scale!(/** `a[i] * s` for bfloat16 (bits). */ scale_bf16, u16, element::mul_bf16);

scalar_ternary!(/** `a[i] * b[i] + c[i]` for `f32`, two roundings. */ mul_then_add_f32, f32, |a: f32, b: f32, c: f32| a * b + c);
scalar_ternary!(/** `a[i] * b[i] + c[i]` for `f64`, two roundings. */ mul_then_add_f64, f64, |a: f64, b: f64, c: f64| a * b + c);
scalar_ternary!(/** `fma(a[i], b[i], c[i])` for `f32`, one rounding (software). */ mul_add_f32, f32, libm::fmaf);
scalar_ternary!(/** `fma(a[i], b[i], c[i])` for `f64`, one rounding (software). */ mul_add_f64, f64, libm::fma);
scalar_ternary!(/** Wrapping `a[i] * b[i] + c[i]` on 8-bit integers. */ mul_then_add_wrapping8, u8, |a: u8, b: u8, c: u8| a.wrapping_mul(b).wrapping_add(c));
scalar_ternary!(/** Wrapping `a[i] * b[i] + c[i]` on 16-bit integers. */ mul_then_add_wrapping16, u16, |a: u16, b: u16, c: u16| a.wrapping_mul(b).wrapping_add(c));
scalar_ternary!(/** Wrapping `a[i] * b[i] + c[i]` on 32-bit integers. */ mul_then_add_wrapping32, u32, |a: u32, b: u32, c: u32| a.wrapping_mul(b).wrapping_add(c));
scalar_ternary!(/** Wrapping `a[i] * b[i] + c[i]` on 64-bit integers. */ mul_then_add_wrapping64, u64, |a: u64, b: u64, c: u64| a.wrapping_mul(b).wrapping_add(c));
scalar_ternary!(/** `a[i] * b[i] + c[i]` for `[re, im]` pairs of `f32`. */ mul_then_add_complex_f32, [f32; 2], |a, b, c| add_pair(element::complex_mul(a, b), c));
scalar_ternary!(/** `a[i] * b[i] + c[i]` for `[re, im]` pairs of `f64`. */ mul_then_add_complex_f64, [f64; 2], |a, b, c| add_pair(element::complex_mul(a, b), c));
scalar_ternary!(/** `a[i] * conj(b[i]) + c[i]` for `[re, im]` pairs of `f32`. */ mul_conj_add_complex_f32, [f32; 2], |a, b, c| add_pair(element::complex_mul_conj(a, b), c));
scalar_ternary!(/** `a[i] * conj(b[i]) + c[i]` for `[re, im]` pairs of `f64`. */ mul_conj_add_complex_f64, [f64; 2], |a, b, c| add_pair(element::complex_mul_conj(a, b), c));

scalar_sum!(/** `Σ a[i] * b[i]` for `f32`. */ sum_f32, accumulate_f32, f32, 0.0, |a: f32, b: f32| a * b, add_f32);
scalar_sum!(/** `Σ a[i] * b[i]` for `f64`. */ sum_f64, accumulate_f64, f64, 0.0, |a: f64, b: f64| a * b, add_f64);
scalar_sum!(/** Wrapping `Σ a[i] * b[i]` on 8-bit integers. */ sum_wrapping8, accumulate_wrapping8, u8, 0, u8::wrapping_mul, u8::wrapping_add);
scalar_sum!(/** Wrapping `Σ a[i] * b[i]` on 16-bit integers. */ sum_wrapping16, accumulate_wrapping16, u16, 0, u16::wrapping_mul, u16::wrapping_add);
scalar_sum!(/** Wrapping `Σ a[i] * b[i]` on 32-bit integers. */ sum_wrapping32, accumulate_wrapping32, u32, 0, u32::wrapping_mul, u32::wrapping_add);
scalar_sum!(/** Wrapping `Σ a[i] * b[i]` on 64-bit integers. */ sum_wrapping64, accumulate_wrapping64, u64, 0, u64::wrapping_mul, u64::wrapping_add);
scalar_sum!(/** `Σ a[i] * b[i]` for `[re, im]` pairs of `f32`. */ sum_complex_f32, accumulate_complex_f32, [f32; 2], [0.0; 2], element::complex_mul, add_pair);
scalar_sum!(/** `Σ a[i] * b[i]` for `[re, im]` pairs of `f64`. */ sum_complex_f64, accumulate_complex_f64, [f64; 2], [0.0; 2], element::complex_mul, add_pair);
scalar_sum!(/** `Σ a[i] * conj(b[i])` for `[re, im]` pairs of `f32`. */ sum_conj_complex_f32, accumulate_conj_complex_f32, [f32; 2], [0.0; 2], element::complex_mul_conj, add_pair);
scalar_sum!(/** `Σ a[i] * conj(b[i])` for `[re, im]` pairs of `f64`. */ sum_conj_complex_f64, accumulate_conj_complex_f64, [f64; 2], [0.0; 2], element::complex_mul_conj, add_pair);

scalar_quaternary!(/** `a[i] * b[i] + c[i] * d[i]` for `f32`, every step rounded. */ mul_then_add_mul_f32, f32, |a: f32, b: f32, c: f32, d: f32| a * b + c * d);
scalar_quaternary!(/** `a[i] * b[i] + c[i] * d[i]` for `f64`, every step rounded. */ mul_then_add_mul_f64, f64, |a: f64, b: f64, c: f64, d: f64| a * b + c * d);
scalar_quaternary!(/** Wrapping `a[i] * b[i] + c[i] * d[i]` on 8-bit integers. */ mul_then_add_mul_wrapping8, u8, |a: u8, b: u8, c: u8, d: u8| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d)));
scalar_quaternary!(/** Wrapping `a[i] * b[i] + c[i] * d[i]` on 16-bit integers. */ mul_then_add_mul_wrapping16, u16, |a: u16, b: u16, c: u16, d: u16| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d)));
scalar_quaternary!(/** Wrapping `a[i] * b[i] + c[i] * d[i]` on 32-bit integers. */ mul_then_add_mul_wrapping32, u32, |a: u32, b: u32, c: u32, d: u32| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d)));
scalar_quaternary!(/** Wrapping `a[i] * b[i] + c[i] * d[i]` on 64-bit integers. */ mul_then_add_mul_wrapping64, u64, |a: u64, b: u64, c: u64, d: u64| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d)));
scalar_quaternary!(/** `a[i] * b[i] + c[i] * d[i]` for `[re, im]` pairs of `f32`. */ mul_then_add_mul_complex_f32, [f32; 2], element::complex_mul_add_mul);
scalar_quaternary!(/** `a[i] * b[i] + c[i] * d[i]` for `[re, im]` pairs of `f64`. */ mul_then_add_mul_complex_f64, [f64; 2], element::complex_mul_add_mul);

scalar_ternary!(/** `w[i] * a[i] + (1 - w[i]) * b[i]` for `f32` (inputs `a`, `b`, `w`), every step rounded. */ blend_f32, f32, |a: f32, b: f32, w: f32| w * a + (1.0 - w) * b);
scalar_ternary!(/** `w[i] * a[i] + (1 - w[i]) * b[i]` for `f64` (inputs `a`, `b`, `w`), every step rounded. */ blend_f64, f64, |a: f64, b: f64, w: f64| w * a + (1.0 - w) * b);
scalar_ternary!(/** `round((α·fg + (255 − α)·bg) / 255)` for `u8` (inputs `fg`, `bg`, `α`). */ blend_normalized_u8, u8, element::blend_normalized_u8);
