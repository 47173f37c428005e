//! `ndarray` (feature `ndarray`): every operation of the slice API on arrays and views of
//! any dimension and any strides — as free functions (`hadamard::ndarray::mul(&a, &b, &mut
//! out)`, each returning an error that names the shapes) and
//! as methods of [`HadamardExt`], imported once (`a.hadamard(&b)`, `c.mul_add_assign(&a,
//! &b)`), which panic on a shape mismatch as ndarray's own operators do.
//!
//! When the arrays have the same strides and are contiguous in memory (standard or Fortran
//! order, or any other order they share), a call is one slice call with the dispatch and
//! the parallel split of the slice API. Otherwise it goes lane by lane along the axis where
//! the output is contiguous (the last one if none is): one kernel call per lane whose views
//! are all contiguous; lanes that are not (a transposed operand, a step) go through buffers
//! on the stack a chunk at a time — the same results, no allocation. Above the parallel
//! threshold the lanes are spread over the current rayon pool.
//!
//! ```
//! use hadamard::ndarray::HadamardExt;
//! use ndarray::array;
//!
//! let a = array![[1.0f32, 2.0], [3.0, 4.0]];
//! let b = array![[10.0f32, 20.0], [30.0, 40.0]];
//! assert_eq!(a.hadamard(&b.t()), array![[10.0, 60.0], [60.0, 160.0]]); // any strides
//! let mut c = array![[1.0f32, 1.0], [1.0, 1.0]];
//! c.mul_add_assign(&a, &b); // c = a ⊙ b + c, fused
//! assert_eq!(c, array![[11.0, 41.0], [91.0, 161.0]]);
//! assert_eq!(a.hadamard_sum(&b), 300.0); // ⟨a, b⟩
//! ```

use super::lanes::{self, Lane, LaneMut, Op};
use crate::error::Dims;
use ndarray::{
    Array, ArrayBase, ArrayView, ArrayView1, ArrayViewMut, ArrayViewMut1, Axis, Data, DataMut,
    Dimension,
};
use std::mem::size_of;

impl<T: Copy> Lane<T> for ArrayView1<'_, T> {
    fn count(&self) -> usize {
        self.len()
    }
    fn slice(&self) -> Option<&[T]> {
        self.as_slice()
    }
    fn at(&self, i: usize) -> T {
        self[i]
    }
}

impl<T: Copy> LaneMut<T> for ArrayViewMut1<'_, T> {
    fn count(&self) -> usize {
        self.len()
    }
    fn slice_mut(&mut self) -> Option<&mut [T]> {
        self.as_slice_mut()
    }
    fn at(&self, i: usize) -> T {
        self[i]
    }
    fn put(&mut self, i: usize, value: T) {
        self[i] = value;
    }
}

fn dims(shape: &[usize]) -> Dims {
    Dims::Array(shape.into())
}

mod sealed {
    pub trait Sealed {}
}

/// An ndarray array or view of any dimension `D`, data and strides: what the functions of
/// this module read. Implemented for every `ArrayBase` whose data can be read (sealed).
pub trait Operand<T, D>: sealed::Sealed {
    /// This operand as a view.
    fn hadamard_view(&self) -> ArrayView<'_, T, D>;
}

/// An ndarray array or mutable view: what the functions of this module write.
pub trait OperandMut<T, D>: Operand<T, D> {
    /// This operand as a mutable view.
    fn hadamard_view_mut(&mut self) -> ArrayViewMut<'_, T, D>;
}

impl<S: ndarray::RawData, D> sealed::Sealed for ArrayBase<S, D> {}

impl<T, S: Data<Elem = T>, D: Dimension> Operand<T, D> for ArrayBase<S, D> {
    fn hadamard_view(&self) -> ArrayView<'_, T, D> {
        self.view()
    }
}

impl<T, S: DataMut<Elem = T>, D: Dimension> OperandMut<T, D> for ArrayBase<S, D> {
    fn hadamard_view_mut(&mut self) -> ArrayViewMut<'_, T, D> {
        self.view_mut()
    }
}

fn view<T, D, A: Operand<T, D> + ?Sized>(a: &A) -> ArrayView<'_, T, D> {
    a.hadamard_view()
}

fn view_mut<T, D, A: OperandMut<T, D> + ?Sized>(a: &mut A) -> ArrayViewMut<'_, T, D> {
    a.hadamard_view_mut()
}

