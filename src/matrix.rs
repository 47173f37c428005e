//! Row-major matrix views with a row stride (images with a pitch, blocks of a larger
//! matrix), and the element-wise operations on them: row by row with the slice kernels, or
//! one slice call when every operand is contiguous.
//!
//! A view is checked when it is built — the stride covers the columns, and
//! `(rows − 1)·stride + cols` neither overflows nor exceeds the slice — so every row an
//! operation touches is a valid sub-slice and no shape can lead to an out-of-bounds access.

use crate::element::Element;
use crate::error::{Dims, LayoutError, ShapeMismatch};
use crate::options::Options;
use crate::parallel::Parallelism;
use crate::parallel::{LINE_BYTES, MIN_PIECE_BYTES};

/// The elements a view of this shape needs from a slice of `len`, or why it cannot exist.
fn checked_len(len: usize, rows: usize, cols: usize, stride: usize) -> Result<usize, LayoutError> {
    let needed = needed(rows, cols, stride)?;
    if needed > len {
        return Err(LayoutError::TooShort { needed, len });
    }
    Ok(needed)
}

/// The elements a view of this shape needs, or why it cannot exist.
fn needed(rows: usize, cols: usize, stride: usize) -> Result<usize, LayoutError> {
    if rows > 1 && stride < cols {
        return Err(LayoutError::StrideTooSmall { cols, stride });
    }
    if rows == 0 || cols == 0 {
        return Ok(0);
    }
    (rows - 1)
        .checked_mul(stride)
        .and_then(|n| n.checked_add(cols))
        .ok_or(LayoutError::Overflow { rows, cols, stride })
}

/// What the matrix operations return: `Ok`, or the shapes that do not fit.
type Shaped = Result<(), ShapeMismatch>;

/// The constructors and shape of a view, alike for [`MatRef`] and [`MatMut`] (`mut`).
macro_rules! view_basics {
    ($view:ident $(, $mutable:tt)?) => {
        /// A contiguous `rows × cols` view of the first `rows · cols` elements of `data`.
        pub fn new(data: &'a $($mutable)? [T], rows: usize, cols: usize) -> Result<Self, LayoutError> {
            Self::with_stride(data, rows, cols, cols)
        }

        /// A view whose row `i` starts at `data[i · stride]`.
        pub fn with_stride(
            data: &'a $($mutable)? [T],
            rows: usize,
            cols: usize,
            stride: usize,
        ) -> Result<Self, LayoutError> {
            let needed = checked_len(data.len(), rows, cols, stride)?;
            Ok($view {
                data: &$($mutable)? data[..needed],
                rows,
                cols,
                stride,
            })
        }

        /// Rows.
        pub fn rows(&self) -> usize {
            self.rows
        }

        /// Columns.
        pub fn cols(&self) -> usize {
            self.cols
        }

        /// Elements from the start of one row to the start of the next.
        pub fn stride(&self) -> usize {
            self.stride
        }
    };
}

/// A shared row-major view: `rows × cols` elements, row `i` starting at `i · stride`.
///
/// ```
/// use hadamard::MatRef;
/// // A 2×3 block of a 3×4 image (pitch 4), starting at row 1, column 1.
/// let image = [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23u8];
/// let block = MatRef::with_stride(&image[5..], 2, 3, 4)?;
/// assert_eq!(block.row(1), &[21, 22, 23]);
/// assert!(MatRef::with_stride(&image[5..], 3, 3, 4).is_err()); // runs past the slice
/// # Ok::<(), hadamard::LayoutError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct MatRef<'a, T> {
    data: &'a [T],
    rows: usize,
    cols: usize,
    stride: usize,
}

impl<'a, T> MatRef<'a, T> {
    view_basics!(MatRef);

    /// Row `i`.
    ///
    /// # Panics
    ///
    /// When `i >= rows`.
    pub fn row(&self, i: usize) -> &'a [T] {
        assert!(i < self.rows, "row {i} of a matrix with {} rows", self.rows);
        if self.cols == 0 {
            return &[];
        }
        &self.data[i * self.stride..][..self.cols]
    }

    /// The elements as one slice when the rows are back to back.
    fn contiguous(&self) -> Option<&'a [T]> {
        (self.stride == self.cols || self.rows <= 1).then_some(self.data)
    }

    /// The rows `from..to` as a view.
    fn rows_range(&self, from: usize, to: usize) -> MatRef<'a, T> {
        let start = (from * self.stride).min(self.data.len());
        let end = if to > from && self.cols > 0 {
            (to - 1) * self.stride + self.cols
        } else {
            start
        };
        MatRef {
            data: &self.data[start..end],
            rows: to - from,
            ..*self
        }
    }
}

/// An exclusive row-major view: `rows × cols` elements, row `i` starting at `i · stride`.
/// The elements between rows (the pitch) are never written.
#[derive(Debug)]
pub struct MatMut<'a, T> {
    data: &'a mut [T],
    rows: usize,
    cols: usize,
    stride: usize,
}

