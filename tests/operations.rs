//! The operations around the product — `mul_scalar`, `mul_then_add` (plain, fused, in place),
//! `mul_conj_add_assign`, `hadamard_sum` (and `_conj`) — on every kernel this CPU runs,
//! forced one at a time, against references computed here: plain Rust's `*` and `+`,
//! `wrapping_*`, `num_complex`, `half`, std's correctly rounded `mul_then_add`, and (for sums) a
//! wider or compensated sum checked against the documented error bound.

mod common;

use common::values::{assert_results, values, Placed, Value};
use common::{sequential, Rng};
use hadamard::half::{bf16, f16};
use hadamard::num_complex::Complex;
use hadamard::{Kernel, Options, Parallelism, Stores};

const MAX_SWEPT_LEN: usize = 300;
const LARGE_LENS: [usize; 2] = [4099, 300_007];
/// (a, out) offsets each length is tried at.
const OFFSETS: [(usize, usize); 8] = [
    (0, 0),
    (1, 1),
    (0, 5),
    (7, 0),
    (2, 1),
    (5, 3),
    (3, 7),
    (6, 2),
];

fn kernels() -> Vec<Kernel> {
    common::kernels_under_test()
}

/// `mul_scalar` and `mul_scalar_assign` for one type against `reference(a[i], s)`.
fn scale<T: Value + hadamard::Element>(kernel: Kernel, name: &str, reference: fn(T, T) -> T) {
    let mut rng = Rng::new(0x5ca1e ^ kernel as u64);
    for stores in [Stores::Normal, Stores::Streaming] {
        let opts = sequential(kernel).stores(stores);
        for len in (0..=MAX_SWEPT_LEN).chain(LARGE_LENS) {
            let a_vals: Vec<T> = values(&mut rng, len);
            let s: T = values(&mut rng, 1)[0];
            let splat = vec![s; len];
            for (oa, oo) in OFFSETS {
                let context =
                    format!("{kernel} scale {name} {stores:?} len {len} offsets {oa} {oo} s {s:?}");
                let a = Placed::new(&a_vals, oa);
                let mut out = Placed::new(&vec![T::sentinel(); len], oo);
                opts.mul_scalar(a.slice(), s, out.slice_mut()).unwrap();
                assert_results(a.slice(), &splat, out.slice(), reference, &context);
                out.assert_guards_intact(&context);

                let mut acc = Placed::new(&a_vals, oo);
                opts.mul_scalar_assign(acc.slice_mut(), s);
                assert_results(&a_vals, &splat, acc.slice(), reference, &context);
                acc.assert_guards_intact(&context);
                if len > MAX_SWEPT_LEN {
                    break;
                }
            }
        }
    }
    // Split across threads: every piece must read the scalar, not run past it.
    let len = 300_007;
    let a_vals: Vec<T> = values(&mut rng, len);
    let s: T = values(&mut rng, 1)[0];
    let mut out = vec![T::sentinel(); len];
    let opts = sequential(kernel).parallelism(Parallelism::Parallel);
    opts.mul_scalar(&a_vals, s, &mut out).unwrap();
    assert_results(
        &a_vals,
        &vec![s; len],
        &out,
        reference,
        &format!("{kernel} scale {name} split"),
    );
}

/// A call writing `f(a, b, c)` into `out`.
type Into4<T> = fn(&Options, &[T], &[T], &[T], &mut [T]);

