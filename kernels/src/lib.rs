//! The unsafe SIMD kernels behind the [`hadamard`](https://docs.rs/hadamard) crate.
//!
//! This crate is `no_std` and knows nothing of threads, errors or the environment: the
//! `hadamard` crate validates every input, chooses a kernel once per process and splits
//! large inputs across cores, then calls into here. Use `hadamard`, not this crate,
//! unless you are building something like it.
//!
//! Every module ([`scalar`], [`x86_64::sse2`], [`x86_64::avx2`], [`x86_64::avx512`],
//! `aarch64::neon`) has the same functions with the same signatures, one per operation
//! and element type, so a caller can build a table indexed by ISA:
//!
//! ```text
//! unsafe fn mul_f32(a: *const f32, b: *const f32, out: *mut f32, len: usize)
//! unsafe fn mul_saturating_i16(a: *const i16, b: *const i16, out: *mut i16, len: usize)
//! unsafe fn mul_complex_f64(a: *const [f64; 2], b: *const [f64; 2], out: *mut [f64; 2], len: usize)
//! unsafe fn mul_widen_bf16(a: *const u16, b: *const u16, out: *mut f32, len: usize)
//! ```
//!
//! and, in the SIMD modules, a `_stream` twin of each binary kernel with non-temporal
//! stores. Each computes `out[i] = f(a[i], b[i])` for `i` in `0..len` giving, bit for bit,
//! what [`scalar`]'s function of the same name gives: real products are IEEE-754
//! multiplications (exactly rounded, no FMA, no flush-to-zero), integer products wrap or
//! saturate exactly, complex products evaluate one fixed formula with separate roundings,
//! and half-precision values (passed as their bits) follow the `half` crate's arithmetic.
//! A kernel processes a short head that brings the output onto a vector-aligned address,
//! an unrolled vector body and a tail; it never touches an element outside `0..len` of any
//! pointer.
//!
//! # Safety contract shared by every kernel
//!
//! - `a` and `b` are valid for reads of `len` elements and `out` for writes of `len`
//!   elements (each pointer non-null and aligned for its element type, even when `len`
//!   is 0).
//! - `out` either does not overlap `a` or `b` at all, or (when it has their type) is
//!   *equal* to one of them (the in-place form `acc[i] *= b[i]`): every element is read
//!   before its own index is written. The split complex kernels ([`SplitFn`]) take six
//!   pointers with the same rules; their two outputs never overlap.
//! - The CPU supports the instruction set the kernel's module is named after (checked by
//!   the caller, for instance with `is_x86_feature_detected!`). [`scalar`] and, on
//!   x86_64, [`x86_64::sse2`] need nothing beyond the target's baseline.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

// The SIMD machinery: only the x86_64 and aarch64 kernels use it.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod elementwise;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod half_emulation;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod integer;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod isa;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod kernels;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod ops;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod reduce;

pub mod scalar;

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod portable;

#[cfg(target_arch = "x86_64")]
pub mod x86_64;

#[cfg(target_arch = "aarch64")]
pub mod aarch64;

/// The signature of every kernel with two inputs and one output: `out[i] = f(a[i], b[i])`.
pub type BinaryFn<A, B, O> = unsafe fn(a: *const A, b: *const B, out: *mut O, len: usize);

/// The signature of the real multiplication kernels (`mul_f32`, `mul_f64`).
pub type MulFn<T> = BinaryFn<T, T, T>;

/// The signature of the `mul_add` kernels: `out[i] = f(a[i], b[i], c[i])`.
pub type TernaryFn<T> = unsafe fn(a: *const T, b: *const T, c: *const T, out: *mut T, len: usize);

/// The signature of the sum-of-products kernels: `Σ f(a[i], b[i])`.
pub type SumFn<T, O> = unsafe fn(a: *const T, b: *const T, len: usize) -> O;

/// The bytes of copies of the scalar that a broadcast (`scale_*`) kernel builds for its
/// loop: the most one step reads (two 512-bit registers, a step of complex `f64` on
/// AVX-512). The caller passes one value.
pub const REPEAT_BYTES: usize = 128;

/// The signature of the split complex kernels: `(a_re, a_im, b_re, b_im, out_re, out_im,
/// len)`.
pub type SplitFn<T> = unsafe fn(
    a_re: *const T,
    a_im: *const T,
    b_re: *const T,
    b_im: *const T,
    out_re: *mut T,
    out_im: *mut T,
    len: usize,
);
