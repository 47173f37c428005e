//! Every operation on every element type, with its operands ready: what `--ops` in the
//! report binary and the `ops` group of `benches/kernels.rs` measure.

use hadamard::half::{bf16, f16};
use hadamard::num_complex::Complex;
use hadamard::Options;

/// Deterministic, ordinary operand values for a type (no subnormals, no overflow-heavy
/// patterns that would time one path only).
trait Fill: Copy {
    fn at(i: usize) -> Self;
}

macro_rules! fill_int {
    ($($t:ty),*) => {$(
        impl Fill for $t {
            fn at(i: usize) -> $t {
                // Mixes small and large magnitudes, so saturating kernels see both.
                (i.wrapping_mul(0x9E37_79B9_7F4A_7C15_u64 as usize) >> 7) as $t
            }
        }
    )*};
}
fill_int!(u8, i8, u16, i16, u32, i32, u64, i64);

impl Fill for f32 {
    fn at(i: usize) -> f32 {
        1.0 + (i % 1021) as f32 / 1024.0
    }
}
impl Fill for f64 {
    fn at(i: usize) -> f64 {
        1.0 + (i % 1021) as f64 / 1024.0
    }
}
impl<T: Fill> Fill for Complex<T> {
    fn at(i: usize) -> Self {
        Complex::new(T::at(i), T::at(i * 5 + 1))
    }
}
impl Fill for f16 {
    fn at(i: usize) -> f16 {
        f16::from_f32(f32::at(i))
    }
}
impl Fill for bf16 {
    fn at(i: usize) -> bf16 {
        bf16::from_f32(f32::at(i))
    }
}

fn filled<T: Fill>(len: usize, salt: usize) -> Vec<T> {
    (0..len).map(|i| T::at(i * 7 + salt)).collect()
}

/// One measured operation: a name, its type, bytes moved per element, and how to run it.
pub struct Case {
    pub op: &'static str,
    pub ty: &'static str,
    pub bytes_per_element: usize,
    pub len: usize,
    pub run: Box<dyn FnMut(&Options)>,
}

fn binary<A: Fill + 'static, B: Fill + 'static, O: Fill + 'static>(
    op: &'static str,
    ty: &'static str,
    len: usize,
    f: fn(&Options, &[A], &[B], &mut [O]),
) -> Case {
    let (a, b, mut out) = (
        filled::<A>(len, 0),
        filled::<B>(len, 3),
        filled::<O>(len, 5),
    );
    Case {
        op,
        ty,
        bytes_per_element: size_of::<A>() + size_of::<B>() + size_of::<O>(),
        len,
        run: Box::new(move |o| f(o, &a, &b, &mut out)),
    }
}

fn split<T: Fill + hadamard::Real>(
    op: &'static str,
    ty: &'static str,
    len: usize,
    conj: bool,
) -> Case {
    let planes: Vec<Vec<T>> = (0..6).map(|k| filled::<T>(len, k)).collect();
    let [ar, ai, br, bi, mut re, mut im]: [Vec<T>; 6] =
        planes.try_into().unwrap_or_else(|_| unreachable!());
    Case {
        op,
        ty,
        bytes_per_element: 6 * size_of::<T>(),
        len,
        run: Box::new(move |o| {
            let r = if conj {
                o.mul_conj_split_complex((&ar, &ai), (&br, &bi), (&mut re, &mut im))
            } else {
                o.mul_split_complex((&ar, &ai), (&br, &bi), (&mut re, &mut im))
            };
            r.expect("equal lengths")
        }),
    }
}

macro_rules! mul {
    ($t:ty, $name:literal, $len:expr) => {
        binary::<$t, $t, $t>("mul", $name, $len, |o, a, b, out| {
            o.mul_elementwise(a, b, out).expect("equal lengths")
        })
    };
}
macro_rules! saturating {
    ($t:ty, $name:literal, $len:expr) => {
        binary::<$t, $t, $t>("saturating", $name, $len, |o, a, b, out| {
            o.mul_elementwise_saturating(a, b, out)
                .expect("equal lengths")
        })
    };
}

/// A call writing `f(a, b, c)` into `out`.
type Ternary<T> = fn(&Options, &[T], &[T], &[T], &mut [T]);

/// `out = f(a, b, c)`: three inputs and the output.
fn ternary<T: Fill + 'static>(
    op: &'static str,
    ty: &'static str,
    len: usize,
    f: Ternary<T>,
) -> Case {
    let (a, b, c, mut out) = (
        filled::<T>(len, 0),
        filled::<T>(len, 3),
        filled::<T>(len, 4),
        filled::<T>(len, 5),
    );
    Case {
        op,
        ty,
        bytes_per_element: 4 * size_of::<T>(),
        len,
        run: Box::new(move |o| f(o, &a, &b, &c, &mut out)),
    }
}

