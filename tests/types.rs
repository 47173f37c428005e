//! Every element type and operation beyond `f32`/`f64` products, on every kernel this CPU
//! runs, forced one at a time, against references computed here independently of the
//! crate: `wrapping_mul`/`saturating_mul`, `num_complex`'s `*` and `conj`, `half`'s `*`
//! and `to_f32`. Lengths 0..=300 with each operand at start offsets 0..=7, normal and
//! streaming stores, guard elements that catch stray writes, the special values of each
//! type, and exhaustive runs where the domain is small (all 65,536 `u8` pairs, all 65,536
//! binary16 values).

mod common;

use common::values::{assert_results, values, Placed, Value};
use common::{sequential, Rng};
use hadamard::half::{bf16, f16};
use hadamard::num_complex::Complex;
use hadamard::{Kernel, LengthMismatch, Options, Parallelism, Stores};

/// The offsets (a, b, out) each length above `ALL_OFFSETS_UP_TO` is tried at: every
/// operand at every offset 0..=7, aligned and misaligned against each other. Lengths up to
/// it get all 512 triples (as the f32/f64 sweeps in kernels.rs do at every length).
const OFFSETS: [(usize, usize, usize); 8] = [
    (0, 0, 0),
    (1, 1, 1),
    (0, 3, 5),
    (7, 2, 0),
    (2, 7, 1),
    (5, 5, 3),
    (3, 0, 7),
    (6, 4, 2),
];
const MAX_SWEPT_LEN: usize = 300;
const ALL_OFFSETS_UP_TO: usize = 24;
/// Lengths at which every kernel runs its alignment head without streaming stores (at
/// least 16 registers: 1024 bytes of 8-bit elements on AVX-512), tried with the output at
/// every element position of a 64-byte line.
const HEAD_LENS: [usize; 2] = [1100, 2333];
const LARGE_LENS: [usize; 2] = [4099, 300_007];

type Call<A, B, O> = fn(&Options, &[A], &[B], &mut [O]) -> Result<(), LengthMismatch>;

/// One binary operation on every length, offset set and store policy, then large
/// lengths on one thread and split.
fn sweep<A: Value, B: Value, O: Value>(
    kernel: Kernel,
    name: &str,
    call: Call<A, B, O>,
    reference: fn(A, B) -> O,
) {
    let mut rng = Rng::new(0x7e57 ^ kernel as u64);
    for stores in [Stores::Normal, Stores::Streaming] {
        let opts = sequential(kernel).stores(stores);
        for len in 0..=MAX_SWEPT_LEN {
            let a_vals: Vec<A> = values(&mut rng, len);
            let b_vals: Vec<B> = values(&mut rng, len);
            let all: Vec<(usize, usize, usize)> =
                (0..512).map(|i| (i / 64, i / 8 % 8, i % 8)).collect();
            let offsets = if len <= ALL_OFFSETS_UP_TO {
                &all[..]
            } else {
                &OFFSETS[..]
            };
            for &(oa, ob, oo) in offsets {
                let context =
                    format!("{kernel} {name} {stores:?} len {len} offsets {oa} {ob} {oo}");
                let a = Placed::new(&a_vals, oa);
                let b = Placed::new(&b_vals, ob);
                let mut out = Placed::new(&vec![O::sentinel(); len], oo);
                call(&opts, a.slice(), b.slice(), out.slice_mut()).unwrap();
                assert_results(a.slice(), b.slice(), out.slice(), reference, &context);
                out.assert_guards_intact(&context);
            }
        }
    }
    for len in HEAD_LENS {
        let a_vals: Vec<A> = values(&mut rng, len);
        let b_vals: Vec<B> = values(&mut rng, len);
        let opts = sequential(kernel).stores(Stores::Normal);
        for oo in 0..64 / size_of::<O>() {
            let context = format!("{kernel} {name} head len {len} out offset {oo}");
            let mut out = Placed::new(&vec![O::sentinel(); len], oo);
            call(&opts, &a_vals, &b_vals, out.slice_mut()).unwrap();
            assert_results(&a_vals, &b_vals, out.slice(), reference, &context);
            out.assert_guards_intact(&context);
        }
    }
    for len in LARGE_LENS {
        let a_vals: Vec<A> = values(&mut rng, len);
        let b_vals: Vec<B> = values(&mut rng, len);
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let opts = sequential(kernel).parallelism(parallelism);
            let context = format!("{kernel} {name} len {len} {parallelism:?}");
            let a = Placed::new(&a_vals, 3);
            let mut out = Placed::new(&vec![O::sentinel(); len], 1);
            call(&opts, a.slice(), &b_vals, out.slice_mut()).unwrap();
            assert_results(a.slice(), &b_vals, out.slice(), reference, &context);
            out.assert_guards_intact(&context);
        }
    }
}

