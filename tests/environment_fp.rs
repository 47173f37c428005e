//! The floating-point environment is never changed: the control bits of MXCSR (rounding
//! mode, flush-to-zero, denormals-are-zero, exception masks) are the same after every
//! operation on every kernel as before it, including when the caller has set them to
//! something other than the default. (The sticky status flags are not compared: any
//! floating-point instruction, plain Rust's included, may set them. MXCSR is per thread:
//! the check is on the calling thread; rayon's workers are never touched either.)

#![cfg(target_arch = "x86_64")]

mod common;

use hadamard::half::{bf16, f16};
use hadamard::num_complex::Complex;
use hadamard::{MatMut, MatRef, Options, Parallelism};

/// Rounding control, FTZ, DAZ and the exception masks: everything but the status flags.
const CONTROL_BITS: u32 = 0xFFC0;

#[allow(deprecated)] // _mm_getcsr/_mm_setcsr: the only stable way to read and set MXCSR
fn mxcsr() -> u32 {
    // SAFETY: SSE is baseline on x86_64; reading MXCSR has no other effect.
    unsafe { core::arch::x86_64::_mm_getcsr() }
}

#[allow(deprecated)]
fn set_mxcsr(value: u32) {
    // SAFETY: SSE is baseline; the values set are valid control settings, restored by the
    // caller before it returns.
    unsafe { core::arch::x86_64::_mm_setcsr(value) }
}

/// Every operation once on `n` elements, with subnormal, infinite and NaN inputs among the
/// values.
fn every_operation(o: &Options, n: usize) {
    let specials = [0.0f64, -0.0, 1e-310, f64::INFINITY, f64::NAN, 3.5, -1e300];
    let x: Vec<f64> = (0..n).map(|i| specials[i % specials.len()]).collect();
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let mut z = vec![0.0f64; n];
    let mut z32 = vec![0.0f32; n];
    o.mul_elementwise(&x, &x, &mut z).unwrap();
    o.mul_elementwise(&x32, &x32, &mut z32).unwrap();
    o.mul_scalar(&x, 1e-300, &mut z).unwrap();
    o.mul_then_add(&x, &x, &x, &mut z).unwrap();
    o.mul_add(&x32, &x32, &x32, &mut z32).unwrap();
    std::hint::black_box(o.hadamard_sum(&x, &x).unwrap());
    let c: Vec<Complex<f32>> = x32.iter().map(|&v| Complex::new(v, -v)).collect();
    let mut cz = c.clone();
    o.mul_conj_elementwise(&c, &c, &mut cz).unwrap();
    o.mul_conj_add_assign(&mut cz, &c, &c).unwrap();
    let h: Vec<f16> = x32.iter().map(|&v| f16::from_f32(v)).collect();
    let mut hz = h.clone();
    o.mul_elementwise(&h, &h, &mut hz).unwrap();
    o.mul_elementwise_widen(&h, &h, &mut z32).unwrap();
    let bh: Vec<bf16> = x32.iter().map(|&v| bf16::from_f32(v)).collect();
    let mut bz = bh.clone();
    o.mul_elementwise(&bh, &bh, &mut bz).unwrap();
    let m = MatRef::new(&x[..100], 10, 10).unwrap();
    o.mul_matrix(&m, &m, &mut MatMut::new(&mut z[..100], 10, 10).unwrap())
        .unwrap();
}

#[test]
fn no_operation_changes_the_control_bits_of_mxcsr() {
    let default = mxcsr();
    // Default; round-down with FTZ and DAZ; round-to-zero. (Exceptions stay masked: an
    // unmasked one would trap on the inputs' NaNs and inexact products, in any code.)
    let settings = [
        default,
        (default & !0x6000) | 0x2000 | 0x8000 | 0x0040,
        default | 0x6000,
    ];
    // Sequential on this thread; parallel at a length of many pieces (a piece is at
    // least 16 KiB of output), inside a pool of two threads whose MXCSR is set too, so the
    // pieces really run on both and both are checked.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    for setting in settings {
        for kernel in common::kernels_under_test() {
            let o = Options::new().kernel(kernel).unwrap();
            let sequential = o.parallelism(Parallelism::Sequential);
            set_mxcsr(setting);
            let before = mxcsr() & CONTROL_BITS;
            every_operation(&sequential, 300);
            let after = mxcsr() & CONTROL_BITS;
            set_mxcsr(default);
            assert_eq!(
                before, after,
                "{kernel} sequential: MXCSR control bits {before:#06x} became {after:#06x}"
            );

            let parallel = o.parallelism(Parallelism::Parallel);
            pool.broadcast(|_| set_mxcsr(setting));
            let before = pool.broadcast(|_| mxcsr() & CONTROL_BITS);
            pool.install(|| every_operation(&parallel, 40_000));
            let after = pool.broadcast(|_| mxcsr() & CONTROL_BITS);
            pool.broadcast(|_| set_mxcsr(default));
            assert_eq!(
                before, after,
                "{kernel} parallel: MXCSR control bits per worker {before:x?} became {after:x?}"
            );
        }
    }
}
