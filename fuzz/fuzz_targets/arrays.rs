//! `hadamard::ndarray::mul` and `hadamard::nalgebra::mul` on shapes, axis orders, steps and
//! sub-views chosen by the fuzzer: the result is the element-wise definition (i32, wrapping)
//! and a mismatched shape fails without writing.

#![no_main]

mod input;

use input::Bytes;
use libfuzzer_sys::fuzz_target;
use ndarray::{Array3, ArrayView3, Axis};

fn values(b: &mut Bytes, n: usize) -> Vec<i32> {
    (0..n).map(|_| b.bits() as i32).collect()
}

/// A view of `a` permuted, stepped and sliced as the fuzzer says.
fn mangle<'a>(b: &mut Bytes, a: &'a Array3<i32>) -> ArrayView3<'a, i32> {
    let mut v = a.view();
    let perm = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ][b.below(6)];
    v = v.permuted_axes(perm);
    for axis in 0..3 {
        if b.byte() & 1 == 1 {
            v.invert_axis(Axis(axis));
        }
    }
    v
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let dims = [b.below(7), b.below(7), b.below(7)];
    let n = dims.iter().product();
    let a = Array3::from_shape_vec(dims, values(&mut b, n)).unwrap();
    let c = Array3::from_shape_vec(dims, values(&mut b, n)).unwrap();
    let (va, vc) = (mangle(&mut b, &a), mangle(&mut b, &c));
    let opts = hadamard::Options::new().kernel(b.kernel()).unwrap();
    let mut out = Array3::from_elem(va.raw_dim(), 7i32);
    if va.shape() == vc.shape() {
        opts.mul_ndarray(&va, &vc, &mut out).unwrap();
        let want = ndarray::Zip::from(&va)
            .and(&vc)
            .map_collect(|x, y| x.wrapping_mul(*y));
        assert_eq!(out, want);
    } else {
        assert!(opts.mul_ndarray(&va, &vc, &mut out).is_err());
        assert!(out.iter().all(|&x| x == 7));
    }

    // nalgebra: a block of a column-major matrix, times a view with strides of our choosing.
    let (r, cdim) = (b.below(9), b.below(9));
    let (big_r, big_c) = (r + b.below(3), cdim + b.below(3));
    let big = nalgebra::DMatrix::from_vec(big_r, big_c, values(&mut b, big_r * big_c));
    let block = big.view((big_r - r, big_c - cdim), (r, cdim));
    if r == 0 || cdim == 0 {
        return; // nalgebra's strided-view constructor asserts a non-empty buffer
    }
    let row_major = values(&mut b, r * cdim);
    let strided = nalgebra::DMatrixView::from_slice_with_strides(&row_major, r, cdim, cdim, 1);
    let mut m_out = nalgebra::DMatrix::from_element(r, cdim, 7i32);
    opts.mul_nalgebra(&block, &strided, &mut m_out).unwrap();
    for i in 0..r {
        for j in 0..cdim {
            assert_eq!(m_out[(i, j)], block[(i, j)].wrapping_mul(strided[(i, j)]));
        }
    }
    let wrong = nalgebra::DMatrix::from_element(r + 1, cdim, 1i32);
    let mut untouched = nalgebra::DMatrix::from_element(r, cdim, 7i32);
    assert!(opts.mul_nalgebra(&block, &wrong, &mut untouched).is_err());
    assert!(untouched.iter().all(|&x| x == 7));
});