/// Every special value of `T` with every other, at every lane position.
fn specials<T: Value, O: Value>(
    kernel: Kernel,
    name: &str,
    call: Call<T, T, O>,
    reference: fn(T, T) -> O,
) {
    let s = T::specials();
    let a: Vec<T> = s.iter().flat_map(|&x| s.iter().map(move |_| x)).collect();
    let b: Vec<T> = s.iter().flat_map(|_| s.iter().copied()).collect();
    for shift in 0..8 {
        let mut b = b.clone();
        b.rotate_left(shift);
        let mut out = vec![O::sentinel(); a.len()];
        call(&sequential(kernel), &a, &b, &mut out).unwrap();
        assert_results(
            &a,
            &b,
            &out,
            reference,
            &format!("{kernel} {name} specials shift {shift}"),
        );
    }
}

/// `mul_assign` (out equal to a) for the type.
fn sweep_assign<T: Value + hadamard::Element>(
    kernel: Kernel,
    name: &str,
    reference: fn(T, T) -> T,
) {
    let mut rng = Rng::new(0xa551 ^ kernel as u64);
    let opts = sequential(kernel);
    for len in 0..=MAX_SWEPT_LEN {
        let acc_vals: Vec<T> = values(&mut rng, len);
        let b_vals: Vec<T> = values(&mut rng, len);
        for (oa, ob, _) in OFFSETS {
            let context = format!("{kernel} {name} mul_assign len {len} offsets {oa} {ob}");
            let mut acc = Placed::new(&acc_vals, oa);
            let b = Placed::new(&b_vals, ob);
            opts.mul_assign(acc.slice_mut(), b.slice()).unwrap();
            assert_results(&acc_vals, b.slice(), acc.slice(), reference, &context);
            acc.assert_guards_intact(&context);
        }
    }
}

fn kernels() -> Vec<Kernel> {
    common::kernels_under_test()
}

fn complex_mul<T: Copy + num_traits::Num>(a: Complex<T>, b: Complex<T>) -> Complex<T> {
    a * b
}

macro_rules! mul_tests {
    ($($test:ident: $t:ty => $reference:expr;)*) => {$(
        #[test]
        fn $test() {
            for kernel in kernels() {
                let name = concat!("mul ", stringify!($t));
                sweep::<$t, $t, $t>(kernel, name, |o, a, b, out| o.mul_elementwise(a, b, out), $reference);
                specials::<$t, $t>(kernel, name, |o, a, b, out| o.mul_elementwise(a, b, out), $reference);
                sweep_assign::<$t>(kernel, name, $reference);
            }
        }
    )*};
}

mul_tests! {
    mul_u8: u8 => u8::wrapping_mul;
    mul_i8: i8 => i8::wrapping_mul;
    mul_u16: u16 => u16::wrapping_mul;
    mul_i16: i16 => i16::wrapping_mul;
    mul_u32: u32 => u32::wrapping_mul;
    mul_i32: i32 => i32::wrapping_mul;
    mul_u64: u64 => u64::wrapping_mul;
    mul_i64: i64 => i64::wrapping_mul;
    mul_complex_f32: Complex<f32> => complex_mul;
    mul_complex_f64: Complex<f64> => complex_mul;
    mul_f16: f16 => |a: f16, b: f16| a * b;
    mul_bf16: bf16 => |a: bf16, b: bf16| a * b;
}

