//! Sums have one answer: `hadamard_sum` and `hadamard_sum_conj` give the same bits on every
//! kernel, at every offset of either input, on one thread or split over any pool, for every
//! float type, and those bits are the documented order's (README "Results"; the crate docs
//! of `hadamard_sum`), computed here by an independent implementation of that order:
//!
//! blocks of 65536 bytes of each input from the slice's start; in a block, element `i` into
//! partial `i mod W` (`W` = 256 bytes of elements) from +0 in index order; the partials
//! halved (`x[k] + x[k + W/2]`, ...); the blocks' sums by the tree whose left run is the
//! largest power of two of blocks below their number.

mod common;

use common::{kernels_under_test, Rng};
use hadamard::num_complex::Complex;
use hadamard::{Accumulate, Kernel, Options, Parallelism};
use std::mem::size_of;

/// What the reference needs of an element type: its terms and their sum, and its bits.
trait Term: Accumulate + Send + Sync + std::fmt::Debug {
    fn zero() -> Self;
    fn plus(self, other: Self) -> Self;
    fn times(self, other: Self) -> Self;
    /// The term of `hadamard_sum_conj`: `self · conj(other)` (for reals, the product).
    fn times_conj(self, other: Self) -> Self;
    fn bits(self) -> [u64; 2];
    fn random(rng: &mut Rng) -> Self;
    /// `Options::hadamard_sum_conj` where the type has it.
    fn sum_conj(opts: &Options, a: &[Self], b: &[Self]) -> Option<Self>;
}

macro_rules! real {
    ($t:ty) => {
        impl Term for $t {
            fn zero() -> Self {
                0.0
            }
            fn plus(self, other: Self) -> Self {
                self + other
            }
            fn times(self, other: Self) -> Self {
                self * other
            }
            fn times_conj(self, other: Self) -> Self {
                self * other
            }
            fn bits(self) -> [u64; 2] {
                [self.to_bits() as u64, 0]
            }
            fn random(rng: &mut Rng) -> Self {
                // Mixed signs and magnitudes over 2^±12: the order shows in the low bits.
                (rng.unit() * (rng.unit() * 12.0).exp2()) as $t
            }
            fn sum_conj(_: &Options, _: &[Self], _: &[Self]) -> Option<Self> {
                None
            }
        }
    };
}
real!(f32);
real!(f64);

macro_rules! complex {
    ($t:ty) => {
        impl Term for Complex<$t> {
            fn zero() -> Self {
                Complex::new(0.0, 0.0)
            }
            fn plus(self, other: Self) -> Self {
                Complex::new(self.re + other.re, self.im + other.im)
            }
            fn times(self, other: Self) -> Self {
                // num_complex's formula, each operation rounded.
                Complex::new(
                    self.re * other.re - self.im * other.im,
                    self.re * other.im + self.im * other.re,
                )
            }
            fn times_conj(self, other: Self) -> Self {
                self.times(Complex::new(other.re, -other.im))
            }
            fn bits(self) -> [u64; 2] {
                [self.re.to_bits() as u64, self.im.to_bits() as u64]
            }
            fn random(rng: &mut Rng) -> Self {
                Complex::new(<$t>::random(rng), <$t>::random(rng))
            }
            fn sum_conj(opts: &Options, a: &[Self], b: &[Self]) -> Option<Self> {
                Some(opts.hadamard_sum_conj(a, b).unwrap())
            }
        }
    };
}
complex!(f32);
complex!(f64);

