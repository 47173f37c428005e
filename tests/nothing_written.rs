//! "Nothing is written on error", for every operation and every form of it: the `try_`
//! function, the panicking free function and the `Options` method under every kernel and
//! parallelism. Each operand in turn gets a length one shorter or one longer than the
//! others, at a small length and one above the parallel threshold; every output (and
//! every accumulator) must keep its sentinel values.

mod common;

use hadamard::half::f16;
use hadamard::num_complex::Complex;
use hadamard::{Options, Parallelism};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Lengths with operand `k` off by one, for each operand: small, and large enough that a
/// correct call would split and stream.
fn mismatches(operands: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for n in [3usize, 600_000] {
        for k in 0..operands {
            for delta in [-1isize, 1] {
                let mut lens = vec![n; operands];
                lens[k] = (n as isize + delta) as usize;
                out.push(lens);
            }
        }
    }
    out
}

/// Every `Options` a caller can build that changes the path: each kernel under test, each
/// parallelism.
fn options() -> Vec<Options> {
    let mut all = Vec::new();
    for kernel in common::kernels_under_test() {
        for p in [
            Parallelism::Sequential,
            Parallelism::Auto,
            Parallelism::Parallel,
        ] {
            all.push(Options::new().kernel(kernel).unwrap().parallelism(p));
        }
    }
    all
}

fn panics(f: impl FnOnce()) -> bool {
    catch_unwind(AssertUnwindSafe(f)).is_err()
}

#[track_caller]
fn untouched<T: PartialEq + Copy + std::fmt::Debug>(out: &[T], sentinel: T, what: &str) {
    if let Some(i) = out.iter().position(|&x| x != sentinel) {
        panic!(
            "{what}: element {i} written ({:?}) on a length error",
            out[i]
        );
    }
}

/// Runs one operation in every form on fresh outputs: `$call(form)` returns whether the
/// call failed, and the outputs are then checked.
macro_rules! every_form {
    ($name:literal, $lens:expr, |$o:ident| $opts:expr, $try:expr, $free:expr, check $check:expr) => {{
        let lens = $lens;
        assert!($try, "{}: try_ form accepted lengths {:?}", $name, lens);
        $check(concat!($name, " try_"));
        assert!(
            panics(|| $free),
            "{}: free form did not panic on {:?}",
            $name,
            lens
        );
        $check(concat!($name, " free"));
        for $o in options() {
            assert!($opts, "{}: Options form accepted lengths {:?}", $name, lens);
            $check(concat!($name, " Options"));
        }
    }};
}

const S32: f32 = -7.25;
const S8: u8 = 0xA5;

#[test]
fn binary_products() {
    for lens in mismatches(3) {
        let (a, b) = (vec![2.0f32; lens[0]], vec![3.0f32; lens[1]]);
        let mut out = vec![S32; lens[2]];
        every_form!(
            "mul_elementwise",
            &lens,
            |o| o.mul_elementwise(&a, &b, &mut out).is_err(),
            hadamard::try_mul_elementwise(&a, &b, &mut out).is_err(),
            hadamard::mul_elementwise(&a, &b, &mut out),
            check | w | untouched(&out, S32, w)
        );

        let (x, y) = (vec![200u8; lens[0]], vec![3u8; lens[1]]);
        let mut bytes = vec![S8; lens[2]];
        every_form!(
            "mul_elementwise_saturating",
            &lens,
            |o| o.mul_elementwise_saturating(&x, &y, &mut bytes).is_err(),
            hadamard::try_mul_elementwise_saturating(&x, &y, &mut bytes).is_err(),
            hadamard::mul_elementwise_saturating(&x, &y, &mut bytes),
            check | w | untouched(&bytes, S8, w)
        );
        every_form!(
            "mul_normalized_u8",
            &lens,
            |o| o.mul_normalized_u8(&x, &y, &mut bytes).is_err(),
            hadamard::try_mul_normalized_u8(&x, &y, &mut bytes).is_err(),
            hadamard::mul_normalized_u8(&x, &y, &mut bytes),
            check | w | untouched(&bytes, S8, w)
        );

        let sc = Complex::new(S32, S32);
        let (p, q) = (
            vec![Complex::new(1.0f32, 2.0); lens[0]],
            vec![Complex::new(3.0f32, -1.0); lens[1]],
        );
        let mut pairs = vec![sc; lens[2]];
        every_form!(
            "mul_conj_elementwise",
            &lens,
            |o| o.mul_conj_elementwise(&p, &q, &mut pairs).is_err(),
            hadamard::try_mul_conj_elementwise(&p, &q, &mut pairs).is_err(),
            hadamard::mul_conj_elementwise(&p, &q, &mut pairs),
            check | w | untouched(&pairs, sc, w)
        );

        let (h, k) = (
            vec![f16::from_f32(1.5); lens[0]],
            vec![f16::from_f32(2.0); lens[1]],
        );
        let mut wide = vec![S32; lens[2]];
        every_form!(
            "mul_elementwise_widen",
            &lens,
            |o| o.mul_elementwise_widen(&h, &k, &mut wide).is_err(),
            hadamard::try_mul_elementwise_widen(&h, &k, &mut wide).is_err(),
            hadamard::mul_elementwise_widen(&h, &k, &mut wide),
            check | w | untouched(&wide, S32, w)
        );
    }
}

