//! The Hadamard (element-wise, Schur) product of slices, at the speed of the hardware.
//!
//! `out[i] = a[i] * b[i]` with the fastest SIMD kernel the CPU can run — chosen at run
//! time, so a binary built for the baseline target still runs AVX2 or AVX-512 — and,
//! for large inputs, split across the cores of the current rayon pool.
//!
//! ```
//! let a = [1.0f32, 2.0, 3.0, 4.0];
//! let b = [0.5f32, 0.5, 2.0, -1.0];
//! let mut out = [0.0f32; 4];
//! hadamard::mul_elementwise(&a, &b, &mut out);
//! assert_eq!(out, [0.5, 1.0, 6.0, -4.0]);
//!
//! let mut acc = a;
//! hadamard::mul_assign(&mut acc, &b); // in place: acc[i] *= b[i]
//! assert_eq!(acc, out);
//!
//! assert_eq!(hadamard::hadamard(&a, &b), out.to_vec());
//! ```
//!
//! # Element types and operations
//!
//! Every function is generic over the sealed [`Element`] trait: `f32`, `f64`, the eight
//! primitive integers (wrapping products; [`mul_elementwise_saturating`] clamps instead,
//! [`mul_normalized_u8`] computes round(a·b/255) for images), `Complex<f32>` and
//! `Complex<f64>` (feature `complex`; [`mul_conj_elementwise`] for a · conj(b), and
//! [`mul_split_complex`] for numbers stored as separate real and imaginary planes), and
//! `half::f16` / `half::bf16` (feature `half`; [`mul_elementwise_widen`] for f32 products).
//! Every type has SIMD kernels for every ISA.
//!
//! # Results
//!
//! IEEE-754 multiplication is exactly rounded, and every kernel multiplies each pair
//! once, with no fused operation and without touching the floating-point environment
//! (no flush-to-zero): every kernel gives results bit-identical to
//! `a[i] * b[i]` in plain Rust, on every CPU. The one exception IEEE leaves open is the
//! payload of a NaN produced from two NaN inputs; it is a NaN either way.
//! Products with subnormal inputs or results are correct but run several times slower,
//! as they do in scalar code.
//!
//! The same bits on every machine hold for the other types too: integer products are
//! exact; complex products evaluate `(ar·br − ai·bi, ar·bi + ai·br)` (or the conjugate
//! form) with each product and sum rounded separately, never fused, exactly as
//! `num_complex` does — not exactly rounded as a whole (a cancelling component can lose
//! its digits), but identical from every kernel (except which NaN a component carries
//! when it combines two, as when an input NaN meets an `inf·0` made inside the formula:
//! it is NaN everywhere, but its sign and payload follow the operand order each kernel's
//! compiled code happens to use); half-precision products are `half`'s:
//! widened exactly, multiplied in f32 and rounded once to the half format.
//!
//! # Kernels
//!
//! | [`Kernel`] | where | needs |
//! |---|---|---|
//! | `scalar` | everywhere | nothing |
//! | `sse2` | x86_64 | baseline |
//! | `avx2` | x86_64 | AVX2 + FMA + F16C, detected at run time |
//! | `avx512` | x86_64 | AVX-512 F/BW/DQ/VL, detected at run time |
//! | `neon` | aarch64 | baseline |
//!
//! The first available kernel of [`Kernel::PREFERENCE`] is chosen once per process
//! ([`selected_kernel`]): AVX-512 where the core keeps its clock on 512-bit code
//! ([`avx512_runs_at_full_clock`]), else AVX2, else SSE2 or NEON. With AVX-512 chosen so,
//! the simplest products (one load per input, one arithmetic instruction, one store: f32,
//! f64, 16- and 32-bit integers, plain, scaled and multiply-add) run the AVX2 kernel once a
//! call's operands outgrow L1 and until it streams, where 256-bit code moved 8–16% more
//! bytes per second on the machine measured (same bits either way). Set
//! `HADAMARD_KERNEL=scalar|sse2|avx2|avx512|neon` to force one for the whole process, or
//! use [`Options::kernel`] (and [`mul_elementwise_with`]) to force one per call.
//!
//! # Threads
//!
//! A call uses as many threads of the current rayon pool as pay for themselves on this
//! machine at its size: [`split_costs`] measures, once per process and the first time a
//! call is large enough to ask (40–50 ms on the development guest), what handing work to
//! the pool costs here with its threads awake and asleep, and how fast one thread moves
//! bytes; each call then takes
//! the thread count its estimate favours, a few pieces a thread, pieces of at least 16 KiB
//! of output. Calls too small to ever split stay on the calling thread after one
//! comparison and allocate nothing. [`Options::max_threads`] and `HADAMARD_MAX_THREADS`
//! cap the count, `HADAMARD_SPLIT_BYTES` replaces the decision by a fixed threshold, and
//! none of it changes a result's bits.
//!
//! Where pieces start: slice calls (and whole contiguous matrices, ndarray and nalgebra
//! arrays, which are one slice call) on 64-byte lines of the output; the split complex
//! product on lines of the real plane (and of the imaginary one when both sit at one
//! offset from a line); strided matrices at a row whose output starts on a line where such
//! a row lies near the share's end, else at that row; ndarray lanes and nalgebra columns
//! of strided arrays between lanes or columns, so two threads may share the line between
//! two of them. Run inside `pool.install(..)` to choose the pool, or use
//! [`Parallelism::Sequential`] to never leave the calling thread.

#![cfg_attr(not(feature = "std"), no_std)]
// Every `unsafe` line is in the kernels crate (`kernels/`), behind safe entry points.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// docs.rs (nightly, `--cfg docsrs`): mark each feature-gated item with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;

use alloc::vec::Vec;

mod cache;
mod dispatch;
mod element;
mod error;
mod integrations;
mod kernel;
mod matrix;
mod options;
mod parallel;
mod split_cost;
mod threads;

