//! Every path that splits work across threads, forced with `Parallelism::Parallel` inside a
//! pool of four threads (one piece a thread, pieces of at least 16 KiB of output), at
//! lengths of many minimum pieces, against references computed here element by element. A bug in how one piece is offset (a plane, an operand, a row or a
//! column taken from the wrong place) shows in the pieces after the first, which a
//! sequential test never runs.

mod common;

use common::*;
use hadamard::num_complex::Complex;
use hadamard::{MatMut, MatRef, Options, Parallelism};

const LEN: usize = 100_003;

fn parallel() -> Options {
    Options::new().parallelism(Parallelism::Parallel)
}

/// Runs `f` inside a pool of four threads, so that the split is real even on one core.
fn in_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    pool.install(f)
}

/// Runs one call of the crate and checks that it really split: it took the large path
/// and ran in more than one piece (seen through `hadamard::__observe` on this thread; the
/// results alone cannot show it, since every piece gives the same bits).
#[track_caller]
fn splits<R>(what: &str, f: impl FnOnce() -> R) -> R {
    let (calls, _) = hadamard::__observe::large_calls();
    let r = f();
    let (after, pieces) = hadamard::__observe::large_calls();
    assert_eq!(after, calls + 1, "{what}: not one call on the large path");
    assert!(
        pieces >= 2,
        "{what}: ran in {pieces} piece(s) under Parallelism::Parallel"
    );
    r
}

fn first_difference<T: PartialEq + Copy + std::fmt::Debug>(
    got: &[T],
    want: &[T],
) -> Option<(usize, T, T)> {
    assert_eq!(got.len(), want.len());
    got.iter()
        .zip(want)
        .position(|(g, w)| g != w)
        .map(|i| (i, got[i], want[i]))
}

#[track_caller]
fn assert_same<T: PartialEq + Copy + std::fmt::Debug>(got: &[T], want: &[T], what: &str) {
    if let Some((i, g, w)) = first_difference(got, want) {
        let wrong = got.iter().zip(want).filter(|(g, w)| g != w).count();
        panic!(
            "{what}: {wrong} of {} elements wrong, first at {i}: {g:?} against {w:?}",
            got.len()
        );
    }
}

fn finite(rng: &mut Rng, len: usize) -> Vec<f32> {
    (0..len).map(|_| (rng.unit() * 8.0 - 4.0) as f32).collect()
}

#[test]
fn slices_products_scale_and_in_place() {
    let mut rng = Rng::new(0x5b1);
    let (a, b) = (finite(&mut rng, LEN), finite(&mut rng, LEN));
    let want: Vec<f32> = a.iter().zip(&b).map(|(x, y)| x * y).collect();
    in_pool(|| {
        let opts = parallel();
        let mut out = vec![0.0f32; LEN];
        splits("mul_elementwise", || {
            opts.mul_elementwise(&a, &b, &mut out).unwrap()
        });
        assert_same(&out, &want, "mul_elementwise");
        let mut acc = a.clone();
        splits("mul_assign", || opts.mul_assign(&mut acc, &b).unwrap());
        assert_same(&acc, &want, "mul_assign");
        let product = splits("hadamard", || opts.hadamard(&a, &b).unwrap());
        assert_same(&product, &want, "hadamard");
        let s = 1.5f32;
        let scaled: Vec<f32> = a.iter().map(|x| x * s).collect();
        splits("mul_scalar", || opts.mul_scalar(&a, s, &mut out).unwrap());
        assert_same(&out, &scaled, "mul_scalar");
        let mut acc = a.clone();
        splits("mul_scalar_assign", || opts.mul_scalar_assign(&mut acc, s));
        assert_same(&acc, &scaled, "mul_scalar_assign");
    });
}