/// `mul_then_add` (into `out`) and `mul_then_add_assign` (in place) against `reference(a, b, c)`.
fn mul_then_add<T: Value + hadamard::Accumulate>(
    kernel: Kernel,
    name: &str,
    call: Into4<T>,
    call_assign: fn(&Options, &mut [T], &[T], &[T]),
    reference: fn(T, T, T) -> T,
) {
    let mut rng = Rng::new(0xadd ^ kernel as u64);
    for stores in [Stores::Normal, Stores::Streaming] {
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let opts = sequential(kernel).stores(stores).parallelism(parallelism);
            let lens: Vec<usize> = if parallelism == Parallelism::Parallel {
                LARGE_LENS.to_vec()
            } else {
                (0..=MAX_SWEPT_LEN).chain(LARGE_LENS).collect()
            };
            for len in lens {
                let [a, b, c]: [Vec<T>; 3] = std::array::from_fn(|_| values(&mut rng, len));
                for (oa, oo) in OFFSETS {
                    let context = format!(
                        "{kernel} {name} {stores:?} {parallelism:?} len {len} offsets {oa} {oo}"
                    );
                    let pa = Placed::new(&a, oa);
                    let mut out = Placed::new(&vec![T::sentinel(); len], oo);
                    call(&opts, pa.slice(), &b, &c, out.slice_mut());
                    check3(pa.slice(), &b, &c, out.slice(), reference, &context);
                    out.assert_guards_intact(&context);

                    let mut acc = Placed::new(&c, oo);
                    call_assign(&opts, acc.slice_mut(), pa.slice(), &b);
                    check3(pa.slice(), &b, &c, acc.slice(), reference, &context);
                    acc.assert_guards_intact(&context);
                    if len > MAX_SWEPT_LEN {
                        break;
                    }
                }
            }
        }
    }
}

#[track_caller]
fn check3<T: Value>(
    a: &[T],
    b: &[T],
    c: &[T],
    got: &[T],
    reference: fn(T, T, T) -> T,
    context: &str,
) {
    for i in 0..got.len() {
        let want = reference(a[i], b[i], c[i]);
        assert!(
            got[i].same(want),
            "{context}: element {i}: f({:?}, {:?}, {:?}) gave {:?}, the reference gives {want:?}",
            a[i],
            b[i],
            c[i],
            got[i]
        );
    }
}

macro_rules! scale_tests {
    ($($test:ident: $t:ty => $reference:expr;)*) => {$(
        #[test]
        fn $test() {
            for kernel in kernels() {
                scale::<$t>(kernel, stringify!($t), $reference);
            }
        }
    )*};
}

scale_tests! {
    scale_f32: f32 => |a, s| a * s;
    scale_f64: f64 => |a, s| a * s;
    scale_u8: u8 => u8::wrapping_mul;
    scale_i8: i8 => i8::wrapping_mul;
    scale_u16: u16 => u16::wrapping_mul;
    scale_i16: i16 => i16::wrapping_mul;
    scale_u32: u32 => u32::wrapping_mul;
    scale_i32: i32 => i32::wrapping_mul;
    scale_u64: u64 => u64::wrapping_mul;
    scale_i64: i64 => i64::wrapping_mul;
    scale_complex_f32: Complex<f32> => |a, s| a * s;
    scale_complex_f64: Complex<f64> => |a, s| a * s;
    scale_f16: f16 => |a, s| a * s;
    scale_bf16: bf16 => |a, s| a * s;
}

macro_rules! mul_then_add_tests {
    ($($test:ident: $t:ty => $reference:expr;)*) => {$(
        #[test]
        fn $test() {
            for kernel in kernels() {
                mul_then_add::<$t>(
                    kernel,
                    concat!("mul_then_add ", stringify!($t)),
                    |o, a, b, c, out| o.mul_then_add(a, b, c, out).unwrap(),
                    |o, acc, a, b| o.mul_then_add_assign(acc, a, b).unwrap(),
                    $reference,
                );
            }
        }
    )*};
}

mul_then_add_tests! {
    mul_then_add_f32: f32 => |a, b, c| a * b + c;
    mul_then_add_f64: f64 => |a, b, c| a * b + c;
    mul_then_add_u8: u8 => |a: u8, b, c| a.wrapping_mul(b).wrapping_add(c);
    mul_then_add_i8: i8 => |a: i8, b, c| a.wrapping_mul(b).wrapping_add(c);
    mul_then_add_u16: u16 => |a: u16, b, c| a.wrapping_mul(b).wrapping_add(c);
    mul_then_add_i16: i16 => |a: i16, b, c| a.wrapping_mul(b).wrapping_add(c);
    mul_then_add_u32: u32 => |a: u32, b, c| a.wrapping_mul(b).wrapping_add(c);
    mul_then_add_i32: i32 => |a: i32, b, c| a.wrapping_mul(b).wrapping_add(c);
    mul_then_add_u64: u64 => |a: u64, b, c| a.wrapping_mul(b).wrapping_add(c);
    mul_then_add_i64: i64 => |a: i64, b, c| a.wrapping_mul(b).wrapping_add(c);
    mul_then_add_complex_f32: Complex<f32> => |a, b, c| a * b + c;
    mul_then_add_complex_f64: Complex<f64> => |a, b, c| a * b + c;
}