pub use cache::{cache_sizes, CacheSizes, CacheSource};
pub use dispatch::{
    available_kernels, avx512_runs_at_full_clock, cpu_features, selected_kernel, KERNEL_ENV_VAR,
};
#[cfg(feature = "complex")]
#[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
pub use element::ComplexElement;
#[cfg(feature = "half")]
#[cfg_attr(docsrs, doc(cfg(feature = "half")))]
pub use element::HalfElement;
pub use element::{Accumulate, Element, Integer, Real, Unorm8};
pub use kernel::Kernel;

pub use error::{Error, LengthMismatch, Lengths};
// `faer`, `nalgebra` and `ndarray`, each where its feature is on (none: nothing to use).
#[allow(unused_imports)]
pub use integrations::*;

pub use error::{Dims, LayoutError, ShapeMismatch};
/// The `half` crate, whose `f16` and `bf16` are element types here (feature `half`).
#[cfg(feature = "half")]
#[cfg_attr(docsrs, doc(cfg(feature = "half")))]
pub use half;
pub use matrix::{MatMut, MatRef};
/// The `num-complex` crate, whose `Complex<f32>` and `Complex<f64>` are element types here
/// (feature `complex`).
#[cfg(feature = "complex")]
#[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
pub use num_complex;
pub use options::Options;
#[doc(hidden)]
pub use parallel::observe as __observe;
pub use parallel::{streaming_threshold_bytes, Parallelism, Stores};
pub use split_cost::{
    split_costs, SplitCosts, SplitSource, MAX_THREADS_ENV_VAR, SPLIT_BYTES_ENV_VAR, SPLIT_MARGIN,
};

/// `out[i] = a[i] * b[i]` for every `i`.
///
/// # Panics
///
/// When the three lengths differ, with a message naming all three; `out` is untouched.
/// Also when `HADAMARD_KERNEL` is set to a kernel this CPU cannot run, or to no kernel.
///
/// ```
/// let mut out = [0.0f64; 3];
/// hadamard::mul_elementwise(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0], &mut out);
/// assert_eq!(out, [4.0, 10.0, 18.0]);
/// ```
#[inline]
#[track_caller]
#[doc(alias = "multiply")]
#[doc(alias = "component_mul")]
#[doc(alias = "schur")]
#[doc(alias = "elementwise")]
#[doc(alias = "hadamard_product")]
#[doc(alias = "mul")]
pub fn mul_elementwise<T: Element>(a: &[T], b: &[T], out: &mut [T]) {
    if let Err(e) = try_mul_elementwise(a, b, out) {
        length_panic(e);
    }
}

/// The panic of the free functions, out of line so the formatting machinery stays out of
/// the small-call path.
#[cold]
#[inline(never)]
#[track_caller]
fn length_panic(e: LengthMismatch) -> ! {
    panic!("{e}")
}

/// `out[i] = a[i] * b[i]`, or an error naming the three lengths when they differ, in
/// which case `out` is untouched.
///
/// ```
/// let mut out = [0.0f32; 2];
/// let err = hadamard::try_mul_elementwise(&[1.0, 2.0], &[3.0], &mut out).unwrap_err();
/// assert_eq!(err.lengths(), &[("a", 2), ("b", 1), ("out", 2)]);
/// ```
#[inline]
pub fn try_mul_elementwise<T: Element>(
    a: &[T],
    b: &[T],
    out: &mut [T],
) -> Result<(), LengthMismatch> {
    Options::new().mul_elementwise(a, b, out)
}

/// `acc[i] *= b[i]` for every `i`, in place.
///
/// # Panics
///
/// When the lengths differ, with a message naming both; `acc` is untouched.
///
/// ```
/// let mut gate = [1.0f32, 0.5, 0.0];
/// hadamard::mul_assign(&mut gate, &[4.0, 4.0, 4.0]);
/// assert_eq!(gate, [4.0, 2.0, 0.0]);
/// ```
#[inline]
#[track_caller]
#[doc(alias = "component_mul_assign")]
#[doc(alias = "multiply")]
#[doc(alias = "schur")]
#[doc(alias = "elementwise")]
pub fn mul_assign<T: Element>(acc: &mut [T], b: &[T]) {
    if let Err(e) = try_mul_assign(acc, b) {
        length_panic(e);
    }
}

/// `acc[i] *= b[i]`, or an error naming both lengths when they differ, in which case
/// `acc` is untouched.
#[inline]
pub fn try_mul_assign<T: Element>(acc: &mut [T], b: &[T]) -> Result<(), LengthMismatch> {
    Options::new().mul_assign(acc, b)
}

/// A new vector holding `a[i] * b[i]`.
///
/// # Panics
///
/// When the lengths differ, with a message naming both.
///
/// ```
/// assert_eq!(hadamard::hadamard(&[1.0f64, -2.0], &[3.0, 3.0]), vec![3.0, -6.0]);
/// ```
#[track_caller]
#[doc(alias = "multiply")]
#[doc(alias = "component_mul")]
#[doc(alias = "schur")]
#[doc(alias = "elementwise")]
#[doc(alias = "hadamard_product")]
pub fn hadamard<T: Element>(a: &[T], b: &[T]) -> Vec<T> {
    match Options::new().hadamard(a, b) {
        Ok(product) => product,
        Err(e) => length_panic(e),
    }
}

/// `out[i] = a[i] * b[i]` with a forced kernel: an error when this CPU cannot run
/// `kernel` or when the lengths differ, and `out` untouched then.
///
/// ```
/// use hadamard::Kernel;
/// let (a, b) = ([3.0f32; 5], [2.0f32; 5]);
/// for kernel in hadamard::available_kernels() {
///     let mut out = [0.0f32; 5];
///     hadamard::mul_elementwise_with(kernel, &a, &b, &mut out)?;
///     assert_eq!(out, [6.0; 5]);
/// }
/// # Ok::<(), hadamard::Error>(())
/// ```
pub fn mul_elementwise_with<T: Element>(
    kernel: Kernel,
    a: &[T],
    b: &[T],
    out: &mut [T],
) -> Result<(), Error> {
    Options::new().kernel(kernel)?.mul_elementwise(a, b, out)?;
    Ok(())
}

