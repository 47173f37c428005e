//! Every element-wise operation on every element type, with a kernel, lengths, start
//! offsets and values chosen by the fuzzer, compared with the scalar kernel bit for bit
//! (floats: or both NaN), plus mismatched lengths that must fail and write nothing.

#![no_main]

mod input;

use hadamard::half::{bf16, f16};
use hadamard::num_complex::Complex;
use hadamard::{Kernel, Options, Parallelism, Stores};
use input::Bytes;
use libfuzzer_sys::fuzz_target;

/// Values of a type from the fuzzer's bytes, and a "same result" comparison.
trait Value: Copy + PartialEq + std::fmt::Debug {
    fn from_bits(b: &mut Bytes) -> Self;
    fn same(self, o: Self) -> bool {
        self == o
    }
}

macro_rules! int {
    ($($t:ty),*) => {$( impl Value for $t { fn from_bits(b: &mut Bytes) -> Self { b.bits() as $t } } )*};
}
int!(u8, i8, u16, i16, u32, i32, u64, i64);

impl Value for f32 {
    fn from_bits(b: &mut Bytes) -> Self {
        f32::from_bits(b.bits() as u32)
    }
    fn same(self, o: Self) -> bool {
        self.to_bits() == o.to_bits() || (self.is_nan() && o.is_nan())
    }
}
impl Value for f64 {
    fn from_bits(b: &mut Bytes) -> Self {
        f64::from_bits(b.bits())
    }
    fn same(self, o: Self) -> bool {
        self.to_bits() == o.to_bits() || (self.is_nan() && o.is_nan())
    }
}
impl<T: Value> Value for Complex<T> {
    fn from_bits(b: &mut Bytes) -> Self {
        Complex::new(T::from_bits(b), T::from_bits(b))
    }
    fn same(self, o: Self) -> bool {
        self.re.same(o.re) && self.im.same(o.im)
    }
}
impl Value for f16 {
    fn from_bits(b: &mut Bytes) -> Self {
        f16::from_bits(b.bits() as u16)
    }
    fn same(self, o: Self) -> bool {
        self.to_bits() == o.to_bits() || (self.is_nan() && o.is_nan())
    }
}
impl Value for bf16 {
    fn from_bits(b: &mut Bytes) -> Self {
        bf16::from_bits(b.bits() as u16)
    }
    fn same(self, o: Self) -> bool {
        self.to_bits() == o.to_bits() || (self.is_nan() && o.is_nan())
    }
}

/// One operation's call: options, a, b, c, out.
type Op<T, O> = fn(&Options, &[T], &[T], &[T], &mut [O]) -> bool;

/// Which operand a mismatched-length case shortens: `b`, or `out` for the operations that
/// do not read `b` (scaling), or none for the one that has a single operand.
#[derive(Clone, Copy, PartialEq)]
enum Mismatch {
    B,
    Out,
    Impossible,
}

/// Runs `op` with the fuzzer's kernel and with the scalar kernel on the same operands at
/// the fuzzer's offsets; the outputs must agree, and nothing outside `out` may change.
fn check<T: Value, O: Value>(b: &mut Bytes, op: Op<T, O>) {
    check_with(b, op, Mismatch::B)
}