#[test]
fn mul_add_is_std_mul_then_add_on_every_kernel() {
    for kernel in kernels() {
        mul_then_add::<f32>(
            kernel,
            "fused f32",
            |o, a, b, c, out| o.mul_add(a, b, c, out).unwrap(),
            |o, acc, a, b| o.mul_add_assign(acc, a, b).unwrap(),
            f32::mul_add,
        );
        mul_then_add::<f64>(
            kernel,
            "fused f64",
            |o, a, b, c, out| o.mul_add(a, b, c, out).unwrap(),
            |o, acc, a, b| o.mul_add_assign(acc, a, b).unwrap(),
            f64::mul_add,
        );
    }
}

#[test]
fn mul_conj_add_assign_is_num_complex() {
    for kernel in kernels() {
        mul_then_add::<Complex<f32>>(
            kernel,
            "conj add f32",
            |o, a, b, c, out| {
                out.copy_from_slice(c);
                o.mul_conj_add_assign(out, a, b).unwrap()
            },
            |o, acc, a, b| o.mul_conj_add_assign(acc, a, b).unwrap(),
            |a, b, c| c + a * b.conj(),
        );
        mul_then_add::<Complex<f64>>(
            kernel,
            "conj add f64",
            |o, a, b, c, out| {
                out.copy_from_slice(c);
                o.mul_conj_add_assign(out, a, b).unwrap()
            },
            |o, acc, a, b| o.mul_conj_add_assign(acc, a, b).unwrap(),
            |a, b, c| c + a * b.conj(),
        );
    }
}

/// The documented `m` of the sum's error bound γ(m)·Σ|aᵢbᵢ| for `n` elements of `bytes`
/// bytes, the same on every kernel and split: `⌈min(n, B)/W⌉ + log₂W + ⌈log₂⌈n/B⌉⌉ + 1`,
/// `B = 65536 / bytes` elements a block, `W = 256 / bytes` partials.
fn bound_terms(bytes: usize, n: usize) -> f64 {
    let (w, block) = (256 / bytes, 65536 / bytes);
    let blocks = n.div_ceil(block).max(1);
    let m = n.min(block).div_ceil(w)
        + w.ilog2() as usize
        + blocks.next_power_of_two().ilog2() as usize
        + 1;
    m as f64
}

fn gamma(m: f64, u: f64) -> f64 {
    m * u / (1.0 - m * u)
}

/// Σ a·b in double-double (TwoProduct by FMA, TwoSum): the reference for f64 sums, with
/// an error far below the bound under test. Returns (sum, Σ|a·b|).
fn dot2(a: &[f64], b: &[f64]) -> (f64, f64) {
    let (mut s, mut c, mut abs) = (0.0f64, 0.0f64, 0.0f64);
    for (&x, &y) in a.iter().zip(b) {
        let p = x * y;
        let pe = x.mul_add(y, -p);
        let t = s + p;
        let z = t - s;
        let se = (s - (t - z)) + (p - z);
        s = t;
        c += se + pe;
        abs += p.abs();
    }
    (s + c, abs)
}

/// Moderate values of both signs (no overflow, no NaN): what the bound is about.
fn moderate(rng: &mut Rng, len: usize) -> Vec<f64> {
    (0..len)
        .map(|_| rng.unit() * 2f64.powi(rng.below(20) as i32 - 10))
        .collect()
}

