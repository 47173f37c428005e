//! Which store each operation uses: with `Stores::Streaming` every operation that writes
//! an output runs its streaming kernel, with `Stores::Normal` none does, and `Stores::Auto`
//! follows `Stores::streams` (checked here against the documented rule). Observed through
//! the per-thread count of pieces that ran their streaming kernel (`hadamard::__observe`),
//! on one thread. That each streaming kernel really stores non-temporally and fences is
//! `scripts/check-disasm.sh`'s part.

mod common;

use hadamard::half::{bf16, f16};
use hadamard::num_complex::Complex;
use hadamard::{streaming_threshold_bytes, Kernel, MatMut, MatRef, Options, Parallelism, Stores};

const N: usize = 10_000;

fn streamed() -> usize {
    hadamard::__observe::streamed_pieces()
}

/// How many pieces `f` streamed on this thread.
fn pieces(f: impl FnOnce()) -> usize {
    let before = streamed();
    f();
    streamed()
        .checked_sub(before)
        .expect("the count of streamed pieces went down")
}

/// Every operation that writes an output, once each, under `o`; its name and the pieces it
/// streamed.
fn every_writing_operation(o: &Options) -> Vec<(&'static str, usize)> {
    let (x, y) = (vec![1.5f32; N], vec![2.0f32; N]);
    let mut z = vec![0.0f32; N];
    let (x64, mut z64) = (vec![1.5f64; N], vec![0.0f64; N]);
    let (p, mut r) = (vec![7u8; N], vec![0u8; N]);
    let (p16, mut r16) = (vec![7u16; N], vec![0u16; N]);
    let (p64, mut r64) = (vec![7u64; N], vec![0u64; N]);
    let c = vec![Complex::new(1.0f32, 2.0); N];
    let mut cz = c.clone();
    let c64 = vec![Complex::new(1.0f64, 2.0); N];
    let mut cz64 = c64.clone();
    let h = vec![f16::from_f32(1.5); N];
    let mut hz = h.clone();
    let bh = vec![bf16::from_f32(1.5); N];
    let mut bz = bh.clone();
    vec![
        (
            "mul f32",
            pieces(|| o.mul_elementwise(&x, &y, &mut z).unwrap()),
        ),
        (
            "mul f64",
            pieces(|| o.mul_elementwise(&x64, &x64, &mut z64).unwrap()),
        ),
        (
            "mul u8",
            pieces(|| o.mul_elementwise(&p, &p, &mut r).unwrap()),
        ),
        (
            "mul u16",
            pieces(|| o.mul_elementwise(&p16, &p16, &mut r16).unwrap()),
        ),
        (
            "mul u64",
            pieces(|| o.mul_elementwise(&p64, &p64, &mut r64).unwrap()),
        ),
        (
            "mul c32",
            pieces(|| o.mul_elementwise(&c, &c, &mut cz).unwrap()),
        ),
        (
            "mul c64",
            pieces(|| o.mul_elementwise(&c64, &c64, &mut cz64).unwrap()),
        ),
        (
            "mul f16",
            pieces(|| o.mul_elementwise(&h, &h, &mut hz).unwrap()),
        ),
        (
            "mul bf16",
            pieces(|| o.mul_elementwise(&bh, &bh, &mut bz).unwrap()),
        ),
        ("mul_assign", pieces(|| o.mul_assign(&mut z, &y).unwrap())),
        ("hadamard", pieces(|| drop(o.hadamard(&x, &y).unwrap()))),
        (
            "saturating",
            pieces(|| o.mul_elementwise_saturating(&p, &p, &mut r).unwrap()),
        ),
        (
            "normalized",
            pieces(|| o.mul_normalized_u8(&p, &p, &mut r).unwrap()),
        ),
        (
            "conj",
            pieces(|| o.mul_conj_elementwise(&c, &c, &mut cz).unwrap()),
        ),
        (
            "widen",
            pieces(|| o.mul_elementwise_widen(&h, &h, &mut z).unwrap()),
        ),
        (
            "scale f32",
            pieces(|| o.mul_scalar(&x, 3.0, &mut z).unwrap()),
        ),
        (
            "scale bf16",
            pieces(|| o.mul_scalar(&bh, bf16::from_f32(3.0), &mut bz).unwrap()),
        ),
        (
            "scale in place",
            pieces(|| o.mul_scalar_assign(&mut z, 0.5)),
        ),
        (
            "mul_then_add",
            pieces(|| o.mul_then_add(&x, &y, &x, &mut z).unwrap()),
        ),
        ("mul_add", pieces(|| o.mul_add(&x, &y, &x, &mut z).unwrap())),
        (
            "mul_then_add_assign",
            pieces(|| o.mul_then_add_assign(&mut z, &x, &y).unwrap()),
        ),
        (
            "mul_conj_add_assign",
            pieces(|| o.mul_conj_add_assign(&mut cz, &c, &c).unwrap()),
        ),
        (
            "mul_then_add_mul",
            pieces(|| o.mul_then_add_mul(&x, &y, &x, &y, &mut z).unwrap()),
        ),
        (
            "mul_then_add_mul_assign",
            pieces(|| {
                o.mul_then_add_mul_assign(&mut z64, &x64, &x64, &x64)
                    .unwrap()
            }),
        ),
        ("blend", pieces(|| o.blend(&x, &y, &x, &mut z).unwrap())),
        (
            "blend_normalized_u8",
            pieces(|| o.blend_normalized_u8(&p, &p, &p, &mut r).unwrap()),
        ),
        (
            "mul_matrix",
            pieces(|| {
                let m = MatRef::with_stride(&x, 50, 190, 200).unwrap();
                o.mul_matrix(
                    &m,
                    &m,
                    &mut MatMut::with_stride(&mut z, 50, 190, 200).unwrap(),
                )
                .unwrap()
            }),
        ),
        (
            "split complex, one buffer",
            pieces(|| {
                let mut planes = vec![0.0f32; 2 * N];
                let (pr, pi) = planes.split_at_mut(N); // N = 10,000: both planes on one offset
                o.mul_split_complex((&x, &y), (&y, &x), (pr, pi)).unwrap()
            }),
        ),
        ("split complex, other offsets", {
            let n = N - 1;
            let mut planes = vec![0.0f32; 2 * n];
            let (pr, pi) = planes.split_at_mut(n); // 39,996 bytes apart: never one offset
            pieces(|| {
                o.mul_split_complex((&x[..n], &y[..n]), (&y[..n], &x[..n]), (pr, pi))
                    .unwrap()
            })
        }),
    ]
}

