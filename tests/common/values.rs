//! Element values for the tests of every type: random and special values per type, a
//! "same result" comparison, guarded buffers and the element-by-element check.

use super::{Rng, GUARD};
use hadamard::half::{bf16, f16};
use hadamard::num_complex::Complex;
use std::fmt::Debug;

/// What the tests need of an element type.
pub trait Value: Copy + Debug + 'static {
    fn random(rng: &mut Rng) -> Self;
    fn specials() -> Vec<Self>;
    /// Equal bits, or (floats) both NaN: the payload of a NaN is not promised.
    fn same(self, other: Self) -> bool;
    /// A value no test produces by chance at a guard position.
    fn sentinel() -> Self;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            fn random(rng: &mut Rng) -> $t {
                match rng.below(3) {
                    0 => rng.next_u64() as $t,
                    // Small magnitudes, where products neither wrap nor saturate.
                    1 => (rng.next_u64() as $t) >> (<$t>::BITS / 2 + 1),
                    // Near the square root of MAX, where saturation begins.
                    _ => {
                        let root = (<$t>::MAX as f64).sqrt() as i128;
                        let x = root + rng.below(7) as i128 - 3;
                        let x = if <$t>::MIN != 0 && rng.below(2) == 0 { -x } else { x };
                        x as $t
                    }
                }
            }
            fn specials() -> Vec<$t> {
                let root = (<$t>::MAX as f64).sqrt() as $t;
                let mut v = vec![0, 1, 2, <$t>::MAX, <$t>::MAX - 1, <$t>::MIN, <$t>::MIN.wrapping_add(1),
                    root, root + 1, <$t>::MAX / 2, <$t>::MAX / 2 + 1];
                if <$t>::MIN != 0 {
                    v.extend([(0 as $t).wrapping_sub(1), (0 as $t).wrapping_sub(2), (0 as $t).wrapping_sub(root),
                        (0 as $t).wrapping_sub(root + 1), <$t>::MIN / 2]);
                }
                v
            }
            fn same(self, other: $t) -> bool {
                self == other
            }
            fn sentinel() -> $t {
                0x5A as $t
            }
        }
    )*};
}
int_value!(u8, i8, u16, i16, u32, i32, u64, i64);

macro_rules! float_value {
    ($($t:ty: $bits:ty),*) => {$(
        impl Value for $t {
            fn random(rng: &mut Rng) -> $t {
                if rng.below(4) == 0 {
                    <$t>::from_bits(rng.next_u64() as $bits)
                } else {
                    rng.unit() as $t * (2.0 as $t).powi(rng.below(40) as i32 - 20)
                }
            }
            fn specials() -> Vec<$t> {
                vec![0.0, -0.0, <$t>::INFINITY, <$t>::NEG_INFINITY, <$t>::NAN, -<$t>::NAN,
                    <$t>::from_bits(1), <$t>::MAX, <$t>::MIN, <$t>::MIN_POSITIVE, 1.0, -1.0, 0.5, 3.0]
            }
            fn same(self, other: $t) -> bool {
                self.to_bits() == other.to_bits() || (self.is_nan() && other.is_nan())
            }
            fn sentinel() -> $t {
                -7777.25
            }
        }
    )*};
}
float_value!(f32: u32, f64: u64);

impl<T: Value + Default> Value for Complex<T> {
    fn random(rng: &mut Rng) -> Self {
        Complex::new(T::random(rng), T::random(rng))
    }
    fn specials() -> Vec<Self> {
        let s = T::specials();
        let mut v = Vec::new();
        for &re in &s {
            for &im in &s {
                v.push(Complex::new(re, im));
            }
        }
        v
    }
    fn same(self, other: Self) -> bool {
        self.re.same(other.re) && self.im.same(other.im)
    }
    fn sentinel() -> Self {
        Complex::new(T::sentinel(), T::sentinel())
    }
}