#[test]
fn float_sums_stay_within_the_documented_bound() {
    let mut rng = Rng::new(0x5a5);
    for kernel in kernels() {
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let opts = sequential(kernel).parallelism(parallelism);
            for len in (0..=MAX_SWEPT_LEN)
                .step_by(7)
                .chain([1000, 65_537, 1 << 20])
            {
                let (a, b) = (moderate(&mut rng, len), moderate(&mut rng, len));
                // f64
                let got = opts.hadamard_sum(&a, &b).unwrap();
                let (exact, abs) = dot2(&a, &b);
                let bound = gamma(bound_terms(8, len), f64::EPSILON / 2.0) * abs;
                assert!(
                    (got - exact).abs() <= bound,
                    "{kernel} {parallelism:?} f64 len {len}: |{got} - {exact}| > {bound}"
                );
                // f32: the reference sums the exact products in f64.
                let (a32, b32): (Vec<f32>, Vec<f32>) = (
                    a.iter().map(|&x| x as f32).collect(),
                    b.iter().map(|&x| x as f32).collect(),
                );
                let got = opts.hadamard_sum(&a32, &b32).unwrap() as f64;
                let wide: Vec<f64> = a32.iter().map(|&x| x as f64).collect();
                let wide_b: Vec<f64> = b32.iter().map(|&x| x as f64).collect();
                let (exact, abs) = dot2(&wide, &wide_b);
                let bound = gamma(bound_terms(4, len), f32::EPSILON as f64 / 2.0) * abs;
                assert!(
                    (got - exact).abs() <= bound,
                    "{kernel} {parallelism:?} f32 len {len}: |{got} - {exact}| > {bound}"
                );
            }
        }
    }
}

#[test]
fn complex_sums_stay_within_the_documented_bound() {
    let mut rng = Rng::new(0xc5);
    for kernel in kernels() {
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let opts = sequential(kernel).parallelism(parallelism);
            for len in [0, 1, 5, 37, 300, 4099, 1 << 19] {
                let parts: Vec<Vec<f64>> = (0..4).map(|_| moderate(&mut rng, len)).collect();
                let a: Vec<Complex<f64>> = (0..len)
                    .map(|i| Complex::new(parts[0][i], parts[1][i]))
                    .collect();
                let b: Vec<Complex<f64>> = (0..len)
                    .map(|i| Complex::new(parts[2][i], parts[3][i]))
                    .collect();
                for conj in [false, true] {
                    let got = if conj {
                        opts.hadamard_sum_conj(&a, &b)
                    } else {
                        opts.hadamard_sum(&a, &b)
                    }
                    .unwrap();
                    let s = if conj { -1.0 } else { 1.0 };
                    // re = Σ ar·br ∓ ai·bi, im = Σ ar·(±bi) + ai·br, as dot products of 2n terms.
                    let concat = |x: &[f64], y: &[f64]| [x, y].concat();
                    let neg = |x: &[f64]| x.iter().map(|v| -v).collect::<Vec<_>>();
                    let (re, _) = dot2(
                        &concat(&parts[0], &parts[1]),
                        &concat(
                            &parts[2],
                            &if conj {
                                parts[3].clone()
                            } else {
                                neg(&parts[3])
                            },
                        ),
                    );
                    let (im, _) = dot2(
                        &concat(&parts[0], &parts[1]),
                        &concat(
                            &parts[3].iter().map(|v| s * v).collect::<Vec<_>>(),
                            &parts[2],
                        ),
                    );
                    let abs: f64 = a
                        .iter()
                        .zip(&b)
                        .map(|(x, y)| x.re.hypot(x.im) * y.re.hypot(y.im))
                        .sum();
                    let bound =
                        gamma(bound_terms(16, len) + 1.0, f64::EPSILON / 2.0) * abs * 1.0001;
                    assert!(
                        (got.re - re).abs() <= bound && (got.im - im).abs() <= bound,
                        "{kernel} {parallelism:?} conj {conj} len {len}: {got} vs ({re}, {im}), bound {bound}"
                    );
                }
            }
        }
    }
}

