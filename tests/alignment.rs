//! Every operand at every position of a 64-byte cache line, on every kernel this CPU runs,
//! forced one at a time, against references computed here (`wrapping_mul`, IEEE `*`,
//! `num_complex`, `half`): the realigned loads of the AVX-512 kernels (an input at another
//! 16-byte offset than the output is read as two aligned registers joined by `valignd`)
//! and the unaligned ones elsewhere must give the same bits as the reference, write
//! nothing outside `out`, and (under AddressSanitizer, `scripts/asan.sh`) read nothing
//! outside the inputs, which `exactly_sized_inputs_at_every_16_byte_offset` allocates with
//! no slack around them.

mod common;

use common::values::{assert_results, values, Placed, Value};
use common::{sequential, Rng};
use hadamard::half::{bf16, f16};
use hadamard::num_complex::Complex;
use hadamard::{Kernel, LengthMismatch, Options};
use std::alloc::{alloc, dealloc, Layout};

type Call<A, B, O> = fn(&Options, &[A], &[B], &mut [O]) -> Result<(), LengthMismatch>;

fn kernels() -> Vec<Kernel> {
    common::kernels_under_test()
}

/// Lengths that run the alignment head, many unrolled iterations of the body and a tail
/// (the head needs 16 registers: 1024 bytes on AVX-512), and one that ends on a register.
fn lengths(size: usize) -> [usize; 2] {
    [2048 / size + 5, 2048 / size]
}

/// The positions in a line (bytes past it) that every other operand takes while one
/// sweeps the whole line: each 16-byte unit, and one element past a unit.
fn anchors(size: usize) -> Vec<usize> {
    let mut at = vec![0, 16, 32, 48];
    if size < 16 {
        at.push(16 + size);
    }
    at
}

/// (a, b, out) byte offsets: each operand at every element position of the line with the
/// others at every pair of anchors; every triple when there are few positions.
fn triples(size: usize) -> Vec<[usize; 3]> {
    let every: Vec<usize> = (0..64).step_by(size).collect();
    let mut out = Vec::new();
    if every.len() <= 16 {
        for &a in &every {
            for &b in &every {
                for &o in &every {
                    out.push([a, b, o]);
                }
            }
        }
        return out;
    }
    let anchors = anchors(size);
    for sweeping in 0..3 {
        for &x in &every {
            for &p in &anchors {
                for &q in &anchors {
                    let mut t = [0; 3];
                    t[sweeping] = x;
                    t[(sweeping + 1) % 3] = p;
                    t[(sweeping + 2) % 3] = q;
                    out.push(t);
                }
            }
        }
    }
    out
}

fn sweep<A: Value, B: Value, O: Value>(name: &str, call: Call<A, B, O>, reference: fn(A, B) -> O) {
    let mut rng = Rng::new(0xa119);
    let size = size_of::<O>().max(size_of::<A>());
    for kernel in kernels() {
        let opts = sequential(kernel);
        for len in lengths(size) {
            let a_vals: Vec<A> = values(&mut rng, len);
            let b_vals: Vec<B> = values(&mut rng, len);
            for [oa, ob, oo] in triples(size) {
                let (oa, ob, oo) = (
                    oa / size * size_of::<A>(),
                    ob / size * size_of::<B>(),
                    oo / size * size_of::<O>(),
                );
                let context =
                    format!("{kernel} {name} len {len} line offsets {oa} {ob} {oo} bytes");
                let a = Placed::on_line(&a_vals, oa);
                let b = Placed::on_line(&b_vals, ob);
                let mut out = Placed::on_line(&vec![O::sentinel(); len], oo);
                call(&opts, a.slice(), b.slice(), out.slice_mut()).unwrap();
                assert_results(a.slice(), b.slice(), out.slice(), reference, &context);
                out.assert_guards_intact(&context);
                a.assert_guards_intact(&context);
                b.assert_guards_intact(&context);
            }
        }
    }
}