#[test]
fn slices_multiply_add_and_saturating() {
    let mut rng = Rng::new(0x5b2);
    let (a, b, c) = (
        finite(&mut rng, LEN),
        finite(&mut rng, LEN),
        finite(&mut rng, LEN),
    );
    let want: Vec<f32> = (0..LEN).map(|i| a[i] * b[i] + c[i]).collect();
    let fused: Vec<f32> = (0..LEN).map(|i| a[i].mul_add(b[i], c[i])).collect();
    let (x, y): (Vec<u8>, Vec<u8>) = (
        (0..LEN).map(|_| rng.below(256) as u8).collect(),
        (0..LEN).map(|_| rng.below(256) as u8).collect(),
    );
    let saturated: Vec<u8> = x
        .iter()
        .zip(&y)
        .map(|(p, q)| p.saturating_mul(*q))
        .collect();
    in_pool(|| {
        let opts = parallel();
        let mut out = vec![0.0f32; LEN];
        splits("mul_then_add", || {
            opts.mul_then_add(&a, &b, &c, &mut out).unwrap()
        });
        assert_same(&out, &want, "mul_then_add");
        splits("mul_add", || opts.mul_add(&a, &b, &c, &mut out).unwrap());
        assert_same(&out, &fused, "mul_add");
        let mut acc = c.clone();
        splits("mul_then_add_assign", || {
            opts.mul_then_add_assign(&mut acc, &a, &b).unwrap()
        });
        assert_same(&acc, &want, "mul_then_add_assign");
        let mut bytes = vec![0u8; LEN];
        splits("saturating", || {
            opts.mul_elementwise_saturating(&x, &y, &mut bytes).unwrap()
        });
        assert_same(&bytes, &saturated, "saturating u8");
    });
}

/// The split complex product takes four input planes and two output planes: every piece
/// must offset all six by the same amount.
#[test]
fn split_complex_planes() {
    let mut rng = Rng::new(0x5b3);
    let planes: Vec<Vec<f32>> = (0..4).map(|_| finite(&mut rng, LEN)).collect();
    let (ar, ai, br, bi) = (&planes[0], &planes[1], &planes[2], &planes[3]);
    for conj in [false, true] {
        let (mut want_re, mut want_im) = (vec![0.0f32; LEN], vec![0.0f32; LEN]);
        for i in 0..LEN {
            let (a, b) = (Complex::new(ar[i], ai[i]), Complex::new(br[i], bi[i]));
            let p = if conj { a * b.conj() } else { a * b };
            (want_re[i], want_im[i]) = (p.re, p.im);
        }
        let (mut re, mut im) = (vec![0.0f32; LEN], vec![0.0f32; LEN]);
        in_pool(|| {
            let opts = parallel();
            let (a, b) = ((&ar[..], &ai[..]), (&br[..], &bi[..]));
            if conj {
                splits("mul_conj_split_complex", || {
                    opts.mul_conj_split_complex(a, b, (&mut re, &mut im))
                        .unwrap()
                });
            } else {
                splits("mul_split_complex", || {
                    opts.mul_split_complex(a, b, (&mut re, &mut im)).unwrap()
                });
            }
        });
        assert_same(
            &re,
            &want_re,
            &format!("split complex (conj {conj}) real plane"),
        );
        assert_same(
            &im,
            &want_im,
            &format!("split complex (conj {conj}) imaginary plane"),
        );
    }
}

#[test]
fn interleaved_complex_and_conj_accumulate() {
    let mut rng = Rng::new(0x5b4);
    let pairs = |rng: &mut Rng| -> Vec<Complex<f64>> {
        (0..LEN / 2)
            .map(|_| Complex::new(rng.unit() - 0.5, rng.unit() - 0.5))
            .collect()
    };
    let (a, b, acc0) = (pairs(&mut rng), pairs(&mut rng), pairs(&mut rng));
    let product: Vec<Complex<f64>> = a.iter().zip(&b).map(|(x, y)| x * y).collect();
    let accumulated: Vec<Complex<f64>> =
        (0..a.len()).map(|i| a[i] * b[i].conj() + acc0[i]).collect();
    in_pool(|| {
        let opts = parallel();
        let mut out = vec![Complex::new(0.0, 0.0); a.len()];
        splits("complex", || {
            opts.mul_elementwise(&a, &b, &mut out).unwrap()
        });
        assert_same(&out, &product, "complex mul_elementwise");
        let mut acc = acc0.clone();
        splits("mul_conj_add_assign", || {
            opts.mul_conj_add_assign(&mut acc, &a, &b).unwrap()
        });
        assert_same(&acc, &accumulated, "mul_conj_add_assign");
    });
}

