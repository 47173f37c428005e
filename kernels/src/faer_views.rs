//! Slices of faer matrices, for the `hadamard` crate's faer integration.
//!
//! A faer view describes its memory by a pointer and two element strides: element (i, j)
//! lives at `as_ptr() + i·row_stride + j·col_stride`, borrowed with the view. faer hands out
//! a slice per column with unit row stride, but not the whole matrix when its columns lie
//! end to end. These functions check the strides at run time and hand out that slice, so
//! the integration needs no `unsafe` of its own.

use faer::{MatMut, MatRef};

/// Whether the `rows × cols` elements with strides `(rs, cs)` form one gapless run in
/// column-major order.
fn gapless(rows: usize, cols: usize, rs: isize, cs: isize) -> bool {
    rows > 0 && cols > 0 && rs == 1 && (cs as usize == rows || cols == 1)
}

/// All elements as one column-major slice, when they lie in one gapless run (and there
/// are some).
pub fn contiguous<'a, T>(m: MatRef<'a, T>) -> Option<&'a [T]> {
    let (rows, cols) = (m.nrows(), m.ncols());
    if !gapless(rows, cols, m.row_stride(), m.col_stride()) {
        return None;
    }
    // SAFETY: with row stride 1 and column stride `rows` (or one column), elements (i, j)
    // for i < rows, j < cols are the `rows·cols` consecutive elements from `as_ptr()`
    // (faer's layout: (i, j) at `as_ptr() + i·rs + j·cs`), initialised and borrowed shared
    // for `'a` with the view.
    Some(unsafe { core::slice::from_raw_parts(m.as_ptr(), rows * cols) })
}

/// All elements as one mutable column-major slice, when they lie in one gapless run.
pub fn contiguous_mut<'a, T>(m: MatMut<'a, T>) -> Option<&'a mut [T]> {
    let (rows, cols) = (m.nrows(), m.ncols());
    if !gapless(rows, cols, m.row_stride(), m.col_stride()) {
        return None;
    }
    // SAFETY: as `contiguous`, under the view's exclusive borrow for `'a`, which this
    // function takes by value.
    Some(unsafe { core::slice::from_raw_parts_mut(m.as_ptr_mut(), rows * cols) })
}