macro_rules! line_tests {
    ($($test:ident: $t:ty, $call:expr => $reference:expr;)*) => {$(
        #[test]
        fn $test() {
            sweep::<$t, $t, $t>(stringify!($test), $call, $reference);
        }
    )*};
}

fn mul<T: hadamard::Element>(
    o: &Options,
    a: &[T],
    b: &[T],
    out: &mut [T],
) -> Result<(), LengthMismatch> {
    o.mul_elementwise(a, b, out)
}

line_tests! {
    mul_f32: f32, mul => |a, b| a * b;
    mul_f64: f64, mul => |a, b| a * b;
    mul_u8: u8, mul => u8::wrapping_mul;
    mul_i16: i16, mul => i16::wrapping_mul;
    mul_u32: u32, mul => u32::wrapping_mul;
    mul_i64: i64, mul => i64::wrapping_mul;
    mul_complex_f32: Complex<f32>, mul => |a, b| a * b;
    mul_complex_f64: Complex<f64>, mul => |a, b| a * b;
    conj_complex_f32: Complex<f32>, |o, a, b, out| o.mul_conj_elementwise(a, b, out) => |a, b| a * b.conj();
    mul_f16: f16, mul => |a, b| a * b;
    mul_bf16: bf16, mul => |a, b| a * b;
    saturating_i8: i8, |o, a, b, out| o.mul_elementwise_saturating(a, b, out) => i8::saturating_mul;
    saturating_u16: u16, |o, a, b, out| o.mul_elementwise_saturating(a, b, out) => u16::saturating_mul;
    normalized_u8: u8, |o, a, b, out| o.mul_normalized_u8(a, b, out)
        => |a, b| ((2 * u32::from(a) * u32::from(b) + 255) / 510) as u8;
}

/// The broadcast form: one input and the output at every pair of line positions.
#[test]
fn scale_at_every_line_offset() {
    fn check<T: Value + hadamard::Element>(name: &str, s: T, reference: fn(T, T) -> T) {
        let mut rng = Rng::new(0x5ca1e);
        let size = size_of::<T>();
        for kernel in kernels() {
            let opts = sequential(kernel);
            for len in lengths(size) {
                let a_vals: Vec<T> = values(&mut rng, len);
                for oa in (0..64).step_by(size) {
                    for oo in (0..64).step_by(size) {
                        let context = format!("{kernel} scale {name} len {len} offsets {oa} {oo}");
                        let a = Placed::on_line(&a_vals, oa);
                        let mut out = Placed::on_line(&vec![T::sentinel(); len], oo);
                        opts.mul_scalar(a.slice(), s, out.slice_mut()).unwrap();
                        let want: Vec<T> = a.slice().iter().map(|&x| reference(x, s)).collect();
                        for (i, (g, w)) in out.slice().iter().zip(&want).enumerate() {
                            assert!(g.same(*w), "{context}: element {i}: got {g:?}, want {w:?}");
                        }
                        out.assert_guards_intact(&context);
                    }
                }
            }
        }
    }
    check::<f32>("f32", 1.25, |a, b| a * b);
    check::<f64>("f64", -3.5, |a, b| a * b);
    check::<u8>("u8", 37, u8::wrapping_mul);
    check::<u32>("u32", 0x9E37_79B9, u32::wrapping_mul);
}

/// The in-place form (the output is `a`, at the same offset) with `b` at every offset.
#[test]
fn in_place_at_every_line_offset() {
    let mut rng = Rng::new(0x1a9);
    for kernel in kernels() {
        let opts = sequential(kernel);
        for len in lengths(4) {
            let acc_vals: Vec<f32> = values(&mut rng, len);
            let b_vals: Vec<f32> = values(&mut rng, len);
            for oacc in (0..64).step_by(4) {
                for ob in (0..64).step_by(4) {
                    let context = format!("{kernel} mul_assign len {len} offsets {oacc} {ob}");
                    let mut acc = Placed::on_line(&acc_vals, oacc);
                    let b = Placed::on_line(&b_vals, ob);
                    opts.mul_assign(acc.slice_mut(), b.slice()).unwrap();
                    assert_results(&acc_vals, b.slice(), acc.slice(), |x, y| x * y, &context);
                    acc.assert_guards_intact(&context);
                }
            }
        }
    }
}