macro_rules! half_value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            fn random(rng: &mut Rng) -> $t {
                if rng.below(2) == 0 {
                    <$t>::from_bits(rng.next_u64() as u16)
                } else {
                    <$t>::from_f64(rng.unit() * 2f64.powi(rng.below(24) as i32 - 12))
                }
            }
            fn specials() -> Vec<$t> {
                vec![<$t>::ZERO, <$t>::NEG_ZERO, <$t>::INFINITY, <$t>::NEG_INFINITY, <$t>::NAN,
                    -<$t>::NAN, <$t>::from_bits(0x7C01), <$t>::from_bits(1), <$t>::from_bits(0x8001),
                    <$t>::MIN_POSITIVE_SUBNORMAL, <$t>::MAX, <$t>::MIN, <$t>::MIN_POSITIVE,
                    <$t>::ONE, <$t>::NEG_ONE, <$t>::EPSILON, <$t>::from_f32(0.5), <$t>::from_f32(3.0),
                    <$t>::from_f32(255.9), <$t>::from_bits(0x0400 - 1)]
            }
            fn same(self, other: $t) -> bool {
                self.to_bits() == other.to_bits() || (self.is_nan() && other.is_nan())
            }
            fn sentinel() -> $t {
                <$t>::from_f32(-77.25)
            }
        }
    )*};
}
half_value!(f16, bf16);

/// Random values with specials sprinkled in.
pub fn values<T: Value>(rng: &mut Rng, len: usize) -> Vec<T> {
    let specials = T::specials();
    (0..len)
        .map(|_| {
            if rng.below(6) == 0 {
                specials[rng.below(specials.len())]
            } else {
                T::random(rng)
            }
        })
        .collect()
}

/// A slice `offset` elements into a buffer, between guards of sentinels.
pub struct Placed<T> {
    buf: Vec<T>,
    offset: usize,
    len: usize,
}

impl<T: Value> Placed<T> {
    pub fn new(values: &[T], offset: usize) -> Placed<T> {
        let mut buf = vec![T::sentinel(); GUARD + offset + values.len() + GUARD];
        buf[GUARD + offset..][..values.len()].copy_from_slice(values);
        Placed {
            buf,
            offset,
            len: values.len(),
        }
    }
    /// As `new`, with the slice starting `line_offset` bytes past a 64-byte cache line
    /// (a multiple of the element size).
    pub fn on_line(values: &[T], line_offset: usize) -> Placed<T> {
        let size = size_of::<T>();
        assert!(line_offset < 64 && line_offset.is_multiple_of(size));
        let mut placed = Placed::new(values, 64 / size);
        let start = placed.buf[GUARD..].as_ptr() as usize;
        let gap = (line_offset + 64 - start % 64) % 64;
        assert_eq!(
            gap % size,
            0,
            "the allocation is not aligned to its elements"
        );
        placed.offset = gap / size;
        placed.buf.fill(T::sentinel());
        placed.buf[GUARD + placed.offset..][..values.len()].copy_from_slice(values);
        placed
    }
    pub fn slice(&self) -> &[T] {
        &self.buf[GUARD + self.offset..][..self.len]
    }
    pub fn slice_mut(&mut self) -> &mut [T] {
        &mut self.buf[GUARD + self.offset..][..self.len]
    }
    #[track_caller]
    pub fn assert_guards_intact(&self, context: &str) {
        let (start, end) = (GUARD + self.offset, GUARD + self.offset + self.len);
        for (i, x) in self.buf.iter().enumerate() {
            assert!(
                (start..end).contains(&i) || x.same(T::sentinel()),
                "{context}: wrote outside the slice, at buffer index {i} (slice is {start}..{end})"
            );
        }
    }
}

#[track_caller]
pub fn assert_results<A: Value, B: Value, O: Value>(
    a: &[A],
    b: &[B],
    got: &[O],
    reference: fn(A, B) -> O,
    context: &str,
) {
    for i in 0..got.len() {
        let want = reference(a[i], b[i]);
        assert!(
            got[i].same(want),
            "{context}: element {i}: f({:?}, {:?}) gave {:?}, the reference gives {want:?}",
            a[i],
            b[i],
            got[i]
        );
    }
}