/// `out[i] = a[i].saturating_mul(b[i])` for every `i`: products beyond the type's range
/// clamp to `MIN` or `MAX` (image code: `u8` and `u16` pixels that must not wrap).
///
/// # Panics
///
/// When the three lengths differ, with a message naming all three; `out` is untouched.
///
/// ```
/// let mut out = [0u8; 3];
/// hadamard::mul_elementwise_saturating(&[200u8, 15, 0], &[2, 17, 255], &mut out);
/// assert_eq!(out, [255, 255, 0]);
/// let mut out = [0i16; 2];
/// hadamard::mul_elementwise_saturating(&[-300i16, 300], &[200, 100], &mut out);
/// assert_eq!(out, [i16::MIN, 30000]);
/// ```
#[inline]
#[track_caller]
pub fn mul_elementwise_saturating<T: Integer>(a: &[T], b: &[T], out: &mut [T]) {
    if let Err(e) = try_mul_elementwise_saturating(a, b, out) {
        length_panic(e);
    }
}

/// [`mul_elementwise_saturating`], or an error naming the three lengths when they differ,
/// in which case `out` is untouched.
#[inline]
pub fn try_mul_elementwise_saturating<T: Integer>(
    a: &[T],
    b: &[T],
    out: &mut [T],
) -> Result<(), LengthMismatch> {
    Options::new().mul_elementwise_saturating(a, b, out)
}

/// `out[i] = round(a[i]·b[i] / 255)`: the product of two `u8` values read as fractions of
/// 255 (alpha masks, blending, image multiply), rounded to nearest (never a tie), exactly
/// as `((2·a·b + 255) / 510) as u8` computes it.
///
/// # Panics
///
/// When the three lengths differ, with a message naming all three; `out` is untouched.
///
/// ```
/// let pixels = [255u8, 128, 200, 7];
/// let alpha = [255u8, 128, 0, 255];
/// let mut out = [0u8; 4];
/// hadamard::mul_normalized_u8(&pixels, &alpha, &mut out);
/// assert_eq!(out, [255, 64, 0, 7]);
/// ```
#[inline]
#[track_caller]
pub fn mul_normalized_u8(a: &[u8], b: &[u8], out: &mut [u8]) {
    if let Err(e) = try_mul_normalized_u8(a, b, out) {
        length_panic(e);
    }
}

/// [`mul_normalized_u8`], or an error naming the three lengths when they differ, in which
/// case `out` is untouched.
#[inline]
pub fn try_mul_normalized_u8(a: &[u8], b: &[u8], out: &mut [u8]) -> Result<(), LengthMismatch> {
    Options::new().mul_normalized_u8(a, b, out)
}

/// `out[i] = a[i] · conj(b[i])` for complex numbers: the product behind cross-correlation
/// in the frequency domain (`ifft(fft(x) ⊙ conj(fft(y)))`).
///
/// Each element is `(ar·br + ai·bi, ai·br − ar·bi)` with every product and sum rounded
/// separately, exactly what `a * b.conj()` gives with `num_complex`: the same bits from
/// every kernel on every machine. (Like any complex product computed this way, a
/// component's relative error can be large when it cancels.)
///
/// # Panics
///
/// When the three lengths differ, with a message naming all three; `out` is untouched.
///
/// ```
/// use hadamard::num_complex::Complex;
/// let a = [Complex::new(1.0f32, 2.0), Complex::new(0.0, 1.0)];
/// let b = [Complex::new(3.0f32, 4.0), Complex::new(0.0, 1.0)];
/// let mut out = [Complex::new(0.0, 0.0); 2];
/// hadamard::mul_conj_elementwise(&a, &b, &mut out);
/// assert_eq!(out, [Complex::new(11.0, 2.0), Complex::new(1.0, 0.0)]);
/// ```
#[cfg(feature = "complex")]
#[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
#[inline]
#[track_caller]
#[doc(alias = "cross_spectrum")]
#[doc(alias = "correlate")]
#[doc(alias = "multiply_conj")]
pub fn mul_conj_elementwise<T: ComplexElement>(a: &[T], b: &[T], out: &mut [T]) {
    if let Err(e) = try_mul_conj_elementwise(a, b, out) {
        length_panic(e);
    }
}

/// [`mul_conj_elementwise`], or an error naming the three lengths when they differ, in
/// which case `out` is untouched.
#[cfg(feature = "complex")]
#[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
#[inline]
pub fn try_mul_conj_elementwise<T: ComplexElement>(
    a: &[T],
    b: &[T],
    out: &mut [T],
) -> Result<(), LengthMismatch> {
    Options::new().mul_conj_elementwise(a, b, out)
}

/// `out[i] = f32(a[i]) · f32(b[i])`: half-precision inputs, single-precision products
/// (half-precision weights gating f32 activations). For `f16` the product is exact; for
/// `bf16` it is the f32 product, rounded once.
///
/// # Panics
///
/// When the three lengths differ, with a message naming all three; `out` is untouched.
///
/// ```
/// use hadamard::half::{bf16, f16};
/// let w = [f16::from_f32(0.5), f16::from_f32(-3.0)];
/// let x = [f16::from_f32(0.25), f16::from_f32(1024.0)];
/// let mut out = [0.0f32; 2];
/// hadamard::mul_elementwise_widen(&w, &x, &mut out);
/// assert_eq!(out, [0.125, -3072.0]);
/// let w = [bf16::from_f32(3.0)];
/// hadamard::mul_elementwise_widen(&w, &w, &mut out[..1]);
/// assert_eq!(out[0], 9.0);
/// ```
#[cfg(feature = "half")]
#[cfg_attr(docsrs, doc(cfg(feature = "half")))]
#[inline]
#[track_caller]
pub fn mul_elementwise_widen<H: HalfElement>(a: &[H], b: &[H], out: &mut [f32]) {
    if let Err(e) = try_mul_elementwise_widen(a, b, out) {
        length_panic(e);
    }
}