impl<'a, T> MatMut<'a, T> {
    view_basics!(MatMut, mut);

    /// Row `i`, mutably.
    ///
    /// # Panics
    ///
    /// When `i >= rows`.
    pub fn row_mut(&mut self, i: usize) -> &mut [T] {
        assert!(i < self.rows, "row {i} of a matrix with {} rows", self.rows);
        if self.cols == 0 {
            return &mut [];
        }
        &mut self.data[i * self.stride..][..self.cols]
    }

    /// A shorter-lived exclusive view of the same elements.
    pub fn rb_mut(&mut self) -> MatMut<'_, T> {
        MatMut {
            data: self.data,
            rows: self.rows,
            cols: self.cols,
            stride: self.stride,
        }
    }

    fn contiguous(&mut self) -> Option<&mut [T]> {
        (self.stride == self.cols || self.rows <= 1).then_some(&mut *self.data)
    }

    /// Rows `..mid` and `mid..` as two exclusive views (disjoint: `mid · stride` splits
    /// the slice between the rows).
    fn split_rows(self, mid: usize) -> (MatMut<'a, T>, MatMut<'a, T>) {
        let (rows, cols, stride) = (self.rows, self.cols, self.stride);
        let at = (mid * stride).min(self.data.len());
        let (top, bottom) = self.data.split_at_mut(at);
        let view = |data, rows| MatMut {
            data,
            rows,
            cols,
            stride,
        };
        (view(top, mid), view(bottom, rows - mid))
    }
}

fn dims<T>(m: &MatRef<'_, T>) -> Dims {
    Dims::Matrix(m.rows, m.cols)
}

/// What a matrix operation does to one row: `(a row, the other operand, row index, out row)`.
type RowOp<'f, T, B> = dyn Fn(&[T], B, usize, &mut [T]) + Sync + 'f;

/// Runs `row(a_i, b_i, out_i)` for every row, in runs of rows on the threads the crate's
/// one rule gives (`split_cost::threads_for`: at most one a row, one per 16 KiB of output);
/// each row call itself stays on its thread.
fn for_each_row<T: Element, B: Copy + Send + Sync>(
    a: MatRef<'_, T>,
    b: B,
    out: MatMut<'_, T>,
    opts: &Options,
    row: &RowOp<'_, T, B>,
) {
    // An empty view may still claim any number of rows (0 columns): nothing to visit.
    if a.rows == 0 || a.cols == 0 {
        return;
    }
    let size = core::mem::size_of::<T>();
    let out_bytes = a.rows * a.cols * size;
    let max_parts = (out_bytes / MIN_PIECE_BYTES).clamp(1, a.rows);
    let threads = crate::split_cost::threads_for(
        3 * out_bytes,
        opts.selected_parallelism(),
        opts.selected_max_threads(),
        max_parts,
    );
    /// The first `left` of `of` shares of the rows, and the rest.
    fn cut<'r, T>(
        (a, out, first): Rows<'r, T>,
        left: usize,
        of: usize,
    ) -> (Rows<'r, T>, Rows<'r, T>) {
        let stride_bytes = out.stride * core::mem::size_of::<T>();
        let mid = line_aligned_row(
            out.data.as_ptr() as usize,
            a.rows,
            stride_bytes,
            a.rows * left / of,
        );
        let (top, bottom) = out.split_rows(mid);
        (
            (a.rows_range(0, mid), top, first),
            (a.rows_range(mid, a.rows), bottom, first + mid),
        )
    }
    let run = |(a, mut out, first): Rows<'_, T>, _: usize| {
        for i in 0..a.rows {
            row(a.row(i), b, first + i, out.row_mut(i));
        }
    };
    if threads.count > 1 {
        crate::parallel::observe::large_call(threads.count);
    }
    crate::threads::run_parts((a, out, 0), threads.count, max_parts, &cut::<T>, &run);
    threads.ended();
}

/// A run of rows: of the input, of the output, and the index of its first row.
type Rows<'a, T> = (MatRef<'a, T>, MatMut<'a, T>, usize);

/// A row near `target` (in `1..rows`) whose start lies on a 64-byte line, so that the
/// two runs never write the same line; `target` itself when no row start near it does
/// (rows start every `stride_bytes`, so their offsets from a line repeat every
/// `64 / gcd(stride_bytes, 64)` rows, and none may be 0: then the pitch between rows,
/// when it is 64 bytes or more, is what keeps the runs apart).
fn line_aligned_row(base: usize, rows: usize, stride_bytes: usize, target: usize) -> usize {
    let period = LINE_BYTES >> (stride_bytes | LINE_BYTES).trailing_zeros();
    let on_line =
        |r: usize| (base.wrapping_add(r.wrapping_mul(stride_bytes))).is_multiple_of(LINE_BYTES);
    for d in 0..period.max(1) {
        for r in [target + d, target.wrapping_sub(d)] {
            if (1..rows).contains(&r) && on_line(r) {
                return r;
            }
        }
    }
    target.clamp(1, rows.max(2) - 1)
}