/// A sum split where its tree of blocks splits (`hadamard_kernels::sum_order`: blocks of
/// 64 KiB of each input, the left run the largest power of two of blocks below their
/// number): exact for wrapping integers, so any piece summed twice, dropped or offset
/// changes the value; and the f64 sum within the documented bound.
#[test]
fn sums_split_as_a_tree() {
    let mut rng = Rng::new(0x5b5);
    let len = 4 * LEN + 17;
    let a: Vec<u32> = (0..len).map(|_| rng.next_u64() as u32).collect();
    let b: Vec<u32> = (0..len).map(|_| rng.next_u64() as u32).collect();
    let want = a
        .iter()
        .zip(&b)
        .fold(0u32, |s, (x, y)| s.wrapping_add(x.wrapping_mul(*y)));
    let x: Vec<f64> = (0..len).map(|_| rng.unit()).collect();
    let y: Vec<f64> = (0..len).map(|_| rng.unit()).collect();
    // The rounded products summed with Neumaier's compensation: the reference the crate's
    // documented bound is measured from, to far better than that bound.
    let (mut exact, mut carry) = (0.0f64, 0.0f64);
    for t in x.iter().zip(&y).map(|(p, q)| p * q) {
        let s = exact + t;
        carry += if exact.abs() >= t.abs() {
            (exact - s) + t
        } else {
            (t - s) + exact
        };
        exact = s;
    }
    exact += carry;
    let magnitude: f64 = x.iter().zip(&y).map(|(p, q)| (p * q).abs()).sum();
    // The documented m = ⌈min(n, B)/W⌉ + log₂W + ⌈log₂⌈n/B⌉⌉ + 1: f64 blocks of 8,192, 32
    // partials, 49 blocks.
    let m = (8192 / 32 + 5 + 6 + 1) as f64;
    let bound = m * f64::EPSILON / 2.0 / (1.0 - m * f64::EPSILON / 2.0) * magnitude;
    in_pool(|| {
        let opts = parallel();
        let sum = splits("u32 sum", || opts.hadamard_sum(&a, &b).unwrap());
        assert_eq!(sum, want, "u32 sum");
        // 400,029 u32 are 25 blocks of 16,384: four shares of 6 or 7 blocks, one a thread.
        assert_eq!(hadamard::__observe::large_calls().1, 4, "u32 sum pieces");
        // Three blocks and 5: four blocks, one a thread.
        splits("small u32 sum", || {
            opts.hadamard_sum(&a[..49_157], &b[..49_157]).unwrap()
        });
        assert_eq!(
            hadamard::__observe::large_calls().1,
            4,
            "small u32 sum pieces"
        );
        // Shares that are not whole subtrees of the tree of blocks (7 and 13 blocks in 3
        // and 4 shares: 13 in 4 cut at 3, 6 and 9): still the exact sum.
        for (threads, blocks) in [(3, 7), (4, 7), (3, 13), (4, 13)] {
            let n = blocks * 16_384 - 11;
            let sum = splits("u32 sum in odd shares", || {
                opts.max_threads(threads)
                    .hadamard_sum(&a[..n], &b[..n])
                    .unwrap()
            });
            assert_eq!(hadamard::__observe::large_calls().1, threads);
            let want = a[..n]
                .iter()
                .zip(&b[..n])
                .fold(0u32, |s, (x, y)| s.wrapping_add(x.wrapping_mul(*y)));
            assert_eq!(sum, want, "u32 sum of {blocks} blocks in {threads} shares");
        }
        // One block cannot split: one piece, on the calling thread.
        let (calls, _) = hadamard::__observe::large_calls();
        let one_block = opts.hadamard_sum(&a[..16_384], &b[..16_384]).unwrap();
        assert_eq!(
            hadamard::__observe::large_calls().0,
            calls,
            "one block split"
        );
        let fold = |n: usize| {
            a[..n]
                .iter()
                .zip(&b[..n])
                .fold(0u32, |s, (x, y)| s.wrapping_add(x.wrapping_mul(*y)))
        };
        assert_eq!(one_block, fold(16_384), "one block");
        let got = splits("f64 sum", || opts.hadamard_sum(&x, &y).unwrap());
        assert!(
            (got - exact).abs() <= bound,
            "f64 sum {got} against {exact}: off by more than the documented {bound}"
        );
        // 49 f64 blocks of 8,192 in four shares.
        assert_eq!(hadamard::__observe::large_calls().1, 4, "f64 sum pieces");
    });
}