/// [`mul_elementwise_widen`], or an error naming the three lengths when they differ, in
/// which case `out` is untouched.
#[cfg(feature = "half")]
#[cfg_attr(docsrs, doc(cfg(feature = "half")))]
#[inline]
pub fn try_mul_elementwise_widen<H: HalfElement>(
    a: &[H],
    b: &[H],
    out: &mut [f32],
) -> Result<(), LengthMismatch> {
    Options::new().mul_elementwise_widen(a, b, out)
}

/// The complex product of numbers stored as separate real and imaginary planes
/// (`a = (re, im)`): `out.re[i] = ar·br − ai·bi`, `out.im[i] = ar·bi + ai·br`, with the
/// same formula, roundings and same-bits-everywhere promise as the interleaved
/// [`mul_elementwise`] on `Complex` values.
///
/// # Panics
///
/// When the six lengths differ, with a message naming all six; the outputs are untouched.
///
/// ```
/// let (a_re, a_im) = ([1.0f64, 0.0], [2.0, 1.0]);
/// let (b_re, b_im) = ([3.0f64, 0.0], [4.0, 1.0]);
/// let (mut re, mut im) = ([0.0; 2], [0.0; 2]);
/// hadamard::mul_split_complex((&a_re, &a_im), (&b_re, &b_im), (&mut re, &mut im));
/// assert_eq!((re, im), ([-5.0, -1.0], [10.0, 0.0]));
/// ```
#[inline]
#[track_caller]
pub fn mul_split_complex<T: Real>(a: (&[T], &[T]), b: (&[T], &[T]), out: (&mut [T], &mut [T])) {
    if let Err(e) = try_mul_split_complex(a, b, out) {
        length_panic(e);
    }
}

/// [`mul_split_complex`], or an error naming the six lengths when they differ, in which
/// case the outputs are untouched.
#[inline]
pub fn try_mul_split_complex<T: Real>(
    a: (&[T], &[T]),
    b: (&[T], &[T]),
    out: (&mut [T], &mut [T]),
) -> Result<(), LengthMismatch> {
    Options::new().mul_split_complex(a, b, out)
}

/// `a ⊙ conj(b)` over split planes: `out.re[i] = ar·br + ai·bi`,
/// `out.im[i] = ai·br − ar·bi`, as [`mul_conj_elementwise`] computes it.
///
/// # Panics
///
/// When the six lengths differ, with a message naming all six; the outputs are untouched.
///
/// ```
/// let (a_re, a_im) = ([1.0f32], [2.0]);
/// let (b_re, b_im) = ([3.0f32], [4.0]);
/// let (mut re, mut im) = ([0.0], [0.0]);
/// hadamard::mul_conj_split_complex((&a_re, &a_im), (&b_re, &b_im), (&mut re, &mut im));
/// assert_eq!((re, im), ([11.0], [2.0]));
/// ```
#[inline]
#[track_caller]
pub fn mul_conj_split_complex<T: Real>(
    a: (&[T], &[T]),
    b: (&[T], &[T]),
    out: (&mut [T], &mut [T]),
) {
    if let Err(e) = try_mul_conj_split_complex(a, b, out) {
        length_panic(e);
    }
}

/// [`mul_conj_split_complex`], or an error naming the six lengths when they differ, in
/// which case the outputs are untouched.
#[inline]
pub fn try_mul_conj_split_complex<T: Real>(
    a: (&[T], &[T]),
    b: (&[T], &[T]),
    out: (&mut [T], &mut [T]),
) -> Result<(), LengthMismatch> {
    Options::new().mul_conj_split_complex(a, b, out)
}

/// `out[i] = s · a[i]`: scaling by one value (feature weighting, a gain). Every element
/// type; the product is exactly what `mul_elementwise` gives with `b[i] = s`.
///
/// # Panics
///
/// When the lengths differ, with a message naming both; `out` is untouched.
///
/// ```
/// let mut out = [0.0f32; 3];
/// hadamard::mul_scalar(&[1.0, -2.0, 0.5], 4.0, &mut out);
/// assert_eq!(out, [4.0, -8.0, 2.0]);
/// ```
#[inline]
#[track_caller]
#[doc(alias = "scale")]
#[doc(alias = "scal")]
pub fn mul_scalar<T: Element>(a: &[T], s: T, out: &mut [T]) {
    if let Err(e) = try_mul_scalar(a, s, out) {
        length_panic(e);
    }
}

/// [`mul_scalar`], or an error naming both lengths when they differ, in which case `out` is
/// untouched.
#[inline]
pub fn try_mul_scalar<T: Element>(a: &[T], s: T, out: &mut [T]) -> Result<(), LengthMismatch> {
    Options::new().mul_scalar(a, s, out)
}

/// `acc[i] = s · acc[i]`, in place.
///
/// ```
/// let mut gains = [1u8, 2, 100];
/// hadamard::mul_scalar_assign(&mut gains, 3); // wrapping, like `*` on integers in release
/// assert_eq!(gains, [3, 6, 44]);
/// ```
#[inline]
pub fn mul_scalar_assign<T: Element>(acc: &mut [T], s: T) {
    Options::new().mul_scalar_assign(acc, s)
}

/// `out[i] = a[i]·b[i] + c[i]`, the product and the sum each rounded: exactly `a * b + c`
/// in plain Rust, so every kernel gives the same bits; integers wrap; complex numbers use
/// the product formula of [`mul_elementwise`] then add.
///
/// This is *not* `f32::mul_add`, which rounds once; the name says the two steps. The fused
/// form, with std's name and std's results, is [`mul_add`].
///
/// # Panics
///
/// When the four lengths differ, with a message naming all four; `out` is untouched.
///
/// ```
/// let mut out = [0.0f64; 2];
/// hadamard::mul_then_add(&[2.0, 3.0], &[4.0, 5.0], &[1.0, -1.0], &mut out);
/// assert_eq!(out, [9.0, 14.0]);
/// ```
#[inline]
#[track_caller]
#[doc(alias = "mul_add_unfused")]
#[doc(alias = "axpy")]
pub fn mul_then_add<T: Accumulate>(a: &[T], b: &[T], c: &[T], out: &mut [T]) {
    if let Err(e) = try_mul_then_add(a, b, c, out) {
        length_panic(e);
    }
}

