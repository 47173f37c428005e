//! What every test file shares: a seeded generator, the special values, buffers placed at
//! chosen offsets with guard elements around them, and the bit-exact comparison.

#![allow(dead_code)] // each test file uses a different part

use hadamard::{Element, Kernel, Options, Parallelism};

#[cfg(all(feature = "complex", feature = "half"))]
pub mod values;

/// SplitMix64: small, seeded, and good enough to pick test values.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// The float types under test, with what the tests need beyond `Element`.
pub trait TestFloat: Element + std::ops::Mul<Output = Self> + std::ops::Add<Output = Self> {
    const NAME: &'static str;
    const ONE: Self;
    const ZERO: Self;
    fn to_bits_u64(self) -> u64;
    fn is_nan(self) -> bool;
    fn from_f64(x: f64) -> Self;
    fn to_f64(self) -> f64;
    /// A value from every part of the type: any bit pattern (NaN, inf, subnormal
    /// included) a quarter of the time, else a moderate value of random magnitude.
    fn random(rng: &mut Rng) -> Self;
    /// ±0, ±inf, NaNs with different payloads, subnormals, MAX, MIN, MIN_POSITIVE, ±1,
    /// EPSILON.
    fn specials() -> Vec<Self>;
}

macro_rules! test_float {
    ($t:ty, $bits:ty) => {
        impl TestFloat for $t {
            const NAME: &'static str = stringify!($t);
            const ONE: $t = 1.0;
            const ZERO: $t = 0.0;
            fn to_bits_u64(self) -> u64 {
                self.to_bits() as u64
            }
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            fn from_f64(x: f64) -> $t {
                x as $t
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn random(rng: &mut Rng) -> $t {
                if rng.below(4) == 0 {
                    <$t>::from_bits(rng.next_u64() as $bits)
                } else {
                    let scale = (2.0 as $t).powi(rng.below(40) as i32 - 20);
                    rng.unit() as $t * scale
                }
            }
            fn specials() -> Vec<$t> {
                let quiet_nan = <$t>::NAN;
                let payload_nan = <$t>::from_bits(quiet_nan.to_bits() | 0b1011);
                let negative_nan = -quiet_nan;
                let smallest_subnormal = <$t>::from_bits(1);
                let largest_subnormal = <$t>::from_bits((<$t>::MIN_POSITIVE.to_bits()) - 1);
                vec![
                    0.0,
                    -0.0,
                    <$t>::INFINITY,
                    <$t>::NEG_INFINITY,
                    quiet_nan,
                    payload_nan,
                    negative_nan,
                    smallest_subnormal,
                    -smallest_subnormal,
                    largest_subnormal,
                    <$t>::MAX,
                    <$t>::MIN,
                    <$t>::MIN_POSITIVE,
                    -<$t>::MIN_POSITIVE,
                    1.0,
                    -1.0,
                    <$t>::EPSILON,
                    0.5,
                    3.0,
                ]
            }
        }
    };
}

test_float!(f32, u32);
test_float!(f64, u64);

/// Equal bits, or both NaN: IEEE leaves the payload of a NaN result open when both
/// inputs are NaNs, and compilers may swap a product's operands.
pub fn same_result<T: TestFloat>(got: T, want: T) -> bool {
    got.to_bits_u64() == want.to_bits_u64() || (got.is_nan() && want.is_nan())
}

/// Panics with the index, inputs and both results at the first element that differs
/// from `a[i] * b[i]` computed here in plain Rust.
#[track_caller]
pub fn assert_products<T: TestFloat>(a: &[T], b: &[T], got: &[T], context: &str) {
    assert_eq!(got.len(), a.len(), "{context}: output length");
    for i in 0..a.len() {
        let want = a[i] * b[i];
        assert!(
            same_result(got[i], want),
            "{context}: element {i}: {:?} * {:?} gave {:?} ({:#x}), scalar gives {:?} ({:#x})",
            a[i],
            b[i],
            got[i],
            got[i].to_bits_u64(),
            want,
            want.to_bits_u64(),
        );
    }
}

/// Elements of guard on each side of a placed slice.
pub const GUARD: usize = 64;

/// A buffer holding a slice of `len` elements that starts `offset` elements into an
/// allocation, with `GUARD` sentinel elements before and after it.
pub struct Placed<T> {
    buf: Vec<T>,
    offset: usize,
    len: usize,
    sentinel: T,
}

impl<T: TestFloat> Placed<T> {
    pub fn new(values: &[T], offset: usize, sentinel: T) -> Placed<T> {
        let mut buf = vec![sentinel; GUARD + offset + values.len() + GUARD];
        buf[GUARD + offset..GUARD + offset + values.len()].copy_from_slice(values);
        Placed {
            buf,
            offset,
            len: values.len(),
            sentinel,
        }
    }

    pub fn slice(&self) -> &[T] {
        &self.buf[GUARD + self.offset..GUARD + self.offset + self.len]
    }

    pub fn slice_mut(&mut self) -> &mut [T] {
        &mut self.buf[GUARD + self.offset..GUARD + self.offset + self.len]
    }

    /// Panics if anything outside the slice changed.
    #[track_caller]
    pub fn assert_guards_intact(&self, context: &str) {
        let start = GUARD + self.offset;
        let end = start + self.len;
        for (i, x) in self.buf.iter().enumerate() {
            if (i < start || i >= end) && x.to_bits_u64() != self.sentinel.to_bits_u64() {
                panic!("{context}: wrote outside the slice, at buffer index {i} (slice is {start}..{end})");
            }
        }
    }
}

/// `Options` that force `kernel` on the calling thread.
pub fn sequential(kernel: Kernel) -> Options {
    Options::new()
        .kernel(kernel)
        .expect("only available kernels are tested")
        .parallelism(Parallelism::Sequential)
}

/// Random values with specials sprinkled in, so every length sees some.
pub fn values<T: TestFloat>(rng: &mut Rng, len: usize) -> Vec<T> {
    let specials = T::specials();
    (0..len)
        .map(|_| {
            if rng.below(8) == 0 {
                specials[rng.below(specials.len())]
            } else {
                T::random(rng)
            }
        })
        .collect()
}

/// The kernels to test: every kernel this CPU runs, or with `HADAMARD_KERNEL` naming one
/// (CI's per-kernel runs, `scripts/asan.sh`), that one only, so that a run per kernel
/// tests each kernel once instead of all of them each time. Printed so that a test log
/// shows what was covered.
pub fn kernels_under_test() -> Vec<Kernel> {
    let forced = std::env::var("HADAMARD_KERNEL").ok();
    let kernels = match forced.as_deref().map(str::trim) {
        None | Some("" | "auto") => hadamard::available_kernels(),
        Some(name) => vec![name
            .parse::<Kernel>()
            .expect("HADAMARD_KERNEL names a kernel")],
    };
    eprintln!("kernels under test: {kernels:?}");
    kernels
}

/// Runs the ignored test `child` of this test binary again in a child process, with `set`
/// in its environment and `unset` removed, and returns how it ended: how the tests see
/// settings a process reads once (`HADAMARD_KERNEL`, `HADAMARD_MAX_THREADS`, ...).
pub fn run_this_test_again(
    child: &str,
    set: &[(&str, &str)],
    unset: &[&str],
) -> std::process::Output {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command.args([
        "--ignored",
        "--exact",
        child,
        "--nocapture",
        "--test-threads=1",
    ]);
    for (name, value) in set {
        command.env(name, value);
    }
    for name in unset {
        command.env_remove(name);
    }
    command.output().expect("running the test binary again")
}