/// `check`, with the mismatched-length case on the operand `mismatch` names.
fn check_with<T: Value, O: Value>(b: &mut Bytes, op: Op<T, O>, mismatch: Mismatch) {
    let len = b.below(300);
    let offsets = [b.below(8), b.below(8), b.below(8), b.below(8)];
    let vals = |b: &mut Bytes, n| (0..n).map(|_| T::from_bits(b)).collect::<Vec<T>>();
    let (a, bb, c) = (vals(b, len + 8), vals(b, len + 8), vals(b, len + 8));
    let init: Vec<O> = (0..len + 8).map(|_| O::from_bits(b)).collect();
    let kernel = b.kernel();
    let stores = if b.byte() & 1 == 0 {
        Stores::Normal
    } else {
        Stores::Streaming
    };
    let opts = Options::new()
        .kernel(kernel)
        .unwrap()
        .stores(stores)
        .parallelism(Parallelism::Sequential);
    let reference = Options::new()
        .kernel(Kernel::Scalar)
        .unwrap()
        .parallelism(Parallelism::Sequential);
    let slice = |v: &[T], o: usize| v[o..o + len].to_vec();
    let (sa, sb, sc) = (
        slice(&a, offsets[0]),
        slice(&bb, offsets[1]),
        slice(&c, offsets[2]),
    );
    let mut got = init.clone();
    let mut want = init.clone();
    let o = offsets[3];
    let ok = op(
        &opts,
        &a[offsets[0]..offsets[0] + len],
        &bb[offsets[1]..offsets[1] + len],
        &c[offsets[2]..offsets[2] + len],
        &mut got[o..o + len],
    );
    let ok_ref = op(&reference, &sa, &sb, &sc, &mut want[o..o + len]);
    assert_eq!(ok, ok_ref);
    for i in 0..got.len() {
        assert!(
            got[i].same(want[i]),
            "{kernel} {stores:?} len {len} index {i}: {:?} vs {:?}",
            got[i],
            want[i]
        );
    }
    // Mismatched lengths: an error, nothing written.
    if len > 0 && mismatch != Mismatch::Impossible {
        let mut untouched = init.clone();
        let (b_len, out_len) = match mismatch {
            Mismatch::B => (len - 1, len),
            _ => (len, len - 1),
        };
        let failed = !op(
            &opts,
            &a[..len],
            &bb[..b_len],
            &c[..len],
            &mut untouched[..out_len],
        );
        assert!(failed, "mismatched lengths accepted");
        assert!(untouched.iter().zip(&init).all(|(x, y)| x.same(*y)));
    }
}

