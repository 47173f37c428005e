//! `nalgebra` (feature `nalgebra`): every operation of the slice API on matrices and views
//! of any shape and any strides — as free functions (`hadamard::nalgebra::mul(&a, &b, &mut
//! out)`, each returning an error that names the shapes) and as methods of
//! [`HadamardExt`], imported once (`a.hadamard(&b)`, `c.mul_add_assign(&a, &b)`), which
//! panic on a shape mismatch as nalgebra's `component_mul` does.
//!
//! nalgebra stores matrices column by column. When every operand is one gapless run with
//! the same layout, a call is one slice call with the dispatch and the parallel split of
//! the slice API; otherwise it goes column by column (row by row when the output's rows
//! are its contiguous lines): one kernel call per line whose views are all slices, lines
//! that are not (a transposed view) through buffers on the stack a chunk at a time, with
//! no allocation. Above the parallel threshold, when the output's columns are slices, the
//! columns are spread over the rayon pool.
//!
//! ```
//! use hadamard::nalgebra::HadamardExt;
//! use nalgebra::Matrix2;
//!
//! let a = Matrix2::new(1.0f64, 2.0, 3.0, 4.0);
//! let b = Matrix2::new(10.0f64, 20.0, 30.0, 40.0);
//! assert_eq!(a.hadamard(&b), a.component_mul(&b));
//! let mut c = Matrix2::repeat(1.0f64);
//! c.mul_add_assign(&a, &b.transpose()); // c = a ⊙ bᵀ + c, fused; any strides
//! assert_eq!(c, Matrix2::new(11.0, 61.0, 61.0, 161.0));
//! assert_eq!(a.hadamard_sum(&b), a.dot(&b)); // ⟨a, b⟩
//! ```

use super::lanes::{self, Lane, LaneMut, Op};
use crate::error::Dims;
use hadamard_kernels::nalgebra_views as views;
use nalgebra::{
    DefaultAllocator, Dim, Dyn, Matrix, MatrixView, MatrixViewMut, OMatrix, RawStorage,
    RawStorageMut, Scalar,
};

/// The one view type every operand becomes: any shape, any strides.
type View<'a, T> = MatrixView<'a, T, Dyn, Dyn, Dyn, Dyn>;
type ViewMut<'a, T> = MatrixViewMut<'a, T, Dyn, Dyn, Dyn, Dyn>;

mod sealed {
    pub trait Sealed {}
}

/// An nalgebra matrix or view of any dimensions and storage: what the functions of this
/// module read. Implemented for every `Matrix` (sealed).
pub trait Operand<T>: sealed::Sealed {
    #[doc(hidden)]
    fn hadamard_view(&self) -> Operands<'_, T>;
}

/// An nalgebra matrix or mutable view: what the functions of this module write.
pub trait OperandMut<T>: Operand<T> {
    #[doc(hidden)]
    fn hadamard_view_mut(&mut self) -> OperandsMut<'_, T>;
}

/// An operand's shape and, when it has elements, its view.
#[doc(hidden)]
pub struct Operands<'a, T> {
    shape: (usize, usize),
    view: Option<View<'a, T>>,
}

#[doc(hidden)]
pub struct OperandsMut<'a, T> {
    shape: (usize, usize),
    view: Option<ViewMut<'a, T>>,
}

impl<T, R: Dim, C: Dim, S: RawStorage<T, R, C>> sealed::Sealed for Matrix<T, R, C, S> {}

impl<T: Scalar, R: Dim, C: Dim, S: RawStorage<T, R, C>> Operand<T> for Matrix<T, R, C, S> {
    fn hadamard_view(&self) -> Operands<'_, T> {
        let shape = self.shape();
        let view =
            (shape.0 > 0 && shape.1 > 0).then(|| self.view_with_steps((0, 0), shape, (0, 0)));
        Operands { shape, view }
    }
}