#[test]
fn integer_sums_wrap_exactly_on_every_kernel() {
    fn check<T: Value + hadamard::Accumulate + PartialEq>(
        kernel: Kernel,
        fold: fn(&[T], &[T]) -> T,
    ) {
        let mut rng = Rng::new(0x1f ^ kernel as u64);
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let opts = sequential(kernel).parallelism(parallelism);
            for len in (0..=MAX_SWEPT_LEN).chain([4099, 1 << 20]) {
                let (a, b): (Vec<T>, Vec<T>) = (values(&mut rng, len), values(&mut rng, len));
                let got = opts.hadamard_sum(&a, &b).unwrap();
                assert!(
                    got == fold(&a, &b),
                    "{kernel} {parallelism:?} len {len}: {got:?} vs {:?}",
                    fold(&a, &b)
                );
            }
        }
    }
    macro_rules! fold {
        ($t:ty) => {
            |a: &[$t], b: &[$t]| {
                a.iter()
                    .zip(b)
                    .fold(0 as $t, |s, (x, y)| s.wrapping_add(x.wrapping_mul(*y)))
            }
        };
    }
    for kernel in kernels() {
        check::<u8>(kernel, fold!(u8));
        check::<i8>(kernel, fold!(i8));
        check::<u16>(kernel, fold!(u16));
        check::<i16>(kernel, fold!(i16));
        check::<u32>(kernel, fold!(u32));
        check::<i32>(kernel, fold!(i32));
        check::<u64>(kernel, fold!(u64));
        check::<i64>(kernel, fold!(i64));
    }
}

#[test]
fn sums_propagate_nan_and_infinity() {
    for kernel in kernels() {
        let opts = sequential(kernel);
        for len in [1, 7, 64, 1000] {
            for at in [0, len / 2, len - 1] {
                let mut a = vec![1.0f32; len];
                let b = vec![2.0f32; len];
                a[at] = f32::NAN;
                assert!(
                    opts.hadamard_sum(&a, &b).unwrap().is_nan(),
                    "{kernel} len {len} NaN at {at}"
                );
                a[at] = f32::INFINITY;
                assert_eq!(
                    opts.hadamard_sum(&a, &b).unwrap(),
                    f32::INFINITY,
                    "{kernel} len {len} inf at {at}"
                );
            }
        }
        assert_eq!(opts.hadamard_sum::<f64>(&[], &[]).unwrap(), 0.0);
    }
}

#[test]
fn every_new_operation_rejects_mismatched_lengths_and_writes_nothing() {
    let (a, b) = ([1.0f32; 3], [2.0f32; 2]);
    let mut out = [9.0f32; 3];
    let e = hadamard::try_mul_scalar(&a, 2.0, &mut out[..2]).unwrap_err();
    assert_eq!(e.lengths(), &[("a", 3), ("out", 2)]);
    let e = hadamard::try_mul_then_add(&a, &b, &a, &mut out).unwrap_err();
    assert_eq!(e.lengths(), &[("a", 3), ("b", 2), ("c", 3), ("out", 3)]);
    assert_eq!(e.to_string(), "hadamard::mul_then_add: operands must have equal lengths, got a.len() = 3, b.len() = 2, c.len() = 3, out.len() = 3");
    let e = hadamard::try_mul_add(&a, &a, &b, &mut out).unwrap_err();
    assert_eq!(e.operation(), "hadamard::mul_add");
    let e = hadamard::try_mul_then_add_assign(&mut out, &a, &b).unwrap_err();
    assert_eq!(e.lengths(), &[("acc", 3), ("a", 3), ("b", 2)]);
    let e = hadamard::try_mul_add_assign(&mut out, &b, &a).unwrap_err();
    assert_eq!(e.lengths(), &[("acc", 3), ("a", 2), ("b", 3)]);
    let e = hadamard::try_hadamard_sum(&a, &b).unwrap_err();
    assert_eq!(e.lengths(), &[("a", 3), ("b", 2)]);
    assert_eq!(out, [9.0; 3]);
    let c = [Complex::new(1.0f64, 0.0); 2];
    let mut acc = [Complex::new(5.0f64, 5.0); 3];
    let e = hadamard::try_mul_conj_add_assign(&mut acc, &c, &c).unwrap_err();
    assert_eq!(e.lengths(), &[("acc", 3), ("a", 2), ("b", 2)]);
    assert_eq!(
        hadamard::try_hadamard_sum_conj(&c, &acc)
            .unwrap_err()
            .operation(),
        "hadamard::hadamard_sum_conj"
    );
    assert_eq!(acc, [Complex::new(5.0, 5.0); 3]);
}

#[test]
#[should_panic(
    expected = "hadamard::mul_then_add_assign: operands must have equal lengths, got acc.len() = 2, a.len() = 1, b.len() = 2"
)]
fn the_panicking_forms_name_every_length() {
    hadamard::mul_then_add_assign(&mut [0u32; 2], &[1], &[2, 3]);
}