macro_rules! mul {
    ($t:ty) => {
        (|o, a, b, _c, out| o.mul_elementwise(a, b, out).is_ok()) as Op<$t, $t>
    };
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    match b.below(33) {
        0 => check::<f32, f32>(&mut b, mul!(f32)),
        1 => check::<f64, f64>(&mut b, mul!(f64)),
        2 => check::<u8, u8>(&mut b, mul!(u8)),
        3 => check::<i16, i16>(&mut b, mul!(i16)),
        4 => check::<u32, u32>(&mut b, mul!(u32)),
        5 => check::<i64, i64>(&mut b, mul!(i64)),
        6 => check::<Complex<f32>, _>(&mut b, mul!(Complex<f32>)),
        7 => check::<Complex<f64>, _>(&mut b, |o, a, b, _, out| {
            o.mul_conj_elementwise(a, b, out).is_ok()
        }),
        8 => check::<f16, f16>(&mut b, mul!(f16)),
        9 => check::<bf16, bf16>(&mut b, mul!(bf16)),
        10 => check::<f16, f32>(&mut b, |o, a, b, _, out| {
            o.mul_elementwise_widen(a, b, out).is_ok()
        }),
        11 => check::<bf16, f32>(&mut b, |o, a, b, _, out| {
            o.mul_elementwise_widen(a, b, out).is_ok()
        }),
        12 => check::<i8, i8>(&mut b, |o, a, b, _, out| {
            o.mul_elementwise_saturating(a, b, out).is_ok()
        }),
        13 => check::<u16, u16>(&mut b, |o, a, b, _, out| {
            o.mul_elementwise_saturating(a, b, out).is_ok()
        }),
        14 => check::<i32, i32>(&mut b, |o, a, b, _, out| {
            o.mul_elementwise_saturating(a, b, out).is_ok()
        }),
        15 => check::<u64, u64>(&mut b, |o, a, b, _, out| {
            o.mul_elementwise_saturating(a, b, out).is_ok()
        }),
        16 => check::<i64, i64>(&mut b, |o, a, b, _, out| {
            o.mul_elementwise_saturating(a, b, out).is_ok()
        }),
        17 => check::<u8, u8>(&mut b, |o, a, b, _, out| {
            o.mul_normalized_u8(a, b, out).is_ok()
        }),
        18 => check::<f64, f64>(&mut b, |o, a, b, c, out| o.mul_then_add(a, b, c, out).is_ok()),
        19 => check::<f32, f32>(&mut b, |o, a, b, c, out| {
            o.mul_add(a, b, c, out).is_ok()
        }),
        20 => check::<f64, f64>(&mut b, |o, a, b, c, out| {
            o.mul_add(a, b, c, out).is_ok()
        }),
        21 => check::<u16, u16>(&mut b, |o, a, b, c, out| o.mul_then_add(a, b, c, out).is_ok()),
        // acc starts as the fuzzer's initial output, the same for both kernels.
        22 => check::<Complex<f32>, _>(&mut b, |o, a, b, _, acc| {
            o.mul_conj_add_assign(acc, a, b).is_ok()
        }),
        23 => check_with::<f32, f32>(
            &mut b,
            |o, a, b, _, out| {
                let s = b.first().copied().unwrap_or(2.5);
                o.mul_scalar(a, s, out).is_ok()
            },
            Mismatch::Out,
        ),
        24 => check_with::<Complex<f64>, _>(
            &mut b,
            |o, a, b, _, out| {
                let s = b.first().copied().unwrap_or(Complex::new(0.5, -2.0));
                o.mul_scalar(a, s, out).is_ok()
            },
            Mismatch::Out,
        ),
        25 => check::<i16, i16>(&mut b, |o, a, b, _, acc| {
            // In place: acc ⊙= b, acc starting as the initial output.
            let _ = a;
            o.mul_assign(acc, b).is_ok()
        }),
        26 => check::<Complex<f32>, _>(&mut b, |o, a, b, _, out| match o.hadamard(a, b) {
            Ok(v) if v.len() == out.len() => {
                out.copy_from_slice(&v);
                true
            }
            Ok(_) => true,
            Err(_) => false,
        }),
        27 => check::<f64, f64>(&mut b, |o, a, b, _, acc| {
            o.mul_add_assign(acc, a, b).is_ok()
        }),
        28 => check::<u8, u8>(&mut b, |o, a, b, _, out| {
            o.mul_elementwise_saturating(a, b, out).is_ok()
        }),
        29 => check_with::<bf16, bf16>(
            &mut b,
            |o, a, b, _, out| {
                let s = b.first().copied().unwrap_or(bf16::from_f32(1.5));
                o.mul_scalar(a, s, out).is_ok()
            },
            Mismatch::Out,
        ),
        30 => check::<f32, f32>(&mut b, |o, a, b, c, out| {
            // Split complex: (a, c) times (b, c) into (out, a scratch plane), both compared
            // through `out` (the real plane); the imaginary plane is checked against its own
            // formula below.
            let mut im = vec![0.0f32; out.len()];
            let ok = o.mul_split_complex((a, c), (b, c), (out, &mut im)).is_ok();
            if ok {
                for i in 0..im.len() {
                    let want = a[i] * c[i] + c[i] * b[i];
                    assert!(im[i].same(want));
                }
            }
            ok
        }),
        31 => check::<f64, f64>(&mut b, |o, a, b, c, out| {
            // (a + ci)·conj(b + ci): the real plane through `out`, the imaginary one
            // (c·b − a·c, one rounding each, then the difference) against its formula.
            let mut im = vec![0.0f64; out.len()];
            let ok = o
                .mul_conj_split_complex((a, c), (b, c), (out, &mut im))
                .is_ok();
            if ok {
                for i in 0..im.len() {
                    let want = c[i] * b[i] - a[i] * c[i];
                    assert!(im[i].same(want), "conj split imaginary plane at {i}");
                }
            }
            ok
        }),
        _ => check_with::<u64, u64>(
            &mut b,
            |o, a, b, _, out| {
                out.copy_from_slice(&a[..out.len().min(a.len())]);
                o.mul_scalar_assign(out, b.first().copied().unwrap_or(3));
                true
            },
            Mismatch::Impossible,
        ),
    }
});