/// `op` over `out` and `inputs` of one shape: one call when all are one slice in the same
/// memory order, else lane by lane.
fn apply<T: Element, D: Dimension, const N: usize>(
    opts: &Options,
    sig: &Signature,
    inputs: [ArrayView<'_, T, D>; N],
    mut out: ArrayViewMut<'_, T, D>,
    op: &impl Op<T, N>,
) -> Result<(), ShapeMismatch> {
    sig.check(inputs.each_ref().map(|a| a.shape()), out.shape(), dims)?;
    let same_strides = inputs.iter().all(|a| a.strides() == out.strides());
    if same_strides {
        let slices = inputs.each_ref().map(|a| a.as_slice_memory_order());
        if slices.iter().all(Option::is_some) {
            if let Some(o) = out.as_slice_memory_order_mut() {
                op(opts, slices.map(|s| s.expect("checked")), o);
                return Ok(());
            }
        }
    }
    if out.ndim() == 0 {
        // One element, and no axis to make lanes along.
        let xs = inputs
            .each_ref()
            .map(|a| [*a.first().expect("a 0-dimensional array has one element")]);
        let o = out
            .first_mut()
            .expect("a 0-dimensional array has one element");
        let mut z = [*o];
        op(opts, xs.each_ref().map(|x| &x[..]), &mut z);
        *o = z[0];
        return Ok(());
    }
    let axis = Axis(
        (0..out.ndim())
            .find(|&k| out.strides()[k] == 1)
            .unwrap_or(out.ndim() - 1),
    );
    let lane_count = out.len() / out.len_of(axis).max(1);
    let threads = lanes::threads_for(
        opts,
        (N + 1) * out.len() * size_of::<T>(),
        out.len() * size_of::<T>(),
        lane_count,
    );
    let mut input_lanes = inputs.each_ref().map(|a| a.lanes(axis).into_iter());
    let all = out.lanes_mut(axis).into_iter().map(|o| {
        let inputs = input_lanes
            .each_mut()
            .map(|lanes| lanes.next().expect("lanes of one shape"));
        (inputs, o)
    });
    lanes::apply_all(opts, all, threads, op);
    Ok(())
}

/// `Σ a ⊙ b` by `f`: one call when both are one slice in the same memory order, else lane
/// by lane.
fn sum<T: Accumulate, D: Dimension>(
    opts: &Options,
    sig: &Signature,
    a: ArrayView<'_, T, D>,
    b: ArrayView<'_, T, D>,
    f: lanes::SumOf<T>,
) -> Result<T, ShapeMismatch> {
    sig.check([a.shape()], b.shape(), dims)?;
    if a.strides() == b.strides() {
        if let (Some(x), Some(y)) = (a.as_slice_memory_order(), b.as_slice_memory_order()) {
            return Ok(f.of_slices(opts, x, y));
        }
    }
    if a.ndim() == 0 {
        let (x, y) = (a.first().copied(), b.first().copied());
        let one = "a 0-dimensional array has one element";
        return Ok(f.of_slices(opts, &[x.expect(one)], &[y.expect(one)]));
    }
    let axis = Axis(
        (0..a.ndim())
            .find(|&k| a.strides()[k] == 1)
            .unwrap_or(a.ndim() - 1),
    );
    let pairs = a.lanes(axis).into_iter().zip(b.lanes(axis));
    Ok(lanes::sum_all(opts, pairs, &f))
}

lanes::operations! {
    lib: "ndarray",
    generics: [D: Dimension],
    input: &(impl Operand<T, D> + ?Sized),
    output: &mut (impl OperandMut<T, D> + ?Sized),
    options_mul: mul_ndarray,
    example: r#"```
use ndarray::{array, Array2};
let a = array![[1.0f32, 2.0], [3.0, 4.0]];
let b = array![[10.0f32, 20.0], [30.0, 40.0]];
let mut out = Array2::zeros((2, 2));
hadamard::ndarray::mul(&a, &b.t(), &mut out)?; // b transposed: any strides
assert_eq!(out, array![[10.0, 60.0], [60.0, 160.0]]);
# Ok::<(), hadamard::ShapeMismatch>(())
```"#,
}

lanes::hadamard_ext! {
    doc: "Every operation of the crate as methods of ndarray's arrays and views (`use \
          hadamard::ndarray::HadamardExt;` once). Operands may have any strides (transposed, \
          stepped, permuted views); the methods panic when the shapes differ, with the \
          message of the free function of the same operation (which returns the error \
          instead).\n\n\
          Implemented for every `ArrayBase`: the reading methods for any data, the in-place \
          ones (`&mut self`) for data that can be written (`Array`, `ArrayViewMut`).",
    head: [<T, S, D>],
    impl: [impl<T: Element, S: ndarray::RawData<Elem = T>, D: Dimension> HadamardExt<T, S, D>
        for ArrayBase<S, D>],
    input: &ArrayBase<impl Data<Elem = T>, D>,
    new: Array<T, D> = new_like, "a new array in standard order",
    reads: [S: Data<Elem = T>,],
    new_where: [],
    writes: [S: DataMut<Elem = T>,],
    sum_note: "; not ndarray's `dot`, the matrix product",
}

/// A new array of `a`'s shape in standard order, every element zero.
fn new_like<T: Element, S: Data<Elem = T>, D: Dimension>(a: &ArrayBase<S, D>) -> Array<T, D> {
    Array::from_elem(a.raw_dim(), T::zeroed())
}
