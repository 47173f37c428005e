//! `nalgebra` (feature `nalgebra`): the product of two matrices (owned, views, any row
//! and column strides) into a third of the same shape.
//!
//! nalgebra stores matrices column by column. When all three are fully contiguous with
//! the same layout, the call is one slice call with the dispatch and the parallel split of
//! [`mul_elementwise`](crate::mul_elementwise); when each column is contiguous (row stride
//! 1, as in any view of whole columns or of a block), one kernel call per column; a column
//! that is not a slice (a transposed view) is gathered, multiplied and scattered a chunk at
//! a time through buffers on the stack, with no allocation. Above
//! the parallel threshold, whole-column operands are spread over the rayon pool by
//! columns.

use crate::element::Element;
use crate::error::{Dims, ShapeMismatch};
use crate::options::Options;
use hadamard_kernels::nalgebra_views as views;
use nalgebra::{Dim, Matrix, Scalar, Storage, StorageMut};

/// `out = a ⊙ b` for nalgebra matrices and views of equal shape; an error naming the three
/// shapes when they differ, `out` untouched then.
///
/// ```
/// use nalgebra::{Matrix2, Matrix2x3};
/// let a = Matrix2::new(1.0f64, 2.0, 3.0, 4.0);
/// let b = Matrix2x3::new(10.0, 20.0, 0.0, 30.0, 40.0, 0.0);
/// let mut out = Matrix2::zeros();
/// hadamard::nalgebra::mul(&a, &b.fixed_view::<2, 2>(0, 0), &mut out)?; // a view of b
/// assert_eq!(out, Matrix2::new(10.0, 40.0, 90.0, 160.0));
/// # Ok::<(), hadamard::ShapeMismatch>(())
/// ```
pub fn mul<T, R, C, R2, C2, R3, C3, SA, SB, SO>(
    a: &Matrix<T, R, C, SA>,
    b: &Matrix<T, R2, C2, SB>,
    out: &mut Matrix<T, R3, C3, SO>,
) -> Result<(), ShapeMismatch>
where
    T: Element + Scalar,
    R: Dim,
    C: Dim,
    R2: Dim,
    C2: Dim,
    R3: Dim,
    C3: Dim,
    SA: Storage<T, R, C>,
    SB: Storage<T, R2, C2>,
    SO: StorageMut<T, R3, C3>,
{
    Options::new().mul_nalgebra(a, b, out)
}

impl Options {
    /// [`nalgebra::mul`](crate::nalgebra::mul) with these options.
    pub fn mul_nalgebra<T, R, C, R2, C2, R3, C3, SA, SB, SO>(
        &self,
        a: &Matrix<T, R, C, SA>,
        b: &Matrix<T, R2, C2, SB>,
        out: &mut Matrix<T, R3, C3, SO>,
    ) -> Result<(), ShapeMismatch>
    where
        T: Element + Scalar,
        R: Dim,
        C: Dim,
        R2: Dim,
        C2: Dim,
        R3: Dim,
        C3: Dim,
        SA: Storage<T, R, C>,
        SB: Storage<T, R2, C2>,
        SO: StorageMut<T, R3, C3>,
    {
        let shape = out.shape();
        if a.shape() != shape || b.shape() != shape {
            let dims = |(r, c): (usize, usize)| Dims::Matrix(r, c);
            return Err(ShapeMismatch::new(
                "hadamard::nalgebra::mul",
                &[
                    ("a", dims(a.shape())),
                    ("b", dims(b.shape())),
                    ("out", dims(shape)),
                ],
            ));
        }
        let (rows, cols) = shape;
        if rows == 0 || cols == 0 {
            return Ok(());
        }
        let column_opts = self.parallelism(crate::Parallelism::Sequential);
        if let (Some(a), Some(b)) = (views::contiguous(a), views::contiguous(b)) {
            if let Some(out) = views::contiguous_mut(out) {
                self.mul_elementwise(a, b, out).expect("equal shapes");
                return Ok(());
            }
        }
        let bytes = 3 * rows * cols * core::mem::size_of::<T>();
        let split = crate::parallel::may_split(bytes, self.selected_parallelism());
        let a_columns = a.strides().0 == 1;
        let b_columns = b.strides().0 == 1;
        if split && a_columns && b_columns {
            if let Some(out_columns) = views::columns_mut(out) {
                // Every column of every operand is a slice: hand the columns to the pool
                // (the one allocation of this path: the list of column slices).
                use rayon::prelude::*;
                let columns: Vec<(&[T], &[T], &mut [T])> = out_columns
                    .enumerate()
                    .map(|(j, o)| {
                        let a = views::column(a, j).expect("row stride 1");
                        let b = views::column(b, j).expect("row stride 1");
                        (a, b, o)
                    })
                    .collect();
                columns.into_par_iter().for_each(|(a, b, o)| {
                    column_opts.mul_elementwise(a, b, o).expect("equal shapes")
                });
                return Ok(());
            }
        }
        for j in 0..cols {
            // A column of a view is a view with the same strides: a slice when its rows
            // are consecutive.
            let mut o = out.column_mut(j);
            if let (Some(a_col), Some(b_col)) = (views::column(a, j), views::column(b, j)) {
                if let Some(o) = views::contiguous_mut(&mut o) {
                    column_opts
                        .mul_elementwise(a_col, b_col, o)
                        .expect("equal shapes");
                    continue;
                }
            }
            // A column that is not a slice (a transposed view): gathered, multiplied and
            // scattered a chunk at a time through stack buffers, no allocation.
            crate::gather::mul_through_buffers(
                &column_opts,
                (0..rows).map(|i| a[(i, j)]),
                (0..rows).map(|i| b[(i, j)]),
                o.iter_mut(),
            );
        }
        Ok(())
    }
}
