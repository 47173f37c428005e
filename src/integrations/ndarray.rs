//! `ndarray` (feature `ndarray`): the product of two `ArrayView`s of any dimension and any
//! strides into an `ArrayViewMut` of the same shape.
//!
//! When the three arrays have the same strides and are contiguous in memory (standard or
//! Fortran order, or any other order they share), the call is one slice call with the
//! dispatch and the parallel split of [`mul_elementwise`](crate::mul_elementwise).
//! Otherwise it goes lane by lane along the axis where `out` is contiguous (the last one
//! if none is): one kernel call per lane whose three views are contiguous, and lanes that
//! are not (a transposed operand, a step) are gathered into a buffer, multiplied, and
//! scattered back — the same products. Above the parallel threshold the lanes are spread
//! over the current rayon pool.

use crate::element::Element;
use crate::error::{Dims, ShapeMismatch};
use crate::options::Options;
use crate::parallel::Parallelism;
use ndarray::{ArrayView, ArrayView1, ArrayViewMut, ArrayViewMut1, Axis, Dimension, Zip};
use std::mem::size_of;

/// `out = a ⊙ b` for `ndarray` views of any dimension; an error naming the three shapes
/// when they differ, `out` untouched then.
///
/// ```
/// use ndarray::{array, Array2};
/// let a = array![[1.0f32, 2.0], [3.0, 4.0]];
/// let b = array![[10.0f32, 20.0], [30.0, 40.0]];
/// let mut out = Array2::zeros((2, 2));
/// hadamard::ndarray::mul(a.view(), b.t(), out.view_mut())?; // b transposed: any strides
/// assert_eq!(out, array![[10.0, 60.0], [60.0, 160.0]]);
/// # Ok::<(), hadamard::ShapeMismatch>(())
/// ```
pub fn mul<T: Element, D: Dimension>(
    a: ArrayView<'_, T, D>,
    b: ArrayView<'_, T, D>,
    out: ArrayViewMut<'_, T, D>,
) -> Result<(), ShapeMismatch> {
    Options::new().mul_ndarray(a, b, out)
}

impl Options {
    /// [`ndarray::mul`](crate::ndarray::mul) with these options.
    pub fn mul_ndarray<T: Element, D: Dimension>(
        &self,
        a: ArrayView<'_, T, D>,
        b: ArrayView<'_, T, D>,
        mut out: ArrayViewMut<'_, T, D>,
    ) -> Result<(), ShapeMismatch> {
        if a.shape() != out.shape() || b.shape() != out.shape() {
            let dims = |s: &[usize]| Dims::Array(s.into());
            return Err(ShapeMismatch::new(
                "hadamard::ndarray::mul",
                &[
                    ("a", dims(a.shape())),
                    ("b", dims(b.shape())),
                    ("out", dims(out.shape())),
                ],
            ));
        }
        let same_strides = a.strides() == out.strides() && b.strides() == out.strides();
        if same_strides {
            if let (Some(a), Some(b)) = (a.as_slice_memory_order(), b.as_slice_memory_order()) {
                if let Some(out) = out.as_slice_memory_order_mut() {
                    self.mul_elementwise(a, b, out)
                        .expect("equal shapes and strides");
                    return Ok(());
                }
            }
        }
        if out.ndim() == 0 {
            // A 0-dimensional array holds one element.
            let (a, b) = ([a.first().copied()], [b.first().copied()]);
            if let (Some(x), Some(y), Some(o)) = (a[0], b[0], out.first_mut()) {
                let mut product = [x];
                self.mul_elementwise(&[x], &[y], &mut product)
                    .expect("one element each");
                *o = product[0];
            }
            return Ok(());
        }
        let axis = Axis(
            (0..out.ndim())
                .find(|&k| out.strides()[k] == 1)
                .unwrap_or(out.ndim() - 1),
        );
        let lane_opts = self.parallelism(Parallelism::Sequential);
        let bytes = 3 * out.len() * size_of::<T>();
        let split = crate::parallel::may_split(bytes, self.selected_parallelism());
        let zip = Zip::from(out.lanes_mut(axis))
            .and(a.lanes(axis))
            .and(b.lanes(axis));
        if split {
            // Lanes across the current rayon pool.
            zip.par_for_each(|o, a, b| lane(&lane_opts, o, a, b));
        } else {
            zip.for_each(|o, a, b| lane(&lane_opts, o, a, b));
        }
        Ok(())
    }
}

/// One lane: a kernel call when all three are contiguous, else gathered, multiplied and
/// scattered a chunk at a time through stack buffers (no allocation).
fn lane<T: Element>(
    opts: &Options,
    mut o: ArrayViewMut1<'_, T>,
    a: ArrayView1<'_, T>,
    b: ArrayView1<'_, T>,
) {
    if let (Some(a), Some(b)) = (a.as_slice(), b.as_slice()) {
        if let Some(o) = o.as_slice_mut() {
            opts.mul_elementwise(a, b, o).expect("lanes of one shape");
            return;
        }
    }
    crate::gather::mul_through_buffers(opts, a.iter().copied(), b.iter().copied(), o.iter_mut());
}
