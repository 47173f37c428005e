//! The two-product formulas — `mul_then_add_mul` (and `_assign`), `blend`,
//! `blend_normalized_u8` — on every kernel this CPU runs, forced one at a time, against the
//! plain expression computed here: lengths 0..=300 and larger ones, each operand at its own
//! offset, normal and streaming stores, one thread and split. Real results must be the
//! bits of the Rust expression; the 8-bit blend is checked on all 2²⁴ triples.

mod common;

use approx::assert_abs_diff_eq;
use common::values::{values, Placed, Value};
use common::{sequential, Rng};
use hadamard::num_complex::Complex;
use hadamard::{Kernel, Options, Parallelism, Stores};

const MAX_SWEPT_LEN: usize = 300;
const LARGE_LENS: [usize; 2] = [4099, 300_007];
/// Offsets (in elements) of the inputs, then of the output, that each length is tried at:
/// every operand at several offsets, the operands at different ones.
const OFFSETS: [[usize; 5]; 8] = [
    [0, 0, 0, 0, 0],
    [1, 2, 3, 4, 5],
    [7, 0, 3, 1, 6],
    [2, 2, 2, 2, 0],
    [0, 3, 5, 7, 1],
    [5, 1, 0, 6, 3],
    [3, 7, 1, 2, 2],
    [6, 4, 7, 5, 4],
];

fn kernels() -> Vec<Kernel> {
    common::kernels_under_test()
}

/// A call writing `f(inputs)` into `out`.
type Call<T, const N: usize> = fn(&Options, [&[T]; N], &mut [T]);
/// The in-place call: `acc = f(acc, rest)`.
type CallInPlace<T, const M: usize> = fn(&Options, &mut [T], [&[T]; M]);

/// Runs `call` (and `in_place`, with `acc` in place of the first input) on every length,
/// offset tuple, store policy and parallelism, against `reference`.
fn check<T: Value, const N: usize, const M: usize>(
    kernel: Kernel,
    name: &str,
    call: Call<T, N>,
    in_place: Option<CallInPlace<T, M>>,
    inputs: impl Fn(&mut Rng, usize) -> [Vec<T>; N],
    reference: fn([T; N]) -> T,
) {
    let mut rng = Rng::new(0x2b0d ^ kernel as u64);
    for stores in [Stores::Normal, Stores::Streaming] {
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let opts = sequential(kernel).stores(stores).parallelism(parallelism);
            let lens: Vec<usize> = if parallelism == Parallelism::Parallel {
                LARGE_LENS.to_vec()
            } else {
                (0..=MAX_SWEPT_LEN).chain(LARGE_LENS).collect()
            };
            for len in lens {
                let vals = inputs(&mut rng, len);
                for offsets in OFFSETS {
                    let context = format!(
                        "{kernel} {name} {stores:?} {parallelism:?} len {len} offsets {offsets:?}"
                    );
                    let placed: [Placed<T>; N] =
                        std::array::from_fn(|k| Placed::new(&vals[k], offsets[k]));
                    let slices = placed.each_ref().map(|p| p.slice());
                    let mut out = Placed::new(&vec![T::sentinel(); len], offsets[4]);
                    call(&opts, slices, out.slice_mut());
                    compare(&vals, out.slice(), reference, &context);
                    out.assert_guards_intact(&context);

                    if let Some(in_place) = in_place {
                        let mut acc = Placed::new(&vals[0], offsets[4]);
                        let rest: [&[T]; M] = std::array::from_fn(|k| slices[k + 1]);
                        in_place(&opts, acc.slice_mut(), rest);
                        compare(
                            &vals,
                            acc.slice(),
                            reference,
                            &format!("{context} in place"),
                        );
                        acc.assert_guards_intact(&context);
                    }
                    if len > MAX_SWEPT_LEN {
                        break;
                    }
                }
            }
        }
    }
}

#[track_caller]
fn compare<T: Value, const N: usize>(
    vals: &[Vec<T>; N],
    got: &[T],
    reference: fn([T; N]) -> T,
    context: &str,
) {
    for (i, &g) in got.iter().enumerate() {
        let args: [T; N] = std::array::from_fn(|k| vals[k][i]);
        let want = reference(args);
        assert!(
            g.same(want),
            "{context}: element {i}: f{args:?} gave {g:?}, the expression gives {want:?}"
        );
    }
}

fn four<T: Value>(rng: &mut Rng, len: usize) -> [Vec<T>; 4] {
    std::array::from_fn(|_| values(rng, len))
}

macro_rules! mul_then_add_mul_tests {
    ($($test:ident: $t:ty => $reference:expr;)*) => {$(
        #[test]
        fn $test() {
            for kernel in kernels() {
                check::<$t, 4, 3>(
                    kernel,
                    concat!("mul_then_add_mul ", stringify!($t)),
                    |o, [a, b, c, d], out| o.mul_then_add_mul(a, b, c, d, out).unwrap(),
                    Some(|o, acc, [a, b, c]| o.mul_then_add_mul_assign(acc, a, b, c).unwrap()),
                    four::<$t>,
                    $reference,
                );
            }
        }
    )*};
}