/// [`mul_then_add`], or an error naming the four lengths, `out` untouched.
#[inline]
pub fn try_mul_then_add<T: Accumulate>(
    a: &[T],
    b: &[T],
    c: &[T],
    out: &mut [T],
) -> Result<(), LengthMismatch> {
    Options::new().mul_then_add(a, b, c, out)
}

/// `acc[i] += a[i]·b[i]` in one pass (gradient accumulation; the LSTM cell update
/// c_t = f ⊙ c_{t−1} + i ⊙ g is [`mul_assign`]`(c, f)` then `mul_then_add_assign(c, i, g)`).
/// Rounding as [`mul_then_add`].
///
/// # Panics
///
/// When the three lengths differ, with a message naming all three; `acc` is untouched.
///
/// ```
/// let (f, i, g) = ([0.5f32, 1.0], [1.0f32, 0.25], [2.0f32, 4.0]);
/// let mut c = [4.0f32, 8.0];
/// hadamard::mul_assign(&mut c, &f); // forget gate
/// hadamard::mul_then_add_assign(&mut c, &i, &g); // input gate times candidate
/// assert_eq!(c, [4.0, 9.0]);
/// ```
#[inline]
#[track_caller]
pub fn mul_then_add_assign<T: Accumulate>(acc: &mut [T], a: &[T], b: &[T]) {
    if let Err(e) = try_mul_then_add_assign(acc, a, b) {
        length_panic(e);
    }
}

/// [`mul_then_add_assign`], or an error naming the three lengths, `acc` untouched.
#[inline]
pub fn try_mul_then_add_assign<T: Accumulate>(
    acc: &mut [T],
    a: &[T],
    b: &[T],
) -> Result<(), LengthMismatch> {
    Options::new().mul_then_add_assign(acc, a, b)
}

/// `out[i] = a[i]·b[i] + c[i]·d[i]` in one pass over the five arrays: both products and
/// the sum rounded, exactly `a * b + c * d` in plain Rust (never fused), so every kernel
/// gives the same bits; integers wrap; complex numbers use the product formula of
/// [`mul_elementwise`] for each product, then add.
///
/// Two calls ([`mul_elementwise`] then [`mul_then_add`]) give the same bits, but out of
/// cache they move 7 elements' worth of memory per element where this moves 5. For
/// floats, three roundings put the result within γ₂·(|a·b| + |c·d|) of the exact value,
/// γ₂ = 2u/(1 − 2u) with `u` the unit roundoff (2⁻²⁴ for f32, 2⁻⁵³ for f64); a cancelling
/// sum can lose every digit relative to itself, as in any floating-point sum.
///
/// # Panics
///
/// When the five lengths differ, with a message naming all five; `out` is untouched.
///
/// ```
/// let (a, b) = ([2.0f32, 3.0], [4.0f32, 5.0]);
/// let (c, d) = ([1.0f32, -1.0], [0.5f32, 2.0]);
/// let mut out = [0.0f32; 2];
/// hadamard::mul_then_add_mul(&a, &b, &c, &d, &mut out);
/// assert_eq!(out, [8.5, 13.0]);
/// ```
#[inline]
#[track_caller]
#[doc(alias = "two_products")]
#[doc(alias = "axpby")]
pub fn mul_then_add_mul<T: Accumulate>(a: &[T], b: &[T], c: &[T], d: &[T], out: &mut [T]) {
    if let Err(e) = try_mul_then_add_mul(a, b, c, d, out) {
        length_panic(e);
    }
}

/// [`mul_then_add_mul`], or an error naming the five lengths, `out` untouched.
#[inline]
pub fn try_mul_then_add_mul<T: Accumulate>(
    a: &[T],
    b: &[T],
    c: &[T],
    d: &[T],
    out: &mut [T],
) -> Result<(), LengthMismatch> {
    Options::new().mul_then_add_mul(a, b, c, d, out)
}

/// `acc[i] = acc[i]·a[i] + b[i]·c[i]` in one pass over the four arrays: the LSTM cell
/// state update c = c ⊙ f + i ⊙ g. Rounding as [`mul_then_add_mul`] (the bits of
/// `acc * a + b * c`).
///
/// # Panics
///
/// When the four lengths differ, with a message naming all four; `acc` is untouched.
///
/// ```
/// let (f, i, g) = ([0.5f32, 1.0], [1.0f32, 0.25], [2.0f32, 4.0]);
/// let mut c = [4.0f32, 8.0];
/// hadamard::mul_then_add_mul_assign(&mut c, &f, &i, &g); // c = c ⊙ f + i ⊙ g
/// assert_eq!(c, [4.0, 9.0]);
/// ```
#[inline]
#[track_caller]
#[doc(alias = "lstm")]
pub fn mul_then_add_mul_assign<T: Accumulate>(acc: &mut [T], a: &[T], b: &[T], c: &[T]) {
    if let Err(e) = try_mul_then_add_mul_assign(acc, a, b, c) {
        length_panic(e);
    }
}

/// [`mul_then_add_mul_assign`], or an error naming the four lengths, `acc` untouched.
#[inline]
pub fn try_mul_then_add_mul_assign<T: Accumulate>(
    acc: &mut [T],
    a: &[T],
    b: &[T],
    c: &[T],
) -> Result<(), LengthMismatch> {
    Options::new().mul_then_add_mul_assign(acc, a, b, c)
}