impl<T: Scalar, R: Dim, C: Dim, S: RawStorageMut<T, R, C>> OperandMut<T> for Matrix<T, R, C, S> {
    fn hadamard_view_mut(&mut self) -> OperandsMut<'_, T> {
        let shape = self.shape();
        let view =
            (shape.0 > 0 && shape.1 > 0).then(|| self.view_with_steps_mut((0, 0), shape, (0, 0)));
        OperandsMut { shape, view }
    }
}

fn view<T, A: Operand<T> + ?Sized>(a: &A) -> Operands<'_, T> {
    a.hadamard_view()
}

fn view_mut<T, A: OperandMut<T> + ?Sized>(a: &mut A) -> OperandsMut<'_, T> {
    a.hadamard_view_mut()
}

/// A row or column of a view.
impl<T: Scalar + Copy, R: Dim, C: Dim> Lane<T> for MatrixView<'_, T, R, C, Dyn, Dyn> {
    fn count(&self) -> usize {
        self.len()
    }
    fn slice(&self) -> Option<&[T]> {
        views::contiguous(self)
    }
    fn at(&self, i: usize) -> T {
        self[i]
    }
}

impl<T: Scalar + Copy, R: Dim, C: Dim> LaneMut<T> for MatrixViewMut<'_, T, R, C, Dyn, Dyn> {
    fn count(&self) -> usize {
        self.len()
    }
    fn slice_mut(&mut self) -> Option<&mut [T]> {
        views::contiguous_mut(self)
    }
    fn at(&self, i: usize) -> T {
        self[i]
    }
    fn put(&mut self, i: usize, value: T) {
        self[i] = value;
    }
}

/// A column that is a slice (the parallel path's output lanes).
impl<T: Copy> LaneMut<T> for &mut [T] {
    fn count(&self) -> usize {
        self.len()
    }
    fn slice_mut(&mut self) -> Option<&mut [T]> {
        Some(self)
    }
    fn at(&self, i: usize) -> T {
        self[i]
    }
    fn put(&mut self, i: usize, value: T) {
        self[i] = value;
    }
}