mul_then_add_mul_tests! {
    mul_then_add_mul_f32: f32 => |[a, b, c, d]| a * b + c * d;
    mul_then_add_mul_f64: f64 => |[a, b, c, d]| a * b + c * d;
    mul_then_add_mul_u8: u8 => |[a, b, c, d]: [u8; 4]| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d));
    mul_then_add_mul_i8: i8 => |[a, b, c, d]: [i8; 4]| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d));
    mul_then_add_mul_u16: u16 => |[a, b, c, d]: [u16; 4]| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d));
    mul_then_add_mul_i16: i16 => |[a, b, c, d]: [i16; 4]| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d));
    mul_then_add_mul_u32: u32 => |[a, b, c, d]: [u32; 4]| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d));
    mul_then_add_mul_i32: i32 => |[a, b, c, d]: [i32; 4]| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d));
    mul_then_add_mul_u64: u64 => |[a, b, c, d]: [u64; 4]| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d));
    mul_then_add_mul_i64: i64 => |[a, b, c, d]: [i64; 4]| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d));
    mul_then_add_mul_complex_f32: Complex<f32> => |[a, b, c, d]| a * b + c * d;
    mul_then_add_mul_complex_f64: Complex<f64> => |[a, b, c, d]| a * b + c * d;
}

/// Weights: mostly in [0, 1] (where a blend is used), some outside it and some specials.
fn weights<T: Value + From<f32>>(rng: &mut Rng, len: usize) -> Vec<T> {
    let specials = values::<T>(rng, len);
    (0..len)
        .map(|i| match rng.below(8) {
            0 => specials[i],
            1 => T::from(rng.unit() as f32 * 4.0 - 2.0),
            2 => T::from([0.0, 1.0, 0.5][rng.below(3)]),
            _ => T::from(rng.unit() as f32),
        })
        .collect()
}

fn blend_inputs<T: Value + From<f32>>(rng: &mut Rng, len: usize) -> [Vec<T>; 3] {
    [values(rng, len), values(rng, len), weights(rng, len)]
}

#[test]
fn blend_f32() {
    for kernel in kernels() {
        check::<f32, 3, 2>(
            kernel,
            "blend f32",
            |o, [a, b, w], out| o.blend(a, b, w, out).unwrap(),
            None,
            blend_inputs::<f32>,
            |[a, b, w]| w * a + (1.0 - w) * b,
        );
    }
}

#[test]
fn blend_f64() {
    for kernel in kernels() {
        check::<f64, 3, 2>(
            kernel,
            "blend f64",
            |o, [a, b, w], out| o.blend(a, b, w, out).unwrap(),
            None,
            blend_inputs::<f64>,
            |[a, b, w]| w * a + (1.0 - w) * b,
        );
    }
}

/// The 8-bit blend by its definition, in floating point (no tie can occur: 255 is odd).
fn blend_u8_reference([fg, bg, alpha]: [u8; 3]) -> u8 {
    let (f, b, a) = (fg as f64, bg as f64, alpha as f64);
    ((a * f + (255.0 - a) * b) / 255.0).round() as u8
}

#[test]
fn blend_normalized_u8_swept() {
    for kernel in kernels() {
        check::<u8, 3, 2>(
            kernel,
            "blend_normalized_u8",
            |o, [fg, bg, alpha], out| o.blend_normalized_u8(fg, bg, alpha, out).unwrap(),
            None,
            |rng, len| std::array::from_fn(|_| values(rng, len)),
            blend_u8_reference,
        );
    }
}

/// Every (fg, bg, alpha) triple, on every kernel: one call of 2²⁴ elements each, on one
/// thread and split.
#[test]
fn blend_normalized_u8_exhaustive() {
    let n = 1usize << 24;
    let fg: Vec<u8> = (0..n).map(|i| i as u8).collect();
    let bg: Vec<u8> = (0..n).map(|i| (i >> 8) as u8).collect();
    let alpha: Vec<u8> = (0..n).map(|i| (i >> 16) as u8).collect();
    let want: Vec<u8> = (0..n)
        .map(|i| blend_u8_reference([fg[i], bg[i], alpha[i]]))
        .collect();
    let mut out = vec![0u8; n];
    for kernel in kernels() {
        for parallelism in [Parallelism::Sequential, Parallelism::Auto] {
            out.fill(0xA5);
            let opts = sequential(kernel).parallelism(parallelism);
            opts.blend_normalized_u8(&fg, &bg, &alpha, &mut out)
                .unwrap();
            if let Some(i) = (0..n).find(|&i| out[i] != want[i]) {
                panic!(
                    "{kernel} {parallelism:?}: fg {} bg {} alpha {} gave {}, want {}",
                    fg[i], bg[i], alpha[i], out[i], want[i]
                );
            }
        }
    }
}

