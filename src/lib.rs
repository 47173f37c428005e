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
//! its digits), but identical from every kernel; half-precision products are `half`'s:
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
//! ([`selected_kernel`]): AVX2 where the CPU has it, since for this load-and-store-bound
//! product measurements found AVX-512 no faster in cache and slower out of it. Set
//! `HADAMARD_KERNEL=scalar|sse2|avx2|avx512|neon` to force one for the whole process, or
//! use [`Options::kernel`] (and [`mul_elementwise_with`]) to force one per call.
//!
//! # Threads
//!
//! Calls moving at least [`PARALLEL_THRESHOLD_BYTES`] run on the current rayon pool, split
//! into pieces that start on 64-byte lines of the output; smaller calls stay on the calling
//! thread and allocate nothing. Run inside `pool.install(..)` to choose the pool, or use
//! [`Parallelism::Sequential`] to never leave the calling thread.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

mod cache;
mod dispatch;
mod element;
mod error;
mod options;
mod parallel;

pub use cache::{cache_sizes, CacheSizes};
pub use dispatch::{available_kernels, cpu_features, selected_kernel, Kernel, KERNEL_ENV_VAR};
#[cfg(feature = "complex")]
pub use element::ComplexElement;
#[cfg(feature = "half")]
pub use element::HalfElement;
pub use element::{Element, Integer, Real};

pub use error::{Error, LengthMismatch};
/// The `half` crate, whose `f16` and `bf16` are element types here (feature `half`).
#[cfg(feature = "half")]
pub use half;
/// The `num-complex` crate, whose `Complex<f32>` and `Complex<f64>` are element types here
/// (feature `complex`).
#[cfg(feature = "complex")]
pub use num_complex;
pub use options::Options;
pub use parallel::{streaming_threshold_bytes, Parallelism, Stores, PARALLEL_THRESHOLD_BYTES};

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
#[inline]
#[track_caller]
pub fn mul_conj_elementwise<T: ComplexElement>(a: &[T], b: &[T], out: &mut [T]) {
    if let Err(e) = try_mul_conj_elementwise(a, b, out) {
        length_panic(e);
    }
}

/// [`mul_conj_elementwise`], or an error naming the three lengths when they differ, in
/// which case `out` is untouched.
#[cfg(feature = "complex")]
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

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