/// `out[i] = w[i]·a[i] + (1 − w[i])·b[i]`: the per-element blend of two arrays by weights
/// (cross-fades, GRU state updates, interpolation), in one pass over the four arrays.
///
/// Every step is rounded on its own, exactly `w * a + (1.0 - w) * b` in plain Rust: every
/// kernel gives the same bits. Four roundings (`w·a`, `1 − w`, its product with `b`, the
/// sum) put the result within γ₃·(|w·a| + |(1 − w)·b|) of the exact blend, γ₃ = 3u/(1 − 3u)
/// with `u` the unit roundoff (2⁻²⁴ for f32, 2⁻⁵³ for f64); `w = 1` gives `a` and `w = 0`
/// gives `b` for finite values (up to the sign of a zero).
///
/// # Panics
///
/// When the four lengths differ, with a message naming all four; `out` is untouched.
///
/// ```
/// let (a, b) = ([1.0f64, 10.0, -4.0], [3.0f64, 20.0, 4.0]);
/// let w = [1.0f64, 0.5, 0.25];
/// let mut out = [0.0f64; 3];
/// hadamard::blend(&a, &b, &w, &mut out);
/// assert_eq!(out, [1.0, 15.0, 2.0]);
/// ```
#[inline]
#[track_caller]
#[doc(alias = "lerp")]
#[doc(alias = "mix")]
#[doc(alias = "crossfade")]
#[doc(alias = "interpolate")]
pub fn blend<T: Real>(a: &[T], b: &[T], w: &[T], out: &mut [T]) {
    if let Err(e) = try_blend(a, b, w, out) {
        length_panic(e);
    }
}

/// [`blend`], or an error naming the four lengths, `out` untouched.
#[inline]
pub fn try_blend<T: Real>(a: &[T], b: &[T], w: &[T], out: &mut [T]) -> Result<(), LengthMismatch> {
    Options::new().blend(a, b, w, out)
}

/// `out[i] = round((alpha[i]·fg[i] + (255 − alpha[i])·bg[i]) / 255)`: 8-bit alpha
/// compositing ("over" with straight alpha) of one channel, exact in integers.
///
/// The rounding is [`mul_normalized_u8`]'s: to nearest, never a tie (255 is odd), exactly
/// `((2·n + 255) / 510) as u8` for the numerator `n`; `alpha = 255` gives `fg` and
/// `alpha = 0` gives `bg`. Every kernel gives those bits; the test checks all 2²⁴
/// `(fg, bg, alpha)` triples on each.
///
/// # Panics
///
/// When the four lengths differ, with a message naming all four; `out` is untouched.
///
/// ```
/// let fg = [255u8, 200, 10, 0];
/// let bg = [0u8, 100, 10, 255];
/// let alpha = [128u8, 255, 77, 0];
/// let mut out = [0u8; 4];
/// hadamard::blend_normalized_u8(&fg, &bg, &alpha, &mut out);
/// assert_eq!(out, [128, 200, 10, 255]);
/// ```
#[inline]
#[track_caller]
#[doc(alias = "alpha_blend")]
#[doc(alias = "composite")]
#[doc(alias = "over")]
pub fn blend_normalized_u8(fg: &[u8], bg: &[u8], alpha: &[u8], out: &mut [u8]) {
    if let Err(e) = try_blend_normalized_u8(fg, bg, alpha, out) {
        length_panic(e);
    }
}

/// [`blend_normalized_u8`], or an error naming the four lengths, `out` untouched.
#[inline]
pub fn try_blend_normalized_u8(
    fg: &[u8],
    bg: &[u8],
    alpha: &[u8],
    out: &mut [u8],
) -> Result<(), LengthMismatch> {
    Options::new().blend_normalized_u8(fg, bg, alpha, out)
}

/// `out[i] = a[i].mul_add(b[i], c[i])`: the product and the sum with one rounding, as
/// std's [`f32::mul_add`] and [`f64::mul_add`] (and num-traits' `MulAdd`) give, bit for bit.
///
/// Each element is the correctly rounded value of `a·b + c`, so it differs from
/// [`mul_then_add`]'s by at most one rounding of the sum (|difference| ≤ ulp of the result,
/// plus the product's rounding error, which the fused form does not make). The AVX2,
/// AVX-512 and NEON kernels use FMA instructions; the scalar and SSE2 kernels (no FMA
/// instruction) use a correctly rounded software FMA, much slower but the same bits: every
/// kernel agrees.
///
/// # Panics
///
/// When the four lengths differ, with a message naming all four; `out` is untouched.
///
/// ```
/// let e = f64::EPSILON;
/// let (a, b, c) = ([1.0 + e], [1.0 - e], [-1.0]);
/// let mut fused = [0.0];
/// hadamard::mul_add(&a, &b, &c, &mut fused);
/// assert_eq!(fused[0], -e * e); // exact; the unfused a·b rounds to 1, giving 0
/// ```
#[inline]
#[track_caller]
#[doc(alias = "fma")]
#[doc(alias = "fused")]
pub fn mul_add<T: Real>(a: &[T], b: &[T], c: &[T], out: &mut [T]) {
    if let Err(e) = try_mul_add(a, b, c, out) {
        length_panic(e);
    }
}

/// [`mul_add`], or an error naming the four lengths, `out` untouched.
#[inline]
pub fn try_mul_add<T: Real>(
    a: &[T],
    b: &[T],
    c: &[T],
    out: &mut [T],
) -> Result<(), LengthMismatch> {
    Options::new().mul_add(a, b, c, out)
}

/// `acc[i] = a[i].mul_add(b[i], acc[i])`: [`mul_then_add_assign`] with one rounding, as
/// [`mul_add`] and std's `f32::mul_add`.
///
/// ```
/// let e = f32::EPSILON;
/// let mut acc = [-1.0f32];
/// hadamard::mul_add_assign(&mut acc, &[1.0 + e], &[1.0 - e]);
/// assert_eq!(acc[0], (1.0 + e).mul_add(1.0 - e, -1.0)); // -e², where `a * b + c` gives 0
/// ```
///
/// # Panics
///
/// When the three lengths differ, with a message naming all three; `acc` is untouched.
#[inline]
#[track_caller]
pub fn mul_add_assign<T: Real>(acc: &mut [T], a: &[T], b: &[T]) {
    if let Err(e) = try_mul_add_assign(acc, a, b) {
        length_panic(e);
    }
}

