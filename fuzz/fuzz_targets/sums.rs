//! `hadamard_sum` on fuzzer-chosen values, lengths and kernels: integer sums equal the
//! scalar kernel's exactly; float sums have the scalar kernel's bits (every kernel adds in
//! the one order; NaN payloads aside), and those of finite values stay within the
//! documented bound γ(m)·Σ|aᵢbᵢ| of a compensated reference; NaN anywhere gives NaN.

#![no_main]

mod input;

use hadamard::{Kernel, Options};
use input::Bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let len = b.below(2000);
    let opts = Options::new().kernel(b.kernel()).unwrap();
    let scalar = Options::new().kernel(Kernel::Scalar).unwrap();
    match b.byte() % 3 {
        0 => {
            let x: Vec<i32> = (0..len).map(|_| b.bits() as i32).collect();
            let y: Vec<i32> = (0..len).map(|_| b.bits() as i32).collect();
            assert_eq!(
                opts.hadamard_sum(&x, &y).unwrap(),
                scalar.hadamard_sum(&x, &y).unwrap()
            );
        }
        1 => {
            let x: Vec<f64> = (0..len).map(|_| f64::from_bits(b.bits())).collect();
            let y: Vec<f64> = (0..len).map(|_| f64::from_bits(b.bits())).collect();
            let got = opts.hadamard_sum(&x, &y).unwrap();
            let reference = scalar.hadamard_sum(&x, &y).unwrap();
            assert!(
                got.to_bits() == reference.to_bits() || (got.is_nan() && reference.is_nan()),
                "{got:e} on the fuzzed kernel, {reference:e} on the scalar kernel"
            );
            if x.iter().chain(&y).any(|v| v.is_nan()) {
                assert!(got.is_nan());
                return;
            }
            let (mut s, mut c, mut abs) = (0.0f64, 0.0f64, 0.0f64);
            for (&p, &q) in x.iter().zip(&y) {
                let prod = p * q;
                if !prod.is_finite() {
                    return; // overflowing or infinite terms: no finite bound to check
                }
                let err = p.mul_add(q, -prod);
                let t = s + prod;
                let z = t - s;
                c += (s - (t - z)) + (prod - z) + err;
                s = t;
                abs += prod.abs();
            }
            let exact = s + c;
            // m = ⌈min(n, B)/W⌉ + log₂W + ⌈log₂⌈n/B⌉⌉ + 1; below 2000 elements one block.
            let m = (len.div_ceil(32) + 5 + 1) as f64;
            let u = f64::EPSILON / 2.0;
            let bound = m * u / (1.0 - m * u) * abs;
            if abs.is_finite() && got.is_finite() {
                assert!(
                    (got - exact).abs() <= bound * (1.0 + 1e-9) + f64::MIN_POSITIVE,
                    "{got} vs {exact}, bound {bound}"
                );
            }
        }
        _ => {
            let x: Vec<u8> = (0..len).map(|_| b.byte()).collect();
            let y: Vec<u8> = (0..len).map(|_| b.byte()).collect();
            assert_eq!(
                opts.hadamard_sum(&x, &y).unwrap(),
                scalar.hadamard_sum(&x, &y).unwrap()
            );
        }
    }
});