/// An allocation of exactly `len` elements (no slack before or after, so AddressSanitizer
/// reports any read outside it), starting `line_offset` bytes past a 64-byte line where the
/// allocator hands out such a block within a few tries (the system allocator does; the
/// sanitizer's allocator gives every block of a size the same offset, and then the test
/// still moves `out` across the line, which moves the inputs relative to it).
struct Exact<T> {
    ptr: *mut T,
    len: usize,
}

impl<T: Copy> Exact<T> {
    fn new(values: &[T], line_offset: usize) -> Exact<T> {
        let layout = Layout::array::<T>(values.len()).unwrap();
        let mut tries = Vec::new();
        let ptr = loop {
            // SAFETY: the layout has a non-zero size (callers pass non-empty values).
            let p = unsafe { alloc(layout) };
            assert!(!p.is_null(), "allocation failed");
            if p as usize % 64 == line_offset || tries.len() == 64 {
                break p.cast::<T>();
            }
            // Allocators hand out consecutive blocks at varying offsets: keep each miss
            // until one lands where it should.
            tries.push(p);
        };
        for p in tries {
            // SAFETY: allocated above with this layout, not freed yet.
            unsafe { dealloc(p, layout) };
        }
        // SAFETY: `ptr` holds `values.len()` elements of T, freshly allocated.
        unsafe { std::ptr::copy_nonoverlapping(values.as_ptr(), ptr, values.len()) };
        Exact {
            ptr,
            len: values.len(),
        }
    }

    fn line_offset(&self) -> usize {
        self.ptr as usize % 64
    }

    fn slice(&self) -> &[T] {
        // SAFETY: `ptr` holds `len` initialised elements, owned by `self`.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl<T> Drop for Exact<T> {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout.
        unsafe { dealloc(self.ptr.cast(), Layout::array::<T>(self.len).unwrap()) };
    }
}

#[test]
fn exactly_sized_inputs_at_every_16_byte_offset() {
    fn check<T: Value + hadamard::Element>(name: &str, reference: fn(T, T) -> T) {
        let mut rng = Rng::new(0xe8ac7);
        let size = size_of::<T>();
        for kernel in kernels() {
            let opts = sequential(kernel);
            // Every length over one unrolled iteration (four 64-byte registers), so the
            // body ends at every distance from the end of the inputs.
            for len in 2048 / size..(2048 + 256) / size {
                let a_vals: Vec<T> = values(&mut rng, len);
                let b_vals: Vec<T> = values(&mut rng, len);
                for oa in [0, 16, 32, 48] {
                    for ob in [0, 16, 32, 48] {
                        for oo in [0, 16, 32, 48] {
                            let a = Exact::new(&a_vals, oa);
                            let b = Exact::new(&b_vals, ob);
                            let mut out = Placed::on_line(&vec![T::sentinel(); len], oo);
                            let context = format!(
                                "{kernel} {name} exact len {len} offsets {} {} {oo}",
                                a.line_offset(),
                                b.line_offset()
                            );
                            opts.mul_elementwise(a.slice(), b.slice(), out.slice_mut())
                                .unwrap();
                            assert_results(a.slice(), b.slice(), out.slice(), reference, &context);
                            out.assert_guards_intact(&context);
                        }
                    }
                }
            }
        }
    }
    check::<f32>("f32", |a, b| a * b);
    check::<f64>("f64", |a, b| a * b);
    check::<u8>("u8", u8::wrapping_mul);
    check::<u16>("u16", u16::wrapping_mul);
    check::<u32>("u32", u32::wrapping_mul);
}