/// [`mul_add_assign`], or an error naming the three lengths, `acc` untouched.
#[inline]
pub fn try_mul_add_assign<T: Real>(acc: &mut [T], a: &[T], b: &[T]) -> Result<(), LengthMismatch> {
    Options::new().mul_add_assign(acc, a, b)
}

/// `acc[i] += a[i] · conj(b[i])` in one pass: cross-spectrum accumulation over many frames
/// without a conjugated temporary. Each element is `acc + a·conj(b)` with the formula of
/// [`mul_conj_elementwise`], bit for bit `num_complex`'s `acc + a * b.conj()`.
///
/// # Panics
///
/// When the three lengths differ, with a message naming all three; `acc` is untouched.
///
/// ```
/// use hadamard::num_complex::Complex;
/// let x = [Complex::new(1.0f32, 2.0)];
/// let y = [Complex::new(3.0f32, 4.0)];
/// let mut cross = [Complex::new(0.0f32, 0.0)];
/// for _frame in 0..2 {
///     hadamard::mul_conj_add_assign(&mut cross, &x, &y);
/// }
/// assert_eq!(cross[0], Complex::new(22.0, 4.0));
/// ```
#[cfg(feature = "complex")]
#[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
#[inline]
#[track_caller]
pub fn mul_conj_add_assign<T: ComplexElement>(acc: &mut [T], a: &[T], b: &[T]) {
    if let Err(e) = try_mul_conj_add_assign(acc, a, b) {
        length_panic(e);
    }
}

/// [`mul_conj_add_assign`], or an error naming the three lengths, `acc` untouched.
#[cfg(feature = "complex")]
#[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
#[inline]
pub fn try_mul_conj_add_assign<T: ComplexElement>(
    acc: &mut [T],
    a: &[T],
    b: &[T],
) -> Result<(), LengthMismatch> {
    Options::new().mul_conj_add_assign(acc, a, b)
}

/// `Σ a[i]·b[i]`: the sum of the Hadamard product, i.e. the Frobenius inner product
/// ⟨A, B⟩_F of two matrices stored as slices, in one pass and without materialising the
/// product.
///
/// Integers: the wrapping sum of wrapping products, exact modulo 2^bits on every kernel.
///
/// Floats: each product is rounded, then the products are added in one fixed order, the
/// same on every kernel (scalar, SSE2, AVX2, AVX-512, NEON), at every address of `a` and
/// `b`, on one thread or split over any rayon pool, and on every machine: the result is a
/// function of the values alone, bit for bit. The order
/// ([`hadamard_kernels::sum_order`](https://docs.rs/hadamard-kernels/latest/hadamard_kernels/sum_order/)),
/// for elements of `s` bytes (a complex number is one element):
///
/// 1. the slices are cut into blocks of `B = 65536 / s` elements from their first element;
/// 2. in a block, element `i` goes to partial sum `i mod W`, `W = 256 / s` (64 for `f32`,
///    32 for `f64` and `Complex<f32>`, 16 for `Complex<f64>`), each partial adding its
///    elements in index order from `+0`;
/// 3. the `W` partials are added by halving (`x[k] + x[k + W/2]`, then `W/4`, … to one);
/// 4. the blocks' sums are added by one pairwise tree: a run of `n > 1` blocks is the run of
///    its first `2^⌊log₂(n−1)⌋` blocks plus the run of the rest.
///
/// `W` partials are what four AVX-512, eight AVX2 or sixteen SSE2/NEON registers hold, so
/// the kernels run the order at their speed; a split across threads falls only between
/// runs of that tree, so threads decide who adds which run, never what is added to what.
/// It satisfies
///
/// |computed − Σ aᵢbᵢ| ≤ γ(m) · Σ |aᵢbᵢ|,  γ(m) = m·u / (1 − m·u),
///
/// with `u` the unit roundoff (2⁻²⁴ for f32, 2⁻⁵³ for f64) and
/// `m = ⌈min(n, B) / W⌉ + log₂W + ⌈log₂⌈n / B⌉⌉ + 1`: at most `256 + log₂W + 1` up to one
/// block (n/64 + 7 for f32 below 16,384 elements), growing with the logarithm of the
/// number of blocks beyond (for 20M f32, `m` = 274, where a plain loop's is 20M). Complex
/// sums satisfy the same per component with `m + 1` and `Σ |aᵢ|·|bᵢ|`. When the terms
/// cancel, the *relative* error of the sum can be large, as for any floating-point sum.
///
/// # Panics
///
/// When the lengths differ, with a message naming both.
///
/// ```
/// let a = [1.0f64, 2.0, 3.0];
/// let b = [4.0f64, 5.0, 6.0];
/// assert_eq!(hadamard::hadamard_sum(&a, &b), 32.0);
/// ```
#[inline]
#[track_caller]
#[doc(alias = "dot")]
#[doc(alias = "inner")]
#[doc(alias = "inner_product")]
#[doc(alias = "sdot")]
#[doc(alias = "ddot")]
#[doc(alias = "frobenius_inner")]
#[doc(alias = "vdot")]
pub fn hadamard_sum<T: Accumulate>(a: &[T], b: &[T]) -> T {
    match try_hadamard_sum(a, b) {
        Ok(sum) => sum,
        Err(e) => length_panic(e),
    }
}

/// [`hadamard_sum`], or an error naming both lengths.
#[inline]
pub fn try_hadamard_sum<T: Accumulate>(a: &[T], b: &[T]) -> Result<T, LengthMismatch> {
    Options::new().hadamard_sum(a, b)
}