/// Both products and the sum are rounded once each: within γ₂·(|ab| + |cd|) of the exact
/// value, which f64 holds for f32 operands (products exact, one rounding of the sum).
#[test]
fn mul_then_add_mul_f32_within_its_bound() {
    let mut rng = Rng::new(0xb0);
    let u = f32::EPSILON as f64 / 2.0;
    let gamma2 = 2.0 * u / (1.0 - 2.0 * u);
    let n = 10_000;
    let [a, b, c, d]: [Vec<f32>; 4] = std::array::from_fn(|_| {
        (0..n)
            .map(|_| (rng.unit() as f32 * 2.0 - 1.0) * 2f32.powi(rng.below(16) as i32 - 8))
            .collect()
    });
    for kernel in kernels() {
        let mut out = vec![0.0f32; n];
        sequential(kernel)
            .mul_then_add_mul(&a, &b, &c, &d, &mut out)
            .unwrap();
        for i in 0..n {
            let (p, q) = (a[i] as f64 * b[i] as f64, c[i] as f64 * d[i] as f64);
            let bound = gamma2 * (p.abs() + q.abs());
            assert_abs_diff_eq!(out[i] as f64, p + q, epsilon = bound);
        }
    }
}

/// Four roundings: within γ₃·(|wa| + |(1 − w)b|) of the exact blend (f64 holds the exact
/// value for f32 operands up to one rounding far below the bound).
#[test]
fn blend_f32_within_its_bound() {
    let mut rng = Rng::new(0xb1);
    let u = f32::EPSILON as f64 / 2.0;
    let gamma3 = 3.0 * u / (1.0 - 3.0 * u);
    let n = 10_000;
    let [a, b]: [Vec<f32>; 2] =
        std::array::from_fn(|_| (0..n).map(|_| rng.unit() as f32 * 200.0 - 100.0).collect());
    let w: Vec<f32> = (0..n).map(|_| rng.unit() as f32).collect();
    for kernel in kernels() {
        let mut out = vec![0.0f32; n];
        sequential(kernel).blend(&a, &b, &w, &mut out).unwrap();
        for i in 0..n {
            let (p, q) = (w[i] as f64 * a[i] as f64, (1.0 - w[i] as f64) * b[i] as f64);
            let bound = gamma3 * (p.abs() + q.abs()) * (1.0 + 4.0 * f64::EPSILON);
            assert_abs_diff_eq!(out[i] as f64, p + q, epsilon = bound);
        }
    }
}

/// The errors name every operand and its length, in the signature's order.
#[test]
fn errors_name_every_operand() {
    let (x, y) = ([1.0f32; 2], [1.0f32; 3]);
    let mut out = [0.0f32; 2];
    let e = hadamard::try_mul_then_add_mul(&x, &x, &y, &x, &mut out).unwrap_err();
    assert_eq!(
        e.lengths(),
        &[("a", 2), ("b", 2), ("c", 3), ("d", 2), ("out", 2)]
    );
    assert_eq!(e.operation(), "hadamard::mul_then_add_mul");
    let e = hadamard::try_mul_then_add_mul_assign(&mut out, &x, &x, &y).unwrap_err();
    assert_eq!(e.lengths(), &[("acc", 2), ("a", 2), ("b", 2), ("c", 3)]);
    let e = hadamard::try_blend(&x, &y, &x, &mut out).unwrap_err();
    assert_eq!(e.lengths(), &[("a", 2), ("b", 3), ("w", 2), ("out", 2)]);
    let (p, q) = ([1u8; 2], [1u8; 3]);
    let mut pixels = [0u8; 2];
    let e = hadamard::try_blend_normalized_u8(&p, &p, &q, &mut pixels).unwrap_err();
    assert_eq!(
        e.lengths(),
        &[("fg", 2), ("bg", 2), ("alpha", 3), ("out", 2)]
    );
    assert!(e.to_string().contains("alpha"), "{e}");
}

/// What the docs promise of the end weights: `w = 1` gives `a` and `w = 0` gives `b` for
/// finite values, up to the sign of a zero, on every kernel.
#[test]
fn blend_end_weights_give_the_operands() {
    let mut rng = Rng::new(0xe4d);
    let n = 1000;
    let a: Vec<f64> = (0..n).map(|_| rng.unit() * 2e6 - 1e6).collect();
    let b: Vec<f64> = (0..n).map(|_| rng.unit() * 2e-6 - 1e-6).collect();
    let w: Vec<f64> = (0..n).map(|i| (i % 2) as f64).collect();
    for kernel in kernels() {
        let mut out = vec![0.0; n];
        sequential(kernel).blend(&a, &b, &w, &mut out).unwrap();
        for i in 0..n {
            let want = if w[i] == 1.0 { a[i] } else { b[i] };
            assert_eq!(out[i], want, "{kernel}: element {i}, w = {}", w[i]);
        }
    }
}
