//! The `ndarray` and `nalgebra` integrations: every layout (contiguous in either order,
//! transposed, stepped, permuted, block views, custom strides) against the element-wise
//! definition, shape errors that write nothing, and large arrays split across threads.

mod common;

use common::Rng;

fn reference(a: f64, b: f64) -> f64 {
    a * b
}

#[cfg(feature = "ndarray")]
mod with_ndarray {
    use super::*;
    use hadamard::{Dims, Options, Parallelism};
    use ndarray::{s, Array, Array2, Array3, ArrayD, IxDyn, ShapeBuilder};

    fn random(rng: &mut Rng, n: usize) -> Vec<f64> {
        (0..n).map(|_| rng.unit() * 10.0).collect()
    }

    #[test]
    fn every_layout_matches_the_definition() {
        let mut rng = Rng::new(0x2d);
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let opts = Options::new().parallelism(parallelism);
            // 2-D: C order, Fortran order, transposed, stepped, mixed.
            for (r, c) in [(1, 1), (3, 5), (17, 40), (64, 63)] {
                let a = Array2::from_shape_vec((r, c), random(&mut rng, r * c)).unwrap();
                let bf = Array2::from_shape_vec((r, c).f(), random(&mut rng, r * c)).unwrap();
                let bt = Array2::from_shape_vec((c, r), random(&mut rng, r * c)).unwrap();
                let wide = Array2::from_shape_vec((r, 2 * c), random(&mut rng, 2 * r * c)).unwrap();
                let cases = [
                    (a.view(), a.view()),
                    (a.view(), bf.view()),
                    (bf.view(), bf.view()),
                    (a.view(), bt.t()),
                    (bt.t(), wide.slice(s![.., ..;2])),
                ];
                for (x, y) in cases {
                    for f_order in [false, true] {
                        let mut out = if f_order {
                            Array2::zeros((r, c).f())
                        } else {
                            Array2::zeros((r, c))
                        };
                        opts.mul_ndarray(&x, &y, &mut out).unwrap();
                        let want = ndarray::Zip::from(&x)
                            .and(&y)
                            .map_collect(|&p, &q| reference(p, q));
                        assert_eq!(out, want, "{r}x{c} {parallelism:?}");
                    }
                }
            }
            // 3-D with permuted axes, 1-D, dynamic dimension and 0-D.
            let a = Array3::from_shape_vec((4, 5, 6), random(&mut rng, 120)).unwrap();
            let b = Array3::from_shape_vec((6, 5, 4), random(&mut rng, 120)).unwrap();
            let bp = b.view().permuted_axes([2, 1, 0]);
            let mut out = Array3::zeros((4, 5, 6));
            opts.mul_ndarray(&a.view(), &bp, &mut out).unwrap();
            assert_eq!(
                out,
                ndarray::Zip::from(&a).and(&bp).map_collect(|&p, &q| p * q)
            );
            let v = Array::from_vec(random(&mut rng, 1001));
            let mut out = Array::zeros(1001);
            opts.mul_ndarray(&v.view(), &v.view(), &mut out).unwrap();
            assert_eq!(out, &v * &v);
            let d = ArrayD::from_shape_vec(IxDyn(&[2, 3, 2, 2]), random(&mut rng, 24)).unwrap();
            let mut out = ArrayD::zeros(IxDyn(&[2, 3, 2, 2]));
            opts.mul_ndarray(&d.view(), &d.view(), &mut out).unwrap();
            assert_eq!(out, &d * &d);
            let z = ndarray::arr0(3.0f64);
            let mut out = ndarray::arr0(0.0f64);
            opts.mul_ndarray(&z.view(), &z.view(), &mut out).unwrap();
            assert_eq!(out[()], 9.0);
        }
    }

    #[test]
    fn integer_and_large_arrays() {
        let a = Array2::from_shape_fn((1500, 1100), |(i, j)| (i * 7 + j) as u16);
        let b = Array2::from_shape_fn((1100, 1500), |(i, j)| (i + 3 * j) as u16);
        let mut out = Array2::zeros((1500, 1100));
        hadamard::ndarray::mul(&a.view(), &b.t(), &mut out).unwrap();
        let want = ndarray::Zip::from(&a)
            .and(&b.t())
            .map_collect(|&p, &q: &u16| p.wrapping_mul(q));
        assert_eq!(out, want);
    }

    #[test]
    fn shape_errors_name_the_shapes_and_write_nothing() {
        let a = Array2::<f32>::ones((2, 3));
        let b = Array2::<f32>::ones((3, 2));
        let mut out = Array2::<f32>::from_elem((2, 3), 5.0);
        let e = hadamard::ndarray::mul(&a.view(), &b.view(), &mut out).unwrap_err();
        assert_eq!(e.shapes()[1], ("b", Dims::Array(vec![3, 2].into())));
        assert_eq!(e.to_string(), "hadamard::ndarray::mul: operand shapes do not fit, got a: [2, 3], b: [3, 2], out: [2, 3]");
        assert!(out.iter().all(|&x| x == 5.0));
    }
}