/// Strided matrices split by rows: each half must keep its own row offset in all three.
#[test]
fn matrices_split_by_rows() {
    let mut rng = Rng::new(0x5b6);
    let (rows, cols) = (301, 350);
    let (sa, sb, so) = (353, 350, 357);
    let a = finite(&mut rng, rows * sa);
    let b = finite(&mut rng, rows * sb);
    let mut out = vec![f32::NAN; rows * so];
    in_pool(|| {
        let va = MatRef::with_stride(&a, rows, cols, sa).unwrap();
        let vb = MatRef::with_stride(&b, rows, cols, sb).unwrap();
        let mut vo = MatMut::with_stride(&mut out, rows, cols, so).unwrap();
        parallel().mul_matrix(&va, &vb, &mut vo).unwrap();
    });
    for i in 0..rows {
        for j in 0..cols {
            let want = a[i * sa + j] * b[i * sb + j];
            assert_eq!(out[i * so + j], want, "row {i} column {j}");
        }
    }
}

/// Matrices and the integrations' strided paths take their thread count from the one rule
/// the slices use: capped by `max_threads`, one run of rows or lanes a thread.
#[test]
fn strided_paths_use_the_slices_thread_count() {
    let mut rng = Rng::new(0x5b9);
    let (rows, cols, stride) = (300, 200, 203);
    let a = finite(&mut rng, rows * stride);
    let mut out = vec![f32::NAN; rows * stride];
    for cap in [2, 3] {
        in_pool(|| {
            let va = MatRef::with_stride(&a, rows, cols, stride).unwrap();
            let mut vo = MatMut::with_stride(&mut out, rows, cols, stride).unwrap();
            splits("a strided matrix", || {
                parallel()
                    .max_threads(cap)
                    .mul_matrix(&va, &va, &mut vo)
                    .unwrap()
            });
            assert_eq!(hadamard::__observe::large_calls().1, cap, "matrix rows");
            #[cfg(feature = "ndarray")]
            {
                let x = ndarray::ArrayView2::from_shape((rows, stride), &a[..]).unwrap();
                let x = x.slice(ndarray::s![.., ..cols]);
                let mut y = ndarray::Array2::<f32>::zeros((cols, rows));
                let mut yt = y.view_mut().reversed_axes();
                splits("ndarray lanes", || {
                    parallel()
                        .max_threads(cap)
                        .mul_ndarray(&x, &x, &mut yt)
                        .unwrap()
                });
                assert_eq!(hadamard::__observe::large_calls().1, cap, "ndarray lanes");
                for i in (0..rows).step_by(37) {
                    for j in (0..cols).step_by(23) {
                        assert_eq!(y[(j, i)], a[i * stride + j] * a[i * stride + j]);
                    }
                }
            }
        });
        for i in 0..rows {
            for j in 0..cols {
                let x = a[i * stride + j];
                assert_eq!(out[i * stride + j], x * x, "cap {cap}: row {i} column {j}");
            }
        }
    }
}

#[cfg(feature = "ndarray")]
#[test]
fn ndarray_views_of_every_layout() {
    use ndarray::{Array2, ShapeBuilder};
    let mut rng = Rng::new(0x5b7);
    let (rows, cols) = (330, 320);
    let a = Array2::from_shape_vec((rows, cols), finite(&mut rng, rows * cols)).unwrap();
    let b = Array2::from_shape_vec((cols, rows), finite(&mut rng, rows * cols)).unwrap();
    let want = Array2::from_shape_fn((rows, cols), |(i, j)| a[(i, j)] * b[(j, i)]);
    for fortran in [false, true] {
        let mut out = Array2::<f32>::zeros((rows, cols).set_f(fortran));
        in_pool(|| parallel().mul_ndarray(&a.view(), &b.t(), &mut out).unwrap());
        assert_same(
            &out.iter().copied().collect::<Vec<_>>(),
            &want.iter().copied().collect::<Vec<_>>(),
            &format!("ndarray, b transposed, out fortran {fortran}"),
        );
    }
}

