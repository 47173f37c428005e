//! Matrix views and the operations on them: strided and contiguous views on every kernel,
//! the pitch between rows never written, row and column scaling, view construction errors
//! (stride too small, overflow, slice too short), shape errors that write nothing, and the
//! seed's matrix facts: D1·D2 = D1 ⊙ D2 for diagonals, J is the identity, 0 absorbs, and
//! the Schur product theorem (PSD ⊙ PSD is PSD, checked by Cholesky).

mod common;

use common::{sequential, Rng};
use hadamard::{Dims, Kernel, LayoutError, MatMut, MatRef, Options, Parallelism};

const PITCH_SENTINEL: f64 = -999.5;

/// A `rows × cols` matrix with row stride `stride` inside a buffer starting `offset` in.
fn strided(rng: &mut Rng, rows: usize, cols: usize, stride: usize, offset: usize) -> Vec<f64> {
    let mut buf = vec![PITCH_SENTINEL; offset + rows * stride.max(cols) + 3];
    for i in 0..rows {
        for j in 0..cols {
            buf[offset + i * stride + j] = rng.unit() * 8.0;
        }
    }
    buf
}

fn kernels() -> Vec<Kernel> {
    common::kernels_under_test()
}

#[test]
fn mul_matrix_on_strided_and_contiguous_views() {
    let mut rng = Rng::new(0x3a7);
    for kernel in kernels() {
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let opts = sequential(kernel).parallelism(parallelism);
            for (rows, cols) in [
                (0, 0),
                (0, 5),
                (3, 0),
                (1, 1),
                (1, 37),
                (5, 7),
                (17, 33),
                (64, 65),
                (300, 9),
            ] {
                for (sa, sb, so) in [(0, 0, 0), (1, 0, 3), (5, 2, 0), (0, 7, 1)] {
                    let (stride_a, stride_b, stride_o) = (cols + sa, cols + sb, cols + so);
                    let a = strided(&mut rng, rows, cols, stride_a, 1);
                    let b = strided(&mut rng, rows, cols, stride_b, 2);
                    let mut out = vec![PITCH_SENTINEL; 3 + rows * stride_o + 3];
                    let before = out.clone();
                    let va = MatRef::with_stride(&a[1..], rows, cols, stride_a).unwrap();
                    let vb = MatRef::with_stride(&b[2..], rows, cols, stride_b).unwrap();
                    let mut vo = MatMut::with_stride(&mut out[3..], rows, cols, stride_o).unwrap();
                    opts.mul_matrix(&va, &vb, &mut vo).unwrap();
                    let context = format!("{kernel} {parallelism:?} {rows}x{cols} strides {stride_a} {stride_b} {stride_o}");
                    for (k, &x) in out.iter().enumerate() {
                        let inside = k >= 3
                            && (k - 3) / stride_o.max(1) < rows
                            && (k - 3) % stride_o.max(1) < cols
                            && cols > 0;
                        if inside {
                            let (i, j) = ((k - 3) / stride_o, (k - 3) % stride_o);
                            let want = a[1 + i * stride_a + j] * b[2 + i * stride_b + j];
                            assert_eq!(
                                x.to_bits(),
                                want.to_bits(),
                                "{context}: element ({i}, {j})"
                            );
                        } else {
                            assert_eq!(
                                x.to_bits(),
                                before[k].to_bits(),
                                "{context}: wrote outside the view at {k}"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn large_strided_matrices_split_by_rows() {
    let mut rng = Rng::new(0x1a);
    let (rows, cols, stride) = (2000, 700, 703);
    let a = strided(&mut rng, rows, cols, stride, 0);
    let b = strided(&mut rng, rows, cols, cols, 0);
    let mut out = vec![PITCH_SENTINEL; rows * stride];
    for parallelism in [Parallelism::Auto, Parallelism::Parallel] {
        let opts = Options::new().parallelism(parallelism);
        let va = MatRef::with_stride(&a, rows, cols, stride).unwrap();
        let vb = MatRef::new(&b, rows, cols).unwrap();
        opts.mul_matrix(
            &va,
            &vb,
            &mut MatMut::with_stride(&mut out, rows, cols, stride).unwrap(),
        )
        .unwrap();
        for i in 0..rows {
            for j in 0..stride {
                let got = out[i * stride + j];
                if j < cols {
                    assert_eq!(got, a[i * stride + j] * b[i * cols + j], "({i}, {j})");
                } else {
                    assert_eq!(got, PITCH_SENTINEL, "pitch ({i}, {j}) written");
                }
            }
        }
    }
}

#[test]
fn scale_rows_and_cols_against_the_definition() {
    let mut rng = Rng::new(0x5c);
    for kernel in kernels() {
        let opts = sequential(kernel);
        for (rows, cols, pitch) in [(1, 1, 0), (3, 5, 2), (40, 17, 1), (7, 300, 0)] {
            let stride = cols + pitch;
            let a = strided(&mut rng, rows, cols, stride, 0);
            let va = MatRef::with_stride(&a, rows, cols, stride).unwrap();
            let d_rows: Vec<f64> = (0..rows).map(|_| rng.unit()).collect();
            let d_cols: Vec<f64> = (0..cols).map(|_| rng.unit()).collect();
            let mut out = vec![PITCH_SENTINEL; rows * stride];
            opts.scale_rows(
                &va,
                &d_rows,
                &mut MatMut::with_stride(&mut out, rows, cols, stride).unwrap(),
            )
            .unwrap();
            for i in 0..rows {
                for j in 0..cols {
                    assert_eq!(
                        out[i * stride + j],
                        a[i * stride + j] * d_rows[i],
                        "{kernel} rows ({i}, {j})"
                    );
                }
            }
            opts.scale_cols(
                &va,
                &d_cols,
                &mut MatMut::with_stride(&mut out, rows, cols, stride).unwrap(),
            )
            .unwrap();
            for i in 0..rows {
                for j in 0..cols {
                    assert_eq!(
                        out[i * stride + j],
                        a[i * stride + j] * d_cols[j],
                        "{kernel} cols ({i}, {j})"
                    );
                }
                for j in cols..stride {
                    assert_eq!(out[i * stride + j], PITCH_SENTINEL);
                }
            }
        }
    }
}

#[test]
fn views_that_cannot_exist_are_errors() {
    let data = [0.0f32; 12];
    assert_eq!(
        MatRef::with_stride(&data, 3, 4, 3).unwrap_err(),
        LayoutError::StrideTooSmall { cols: 4, stride: 3 }
    );
    assert_eq!(
        MatRef::with_stride(&data, 3, 4, 5).unwrap_err(),
        LayoutError::TooShort {
            needed: 14,
            len: 12
        }
    );
    assert_eq!(
        MatRef::with_stride(&data, usize::MAX / 2, 4, 8).unwrap_err(),
        LayoutError::Overflow {
            rows: usize::MAX / 2,
            cols: 4,
            stride: 8
        }
    );
    assert!(matches!(
        MatRef::with_stride(&data, 2, usize::MAX, usize::MAX),
        Err(LayoutError::Overflow { .. })
    ));
    assert!(matches!(
        MatRef::new(&data, isize::MAX as usize, 2),
        Err(LayoutError::Overflow { .. } | LayoutError::TooShort { .. })
    ));
    let mut data_mut = [0u8; 10];
    assert!(MatMut::with_stride(&mut data_mut, 2, 5, 6).is_err());
    assert_eq!(
        LayoutError::TooShort {
            needed: 14,
            len: 12
        }
        .to_string(),
        "matrix view: needs 14 elements ((rows - 1) * stride + cols), the slice has 12"
    );
    // Empty shapes are fine whatever the stride; the last row need not be a full stride.
    assert!(MatRef::with_stride(&data, 0, 4, 0).is_ok());
    assert!(MatRef::with_stride(&data, 5, 0, 0).is_ok());
    assert!(MatRef::with_stride(&data, 2, 4, 8).is_ok());
    let error: hadamard::Error = LayoutError::StrideTooSmall { cols: 2, stride: 1 }.into();
    assert!(error
        .to_string()
        .contains("stride 1 is smaller than the 2 columns"));
}

#[test]
fn shape_mismatches_name_every_shape_and_write_nothing() {
    let a = [1.0f32; 6];
    let b = [1.0f32; 6];
    let mut out = [7.0f32; 6];
    let va = MatRef::new(&a, 2, 3).unwrap();
    let vb = MatRef::new(&b, 3, 2).unwrap();
    let e =
        hadamard::try_mul_matrix(&va, &vb, &mut MatMut::new(&mut out, 2, 3).unwrap()).unwrap_err();
    assert_eq!(
        e.shapes(),
        &[
            ("a", Dims::Matrix(2, 3)),
            ("b", Dims::Matrix(3, 2)),
            ("out", Dims::Matrix(2, 3))
        ]
    );
    assert_eq!(
        e.to_string(),
        "hadamard::mul_matrix: operand shapes do not fit, got a: 2x3, b: 3x2, out: 2x3"
    );
    let e = hadamard::try_scale_rows(&va, &[1.0; 3], &mut MatMut::new(&mut out, 2, 3).unwrap())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "hadamard::scale_rows: operand shapes do not fit, got a: 2x3, d: 3 elements, out: 2x3"
    );
    let e = hadamard::try_scale_cols(&va, &[1.0; 2], &mut MatMut::new(&mut out, 2, 3).unwrap())
        .unwrap_err();
    assert_eq!(e.shapes()[1], ("d", Dims::Vector(2)));
    let e = hadamard::try_scale_cols(&va, &[1.0; 3], &mut MatMut::new(&mut out, 3, 2).unwrap())
        .unwrap_err();
    assert_eq!(e.operation(), "hadamard::scale_cols");
    assert_eq!(out, [7.0; 6]);
}

#[test]
#[should_panic(
    expected = "hadamard::mul_matrix: operand shapes do not fit, got a: 1x2, b: 2x1, out: 1x2"
)]
fn mul_matrix_panics_naming_the_shapes() {
    let (a, b, mut out) = ([1, 2], [3, 4], [0, 0]);
    hadamard::mul_matrix(
        &MatRef::new(&a, 1, 2).unwrap(),
        &MatRef::new(&b, 2, 1).unwrap(),
        &mut MatMut::new(&mut out, 1, 2).unwrap(),
    );
}

/// `n × n` matrix product, row-major.
fn matmul(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut c = vec![0.0; n * n];
    for i in 0..n {
        for k in 0..n {
            for j in 0..n {
                c[i * n + j] += a[i * n + k] * b[k * n + j];
            }
        }
    }
    c
}

/// X·Xᵀ for a random `n × r` X: positive semi-definite of rank `r`.
fn random_psd(rng: &mut Rng, n: usize, r: usize) -> Vec<f64> {
    let x: Vec<f64> = (0..n * r).map(|_| rng.unit()).collect();
    let mut c = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            c[i * n + j] = (0..r).map(|k| x[i * r + k] * x[j * r + k]).sum();
        }
    }
    c
}

/// Whether `m + jitter·I` has a Cholesky factorisation (is positive definite).
fn cholesky_succeeds(m: &[f64], n: usize, jitter: f64) -> bool {
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let mut d =
            m[j * n + j] + jitter - (0..j).map(|k| l[j * n + k] * l[j * n + k]).sum::<f64>();
        if d <= 0.0 {
            return false;
        }
        d = d.sqrt();
        l[j * n + j] = d;
        for i in j + 1..n {
            let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            l[i * n + j] = (m[i * n + j] - s) / d;
        }
    }
    true
}

fn hadamard_matrix(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n * n];
    hadamard::mul_matrix(
        &MatRef::new(a, n, n).unwrap(),
        &MatRef::new(b, n, n).unwrap(),
        &mut MatMut::new(&mut out, n, n).unwrap(),
    );
    out
}

