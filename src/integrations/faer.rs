//! `faer` (feature `faer`): every operation of the slice API on faer's matrices and
//! columns (`Mat`, `MatRef`, `MatMut`, `Col`, `ColRef`, `ColMut`) of any strides — as free
//! functions (`hadamard::faer::mul(&a, &b, &mut out)`, each returning an error that names
//! the shapes) and as methods of [`HadamardExt`], imported once (`a.hadamard(&b)`,
//! `c.mul_add_assign(&a, &b)`), which panic on a shape mismatch.
//!
//! A column is an `n × 1` matrix here. When every operand's columns lie end to end with
//! unit row stride, a call is one slice call with the dispatch, the parallel split and the
//! streaming stores of the slice API; otherwise it goes column by column (row by row, by
//! transposing every view, when the output's rows are its contiguous lines): one kernel
//! call per line whose views are all slices, lines that are not (a transposed or negative
//! stride view) through buffers on the stack a chunk at a time. Above the parallel
//! threshold the lines are spread over the rayon pool.
//!
//! ```
//! use faer::{mat, Mat};
//! use hadamard::faer::HadamardExt;
//!
//! let a = mat![[1.0f64, 2.0], [3.0, 4.0]];
//! let b = mat![[10.0f64, 20.0], [30.0, 40.0]];
//! let c: Mat<f64> = a.hadamard(&b.transpose()); // any strides
//! assert_eq!(c, mat![[10.0, 60.0], [60.0, 160.0]]);
//! let mut acc = Mat::<f64>::ones(2, 2);
//! acc.mul_add_assign(&a, &b); // acc = a ⊙ b + acc, fused
//! assert_eq!(acc, mat![[11.0, 41.0], [91.0, 161.0]]);
//! assert_eq!(a.hadamard_sum(&b), 300.0); // ⟨a, b⟩
//! ```

use super::lanes::{self, Lane, LaneMut, Op};
use crate::error::Dims;
use core::mem::size_of;
use faer::{Col, ColMut, ColRef, Mat, MatMut, MatRef};
use hadamard_kernels::faer_views as views;

mod sealed {
    pub trait Sealed {}
}

/// A faer matrix or column, owned or a view: what the functions of this module read.
/// Implemented for `Mat`, `MatRef`, `MatMut`, `Col`, `ColRef` and `ColMut` (sealed); a
/// column is an `n × 1` matrix.
pub trait Operand<T>: sealed::Sealed {
    /// This operand as a matrix view.
    fn matrix_view(&self) -> MatRef<'_, T>;
}

/// A faer matrix or column that can be written: what the functions of this module write.
pub trait OperandMut<T>: Operand<T> {
    /// This operand as a mutable matrix view.
    fn matrix_view_mut(&mut self) -> MatMut<'_, T>;
}

macro_rules! operand {
    ($($ty:ty => |$m:ident| $view:expr;)*) => {$(
        impl<T> sealed::Sealed for $ty {}
        impl<T> Operand<T> for $ty {
            fn matrix_view(&self) -> MatRef<'_, T> {
                let $m = self;
                $view
            }
        }
    )*};
}
operand! {
    Mat<T> => |m| m.as_ref();
    MatRef<'_, T> => |m| m.as_ref();
    MatMut<'_, T> => |m| m.as_ref();
    Col<T> => |c| c.as_mat();
    ColRef<'_, T> => |c| c.as_mat();
    ColMut<'_, T> => |c| c.as_ref().as_mat();
}

impl<T> OperandMut<T> for Mat<T> {
    fn matrix_view_mut(&mut self) -> MatMut<'_, T> {
        self.as_mut()
    }
}
impl<T> OperandMut<T> for MatMut<'_, T> {
    fn matrix_view_mut(&mut self) -> MatMut<'_, T> {
        self.as_mut()
    }
}
impl<T> OperandMut<T> for Col<T> {
    fn matrix_view_mut(&mut self) -> MatMut<'_, T> {
        self.as_mat_mut()
    }
}
impl<T> OperandMut<T> for ColMut<'_, T> {
    fn matrix_view_mut(&mut self) -> MatMut<'_, T> {
        self.as_mut().as_mat_mut()
    }
}

fn view<T, A: Operand<T> + ?Sized>(a: &A) -> MatRef<'_, T> {
    a.matrix_view()
}

fn view_mut<T, A: OperandMut<T> + ?Sized>(a: &mut A) -> MatMut<'_, T> {
    a.matrix_view_mut()
}

impl<T: Copy> Lane<T> for ColRef<'_, T> {
    fn count(&self) -> usize {
        self.nrows()
    }
    fn slice(&self) -> Option<&[T]> {
        self.try_as_col_major().map(|c| c.as_slice())
    }
    fn at(&self, i: usize) -> T {
        self[i]
    }
}

