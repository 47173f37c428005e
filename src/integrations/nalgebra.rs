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

use crate::matrix::{Dims, ShapeMismatch};
use crate::{Element, Options};
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

/// Column `j` of a matrix as a slice, when its row stride is 1.
fn column<T: Scalar, R: Dim, C: Dim, S: Storage<T, R, C>>(
    m: &Matrix<T, R, C, S>,
    j: usize,
) -> Option<&[T]> {
    let (rows, cols) = m.shape();
    let (rs, cs) = m.strides();
    if rs != 1 || j >= cols {
        return None;
    }
    // SAFETY: `Storage` promises that element (i, j) of an initialised matrix lives at
    // `as_ptr() + i·rs + j·cs` for i < rows, j < cols; with rs = 1 the column's `rows`
    // elements are consecutive from `as_ptr() + j·cs`, all initialised, and borrowed
    // shared for the lifetime of `m`.
    Some(unsafe { std::slice::from_raw_parts(m.as_ptr().add(j * cs), rows) })
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
        let (rs, cs) = out.strides();
        // Columns of `out` as slices need unit row stride and columns that cannot overlap.
        let out_columns = rs == 1 && (cs >= rows || cols == 1);
        let contiguous = |s: (usize, usize)| s.0 == 1 && (s.1 == rows || cols == 1);
        if out_columns
            && contiguous(out.strides())
            && contiguous(a.strides())
            && contiguous(b.strides())
        {
            let n = rows * cols;
            // SAFETY: every operand is column-major with no gap between columns, so its
            // `n` elements are consecutive from `as_ptr()` (the `Storage` layout); `a` and
            // `b` are shared borrows, `out` an exclusive one, so they do not alias.
            let (a, b, out) = unsafe {
                (
                    std::slice::from_raw_parts(a.as_ptr(), n),
                    std::slice::from_raw_parts(b.as_ptr(), n),
                    std::slice::from_raw_parts_mut(out.as_mut_ptr(), n),
                )
            };
            self.mul_elementwise(a, b, out).expect("equal shapes");
            return Ok(());
        }
        let column_opts = self.parallelism(crate::Parallelism::Sequential);
        let bytes = 3 * rows * cols * core::mem::size_of::<T>();
        let split = crate::parallel::may_split(bytes, self.selected_parallelism());
        if split && out_columns && a.strides().0 == 1 && b.strides().0 == 1 {
            // Every column of every operand is a slice: hand the columns to the pool (the
            // one allocation of this path: the list of column slices).
            use rayon::prelude::*;
            let out_ptr = out.as_mut_ptr();
            let columns: Vec<(&[T], &[T], &mut [T])> = (0..cols)
                .map(|j| {
                    // SAFETY: as in the sequential loop below: with rs = 1 and cs >= rows
                    // (or one column) the columns of `out` are disjoint runs of `rows`
                    // elements inside its storage, each handed out once.
                    let o = unsafe { std::slice::from_raw_parts_mut(out_ptr.add(j * cs), rows) };
                    (
                        column(a, j).expect("row stride 1"),
                        column(b, j).expect("row stride 1"),
                        o,
                    )
                })
                .collect();
            columns
                .into_par_iter()
                .for_each(|(a, b, o)| column_opts.mul_elementwise(a, b, o).expect("equal shapes"));
            return Ok(());
        }
        for j in 0..cols {
            if let (Some(a_col), Some(b_col), true) = (column(a, j), column(b, j), out_columns) {
                // SAFETY: as in `column`, for the exclusive borrow of `out`: with rs = 1 and
                // cs >= rows (or a single column) column j's elements are consecutive and
                // no other column's; `a` and `b` are shared borrows elsewhere.
                let o =
                    unsafe { std::slice::from_raw_parts_mut(out.as_mut_ptr().add(j * cs), rows) };
                column_opts
                    .mul_elementwise(a_col, b_col, o)
                    .expect("equal shapes");
            } else {
                // A column that is not a slice (a transposed view): gathered, multiplied and
                // scattered a chunk at a time through stack buffers, no allocation.
                crate::gather::mul_through_buffers(
                    &column_opts,
                    (0..rows).map(|i| a[(i, j)]),
                    (0..rows).map(|i| b[(i, j)]),
                    out.column_mut(j).iter_mut(),
                );
            }
        }
        Ok(())
    }
}