/// A sum's bits do not depend on where its inputs start (each accumulator adds the same
/// elements in the same order at any offset; only the kernel and the split choose the
/// order): at every pair of line offsets they must be those of the same kernel on copies
/// that start on a line, and wrapping integer sums must be exact.
#[test]
fn sums_at_every_line_offset() {
    let mut rng = Rng::new(0x5u64);
    for kernel in kernels() {
        let opts = sequential(kernel);
        for len in lengths(4) {
            let a_vals: Vec<f32> = (0..len).map(|_| rng.unit() as f32).collect();
            let b_vals: Vec<f32> = (0..len).map(|_| rng.unit() as f32).collect();
            let (a0, b0) = (Placed::on_line(&a_vals, 0), Placed::on_line(&b_vals, 0));
            let want = opts.hadamard_sum(a0.slice(), b0.slice()).unwrap();
            for oa in (0..64).step_by(4) {
                for ob in (0..64).step_by(4) {
                    let (a, b) = (Placed::on_line(&a_vals, oa), Placed::on_line(&b_vals, ob));
                    let got = opts.hadamard_sum(a.slice(), b.slice()).unwrap();
                    assert_eq!(
                        got.to_bits(),
                        want.to_bits(),
                        "{kernel} f32 sum len {len} offsets {oa} {ob}: {got} against {want} on a line"
                    );
                }
            }
        }
        for len in lengths(2) {
            let a_vals: Vec<i16> = values(&mut rng, len);
            let b_vals: Vec<i16> = values(&mut rng, len);
            let want = a_vals
                .iter()
                .zip(&b_vals)
                .fold(0i16, |s, (&x, &y)| s.wrapping_add(x.wrapping_mul(y)));
            for oa in (0..64).step_by(2) {
                for ob in [0, 2, 16, 32, 48, 62] {
                    let (a, b) = (Placed::on_line(&a_vals, oa), Placed::on_line(&b_vals, ob));
                    let got = opts.hadamard_sum(a.slice(), b.slice()).unwrap();
                    assert_eq!(got, want, "{kernel} i16 sum len {len} offsets {oa} {ob}");
                }
            }
        }
    }
}