#[cfg(feature = "nalgebra")]
#[test]
fn nalgebra_matrices_and_views() {
    use nalgebra::DMatrix;
    let mut rng = Rng::new(0x5b8);
    let (rows, cols) = (340, 330);
    let a = DMatrix::from_vec(rows, cols, finite(&mut rng, rows * cols));
    let b = DMatrix::from_vec(
        rows + 3,
        cols + 2,
        finite(&mut rng, (rows + 3) * (cols + 2)),
    );
    let bv = b.view((2, 1), (rows, cols));
    let want = DMatrix::from_fn(rows, cols, |i, j| a[(i, j)] * bv[(i, j)]);
    let mut out = DMatrix::<f32>::zeros(rows, cols);
    in_pool(|| parallel().mul_nalgebra(&a, &bv, &mut out).unwrap());
    assert_same(out.as_slice(), want.as_slice(), "nalgebra, b a view");
    // Whole contiguous matrices are one slice call, split like one (not column by column).
    let b = DMatrix::from_fn(rows, cols, |i, j| bv[(i, j)]);
    let mut out = DMatrix::<f32>::zeros(rows, cols);
    in_pool(|| {
        splits("contiguous nalgebra matrices", || {
            parallel().mul_nalgebra(&a, &b, &mut out).unwrap()
        })
    });
    assert_same(out.as_slice(), want.as_slice(), "nalgebra, contiguous");
    // An output whose rows are not consecutive (row stride 2): its columns are not slices,
    // so the column split must not treat them as such.
    let mut big = DMatrix::<f32>::zeros(2 * rows, cols);
    in_pool(|| {
        let mut out = big.view_with_steps_mut((0, 0), (rows, cols), (1, 0));
        parallel().mul_nalgebra(&a, &b, &mut out).unwrap()
    });
    let got = DMatrix::from_fn(rows, cols, |i, j| big[(2 * i, j)]);
    assert_same(
        got.as_slice(),
        want.as_slice(),
        "nalgebra, out with row stride 2",
    );
    assert!((0..cols).all(|j| (0..rows).all(|i| big[(2 * i + 1, j)] == 0.0)));
}

/// Streaming stores for the split complex product: both output planes at one offset from a
/// line (streamed), and at different offsets (plain stores); both split and not.
#[test]
fn split_complex_streaming_stores() {
    use hadamard::Stores;
    let mut rng = Rng::new(0x5b9);
    let len = LEN;
    let planes: Vec<Vec<f32>> = (0..4).map(|_| finite(&mut rng, len)).collect();
    let (ar, ai, br, bi) = (&planes[0], &planes[1], &planes[2], &planes[3]);
    let want: Vec<Complex<f32>> = (0..len)
        .map(|i| Complex::new(ar[i], ai[i]) * Complex::new(br[i], bi[i]))
        .collect();
    // One buffer holds both output planes, the imaginary one starting `gap` elements after
    // the real one ends: `together` puts it a whole number of lines (16 f32) after the real
    // one, the others do not.
    let together = (16 - len % 16) % 16;
    for gap in [together, together + 16, together + 3, together + 8] {
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let mut buf = vec![f32::NAN; 2 * len + gap];
            let (re, rest) = buf.split_at_mut(len);
            let im = &mut rest[gap..];
            let opts = Options::new()
                .parallelism(parallelism)
                .stores(Stores::Streaming);
            in_pool(|| {
                opts.mul_split_complex((ar, ai), (br, bi), (&mut *re, &mut *im))
                    .unwrap()
            });
            let got: Vec<Complex<f32>> = (0..len).map(|i| Complex::new(re[i], im[i])).collect();
            assert_same(
                &got,
                &want,
                &format!("streaming split complex, gap {gap}, {parallelism:?}"),
            );
        }
    }
}

/// The other side: a call moving less than 64 KiB with default options never reaches the
/// large path (no store or split decision), and a call that may not split runs in one
/// piece however large.
#[test]
fn small_and_sequential_calls_run_whole() {
    let (a, b) = (vec![1.5f32; LEN], vec![2.0f32; LEN]);
    let mut out = vec![0.0f32; LEN];
    in_pool(|| {
        let (calls, _) = hadamard::__observe::large_calls();
        let small = (64 << 10) / 12 - 1; // 5,460 f32: just under 64 KiB moved
        hadamard::mul_elementwise(&a[..small], &b[..small], &mut out[..small]);
        hadamard::mul_scalar_assign(&mut out[..small], 2.0);
        assert_eq!(out[7], 6.0);
        assert_eq!(
            hadamard::__observe::large_calls().0,
            calls,
            "a small call went large"
        );
        // Forced, a call of two minimum pieces (16 KiB of output each) splits all the same.
        let two = 2 * 4096;
        splits("a small call under Parallelism::Parallel", || {
            parallel()
                .mul_elementwise(&a[..two], &b[..two], &mut out[..two])
                .unwrap()
        });
        assert_eq!(hadamard::__observe::large_calls().1, 2);
        // However large, a call kept to one thread runs whole.
        let big = 40 << 20 >> 2;
        let (x, y) = (vec![1.5f32; big], vec![2.0f32; big]);
        let mut z = vec![0.0f32; big];
        for opts in [
            Options::new().parallelism(Parallelism::Sequential),
            Options::new().max_threads(1),
            parallel().max_threads(1),
        ] {
            opts.mul_elementwise(&x, &y, &mut z).unwrap();
            let (after, pieces) = hadamard::__observe::large_calls();
            assert!(
                after > calls,
                "{opts:?}: 120 MiB did not reach the large path"
            );
            assert_eq!(pieces, 1, "{opts:?} split");
            assert_eq!(opts.hadamard_sum(&x, &y).unwrap(), 3.0 * big as f32);
        }
    });
}