impl<T: Copy> LaneMut<T> for ColMut<'_, T> {
    fn count(&self) -> usize {
        self.nrows()
    }
    fn slice_mut(&mut self) -> Option<&mut [T]> {
        self.as_mut()
            .try_as_col_major_mut()
            .map(|c| c.as_slice_mut())
    }
    fn at(&self, i: usize) -> T {
        self[i]
    }
    fn put(&mut self, i: usize, value: T) {
        self[i] = value;
    }
}

fn dims((rows, cols): (usize, usize)) -> Dims {
    Dims::Matrix(rows, cols)
}

fn shape<T>(m: &MatRef<'_, T>) -> (usize, usize) {
    (m.nrows(), m.ncols())
}

/// `op` over `out` and `inputs` of one shape: one call when all are one gapless run, else
/// line by line.
fn apply<T: Element, const N: usize>(
    opts: &Options,
    sig: &Signature,
    inputs: [MatRef<'_, T>; N],
    out: MatMut<'_, T>,
    op: &impl Op<T, N>,
) -> Result<(), ShapeMismatch> {
    sig.check(inputs.each_ref().map(shape), shape(&out.as_ref()), dims)?;
    let whole = inputs.map(views::contiguous);
    let (mut inputs, mut out) = (inputs, out);
    if whole.iter().all(Option::is_some) {
        if let Some(o) = views::contiguous_mut(out.as_mut()) {
            op(opts, whole.map(|s| s.expect("checked")), o);
            return Ok(());
        }
    }
    if out.row_stride() != 1 && out.col_stride() == 1 {
        // The output's rows are its contiguous lines: transposed, they are columns.
        inputs = inputs.map(MatRef::transpose);
        out = out.transpose_mut();
    }
    let elements = out.nrows() * out.ncols();
    let threads = lanes::threads_for(
        opts,
        (N + 1) * elements * size_of::<T>(),
        elements * size_of::<T>(),
        out.ncols(),
    );
    let all = out
        .col_iter_mut()
        .enumerate()
        .map(|(j, o)| (inputs.map(|a| a.col(j)), o));
    lanes::apply_all(opts, all, threads, op);
    Ok(())
}

/// `Σ a ⊙ b` by `f`: one call when both are one gapless run, else column by column.
fn sum<T: Accumulate>(
    opts: &Options,
    sig: &Signature,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    f: lanes::SumOf<T>,
) -> Result<T, ShapeMismatch> {
    sig.check([shape(&a)], shape(&b), dims)?;
    if let (Some(x), Some(y)) = (views::contiguous(a), views::contiguous(b)) {
        return Ok(f.of_slices(opts, x, y));
    }
    let (a, b) = if a.row_stride() != 1 && a.col_stride() == 1 {
        (a.transpose(), b.transpose())
    } else {
        (a, b)
    };
    Ok(lanes::sum_all(
        opts,
        (0..a.ncols()).map(|j| (a.col(j), b.col(j))),
        &f,
    ))
}

lanes::operations! {
    lib: "faer",
    generics: [],
    input: &(impl Operand<T> + ?Sized),
    output: &mut (impl OperandMut<T> + ?Sized),
    options_mul: mul_faer,
    example: r#"```
use faer::{mat, Mat};
let a = mat![[1.0f32, 2.0], [3.0, 4.0]];
let b = mat![[10.0f32, 20.0], [30.0, 40.0]];
let mut out = Mat::<f32>::zeros(2, 2);
hadamard::faer::mul(&a, &b.transpose(), &mut out)?; // b transposed: any strides
assert_eq!(out, mat![[10.0, 60.0], [60.0, 160.0]]);
# Ok::<(), hadamard::ShapeMismatch>(())
```"#,
}

lanes::hadamard_ext! {
    doc: "Every operation of the crate as methods of faer's matrices and columns (`use \
          hadamard::faer::HadamardExt;` once). The other operands may be any [`Operand`] of \
          the same shape; the methods panic when the shapes differ, with the message of the \
          free function of the same operation (which returns the error instead).\n\n\
          Implemented for every [`Operand`]: the in-place methods (`&mut self`) for every \
          [`OperandMut`].",
    head: [<T: Element>: Operand<T>],
    impl: [impl<T: Element, A: Operand<T> + ?Sized> HadamardExt<T> for A],
    input: &(impl Operand<T> + ?Sized),
    new: Mat<T> = new_like, "a new matrix",
    reads: [],
    new_where: [],
    writes: [Self: OperandMut<T>,],
    sum_note: "",
}

/// A new matrix of `a`'s shape, every element zero.
fn new_like<T: Element>(a: &(impl Operand<T> + ?Sized)) -> Mat<T> {
    let a = a.matrix_view();
    Mat::from_fn(a.nrows(), a.ncols(), |_, _| T::zeroed())
}