#[test]
fn in_place_scale_and_multiply_add() {
    for lens in mismatches(2) {
        let b = vec![3.0f32; lens[1]];
        let mut acc = vec![S32; lens[0]];
        every_form!(
            "mul_assign",
            &lens,
            |o| o.mul_assign(&mut acc, &b).is_err(),
            hadamard::try_mul_assign(&mut acc, &b).is_err(),
            hadamard::mul_assign(&mut acc, &b),
            check | w | untouched(&acc, S32, w)
        );
        let a = vec![2.0f32; lens[0]];
        let mut out = vec![S32; lens[1]];
        every_form!(
            "mul_scalar",
            &lens,
            |o| o.mul_scalar(&a, 1.5, &mut out).is_err(),
            hadamard::try_mul_scalar(&a, 1.5, &mut out).is_err(),
            hadamard::mul_scalar(&a, 1.5, &mut out),
            check | w | untouched(&out, S32, w)
        );
    }
    for lens in mismatches(4) {
        let (a, b, c) = (
            vec![2.0f32; lens[0]],
            vec![3.0f32; lens[1]],
            vec![1.0f32; lens[2]],
        );
        let mut out = vec![S32; lens[3]];
        every_form!(
            "mul_then_add",
            &lens,
            |o| o.mul_then_add(&a, &b, &c, &mut out).is_err(),
            hadamard::try_mul_then_add(&a, &b, &c, &mut out).is_err(),
            hadamard::mul_then_add(&a, &b, &c, &mut out),
            check | w | untouched(&out, S32, w)
        );
        every_form!(
            "mul_add",
            &lens,
            |o| o.mul_add(&a, &b, &c, &mut out).is_err(),
            hadamard::try_mul_add(&a, &b, &c, &mut out).is_err(),
            hadamard::mul_add(&a, &b, &c, &mut out),
            check | w | untouched(&out, S32, w)
        );
    }
    for lens in mismatches(3) {
        let (a, b) = (vec![2.0f32; lens[1]], vec![3.0f32; lens[2]]);
        let mut acc = vec![S32; lens[0]];
        every_form!(
            "mul_then_add_assign",
            &lens,
            |o| o.mul_then_add_assign(&mut acc, &a, &b).is_err(),
            hadamard::try_mul_then_add_assign(&mut acc, &a, &b).is_err(),
            hadamard::mul_then_add_assign(&mut acc, &a, &b),
            check | w | untouched(&acc, S32, w)
        );
        every_form!(
            "mul_add_assign",
            &lens,
            |o| o.mul_add_assign(&mut acc, &a, &b).is_err(),
            hadamard::try_mul_add_assign(&mut acc, &a, &b).is_err(),
            hadamard::mul_add_assign(&mut acc, &a, &b),
            check | w | untouched(&acc, S32, w)
        );
        let sc = Complex::new(S32, S32);
        let (p, q) = (
            vec![Complex::new(1.0f32, 2.0); lens[1]],
            vec![Complex::new(3.0f32, -1.0); lens[2]],
        );
        let mut cacc = vec![sc; lens[0]];
        every_form!(
            "mul_conj_add_assign",
            &lens,
            |o| o.mul_conj_add_assign(&mut cacc, &p, &q).is_err(),
            hadamard::try_mul_conj_add_assign(&mut cacc, &p, &q).is_err(),
            hadamard::mul_conj_add_assign(&mut cacc, &p, &q),
            check | w | untouched(&cacc, sc, w)
        );
    }
}

