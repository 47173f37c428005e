//! The unsafe SIMD kernels behind the [`hadamard`](https://docs.rs/hadamard) crate.
//!
//! This crate is `no_std` and knows nothing of threads, errors or the environment: the
//! `hadamard` crate validates every input, chooses a kernel once per process and splits
//! large inputs across cores, then calls into here. Use `hadamard`, not this crate,
//! unless you are building something like it.
//!
//! Every kernel has the same shape and the same contract:
//!
//! ```text
//! unsafe fn mul_f32(a: *const f32, b: *const f32, out: *mut f32, len: usize)
//! ```
//!
//! computes `out[i] = a[i] * b[i]` for `i` in `0..len`, with IEEE-754 multiplication
//! (exactly rounded, round-to-nearest-even, no FMA, no flush-to-zero), so every kernel's
//! result is bit-identical to [`scalar`]'s. A kernel processes a short head that brings
//! `out` onto a vector-aligned address, an unrolled vector body and a tail; it never
//! touches an element outside `0..len` of any of the three pointers.
//!
//! # Safety contract shared by every kernel
//!
//! - `a` and `b` are valid for reads of `len` elements and `out` for writes of `len`
//!   elements (each pointer non-null and aligned for its element type, even when `len`
//!   is 0).
//! - `out` either does not overlap `a` or `b` at all, or is *equal* to one of them (the
//!   in-place form `acc[i] *= b[i]`): every element is read before its own index is written.
//! - The CPU supports the instruction set the kernel's module is named after (checked by
//!   the caller, for instance with `is_x86_feature_detected!`). [`scalar`] and, on
//!   x86_64, [`x86_64::sse2`] need nothing beyond the target's baseline.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

mod mul;
mod vector;

pub mod scalar;

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod portable;

#[cfg(target_arch = "x86_64")]
pub mod x86_64;

#[cfg(target_arch = "aarch64")]
pub mod aarch64;

/// The signature every multiplication kernel has; see the crate docs for its contract.
pub type MulFn<T> = unsafe fn(a: *const T, b: *const T, out: *mut T, len: usize);