/// The documented order, written independently of the crate: the reference.
fn reference<T: Term>(terms: &[T]) -> T {
    let (w, block) = (256 / size_of::<T>(), 65536 / size_of::<T>());
    let halve = |mut p: Vec<T>| {
        while p.len() > 1 {
            let h = p.len() / 2;
            p = (0..h).map(|k| p[k].plus(p[k + h])).collect();
        }
        p[0]
    };
    let block_sum = |chunk: &[T]| {
        let mut p = vec![T::zero(); w];
        for (i, &t) in chunk.iter().enumerate() {
            p[i % w] = p[i % w].plus(t);
        }
        halve(p)
    };
    fn tree<T: Term>(s: &[T]) -> T {
        if s.len() == 1 {
            return s[0];
        }
        let left = s.len().next_power_of_two() / 2;
        tree(&s[..left]).plus(tree(&s[left..]))
    }
    if terms.is_empty() {
        return block_sum(&[]);
    }
    tree(&terms.chunks(block).map(block_sum).collect::<Vec<_>>())
}

/// `values` copied to start `offset` elements past a 64-byte line.
struct OnLine<T> {
    buf: Vec<T>,
    start: usize,
    len: usize,
}

impl<T: Term> OnLine<T> {
    fn new(values: &[T], offset: usize) -> Self {
        let mut buf = vec![T::zero(); values.len() + offset + 64];
        let skew = (64 - buf.as_ptr() as usize % 64) % 64;
        assert_eq!(skew % size_of::<T>(), 0, "allocations hold whole elements");
        let start = skew / size_of::<T>() + offset;
        buf[start..start + values.len()].copy_from_slice(values);
        OnLine {
            buf,
            start,
            len: values.len(),
        }
    }
    fn slice(&self) -> &[T] {
        &self.buf[self.start..self.start + self.len]
    }
}

fn both_sums<T: Term>(opts: &Options, a: &[T], b: &[T]) -> [Option<T>; 2] {
    [
        Some(opts.hadamard_sum(a, b).unwrap()),
        T::sum_conj(opts, a, b),
    ]
}

fn references<T: Term>(a: &[T], b: &[T]) -> [Option<T>; 2] {
    let terms: Vec<T> = a.iter().zip(b).map(|(&x, &y)| x.times(y)).collect();
    let conj: Vec<T> = a.iter().zip(b).map(|(&x, &y)| x.times_conj(y)).collect();
    let conj_exists = T::sum_conj(&Options::new(), &[], &[]).is_some();
    [
        Some(reference(&terms)),
        conj_exists.then(|| reference(&conj)),
    ]
}

#[track_caller]
fn assert_same<T: Term>(got: [Option<T>; 2], want: &[Option<T>; 2], context: &str) {
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        let name = ["hadamard_sum", "hadamard_sum_conj"][k];
        assert_eq!(
            g.map(T::bits),
            w.map(T::bits),
            "{context}: {name} {g:?}, the documented order gives {w:?}"
        );
    }
}

fn sequential(kernel: Kernel) -> Options {
    common::sequential(kernel)
}

/// Lengths 0..=300 at offsets 0..16 of each input (each input's offsets, the other at 0
/// and at a different one), every kernel, one thread.
fn short_sums<T: Term>(seed: u64) {
    let mut rng = Rng::new(seed);
    let (a, b): (Vec<T>, Vec<T>) = (0..300)
        .map(|_| (T::random(&mut rng), T::random(&mut rng)))
        .unzip();
    let offsets: Vec<(usize, usize)> = (0..16)
        .flat_map(|k| [(k, 0), (0, k), (k, (k * 7 + 3) % 16)])
        .collect();
    let want: Vec<_> = (0..=300).map(|n| references(&a[..n], &b[..n])).collect();
    for kernel in kernels_under_test() {
        let opts = sequential(kernel);
        for &(oa, ob) in &offsets {
            let (pa, pb) = (OnLine::new(&a, oa), OnLine::new(&b, ob));
            for (n, want) in want.iter().enumerate() {
                let got = both_sums(&opts, &pa.slice()[..n], &pb.slice()[..n]);
                let context = format!(
                    "{} {kernel} len {n} offsets {oa} {ob}",
                    std::any::type_name::<T>()
                );
                assert_same(got, want, &context);
            }
        }
    }
}

#[test]
fn short_sums_follow_the_order_on_every_kernel_and_offset() {
    short_sums::<f32>(1);
    short_sums::<f64>(2);
    short_sums::<Complex<f32>>(3);
    short_sums::<Complex<f64>>(4);
}