/// `Σ a[i]·conj(b[i])`: the complex inner product ⟨b, a⟩ (cross-correlation at lag 0),
/// with the bound of [`hadamard_sum`].
///
/// # Panics
///
/// When the lengths differ, with a message naming both.
///
/// ```
/// use hadamard::num_complex::Complex;
/// let a = [Complex::new(1.0f64, 2.0), Complex::new(0.0, 1.0)];
/// assert_eq!(hadamard::hadamard_sum_conj(&a, &a), Complex::new(6.0, 0.0)); // ‖a‖²
/// ```
#[cfg(feature = "complex")]
#[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
#[inline]
#[track_caller]
#[doc(alias = "dotc")]
#[doc(alias = "cdotc")]
#[doc(alias = "zdotc")]
#[doc(alias = "vdot")]
#[doc(alias = "inner")]
#[doc(alias = "inner_product")]
pub fn hadamard_sum_conj<T: ComplexElement>(a: &[T], b: &[T]) -> T {
    match try_hadamard_sum_conj(a, b) {
        Ok(sum) => sum,
        Err(e) => length_panic(e),
    }
}

/// [`hadamard_sum_conj`], or an error naming both lengths.
#[cfg(feature = "complex")]
#[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
#[inline]
pub fn try_hadamard_sum_conj<T: ComplexElement>(a: &[T], b: &[T]) -> Result<T, LengthMismatch> {
    Options::new().hadamard_sum_conj(a, b)
}

/// `out = a ⊙ b` for matrix views (row-major, each with its own row stride): one slice
/// call when all three are contiguous, row by row otherwise, split across threads by rows
/// above the parallel threshold. The elements between rows of `out` are not touched.
///
/// # Panics
///
/// When the shapes differ, with a message naming all three; `out` is untouched.
///
/// ```
/// use hadamard::{MatMut, MatRef};
/// let a = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
/// let b = [2.0f32; 6];
/// let mut out = [0.0f32; 8]; // 2×3 with a pitch of 4
/// hadamard::mul_matrix(
///     &MatRef::new(&a, 2, 3)?,
///     &MatRef::new(&b, 2, 3)?,
///     &mut MatMut::with_stride(&mut out, 2, 3, 4)?,
/// );
/// assert_eq!(out, [2.0, 4.0, 6.0, 0.0, 8.0, 10.0, 12.0, 0.0]);
/// # Ok::<(), hadamard::LayoutError>(())
/// ```
#[track_caller]
pub fn mul_matrix<T: Element>(a: &MatRef<'_, T>, b: &MatRef<'_, T>, out: &mut MatMut<'_, T>) {
    if let Err(e) = try_mul_matrix(a, b, out) {
        shape_panic(e);
    }
}

/// [`mul_matrix`], or an error naming the three shapes, `out` untouched.
pub fn try_mul_matrix<T: Element>(
    a: &MatRef<'_, T>,
    b: &MatRef<'_, T>,
    out: &mut MatMut<'_, T>,
) -> Result<(), ShapeMismatch> {
    Options::new().mul_matrix(a, b, out)
}

/// `out = diag(d) · a`: row `i` of `a` times `d[i]`.
///
/// # Panics
///
/// When `d.len()` is not the number of rows or `out`'s shape differs from `a`'s, with a
/// message naming the shapes; `out` is untouched.
///
/// ```
/// use hadamard::{MatMut, MatRef};
/// let a = [1.0f64, 2.0, 3.0, 4.0];
/// let mut out = [0.0; 4];
/// hadamard::scale_rows(&MatRef::new(&a, 2, 2)?, &[10.0, -1.0], &mut MatMut::new(&mut out, 2, 2)?);
/// assert_eq!(out, [10.0, 20.0, -3.0, -4.0]);
/// # Ok::<(), hadamard::LayoutError>(())
/// ```
#[track_caller]
pub fn scale_rows<T: Element>(a: &MatRef<'_, T>, d: &[T], out: &mut MatMut<'_, T>) {
    if let Err(e) = try_scale_rows(a, d, out) {
        shape_panic(e);
    }
}

/// [`scale_rows`], or an error naming the shapes, `out` untouched.
pub fn try_scale_rows<T: Element>(
    a: &MatRef<'_, T>,
    d: &[T],
    out: &mut MatMut<'_, T>,
) -> Result<(), ShapeMismatch> {
    Options::new().scale_rows(a, d, out)
}

/// `out = a · diag(d)`: column `j` of `a` times `d[j]` (feature weighting, attention
/// weights per column).
///
/// # Panics
///
/// When `d.len()` is not the number of columns or `out`'s shape differs from `a`'s, with a
/// message naming the shapes; `out` is untouched.
///
/// ```
/// use hadamard::{MatMut, MatRef};
/// let a = [1.0f32, 2.0, 3.0, 4.0];
/// let mut out = [0.0; 4];
/// hadamard::scale_cols(&MatRef::new(&a, 2, 2)?, &[10.0, -1.0], &mut MatMut::new(&mut out, 2, 2)?);
/// assert_eq!(out, [10.0, -2.0, 30.0, -4.0]);
/// # Ok::<(), hadamard::LayoutError>(())
/// ```
#[track_caller]
pub fn scale_cols<T: Element>(a: &MatRef<'_, T>, d: &[T], out: &mut MatMut<'_, T>) {
    if let Err(e) = try_scale_cols(a, d, out) {
        shape_panic(e);
    }
}

/// [`scale_cols`], or an error naming the shapes, `out` untouched.
pub fn try_scale_cols<T: Element>(
    a: &MatRef<'_, T>,
    d: &[T],
    out: &mut MatMut<'_, T>,
) -> Result<(), ShapeMismatch> {
    Options::new().scale_cols(a, d, out)
}

/// The panic of the matrix functions, out of line.
#[cold]
#[inline(never)]
#[track_caller]
fn shape_panic(e: ShapeMismatch) -> ! {
    panic!("{e}")
}

/// The README's examples, compiled and run as doctests (the README's test command turns
/// every feature on; the README shows no hidden `# ` lines, so some examples need the
/// integrations).
#[cfg(all(doctest, feature = "ndarray", feature = "nalgebra", feature = "faer"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