#[test]
fn split_complex_planes() {
    for lens in mismatches(6) {
        let planes: Vec<Vec<f32>> = (0..4).map(|k| vec![k as f32 + 1.0; lens[k]]).collect();
        let (a, b) = (
            (&planes[0][..], &planes[1][..]),
            (&planes[2][..], &planes[3][..]),
        );
        let (mut re, mut im) = (vec![S32; lens[4]], vec![S32; lens[5]]);
        every_form!("mul_split_complex", &lens,
            |o| o.mul_split_complex(a, b, (&mut re, &mut im)).is_err(),
            hadamard::try_mul_split_complex(a, b, (&mut re, &mut im)).is_err(),
            hadamard::mul_split_complex(a, b, (&mut re, &mut im)),
            check |w: &str| { untouched(&re, S32, w); untouched(&im, S32, w) });
        every_form!("mul_conj_split_complex", &lens,
            |o| o.mul_conj_split_complex(a, b, (&mut re, &mut im)).is_err(),
            hadamard::try_mul_conj_split_complex(a, b, (&mut re, &mut im)).is_err(),
            hadamard::mul_conj_split_complex(a, b, (&mut re, &mut im)),
            check |w: &str| { untouched(&re, S32, w); untouched(&im, S32, w) });
    }
}

#[test]
fn two_product_formulas() {
    for lens in mismatches(5) {
        let [a, b, c, d]: [Vec<f64>; 4] = std::array::from_fn(|k| vec![k as f64 + 1.5; lens[k]]);
        let mut out = vec![S32 as f64; lens[4]];
        every_form!(
            "mul_then_add_mul",
            &lens,
            |o| o.mul_then_add_mul(&a, &b, &c, &d, &mut out).is_err(),
            hadamard::try_mul_then_add_mul(&a, &b, &c, &d, &mut out).is_err(),
            hadamard::mul_then_add_mul(&a, &b, &c, &d, &mut out),
            check | w | untouched(&out, S32 as f64, w)
        );
    }
    for lens in mismatches(4) {
        let [a, b, c]: [Vec<u16>; 3] = std::array::from_fn(|k| vec![k as u16 + 3; lens[k + 1]]);
        let mut acc = vec![0xBEEFu16; lens[0]];
        every_form!(
            "mul_then_add_mul_assign",
            &lens,
            |o| o.mul_then_add_mul_assign(&mut acc, &a, &b, &c).is_err(),
            hadamard::try_mul_then_add_mul_assign(&mut acc, &a, &b, &c).is_err(),
            hadamard::mul_then_add_mul_assign(&mut acc, &a, &b, &c),
            check | w | untouched(&acc, 0xBEEF, w)
        );

        let [a, b, w]: [Vec<f32>; 3] = std::array::from_fn(|k| vec![0.25 * k as f32; lens[k]]);
        let mut out = vec![S32; lens[3]];
        every_form!(
            "blend",
            &lens,
            |o| o.blend(&a, &b, &w, &mut out).is_err(),
            hadamard::try_blend(&a, &b, &w, &mut out).is_err(),
            hadamard::blend(&a, &b, &w, &mut out),
            check | w | untouched(&out, S32, w)
        );

        let [fg, bg, alpha]: [Vec<u8>; 3] = std::array::from_fn(|k| vec![60 * k as u8; lens[k]]);
        let mut pixels = vec![S8; lens[3]];
        every_form!(
            "blend_normalized_u8",
            &lens,
            |o| o
                .blend_normalized_u8(&fg, &bg, &alpha, &mut pixels)
                .is_err(),
            hadamard::try_blend_normalized_u8(&fg, &bg, &alpha, &mut pixels).is_err(),
            hadamard::blend_normalized_u8(&fg, &bg, &alpha, &mut pixels),
            check | w | untouched(&pixels, S8, w)
        );
    }
}
