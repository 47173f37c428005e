//! Slices of nalgebra matrices, for the `hadamard` crate's nalgebra integration.
//!
//! nalgebra describes a matrix's memory through its `unsafe trait RawStorage`: element
//! (i, j) lives at `ptr() + i·rs + j·cs` for the strides `(rs, cs)`, and the storage is
//! borrowed with the matrix. It offers slices only for storage types that are contiguous
//! by type (`IsContiguous`), not for a view whose strides happen to be unit at run time.
//! These functions check the strides at run time and hand out the slices that layout
//! allows, so the integration needs no `unsafe` of its own.

use nalgebra::{Dim, Matrix, RawStorage, RawStorageMut};

/// Whether the `rows × cols` elements with strides `(rs, cs)` form one gapless run in
/// column-major order: unit row stride and columns end to end, or a single row with unit
/// column stride.
fn gapless(rows: usize, cols: usize, (rs, cs): (usize, usize)) -> bool {
    (rs == 1 && (cs == rows || cols == 1)) || (rows == 1 && cs == 1)
}

/// All elements as one column-major slice, when they lie in one gapless run.
pub fn contiguous<T, R: Dim, C: Dim, S: RawStorage<T, R, C>>(
    m: &Matrix<T, R, C, S>,
) -> Option<&[T]> {
    let (rows, cols) = m.shape();
    if !gapless(rows, cols, m.strides()) {
        return None;
    }
    // SAFETY: with rs = 1 and cs = rows (or one column) elements (i, j) for i < rows,
    // j < cols are the `rows·cols` consecutive elements from `ptr()`, and with one row
    // and cs = 1 so are (0, j) for j < cols (the `RawStorage` contract: (i, j) is at
    // `ptr() + i·rs + j·cs`), initialised and borrowed shared with `m`.
    Some(unsafe { core::slice::from_raw_parts(m.data.ptr(), rows * cols) })
}

/// All elements as one mutable column-major slice, when they lie in one gapless run.
pub fn contiguous_mut<T, R: Dim, C: Dim, S: RawStorageMut<T, R, C>>(
    m: &mut Matrix<T, R, C, S>,
) -> Option<&mut [T]> {
    let (rows, cols) = m.shape();
    if !gapless(rows, cols, m.strides()) {
        return None;
    }
    // SAFETY: as `contiguous`, under the exclusive borrow of `m`.
    Some(unsafe { core::slice::from_raw_parts_mut(m.data.ptr_mut(), rows * cols) })
}

/// Column `j` as a slice, when the row stride is 1.
pub fn column<T, R: Dim, C: Dim, S: RawStorage<T, R, C>>(
    m: &Matrix<T, R, C, S>,
    j: usize,
) -> Option<&[T]> {
    let (rows, cols) = m.shape();
    let (rs, cs) = m.strides();
    if rs != 1 || j >= cols {
        return None;
    }
    // SAFETY: with rs = 1 column j's `rows` elements are consecutive from
    // `ptr() + j·cs` (the `RawStorage` contract), initialised and borrowed shared with `m`.
    Some(unsafe { core::slice::from_raw_parts(m.data.ptr().add(j * cs), rows) })
}

/// Every column as a mutable slice, when the row stride is 1 and columns do not
/// overlap (column stride at least the column length, or one column).
pub fn columns_mut<T, R: Dim, C: Dim, S: RawStorageMut<T, R, C>>(
    m: &mut Matrix<T, R, C, S>,
) -> Option<impl Iterator<Item = &mut [T]>> {
    let (rows, cols) = m.shape();
    let (rs, cs) = m.strides();
    if rs != 1 || (cs < rows && cols > 1) {
        return None;
    }
    let base = m.data.ptr_mut();
    // SAFETY: with rs = 1 and cs >= rows (or one column) the columns are disjoint runs
    // of `rows` consecutive elements at `base + j·cs`, each handed out once, all under
    // the exclusive borrow of `m` that the iterator's lifetime keeps.
    Some((0..cols).map(move |j| unsafe { core::slice::from_raw_parts_mut(base.add(j * cs), rows) }))
}
