//! The unsafe SIMD kernels behind the [`hadamard`](https://docs.rs/hadamard) crate, and
//! the safe face they are used through.
//!
//! This crate is `no_std` and knows nothing of threads, errors or the environment: the
//! `hadamard` crate validates every input, chooses a kernel once per process and splits
//! large inputs across cores, then calls into here. Use `hadamard`, not this crate,
//! unless you are building something like it.
//!
//! Every `unsafe` line of the project is in this crate. Its public face is safe:
//!
//! - [`cpu`]: which instruction sets ([`Isa`]) this CPU runs, and the [`Token`] that
//!   proves it, which only detection creates.
//! - [`tables`]: one table per operation and element type (`MUL_F32`,
//!   `MUL_SATURATING_I16`, `SUM_COMPLEX_F64`, ...), whose methods run the kernel a token
//!   names on slices (`out[i] = a[i] * b[i]`, in place, scaled, accumulated, summed,
//!   over split complex planes), with streaming stores on request.
//!
//! Every kernel gives, bit for bit, what the scalar reference gives: real products are
//! IEEE-754 multiplications (exactly rounded, no FMA, no flush-to-zero), integer products
//! wrap or saturate exactly, complex products evaluate one fixed formula with separate
//! roundings, and half-precision values (passed as their bits) follow the `half` crate's
//! arithmetic. Sums differ between ISAs only in the order of additions.
//!
//! # Inside: the kernels' contract
//!
//! Each ISA module (private) has the same `unsafe fn`s, one per operation and element
//! type, stamped from one loop (`elementwise.rs`: an aligned head, an unrolled vector
//! body, a tail) by `isa_kernels!` with the module's `FEATURES` as their
//! `#[target_feature]`. A kernel may be called when:
//!
//! - `a` and `b` are valid for reads of `len` elements and `out` for writes of `len`
//!   elements (each pointer non-null and aligned for its element type, even when `len`
//!   is 0);
//! - `out` either does not overlap `a` or `b` at all, or (when it has their type) is
//!   *equal* to one of them (the in-place form `acc[i] *= b[i]`): every element is read
//!   before its own index is written. The split complex kernels take six pointers with
//!   the same rules; their two outputs never overlap;
//! - the CPU has every feature of the module's `FEATURES`.
//!
//! The table methods establish exactly this from their borrows and token.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]
// docs.rs (nightly, `--cfg docsrs`): mark each feature-gated item with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "std")]
extern crate std;

pub mod cpu;
#[cfg(feature = "faer")]
#[cfg_attr(docsrs, doc(cfg(feature = "faer")))]
pub mod faer_views;
#[cfg(feature = "nalgebra")]
#[cfg_attr(docsrs, doc(cfg(feature = "nalgebra")))]
pub mod nalgebra_views;
pub mod sum_order;
pub mod tables;
pub use cpu::{Isa, Token};

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

mod scalar;

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod portable;

#[cfg(target_arch = "x86_64")]
mod x86_64;

#[cfg(target_arch = "aarch64")]
mod aarch64;

/// The signature of every kernel with two inputs and one output: `out[i] = f(a[i], b[i])`.
pub(crate) type BinaryFn<A, B, O> = unsafe fn(a: *const A, b: *const B, out: *mut O, len: usize);

/// The signature of the `mul_then_add` kernels: `out[i] = f(a[i], b[i], c[i])`.
pub(crate) type TernaryFn<T> =
    unsafe fn(a: *const T, b: *const T, c: *const T, out: *mut T, len: usize);

/// The signature of the two-product kernels: `out[i] = f(a[i], b[i], c[i], d[i])`.
pub(crate) type QuaternaryFn<T> =
    unsafe fn(a: *const T, b: *const T, c: *const T, d: *const T, out: *mut T, len: usize);

/// The signature of the sum-of-products kernels: `Σ f(a[i], b[i])`.
pub(crate) type SumFn<T, O> = unsafe fn(a: *const T, b: *const T, len: usize) -> O;

/// The signature of the kernels that continue a block's sum: the terms of `a` and `b` added
/// into the `W` partials at `partials`, the first into partial `phase`.
pub(crate) type AccumulateFn<T, O> =
    unsafe fn(partials: *mut O, phase: usize, a: *const T, b: *const T, len: usize);

/// The bytes of copies of the scalar that a broadcast (`scale_*`) kernel builds for its
/// loop: the most one step reads (two 512-bit registers, a step of complex `f64` on
/// AVX-512). The caller passes one value.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
pub(crate) const REPEAT_BYTES: usize = 128;

/// The signature of the split complex kernels: `(a_re, a_im, b_re, b_im, out_re, out_im,
/// len)`.
pub(crate) type SplitFn<T> = unsafe fn(
    a_re: *const T,
    a_im: *const T,
    b_re: *const T,
    b_im: *const T,
    out_re: *mut T,
    out_im: *mut T,
    len: usize,
);