/// Long sums (several blocks, a last block cut short) on every kernel, at offsets of each
/// input, on one thread and split over pools of 1 to 16 threads under every `Parallelism`.
fn long_sums<T: Term>(seed: u64, lens: &[usize]) {
    let mut rng = Rng::new(seed);
    let max = *lens.iter().max().unwrap();
    let (a, b): (Vec<T>, Vec<T>) = (0..max)
        .map(|_| (T::random(&mut rng), T::random(&mut rng)))
        .unzip();
    let name = std::any::type_name::<T>();
    for &n in lens {
        let want = references(&a[..n], &b[..n]);
        for kernel in kernels_under_test() {
            for (oa, ob) in [(0, 0), (1, 0), (0, 3), (5, 11), (15, 15)] {
                let (pa, pb) = (OnLine::new(&a[..n], oa), OnLine::new(&b[..n], ob));
                let opts = sequential(kernel);
                let context = format!("{name} {kernel} len {n} offsets {oa} {ob} sequential");
                assert_same(both_sums(&opts, pa.slice(), pb.slice()), &want, &context);
            }
            let (pa, pb) = (OnLine::new(&a[..n], 1), OnLine::new(&b[..n], 2));
            for threads in [1, 2, 3, 4, 7, 8, 16] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                for parallelism in [
                    Parallelism::Sequential,
                    Parallelism::Parallel,
                    Parallelism::Auto,
                ] {
                    let opts = Options::new()
                        .kernel(kernel)
                        .unwrap()
                        .parallelism(parallelism);
                    let got = pool.install(|| both_sums(&opts, pa.slice(), pb.slice()));
                    let context =
                        format!("{name} {kernel} len {n} {threads} threads {parallelism:?}");
                    assert_same(got, &want, &context);
                }
            }
        }
    }
}

/// Lengths around one block (16,384 f32), block counts whose tree leaves three or more runs
/// to add at the end (7, 14: the order of those additions shows), and past a million: the
/// tree of blocks, each split a pool can make, and the short last block.
#[test]
fn long_sums_have_one_answer_on_every_kernel_pool_and_split() {
    long_sums::<f32>(5, &[4097, 16383, 16385, 7 * 16384 - 5, (1 << 20) + 1]);
    long_sums::<f64>(6, &[4097, 7 * 8192 - 1, (1 << 20) + 3]);
    long_sums::<Complex<f32>>(7, &[4097, 13 * 8192 + 1, (1 << 19) + 7]);
    long_sums::<Complex<f64>>(8, &[4097, 7 * 4096 - 9, (1 << 18) + 5]);
}

/// The case: 20M f32 values, where a pool of 1, 2–4 and 8–16 threads used to give
/// three different answers. Now one, and the reference's.
#[test]
fn twenty_million_f32_one_answer_for_every_pool() {
    let n = 20_000_000usize;
    let value = |i: usize| ((i as u64 * 2_654_435_761 % (1 << 32)) >> 8) as f32 * 1e-6 - 8.0;
    let a: Vec<f32> = (0..n).map(value).collect();
    let b: Vec<f32> = (0..n).map(|i| value(i + 1)).collect();
    let terms: Vec<f32> = a.iter().zip(&b).map(|(x, y)| x * y).collect();
    let want = [reference(&terms), reference(&terms[1..])];
    let mut seen = Vec::new();
    for threads in [1, 2, 3, 4, 8, 16] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let got = pool.install(|| {
            [
                hadamard::hadamard_sum(&a, &b).to_bits(),
                hadamard::hadamard_sum(&a[1..], &b[1..]).to_bits(),
            ]
        });
        assert_eq!(got, want.map(f32::to_bits), "{threads} threads");
        seen.push((threads, format!("{:08x} {:08x}", got[0], got[1])));
    }
    eprintln!("bits by pool size: {seen:?}");
}