impl Options {
    /// `out = a ⊙ b` for matrix views; an error naming the three shapes when they differ,
    /// and `out` untouched then.
    pub fn mul_matrix<T: Element>(
        &self,
        a: &MatRef<'_, T>,
        b: &MatRef<'_, T>,
        out: &mut MatMut<'_, T>,
    ) -> Result<(), ShapeMismatch> {
        let (rows, cols) = (a.rows, a.cols);
        if (b.rows, b.cols) != (rows, cols) || (out.rows, out.cols) != (rows, cols) {
            return Err(ShapeMismatch::new(
                "hadamard::mul_matrix",
                &[
                    ("a", dims(a)),
                    ("b", dims(b)),
                    ("out", Dims::Matrix(out.rows, out.cols)),
                ],
            ));
        }
        if let (Some(a), Some(b), Some(out)) = (a.contiguous(), b.contiguous(), out.contiguous()) {
            let n = rows * cols;
            self.mul_elementwise(&a[..n], &b[..n], &mut out[..n])
                .expect("equal lengths");
            return Ok(());
        }
        let rows_opts = self.parallelism(Parallelism::Sequential);
        for_each_row(*a, *b, out.rb_mut(), self, &|a_row, b, i, out_row| {
            rows_opts
                .mul_elementwise(a_row, b.row(i), out_row)
                .expect("rows of equal shapes have equal lengths")
        });
        Ok(())
    }

    /// `out = diag(d) · a`: row `i` of `a` times `d[i]`; an error naming the shapes when
    /// `d` does not have one element per row or `out` differs from `a`.
    pub fn scale_rows<T: Element>(&self, a: &MatRef<T>, d: &[T], out: &mut MatMut<T>) -> Shaped {
        let opts = self.parallelism(Parallelism::Sequential);
        let row_i_times_d_i = |a_row: &[T], d: &[T], i: usize, out_row: &mut [T]| {
            (opts.mul_scalar(a_row, d[i], out_row)).expect("rows of equal shapes")
        };
        self.scale("hadamard::scale_rows", a.rows, a, d, out, &row_i_times_d_i)
    }

    /// `out = a · diag(d)`: column `j` of `a` times `d[j]` (feature weighting, attention
    /// weights per column); an error naming the shapes when `d` does not have one element
    /// per column or `out` differs from `a`.
    pub fn scale_cols<T: Element>(&self, a: &MatRef<T>, d: &[T], out: &mut MatMut<T>) -> Shaped {
        let opts = self.parallelism(Parallelism::Sequential);
        let row_times_d = |a_row: &[T], d: &[T], _: usize, out_row: &mut [T]| {
            (opts.mul_elementwise(a_row, d, out_row)).expect("rows of equal shapes")
        };
        self.scale("hadamard::scale_cols", a.cols, a, d, out, &row_times_d)
    }

    /// The shape check shared by the two scalings (`d` must have `d_len` elements and
    /// `out` the shape of `a`), then `row` on every row.
    fn scale<'d, T: Element>(
        &self,
        operation: &'static str,
        d_len: usize,
        a: &MatRef<'_, T>,
        d: &'d [T],
        out: &mut MatMut<'_, T>,
        row: &RowOp<'_, T, &'d [T]>,
    ) -> Result<(), ShapeMismatch> {
        if d.len() != d_len || (out.rows, out.cols) != (a.rows, a.cols) {
            return Err(ShapeMismatch::new(
                operation,
                &[
                    ("a", dims(a)),
                    ("d", Dims::Vector(d.len())),
                    ("out", Dims::Matrix(out.rows, out.cols)),
                ],
            ));
        }
        for_each_row(*a, d, out.rb_mut(), self, row);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::line_aligned_row;

    /// Every base offset, stride and target row: the row chosen is in `1..rows`, near the
    /// target, and starts on a line whenever some row within one period of it does.
    #[test]
    fn row_splits_fall_on_lines_where_a_row_start_can() {
        for base in (0..128).map(|k| 4096 + 4 * k) {
            for stride_bytes in (4..=600).step_by(4) {
                for rows in [2, 3, 7, 64, 1000] {
                    for target in [rows / 2, rows / 3, 1, rows - 1] {
                        let r = line_aligned_row(base, rows, stride_bytes, target);
                        assert!((1..rows).contains(&r), "row {r} of {rows}");
                        let aligned = |r: usize| (base + r * stride_bytes).is_multiple_of(64);
                        let exists = (1..rows).filter(|&q| q.abs_diff(target) <= 16).any(aligned);
                        if exists {
                            assert!(
                                aligned(r),
                                "base {base} stride {stride_bytes} rows {rows}: row {r}"
                            );
                            assert!(
                                r.abs_diff(target) <= 16,
                                "row {r} far from {target} of {rows}"
                            );
                        } else {
                            assert_eq!(r, target.clamp(1, rows - 1));
                        }
                    }
                }
            }
        }
    }
}