#[test]
fn schur_product_theorem() {
    let mut rng = Rng::new(0x5c4);
    for n in [2, 5, 16, 40] {
        for _ in 0..5 {
            // Full rank: positive definite, and so is the product (Schur).
            let (a, b) = (
                random_psd(&mut rng, n, n + 2),
                random_psd(&mut rng, n, n + 2),
            );
            assert!(cholesky_succeeds(&a, n, 0.0) && cholesky_succeeds(&b, n, 0.0));
            assert!(
                cholesky_succeeds(&hadamard_matrix(&a, &b, n), n, 0.0),
                "n {n}: PD ⊙ PD not PD"
            );
            // Rank-deficient: PSD; the product is PSD (a jitter far below its scale suffices).
            let (a, b) = (
                random_psd(&mut rng, n, 1 + n / 3),
                random_psd(&mut rng, n, 2),
            );
            assert!(
                cholesky_succeeds(&hadamard_matrix(&a, &b, n), n, 1e-9),
                "n {n}: PSD ⊙ PSD not PSD"
            );
        }
        // The check can fail: an indefinite matrix (PSD minus a multiple of I) is caught.
        let a = random_psd(&mut rng, n, 1);
        let mut indefinite = hadamard_matrix(&a, &a, n);
        let shift = indefinite
            .iter()
            .step_by(n + 1)
            .cloned()
            .fold(0.0, f64::max)
            + 1.0;
        for i in 0..n {
            indefinite[i * n + i] -= shift;
        }
        assert!(!cholesky_succeeds(&indefinite, n, 0.0));
    }
}