/// `op` over `out` and `inputs` of one shape: one call when all are one gapless run, else
/// line by line.
fn apply<T: Element, const N: usize>(
    opts: &Options,
    sig: &Signature,
    inputs: [Operands<'_, T>; N],
    out: OperandsMut<'_, T>,
    op: &impl Op<T, N>,
) -> Result<(), ShapeMismatch> {
    let dims = |(r, c): (usize, usize)| Dims::Matrix(r, c);
    sig.check(inputs.each_ref().map(|a| a.shape), out.shape, dims)?;
    let Some(mut out) = out.view else {
        return Ok(()); // no elements
    };
    let inputs = inputs.map(|a| a.view.expect("same shape as out, which has elements"));
    let whole = inputs.each_ref().map(|a| views::contiguous(a));
    if whole.iter().all(Option::is_some) {
        if let Some(o) = views::contiguous_mut(&mut out) {
            op(opts, whole.map(|s| s.expect("checked")), o);
            return Ok(());
        }
    }
    let (rows, cols) = out.shape();
    let lane_opts = opts.parallelism(crate::Parallelism::Sequential);
    let (rs, cs) = out.strides();
    if rs != 1 && cs == 1 {
        // Rows are the output's contiguous lines.
        for i in 0..rows {
            let lines = inputs.each_ref().map(|a| a.row(i));
            let refs = lines.each_ref().map(|l| l as &dyn Lane<T>);
            lanes::apply(&lane_opts, refs, &mut out.row_mut(i), op);
        }
        return Ok(());
    }
    let threads = lanes::threads_for(
        opts,
        (N + 1) * rows * cols * size_of::<T>(),
        rows * cols * size_of::<T>(),
        cols,
    );
    if threads.count > 1 {
        if let Some(out_columns) = views::columns_mut(&mut out) {
            let all = out_columns
                .enumerate()
                .map(|(j, o)| (inputs.each_ref().map(|a| a.column(j)), o));
            lanes::apply_all(opts, all, threads, op);
            return Ok(());
        }
    }
    for j in 0..cols {
        let lines = inputs.each_ref().map(|a| a.column(j));
        let refs = lines.each_ref().map(|l| l as &dyn Lane<T>);
        lanes::apply(&lane_opts, refs, &mut out.column_mut(j), op);
    }
    Ok(())
}

/// `Σ a ⊙ b` by `f`: one call when both are one gapless run, else line by line.
fn sum<T: Accumulate>(
    opts: &Options,
    sig: &Signature,
    a: Operands<'_, T>,
    b: Operands<'_, T>,
    f: lanes::SumOf<T>,
) -> Result<T, ShapeMismatch> {
    let dims = |(r, c): (usize, usize)| Dims::Matrix(r, c);
    sig.check([a.shape], b.shape, dims)?;
    let (Some(a), Some(b)) = (a.view, b.view) else {
        return Ok(T::zeroed());
    };
    if let (Some(x), Some(y)) = (views::contiguous(&a), views::contiguous(&b)) {
        return Ok(f.of_slices(opts, x, y));
    }
    let (rows, cols) = a.shape();
    if a.strides().0 != 1 && a.strides().1 == 1 {
        return Ok(lanes::sum_all(
            opts,
            (0..rows).map(|i| (a.row(i), b.row(i))),
            &f,
        ));
    }
    Ok(lanes::sum_all(
        opts,
        (0..cols).map(|j| (a.column(j), b.column(j))),
        &f,
    ))
}

use core::mem::size_of;

lanes::operations! {
    lib: "nalgebra",
    generics: [],
    input: &(impl Operand<T> + ?Sized),
    output: &mut (impl OperandMut<T> + ?Sized),
    options_mul: mul_nalgebra,
    example: r#"```
use nalgebra::{Matrix2, Matrix2x3};
let a = Matrix2::new(1.0f64, 2.0, 3.0, 4.0);
let b = Matrix2x3::new(10.0, 20.0, 0.0, 30.0, 40.0, 0.0);
let mut out = Matrix2::zeros();
hadamard::nalgebra::mul(&a, &b.fixed_view::<2, 2>(0, 0), &mut out)?; // a view of b
assert_eq!(out, Matrix2::new(10.0, 40.0, 90.0, 160.0));
# Ok::<(), hadamard::ShapeMismatch>(())
```"#,
}

lanes::hadamard_ext! {
    doc: "Every operation of the crate as methods of nalgebra's matrices and views (`use \
          hadamard::nalgebra::HadamardExt;` once). Operands may be any matrix or view of any \
          strides (a transposed or stepped view, a block); the methods panic when the shapes \
          differ, with the message of the free function of the same operation (which returns \
          the error instead).\n\n\
          Implemented for every `Matrix`: the reading methods for any storage, the in-place \
          ones (`&mut self`) for storage that can be written.",
    head: [<T: Element, R: Dim, C: Dim, S>],
    impl: [impl<T: Element, R: Dim, C: Dim, S: RawStorage<T, R, C>> HadamardExt<T, R, C, S>
        for Matrix<T, R, C, S>],
    input: &(impl Operand<T> + ?Sized),
    new: OMatrix<T, R, C> = new_like, "a new matrix",
    reads: [S: RawStorage<T, R, C>,],
    new_where: [DefaultAllocator: nalgebra::allocator::Allocator<R, C>,],
    writes: [S: RawStorageMut<T, R, C>,],
    sum_note: "; nalgebra's `dot`, at this crate's speed and with its bound",
}

/// A new matrix of `a`'s shape, every element zero.
fn new_like<T: Element, R: Dim, C: Dim, S: RawStorage<T, R, C>>(
    a: &Matrix<T, R, C, S>,
) -> OMatrix<T, R, C>
where
    DefaultAllocator: nalgebra::allocator::Allocator<R, C>,
{
    let (r, c) = a.shape_generic();
    OMatrix::from_element_generic(r, c, T::zeroed())
}