/// The same for the f64 and complex sums (`Σ a·b` and `Σ a·conj(b)`), at every element
/// position of the line for `a` (which the AVX-512 loop aligns its loads to; its
/// accumulators then hold the elements in other lanes until they are turned back) and
/// anchors for `b`, and for the wrapping u8 and u64 sums against an independent fold.
#[test]
fn more_sums_at_every_line_offset() {
    fn check<T: Value>(
        kernel: Kernel,
        name: &str,
        a: &[T],
        b: &[T],
        sum: impl Fn(&[T], &[T]) -> T,
    ) {
        let size = size_of::<T>();
        let want = sum(Placed::on_line(a, 0).slice(), Placed::on_line(b, 0).slice());
        for oa in (0..64).step_by(size) {
            for ob in anchors(size).into_iter().filter(|o| o % size == 0) {
                let (pa, pb) = (Placed::on_line(a, oa), Placed::on_line(b, ob));
                let got = sum(pa.slice(), pb.slice());
                assert!(
                    got.same(want),
                    "{kernel} {name} sum len {} offsets {oa} {ob}: {got:?} against {want:?} on a line",
                    a.len()
                );
            }
        }
    }
    let mut rng = Rng::new(0x5c);
    for kernel in kernels() {
        let opts = sequential(kernel);
        for len in lengths(8) {
            let mut real = || -> Vec<f64> { (0..len).map(|_| rng.unit() - 0.5).collect() };
            let (a, b) = (real(), real());
            check(kernel, "f64", &a, &b, |a, b| {
                opts.hadamard_sum(a, b).unwrap()
            });
        }
        for len in lengths(8) {
            let mut pairs = || -> Vec<Complex<f32>> {
                (0..len)
                    .map(|_| Complex::new(rng.unit() as f32 - 0.5, rng.unit() as f32 - 0.5))
                    .collect()
            };
            let (a, b) = (pairs(), pairs());
            check(kernel, "c32", &a, &b, |a, b| {
                opts.hadamard_sum(a, b).unwrap()
            });
            check(kernel, "c32 conj", &a, &b, |a, b| {
                opts.hadamard_sum_conj(a, b).unwrap()
            });
        }
        for len in lengths(16) {
            let mut pairs = || -> Vec<Complex<f64>> {
                (0..len)
                    .map(|_| Complex::new(rng.unit() - 0.5, rng.unit() - 0.5))
                    .collect()
            };
            let (a, b) = (pairs(), pairs());
            check(kernel, "c64", &a, &b, |a, b| {
                opts.hadamard_sum(a, b).unwrap()
            });
            check(kernel, "c64 conj", &a, &b, |a, b| {
                opts.hadamard_sum_conj(a, b).unwrap()
            });
        }
        for len in lengths(1) {
            let (a, b): (Vec<u8>, Vec<u8>) = (values(&mut rng, len), values(&mut rng, len));
            let fold = a
                .iter()
                .zip(&b)
                .fold(0u8, |s, (&x, &y)| s.wrapping_add(x.wrapping_mul(y)));
            check(kernel, "u8", &a, &b, |a, b| {
                opts.hadamard_sum(a, b).unwrap()
            });
            assert_eq!(
                opts.hadamard_sum(&a, &b).unwrap(),
                fold,
                "{kernel} u8 sum len {len}"
            );
        }
        for len in lengths(8) {
            let (a, b): (Vec<u64>, Vec<u64>) = (values(&mut rng, len), values(&mut rng, len));
            let fold = a
                .iter()
                .zip(&b)
                .fold(0u64, |s, (&x, &y)| s.wrapping_add(x.wrapping_mul(y)));
            check(kernel, "u64", &a, &b, |a, b| {
                opts.hadamard_sum(a, b).unwrap()
            });
            assert_eq!(
                opts.hadamard_sum(&a, &b).unwrap(),
                fold,
                "{kernel} u64 sum len {len}"
            );
        }
    }
}

/// The sums' loads under AddressSanitizer: exactly sized inputs at every 16-byte offset
/// and every length over one unrolled iteration.
#[test]
fn sums_of_exactly_sized_inputs() {
    let mut rng = Rng::new(0x5e);
    for kernel in kernels() {
        let opts = sequential(kernel);
        for len in 2048 / 8..(2048 + 256) / 8 {
            let a_vals: Vec<f64> = (0..len).map(|_| rng.unit()).collect();
            let b_vals: Vec<f64> = (0..len).map(|_| rng.unit()).collect();
            let (a0, b0) = (Placed::on_line(&a_vals, 0), Placed::on_line(&b_vals, 0));
            let want = opts.hadamard_sum(a0.slice(), b0.slice()).unwrap();
            for oa in [0, 16, 32, 48] {
                for ob in [0, 16, 32, 48] {
                    let (a, b) = (Exact::new(&a_vals, oa), Exact::new(&b_vals, ob));
                    let got = opts.hadamard_sum(a.slice(), b.slice()).unwrap();
                    assert_eq!(got.to_bits(), want.to_bits(), "{kernel} f64 sum len {len}");
                }
            }
        }
    }
}