macro_rules! saturating_tests {
    ($($test:ident: $t:ty;)*) => {$(
        #[test]
        fn $test() {
            for kernel in kernels() {
                let name = concat!("saturating ", stringify!($t));
                let call: Call<$t, $t, $t> = |o, a, b, out| o.mul_elementwise_saturating(a, b, out);
                sweep::<$t, $t, $t>(kernel, name, call, <$t>::saturating_mul);
                specials::<$t, $t>(kernel, name, call, <$t>::saturating_mul);
            }
        }
    )*};
}

saturating_tests! {
    saturating_u8: u8;
    saturating_i8: i8;
    saturating_u16: u16;
    saturating_i16: i16;
    saturating_u32: u32;
    saturating_i32: i32;
    saturating_u64: u64;
    saturating_i64: i64;
}

fn normalized_reference(a: u8, b: u8) -> u8 {
    // round(a·b / 255) in exact rational arithmetic: never a tie, since 255 is odd.
    let p = a as f64 * b as f64 / 255.0;
    let r = p.round();
    assert!((p - p.floor() - 0.5).abs() > 1e-9, "a tie at {a}·{b}");
    r as u8
}

#[test]
fn normalized_u8() {
    for kernel in kernels() {
        let call: Call<u8, u8, u8> = |o, a, b, out| o.mul_normalized_u8(a, b, out);
        sweep::<u8, u8, u8>(kernel, "normalized u8", call, normalized_reference);
    }
}

/// All 65,536 pairs, for each 8-bit operation, on every kernel: a = i / 256, b = i % 256
/// puts each pair once in every lane position over the run.
#[test]
fn every_8_bit_pair() {
    let a: Vec<u8> = (0..=u16::MAX).map(|i| (i >> 8) as u8).collect();
    let b: Vec<u8> = (0..=u16::MAX).map(|i| i as u8).collect();
    let (ai, bi): (Vec<i8>, Vec<i8>) = (
        a.iter().map(|&x| x as i8).collect(),
        b.iter().map(|&x| x as i8).collect(),
    );
    for kernel in kernels() {
        let o = sequential(kernel);
        let mut out = vec![0u8; a.len()];
        o.mul_normalized_u8(&a, &b, &mut out).unwrap();
        assert_results(
            &a,
            &b,
            &out,
            normalized_reference,
            &format!("{kernel} normalized every pair"),
        );
        o.mul_elementwise_saturating(&a, &b, &mut out).unwrap();
        assert_results(
            &a,
            &b,
            &out,
            u8::saturating_mul,
            &format!("{kernel} saturating u8 every pair"),
        );
        o.mul_elementwise(&a, &b, &mut out).unwrap();
        assert_results(
            &a,
            &b,
            &out,
            u8::wrapping_mul,
            &format!("{kernel} wrapping u8 every pair"),
        );
        let mut out = vec![0i8; a.len()];
        o.mul_elementwise_saturating(&ai, &bi, &mut out).unwrap();
        assert_results(
            &ai,
            &bi,
            &out,
            i8::saturating_mul,
            &format!("{kernel} saturating i8 every pair"),
        );
    }
}

#[test]
fn mul_conj_complex() {
    fn conj_f32(a: Complex<f32>, b: Complex<f32>) -> Complex<f32> {
        a * b.conj()
    }
    fn conj_f64(a: Complex<f64>, b: Complex<f64>) -> Complex<f64> {
        a * b.conj()
    }
    for kernel in kernels() {
        let call32: Call<Complex<f32>, Complex<f32>, Complex<f32>> =
            |o, a, b, out| o.mul_conj_elementwise(a, b, out);
        sweep(kernel, "conj f32", call32, conj_f32);
        specials(kernel, "conj f32", call32, conj_f32);
        let call64: Call<Complex<f64>, Complex<f64>, Complex<f64>> =
            |o, a, b, out| o.mul_conj_elementwise(a, b, out);
        sweep(kernel, "conj f64", call64, conj_f64);
        specials(kernel, "conj f64", call64, conj_f64);
    }
}