#[cfg(feature = "nalgebra")]
mod with_nalgebra {
    use super::*;
    use hadamard::{Dims, Options, Parallelism};
    use nalgebra::{DMatrix, DMatrixView, DMatrixViewMut, Matrix3x4};

    /// `x ⊙ y` into an owned matrix, a block of a bigger one, and a row-major view.
    fn check<SX, SY>(
        opts: &Options,
        x: &nalgebra::Matrix<f64, nalgebra::Dyn, nalgebra::Dyn, SX>,
        y: &nalgebra::Matrix<f64, nalgebra::Dyn, nalgebra::Dyn, SY>,
    ) where
        SX: nalgebra::Storage<f64, nalgebra::Dyn, nalgebra::Dyn>,
        SY: nalgebra::Storage<f64, nalgebra::Dyn, nalgebra::Dyn>,
    {
        let (r, c) = x.shape();
        let expected = x.component_mul(y);
        let mut out = DMatrix::zeros(r, c);
        opts.mul_nalgebra(x, y, &mut out).unwrap();
        assert_eq!(out, expected, "{r}x{c} owned out");
        // A block of a bigger matrix as the output: the rest stays untouched.
        let mut host = DMatrix::from_element(r + 4, c + 1, -1.0);
        opts.mul_nalgebra(x, y, &mut host.view_mut((1, 1), (r, c)))
            .unwrap();
        assert_eq!(host.view((1, 1), (r, c)), expected);
        assert_eq!(
            host.iter().filter(|&&v| v == -1.0).count(),
            (r + 4) * (c + 1) - r * c
        );
        // A row-major output (row stride != 1): written element by element.
        let mut buf = vec![0.0; r * c];
        let mut o = DMatrixViewMut::from_slice_with_strides_mut(&mut buf, r, c, c, 1);
        opts.mul_nalgebra(x, y, &mut o).unwrap();
        assert_eq!(o, expected);
    }

    #[test]
    fn every_layout_matches_the_definition() {
        let mut rng = Rng::new(0x4a);
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let opts = Options::new().parallelism(parallelism);
            for (r, c) in [(1, 1), (3, 5), (40, 17), (200, 300)] {
                let a = DMatrix::from_fn(r, c, |_, _| rng.unit());
                let b = DMatrix::from_fn(r, c, |_, _| rng.unit());
                let big = DMatrix::from_fn(r + 3, c + 2, |_, _| rng.unit());
                // Row-major data viewed with custom strides: a "transposed" layout.
                let row_major: Vec<f64> = (0..r * c).map(|_| rng.unit()).collect();
                let t = DMatrixView::from_slice_with_strides(&row_major, r, c, c, 1);
                // Owned, block view, strided view as inputs.
                let block = big.view((2, 1), (r, c));
                check(&opts, &a, &b);
                check(&opts, &a, &block);
                check(&opts, &t, &block);
                check(&opts, &t, &t);
            }
        }
        let a = Matrix3x4::from_fn(|i, j| (i * 4 + j) as i32);
        let mut out = Matrix3x4::zeros();
        hadamard::nalgebra::mul(&a, &a, &mut out).unwrap();
        assert_eq!(out, a.component_mul(&a));
    }

    #[test]
    fn shape_errors_name_the_shapes_and_write_nothing() {
        let a = DMatrix::<f64>::zeros(2, 3);
        let b = DMatrix::<f64>::zeros(3, 2);
        let mut out = DMatrix::from_element(2, 3, 4.0);
        let e = hadamard::nalgebra::mul(&a, &b, &mut out).unwrap_err();
        assert_eq!(e.shapes()[1], ("b", Dims::Matrix(3, 2)));
        assert!(out.iter().all(|&x| x == 4.0));
    }
}