/// The one-pass formulas, whose kernels realign their first two inputs: `a` and `b`
/// allocated exactly (no slack, for ASan) at every 16-byte offset of a line, the output at
/// every one too, `c` and `d` at fixed offsets; also in place (`acc` as the first input),
/// and the blend. Every length over one unrolled iteration, so the body ends at every
/// distance from the end of the inputs.
#[test]
fn two_products_at_every_16_byte_offset() {
    fn check<T: Value + hadamard::Accumulate>(name: &str, reference: fn([T; 4]) -> T) {
        let mut rng = Rng::new(0x2b0a);
        let size = size_of::<T>();
        for kernel in kernels() {
            let opts = sequential(kernel);
            for len in (2048 / size..(2048 + 256) / size).step_by(3) {
                let vals: [Vec<T>; 4] = std::array::from_fn(|_| values(&mut rng, len));
                let c = Placed::on_line(&vals[2], 48);
                let d = Placed::on_line(&vals[3], 0);
                for oa in [0, 16, 32, 48] {
                    for ob in [0, 16, 32, 48] {
                        let a = Exact::new(&vals[0], oa);
                        let b = Exact::new(&vals[1], ob);
                        for oo in [0, 16, 32, 48] {
                            let context = format!(
                                "{kernel} {name} exact len {len} offsets {} {} {oo}",
                                a.line_offset(),
                                b.line_offset()
                            );
                            let mut out = Placed::on_line(&vec![T::sentinel(); len], oo);
                            opts.mul_then_add_mul(
                                a.slice(),
                                b.slice(),
                                c.slice(),
                                d.slice(),
                                out.slice_mut(),
                            )
                            .unwrap();
                            let want = |i: usize| {
                                reference([vals[0][i], vals[1][i], vals[2][i], vals[3][i]])
                            };
                            for (i, got) in out.slice().iter().enumerate() {
                                assert!(
                                    got.same(want(i)),
                                    "{context}: element {i}: {got:?}, want {:?}",
                                    want(i)
                                );
                            }
                            out.assert_guards_intact(&context);
                            // In place: the output is the first input, `b` realigned.
                            let mut acc = Placed::on_line(&vals[0], oo);
                            opts.mul_then_add_mul_assign(
                                acc.slice_mut(),
                                b.slice(),
                                c.slice(),
                                d.slice(),
                            )
                            .unwrap();
                            for (i, got) in acc.slice().iter().enumerate() {
                                assert!(
                                    got.same(want(i)),
                                    "{context} in place: element {i}: {got:?}, want {:?}",
                                    want(i)
                                );
                            }
                            acc.assert_guards_intact(&context);
                        }
                    }
                }
            }
        }
    }
    check::<f32>("f32", |[a, b, c, d]| a * b + c * d);
    check::<f64>("f64", |[a, b, c, d]| a * b + c * d);
    check::<u8>("u8", |[a, b, c, d]| {
        a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d))
    });
    check::<u16>("u16", |[a, b, c, d]| {
        a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d))
    });
    check::<u32>("u32", |[a, b, c, d]| {
        a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d))
    });

    fn blend<T: Value + hadamard::Real>(name: &str, reference: fn(T, T, T) -> T) {
        let mut rng = Rng::new(0xb1e);
        let size = size_of::<T>();
        for kernel in kernels() {
            let opts = sequential(kernel);
            for len in (2048 / size..(2048 + 256) / size).step_by(3) {
                let vals: [Vec<T>; 3] = std::array::from_fn(|_| values(&mut rng, len));
                let w = Placed::on_line(&vals[2], 48);
                for oa in [0, 16, 32, 48] {
                    for ob in [0, 16, 32, 48] {
                        let a = Exact::new(&vals[0], oa);
                        let b = Exact::new(&vals[1], ob);
                        for oo in [0, 16, 32, 48] {
                            let context = format!(
                                "{kernel} {name} blend exact len {len} offsets {oa} {ob} {oo}"
                            );
                            let mut out = Placed::on_line(&vec![T::sentinel(); len], oo);
                            opts.blend(a.slice(), b.slice(), w.slice(), out.slice_mut())
                                .unwrap();
                            for (i, got) in out.slice().iter().enumerate() {
                                let want = reference(vals[0][i], vals[1][i], vals[2][i]);
                                assert!(
                                    got.same(want),
                                    "{context}: element {i}: {got:?}, want {want:?}"
                                );
                            }
                            out.assert_guards_intact(&context);
                        }
                    }
                }
            }
        }
    }
    blend::<f32>("f32", |a, b, w| w * a + (1.0 - w) * b);
    blend::<f64>("f64", |a, b, w| w * a + (1.0 - w) * b);
}
