//! The ndarray, nalgebra and faer sums give the bits of the slice call on the same values in
//! the order they visit them, whether they run as one slice call or lane by lane (strided
//! lanes through buffers, lanes of any length that do not line up with the order's rows or
//! blocks), on every kernel. Sizes span two blocks of the sum order (16,384 f32, 4,096
//! `Complex<f64>`) and lanes longer than the integrations' 256-element buffers.

#![cfg(all(feature = "ndarray", feature = "nalgebra", feature = "faer"))]

mod common;

use common::{kernels_under_test, Rng};
use hadamard::num_complex::Complex;
use hadamard::{Kernel, Options, Parallelism};

fn f32s(rng: &mut Rng, n: usize) -> Vec<f32> {
    (0..n)
        .map(|_| (rng.unit() * (rng.unit() * 10.0).exp2()) as f32)
        .collect()
}

fn c64s(rng: &mut Rng, n: usize) -> Vec<Complex<f64>> {
    (0..n)
        .map(|_| Complex::new(rng.unit() * 1e3, rng.unit()))
        .collect()
}

/// The slice call on `a`, `b` in the order given: what every integration call must give.
fn slice_sum(kernel: Kernel, a: &[f32], b: &[f32]) -> u32 {
    let opts = Options::new().kernel(kernel).unwrap();
    opts.hadamard_sum(a, b).unwrap().to_bits()
}

fn slice_sum_conj(kernel: Kernel, a: &[Complex<f64>], b: &[Complex<f64>]) -> [u64; 2] {
    let opts = Options::new().kernel(kernel).unwrap();
    let s = opts.hadamard_sum_conj(a, b).unwrap();
    [s.re.to_bits(), s.im.to_bits()]
}

/// The kernel the integrations' sums run: they take no `Options`, so the default one (CI
/// runs the suite once per kernel, forced with `HADAMARD_KERNEL`).
fn default_kernel() -> Kernel {
    hadamard::selected_kernel()
}

#[test]
fn ndarray_sums_are_the_slice_sum_in_visiting_order() {
    use ndarray::{s, Array2, ShapeBuilder};
    let mut rng = Rng::new(21);
    let (r, c) = (40, 701); // 28,040 f32: two blocks; rows longer than a buffer
    let (x, y) = (f32s(&mut rng, r * c), f32s(&mut rng, r * c));
    let kernel = default_kernel();
    let row_major = slice_sum(kernel, &x, &y);
    let a = Array2::from_shape_vec((r, c), x.clone()).unwrap();
    let b = Array2::from_shape_vec((r, c), y.clone()).unwrap();
    // b in column-major memory: not one slice with a, so lane by lane along a's rows.
    let mut bf = Array2::zeros((r, c).f());
    bf.assign(&b);
    let got = hadamard::ndarray::dot(&a, &bf).unwrap().to_bits();
    assert_eq!(got, row_major, "C-order a, F-order b: rows in order");
    // One slice when both share a layout.
    assert_eq!(hadamard::ndarray::dot(&a, &b).unwrap().to_bits(), row_major);
    // Every other column of a wider array: no unit stride, rows through buffers.
    let wide = Array2::from_shape_fn(
        (r, 2 * c),
        |(i, j)| if j % 2 == 0 { x[i * c + j / 2] } else { 0.0 },
    );
    let stepped = wide.slice(s![.., ..;2]);
    assert_eq!(stepped.shape(), &[r, c]);
    let got = hadamard::ndarray::dot(&stepped, &b).unwrap().to_bits();
    assert_eq!(got, row_major, "stepped a: rows through buffers");
    // a transposed: unit stride along axis 0, so lanes are its columns: column-major order.
    let (at, bt) = (a.t(), b.t().to_owned());
    let (xc, yc): (Vec<f32>, Vec<f32>) = (0..r)
        .flat_map(|i| (0..c).map(move |j| (i, j)))
        .map(|(i, j)| (a[[i, j]], bt[[j, i]]))
        .unzip();
    let got = hadamard::ndarray::dot(&at, &bt).unwrap().to_bits();
    assert_eq!(
        got,
        slice_sum(kernel, &xc, &yc),
        "transposed a: its columns in order"
    );
    // Complex, conjugated: column-major a against row-major b, lanes along a's columns.
    let (p, q) = (c64s(&mut rng, r * c), c64s(&mut rng, r * c));
    let pf = ndarray::Array2::from_shape_vec((r, c).f(), p.clone()).unwrap();
    let qc = ndarray::Array2::from_shape_fn((r, c), |(i, j)| q[j * r + i]);
    let got = hadamard::ndarray::dotc(&pf, &qc).unwrap();
    assert_eq!(
        [got.re.to_bits(), got.im.to_bits()],
        slice_sum_conj(kernel, &p, &q),
        "complex: a's columns in order"
    );
}