/// Under `Parallelism::Auto` a sum splits when this process's measured costs say a split
/// pays even with the pool asleep (160 MiB read: on any quiet machine), into at most the
/// pool's threads or the cap, with the same bits; under 64 KiB it never goes large.
#[test]
fn auto_sums_split_when_large() {
    let a = vec![0.5f32; 20 << 20];
    in_pool(|| {
        // Measured now, not inside the first call below (the measurement splits calls of
        // its own, which this thread's counters would count).
        let costs = hadamard::split_costs();
        let must_split = costs.threads_for(8 * a.len(), 4, false) > 1;
        let auto = Options::new();
        for cap in [4, 3] {
            let (calls, _) = hadamard::__observe::large_calls();
            let sum = auto.max_threads(cap).hadamard_sum(&a, &a).unwrap();
            assert_eq!(sum, 0.25 * a.len() as f32, "cap {cap}");
            let (after, pieces) = hadamard::__observe::large_calls();
            if must_split {
                assert_eq!(after, calls + 1, "cap {cap}: did not split ({costs:?})");
            }
            if after > calls {
                assert!((2..=cap).contains(&pieces), "cap {cap}: {pieces} threads");
            }
        }
        let (calls, _) = hadamard::__observe::large_calls();
        let below = &a[..(64 << 10) / 8 - 1];
        auto.hadamard_sum(below, below).unwrap();
        assert_eq!(
            hadamard::__observe::large_calls().0,
            calls,
            "an Auto sum under 64 KiB went large"
        );
    });
}

#[test]
fn the_two_product_formulas() {
    let mut rng = Rng::new(0x2b5);
    let [a, b, c, d] = [(); 4].map(|_| finite(&mut rng, LEN));
    let w: Vec<f32> = (0..LEN).map(|_| rng.unit() as f32).collect();
    let px: [Vec<u8>; 3] =
        std::array::from_fn(|_| (0..LEN).map(|_| rng.next_u64() as u8).collect());
    in_pool(|| {
        let opts = parallel();
        let mut out = vec![0.0f32; LEN];
        splits("mul_then_add_mul", || {
            opts.mul_then_add_mul(&a, &b, &c, &d, &mut out).unwrap()
        });
        let want: Vec<f32> = (0..LEN).map(|i| a[i] * b[i] + c[i] * d[i]).collect();
        assert_same(&out, &want, "mul_then_add_mul");

        let mut acc = a.clone();
        splits("mul_then_add_mul_assign", || {
            opts.mul_then_add_mul_assign(&mut acc, &b, &c, &d).unwrap()
        });
        assert_same(&acc, &want, "mul_then_add_mul_assign");

        splits("blend", || opts.blend(&a, &b, &w, &mut out).unwrap());
        let want: Vec<f32> = (0..LEN)
            .map(|i| w[i] * a[i] + (1.0 - w[i]) * b[i])
            .collect();
        assert_same(&out, &want, "blend");

        let mut pixels = vec![0u8; LEN];
        splits("blend_normalized_u8", || {
            opts.blend_normalized_u8(&px[0], &px[1], &px[2], &mut pixels)
                .unwrap()
        });
        let want: Vec<u8> = (0..LEN)
            .map(|i| {
                let (f, g, t) = (px[0][i] as u32, px[1][i] as u32, px[2][i] as u32);
                ((2 * (t * f + (255 - t) * g) + 255) / 510) as u8
            })
            .collect();
        assert_same(&pixels, &want, "blend_normalized_u8");
    });
}