#[test]
fn widening_half_products() {
    fn f16_ref(a: f16, b: f16) -> f32 {
        a.to_f32() * b.to_f32()
    }
    fn bf16_ref(a: bf16, b: bf16) -> f32 {
        a.to_f32() * b.to_f32()
    }
    for kernel in kernels() {
        let call: Call<f16, f16, f32> = |o, a, b, out| o.mul_elementwise_widen(a, b, out);
        sweep(kernel, "widen f16", call, f16_ref);
        specials(kernel, "widen f16", call, f16_ref);
        let call: Call<bf16, bf16, f32> = |o, a, b, out| o.mul_elementwise_widen(a, b, out);
        sweep(kernel, "widen bf16", call, bf16_ref);
        specials(kernel, "widen bf16", call, bf16_ref);
    }
}

/// Every binary16 and bfloat16 value times several multipliers (1 checks the conversions
/// both ways; the others round, overflow and underflow), and every value times every
/// value 2^16 positions along (a rotation), on every kernel.
#[test]
fn every_half_value() {
    fn check<H: Value + hadamard::HalfElement + std::ops::Mul<Output = H>>(
        from_bits: fn(u16) -> H,
        from_f32: fn(f32) -> H,
    ) {
        let all: Vec<H> = (0..=u16::MAX).map(from_bits).collect();
        for kernel in kernels() {
            let o = sequential(kernel);
            let mut out = vec![from_bits(0); all.len()];
            for m in [
                1.0f32, -1.0, 0.5, 3.0, 1.0e-3, 300.0, 65504.0, 1.0e30, 1.0e-30, 6.1e-5,
            ] {
                let b = vec![from_f32(m); all.len()];
                o.mul_elementwise(&all, &b, &mut out).unwrap();
                assert_results(
                    &all,
                    &b,
                    &out,
                    |x, y| x * y,
                    &format!("{kernel} every value times {m}"),
                );
            }
            for shift in [1, 255, 4097, 32768] {
                let mut b = all.clone();
                b.rotate_left(shift);
                o.mul_elementwise(&all, &b, &mut out).unwrap();
                assert_results(
                    &all,
                    &b,
                    &out,
                    |x, y| x * y,
                    &format!("{kernel} every value rotated {shift}"),
                );
            }
        }
    }
    check::<f16>(f16::from_bits, f16::from_f32);
    check::<bf16>(bf16::from_bits, bf16::from_f32);
}

#[test]
fn split_complex() {
    fn run<T: Value + Default + hadamard::Real + num_traits::Num + std::ops::Neg<Output = T>>(
        kernel: Kernel,
    ) {
        let mut rng = Rng::new(0x5b1 ^ kernel as u64);
        let opts = sequential(kernel);
        for len in (0..=MAX_SWEPT_LEN).chain(LARGE_LENS) {
            let planes: Vec<Vec<T>> = (0..4).map(|_| values(&mut rng, len)).collect();
            for (i, (oa, ob, oo)) in OFFSETS.into_iter().enumerate() {
                if len > MAX_SWEPT_LEN && i > 1 {
                    break;
                }
                let p: Vec<Placed<T>> = planes
                    .iter()
                    .zip([oa, ob, oo, oa])
                    .map(|(v, o)| Placed::new(v, o))
                    .collect();
                for conj in [false, true] {
                    let mut re = Placed::new(&vec![T::sentinel(); len], oo);
                    let mut im = Placed::new(&vec![T::sentinel(); len], ob);
                    let (a, b) = ((p[0].slice(), p[1].slice()), (p[2].slice(), p[3].slice()));
                    let out = (re.slice_mut(), im.slice_mut());
                    if conj {
                        opts.mul_conj_split_complex(a, b, out).unwrap();
                    } else {
                        opts.mul_split_complex(a, b, out).unwrap();
                    }
                    let context =
                        format!("{kernel} split conj {conj} len {len} offsets {oa} {ob} {oo}");
                    for j in 0..len {
                        let x = Complex::new(a.0[j], a.1[j]);
                        let y = Complex::new(b.0[j], b.1[j]);
                        let want = if conj { x * y.conj() } else { x * y };
                        let got = Complex::new(re.slice()[j], im.slice()[j]);
                        assert!(
                            got.same(want),
                            "{context}: element {j}: {x:?}, {y:?} gave {got:?}, want {want:?}"
                        );
                    }
                    re.assert_guards_intact(&context);
                    im.assert_guards_intact(&context);
                }
            }
        }
    }
    for kernel in kernels() {
        run::<f32>(kernel);
        run::<f64>(kernel);
    }
}