/// `Σ f(a, b)`: two inputs read, a value returned.
fn sum<T: Fill + hadamard::Accumulate>(ty: &'static str, len: usize) -> Case {
    let (a, b) = (filled::<T>(len, 0), filled::<T>(len, 3));
    Case {
        op: "sum",
        ty,
        bytes_per_element: 2 * size_of::<T>(),
        len,
        run: Box::new(move |o| {
            std::hint::black_box(o.hadamard_sum(&a, &b).expect("equal lengths"));
        }),
    }
}

/// Every operation and type, with operands of `len(element bytes)` elements.
pub fn cases(len: impl Fn(usize) -> usize) -> Vec<Case> {
    vec![
        binary::<f32, f32, f32>("scale", "f32", len(4), |o, a, _, out| {
            o.mul_scalar(a, 1.5, out).expect("equal lengths")
        }),
        binary::<u8, u8, u8>("scale", "u8", len(1), |o, a, _, out| {
            o.mul_scalar(a, 3, out).expect("equal lengths")
        }),
        ternary::<f32>("mul_add", "f32", len(4), |o, a, b, c, out| {
            o.mul_add(a, b, c, out).expect("equal lengths")
        }),
        ternary::<f64>("mul_add", "f64", len(8), |o, a, b, c, out| {
            o.mul_add(a, b, c, out).expect("equal lengths")
        }),
        ternary::<f32>("fused", "f32", len(4), |o, a, b, c, out| {
            o.mul_add_fused(a, b, c, out).expect("equal lengths")
        }),
        ternary::<f64>("fused", "f64", len(8), |o, a, b, c, out| {
            o.mul_add_fused(a, b, c, out).expect("equal lengths")
        }),
        ternary::<i32>("mul_add", "i32", len(4), |o, a, b, c, out| {
            o.mul_add(a, b, c, out).expect("equal lengths")
        }),
        ternary::<Complex<f32>>("conj_add", "c32", len(8), |o, a, b, _, out| {
            o.mul_conj_add_assign(out, a, b).expect("equal lengths")
        }),
        sum::<f32>("f32", len(4)),
        sum::<f64>("f64", len(8)),
        sum::<i16>("i16", len(2)),
        sum::<Complex<f32>>("c32", len(8)),
        mul!(f32, "f32", len(4)),
        mul!(f64, "f64", len(8)),
        mul!(u8, "u8/i8", len(1)),
        mul!(u16, "u16/i16", len(2)),
        mul!(u32, "u32/i32", len(4)),
        mul!(u64, "u64/i64", len(8)),
        saturating!(u8, "u8", len(1)),
        saturating!(i8, "i8", len(1)),
        saturating!(u16, "u16", len(2)),
        saturating!(i16, "i16", len(2)),
        saturating!(u32, "u32", len(4)),
        saturating!(i32, "i32", len(4)),
        saturating!(u64, "u64", len(8)),
        saturating!(i64, "i64", len(8)),
        binary::<u8, u8, u8>("normalized", "u8", len(1), |o, a, b, out| {
            o.mul_normalized_u8(a, b, out).expect("equal lengths")
        }),
        mul!(Complex<f32>, "c32", len(8)),
        mul!(Complex<f64>, "c64", len(16)),
        binary::<Complex<f32>, Complex<f32>, Complex<f32>>(
            "conj",
            "c32",
            len(8),
            |o, a, b, out| o.mul_conj_elementwise(a, b, out).expect("equal lengths"),
        ),
        binary::<Complex<f64>, Complex<f64>, Complex<f64>>(
            "conj",
            "c64",
            len(16),
            |o, a, b, out| o.mul_conj_elementwise(a, b, out).expect("equal lengths"),
        ),
        split::<f32>("split", "f32", len(4), false),
        split::<f64>("split", "f64", len(8), false),
        split::<f32>("split conj", "f32", len(4), true),
        mul!(f16, "f16", len(2)),
        mul!(bf16, "bf16", len(2)),
        binary::<f16, f16, f32>("widen", "f16", len(2), |o, a, b, out| {
            o.mul_elementwise_widen(a, b, out).expect("equal lengths")
        }),
        binary::<bf16, bf16, f32>("widen", "bf16", len(2), |o, a, b, out| {
            o.mul_elementwise_widen(a, b, out).expect("equal lengths")
        }),
    ]
}