fn simd_kernel() -> Option<Kernel> {
    common::kernels_under_test()
        .into_iter()
        .rev()
        .find(|k| *k != Kernel::Scalar)
}

#[test]
fn forced_streaming_streams_every_writing_operation() {
    let Some(kernel) = simd_kernel() else { return };
    let o = Options::new()
        .kernel(kernel)
        .unwrap()
        .parallelism(Parallelism::Sequential)
        .stores(Stores::Streaming);
    for (op, n) in every_writing_operation(&o) {
        if op == "split complex, other offsets" {
            assert_eq!(
                n, 0,
                "{kernel}: {op} streamed although its planes cannot both be aligned"
            );
        } else {
            assert!(
                n >= 1,
                "{kernel}: {op} did not run its streaming kernel under Stores::Streaming"
            );
        }
    }
}

#[test]
fn normal_stores_and_small_auto_calls_never_stream() {
    for kernel in common::kernels_under_test() {
        for stores in [Stores::Normal, Stores::Auto] {
            let o = Options::new()
                .kernel(kernel)
                .unwrap()
                .parallelism(Parallelism::Sequential)
                .stores(stores);
            for (op, n) in every_writing_operation(&o) {
                assert_eq!(n, 0, "{kernel} {stores:?}: {op} streamed {n} pieces");
            }
        }
    }
}

/// The rule `Stores::streams` states, written out here from its documentation: `Auto`
/// streams above `streaming_threshold_bytes()` (the last-level cache) unless in place.
#[test]
fn the_auto_rule_is_the_documented_one() {
    let t = streaming_threshold_bytes();
    assert!(t >= hadamard::cache_sizes().l3);
    for bytes in [0, 1, t / 2, t - 1, t, t + 1, 2 * t, usize::MAX] {
        for in_place in [false, true] {
            assert_eq!(
                Stores::Auto.streams(bytes, in_place),
                !in_place && bytes > t,
                "{bytes} {in_place}"
            );
            assert!(Stores::Streaming.streams(bytes, in_place));
            assert!(!Stores::Normal.streams(bytes, in_place));
        }
    }
}