#[test]
fn nalgebra_sums_are_the_slice_sum_in_visiting_order() {
    use nalgebra::DMatrix;
    let mut rng = Rng::new(22);
    let (r, c) = (303, 67); // 20,301 f32: two blocks; columns longer than a buffer
    let (x, y) = (f32s(&mut rng, r * c), f32s(&mut rng, r * c));
    let kernel = default_kernel();
    let column_major = slice_sum(kernel, &x, &y);
    let a = DMatrix::from_vec(r, c, x.clone());
    // b a block of a bigger matrix: not one slice, so column by column.
    let big = DMatrix::from_fn(r + 5, c + 1, |i, j| {
        if i >= 5 && j >= 1 {
            y[(j - 1) * r + i - 5]
        } else {
            9.0
        }
    });
    let b = big.view((5, 1), (r, c));
    let got = hadamard::nalgebra::dot(&a, &b).unwrap().to_bits();
    assert_eq!(got, column_major, "a block: columns in order");
    let b_owned = DMatrix::from_vec(r, c, y.clone());
    assert_eq!(
        hadamard::nalgebra::dot(&a, &b_owned).unwrap().to_bits(),
        column_major
    );
}

#[test]
fn faer_sums_are_the_slice_sum_in_visiting_order() {
    use faer::Mat;
    let mut rng = Rng::new(23);
    let (r, c) = (129, 65); // 8,385 Complex<f64>: three blocks
    let (p, q) = (c64s(&mut rng, r * c), c64s(&mut rng, r * c));
    let kernel = default_kernel();
    let a = Mat::from_fn(r, c, |i, j| p[j * r + i]);
    let big = Mat::from_fn(r + 2, c, |i, j| {
        if i >= 2 {
            q[j * r + i - 2]
        } else {
            Complex::new(7.0, 7.0)
        }
    });
    let b = big.as_ref().submatrix(2, 0, r, c);
    let got = hadamard::faer::dotc(&a, &b).unwrap();
    assert_eq!(
        [got.re.to_bits(), got.im.to_bits()],
        slice_sum_conj(kernel, &p, &q),
        "a block: columns in order"
    );
}

/// The lane path with every kernel forced: the same bits as each kernel's slice call,
/// which are the same on every kernel.
#[test]
fn lane_sums_agree_on_every_kernel() {
    use ndarray::{Array2, ShapeBuilder};
    let mut rng = Rng::new(24);
    let (r, c) = (37, 999);
    let (x, y) = (f32s(&mut rng, r * c), f32s(&mut rng, r * c));
    let a = Array2::from_shape_vec((r, c), x.clone()).unwrap();
    let mut bf = Array2::zeros((r, c).f());
    bf.assign(&Array2::from_shape_vec((r, c), y.clone()).unwrap());
    let want = slice_sum(Kernel::Scalar, &x, &y);
    for kernel in kernels_under_test() {
        assert_eq!(slice_sum(kernel, &x, &y), want, "{kernel} slice");
        let opts = Options::new()
            .kernel(kernel)
            .unwrap()
            .parallelism(Parallelism::Sequential);
        assert_eq!(opts.hadamard_sum(&x, &y).unwrap().to_bits(), want);
    }
    // The default kernel's lane path (the integrations take no Options for sums).
    assert_eq!(hadamard::ndarray::dot(&a, &bf).unwrap().to_bits(), want);
}
