//! NumPy buffers as Rust slices without the `numpy` crate's borrow registry: the one
//! module of the Python package with `unsafe` (the library and the report have none; the
//! kernels crate has the rest).
//!
//! Why it exists: the `numpy` crate tracks every `readonly()`/`readwrite()` in a registry
//! shared by all Rust extensions in the process (a hash map keyed by the array's base
//! object, with an inner map per base). For a small call that is the largest cost in it:
//! `perf` on a 16-element `multiply(a, b, out=c)` put 35% of the call (about 150 ns:
//! acquire and release for three arrays, the inner maps' allocations) there, which made a
//! 4K-element call slower than `np.multiply`'s. NumPy's own ufuncs consult no registry.
//!
//! What replaces it, for calls that keep the GIL throughout (below the binding's detach
//! size; larger calls keep the tracked borrows, whose cost is then noise): every check the
//! registry's borrows and `as_slice` would make that matters for soundness, made here from
//! the arrays' own fields — the output writeable, every operand contiguous in one memory
//! order, aligned and of one shape, and the output's bytes disjoint from every input's.
//! This package's own calls that release the GIL go through [`detach`], which counts them:
//! while one is in flight (another Python thread's large call, holding tracked borrows and
//! reading or writing its arrays without the GIL) no call takes this path, so this
//! package never races with itself. What is not checked is what NumPy's ufuncs do not
//! check either: that no *other* extension's thread, having released the GIL, writes the
//! same memory meanwhile. The callers' contract below keeps this thread from running
//! Python code while the slices live, so nothing in this process that needs the GIL can
//! write them.

use numpy::npyffi::flags::NPY_ARRAY_WRITEABLE;
use numpy::npyffi::objects::_PyArray_GET_ITEM_DATA;
use numpy::{PyArrayDyn, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::marker::Ungil;
use pyo3::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The bytes an array's elements span, `[first, end)` as addresses (empty for no
/// elements): `numpy.may_share_memory`'s bounds test, without a call into Python.
pub(crate) fn extent<T: numpy::Element>(array: &Bound<'_, PyArrayDyn<T>>) -> (usize, usize) {
    let shape = array.shape();
    if shape.contains(&0) {
        return (0, 0);
    }
    let start = array.data() as usize as isize;
    let (mut lo, mut hi) = (start, start + std::mem::size_of::<T>() as isize);
    for (&d, &stride) in shape.iter().zip(array.strides()) {
        let span = (d as isize - 1) * stride;
        if span < 0 {
            lo += span;
        } else {
            hi += span;
        }
    }
    (lo as usize, hi as usize)
}

/// How many of this package's calls are running with the GIL released. Changed only with
/// the GIL held (before releasing it, after retaking it), so a thread holding the GIL sees
/// every change made before it took it.
static DETACHED: AtomicUsize = AtomicUsize::new(0);

/// `py.detach(f)`, counted in [`DETACHED`] so that [`with_slices`] stands aside while it
/// runs.
pub(crate) fn detach<T: Send>(py: Python<'_>, f: impl Ungil + FnOnce() -> T) -> T {
    /// Uncounts on the way out, a panic included.
    struct Counted;
    impl Drop for Counted {
        fn drop(&mut self) {
            DETACHED.fetch_sub(1, Ordering::AcqRel);
        }
    }
    DETACHED.fetch_add(1, Ordering::AcqRel);
    let _counted = Counted;
    py.detach(f)
}

/// Whether two extents share a byte.
pub(crate) fn overlap((a, b): (usize, usize), (c, d): (usize, usize)) -> bool {
    a < b && c < d && a < d && c < b
}

fn writeable<T: numpy::Element>(array: &Bound<'_, PyArrayDyn<T>>) -> bool {
    // SAFETY: `as_array_ptr` points at the live array object `array` holds a reference
    // to, and the GIL is held (`Bound`); `_PyArray_GET_ITEM_DATA` is the `numpy` crate's
    // accessor of its fields, whose `flags` is read as the crate's own `is_aligned` does.
    unsafe { (*_PyArray_GET_ITEM_DATA(array.as_array_ptr())).flags & NPY_ARRAY_WRITEABLE != 0 }
}

/// Runs `f` on the inputs and the output as slices, in their common memory order, when
/// they allow it: the output writeable, every operand aligned and contiguous in one memory
/// order (all C or all Fortran) with the output's shape, the output sharing no byte with
/// any input, and no call of this package running with the GIL released. Otherwise
/// returns `None` without calling `f` (the caller's general path copies, broadcasts,
/// walks strides or raises).
///
/// # Safety
/// `f` runs no Python code (it is a call of the Rust crate), and the caller holds the GIL
/// until this returns (it does not `detach` inside `f`): then no code in this process that
/// needs the GIL can write the arrays while the slices live.
pub(crate) unsafe fn with_slices<T, const N: usize, R>(
    inputs: [&Bound<'_, PyArrayDyn<T>>; N],
    out: &Bound<'_, PyArrayDyn<T>>,
    f: impl FnOnce([&[T]; N], &mut [T]) -> R,
) -> Option<R>
where
    T: numpy::Element,
{
    // Another thread's large call of this package may be reading or writing these
    // arrays without the GIL: take the tracked path, whose borrows see its borrows.
    if DETACHED.load(Ordering::Acquire) != 0 {
        return None;
    }
    let shape = out.shape();
    let c_order = out.is_c_contiguous() && inputs.iter().all(|a| a.is_c_contiguous());
    let f_order = out.is_fortran_contiguous() && inputs.iter().all(|a| a.is_fortran_contiguous());
    let fits = writeable(out)
        && (c_order || f_order)
        && out.is_aligned()
        && inputs
            .iter()
            .all(|a| a.shape() == shape && a.is_aligned() && !overlap(extent(a), extent(out)));
    if !fits {
        return None;
    }
    let len = out.len();
    // Zero elements: NumPy may hold any pointer, aligned or not, even null; no slice is
    // made from it.
    if len == 0 {
        return Some(f([&[]; N], &mut []));
    }
    // SAFETY: each input is contiguous (`c_order`/`f_order`) and aligned, so its `len`
    // elements of `T` (the array's dtype: `PyArrayDyn<T>` was checked by `cast`) lie in
    // one run from `data()`, which is then non-null; in one memory order the same index
    // is the same element in every operand. Inputs may share memory with each other (both
    // are read); none shares a byte with `out` (checked above), so the one `&mut` aliases
    // nothing. Nothing else writes them while the slices live: the caller holds the GIL
    // and `f` runs no Python code (this function's contract).
    let slices: [&[T]; N] =
        std::array::from_fn(|k| unsafe { std::slice::from_raw_parts(inputs[k].data(), len) });
    // SAFETY: as above, and `out` is writeable (its flag checked above).
    let target = unsafe { std::slice::from_raw_parts_mut(out.data(), len) };
    Some(f(slices, target))
}