#[test]
fn the_seed_matrix_facts() {
    let mut rng = Rng::new(0xd1a);
    let n = 9;
    // D1·D2 = D1 ⊙ D2 for diagonal matrices.
    let mut d1 = vec![0.0; n * n];
    let mut d2 = vec![0.0; n * n];
    for i in 0..n {
        d1[i * n + i] = rng.unit();
        d2[i * n + i] = rng.unit();
    }
    assert_eq!(matmul(&d1, &d2, n), hadamard_matrix(&d1, &d2, n));
    // J is the identity, 0 absorbs; commutative.
    let a: Vec<f64> = (0..n * n).map(|_| rng.unit()).collect();
    let b: Vec<f64> = (0..n * n).map(|_| rng.unit()).collect();
    assert_eq!(hadamard_matrix(&a, &vec![1.0; n * n], n), a);
    assert!(hadamard_matrix(&a, &vec![0.0; n * n], n)
        .iter()
        .all(|&x| x == 0.0));
    let want: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x * y).collect();
    assert_eq!(hadamard_matrix(&a, &b, n), want);
    assert_eq!(hadamard_matrix(&b, &a, n), want);
}

/// A loop over `usize::MAX` empty rows would not finish: the calls run on a thread of
/// their own and must be done within a few seconds (they take microseconds).
#[test]
fn empty_views_with_huge_row_counts_return_at_once() {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Zero columns: a valid view of no elements, whatever the row count.
        let (a, mut out) = ([0.0f32; 0], [0.0f32; 0]);
        let rows = usize::MAX;
        let va = MatRef::with_stride(&a, rows, 0, 0).unwrap();
        let mut vo = MatMut::with_stride(&mut out, rows, 0, 0).unwrap();
        hadamard::mul_matrix(&va, &va, &mut vo);
        let d = [1.0f32; 0];
        hadamard::scale_cols(&va, &d, &mut vo);
        done.send(()).unwrap();
    });
    finished
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("mul_matrix and scale_cols over usize::MAX empty rows did not return in 10 s");
}
