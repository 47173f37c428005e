//! `hadamard._hadamard`: the crate's operations on NumPy arrays.
//!
//! Every function takes arrays of one dtype (a Python scalar adopts the array's dtype, as
//! NumPy 2 does; nothing else is cast), broadcasts them as NumPy does, checks `out`, and
//! only then runs the crate's call. Small calls (outputs under 512 KiB) whose operands are
//! contiguous in one order, aligned and apart from `out` are one slice call with the GIL
//! held and no borrow registry (`borrow_free`); the rest run on the `numpy` crate's
//! tracked borrows, the GIL released from 512 KiB: contiguous operands of one layout as one
//! slice call (SIMD, the threads the crate decides for this machine, streaming stores out
//! of cache), others lane by lane on ndarray views. An input that may share memory with `out` is
//! copied first, so `out` may alias any input; so is a misaligned one. Errors are
//! NumPy's kinds: `ValueError` for shapes and a read-only `out`, `TypeError` for dtypes;
//! nothing is written when a call fails.

// `unsafe` is in `borrow_free` and at its one call, nowhere else in the package.
#![deny(unsafe_code)]

#[allow(unsafe_code)]
mod borrow_free;

use borrow_free::{extent, overlap};
use hadamard::ndarray as h;
use ndarray::{ArrayViewD, ArrayViewMutD, IxDyn};
use numpy::{
    Complex32, Complex64, PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt};

type F16 = half::f16;

/// The `numpy` module, imported once.
fn numpy(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static NUMPY: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    NUMPY
        .get_or_try_init(py, || Ok(py.import("numpy")?.unbind()))
        .map(|m| m.bind(py))
}

/// `x` as an array. A Python scalar takes the dtype of `like` (the first operand that is
/// an array) when its kind fits it — an int for any numeric dtype, a float for a float or
/// complex dtype, a complex for a complex dtype — as NumPy 2 does; a scalar of another
/// kind is a `TypeError` (NumPy would change the result's dtype, which this package never
/// does). Sequences go through `numpy.asarray`.
fn to_array<'py>(
    py: Python<'py>,
    function: &str,
    name: &str,
    x: &Bound<'py, PyAny>,
    like: Option<&Bound<'py, PyUntypedArray>>,
) -> PyResult<Bound<'py, PyUntypedArray>> {
    if let Ok(array) = x.cast::<PyUntypedArray>() {
        return Ok(array.clone());
    }
    let np = numpy(py)?;
    let scalar = x.is_instance_of::<PyInt>()
        || x.is_instance_of::<PyFloat>()
        || x.is_instance_of::<PyComplex>();
    if let (true, Some(like)) = (scalar, like) {
        let dtype = like.dtype();
        let kind = dtype.kind() as char;
        let fits = if x.is_instance_of::<PyBool>() {
            false
        } else if x.is_instance_of::<PyInt>() {
            matches!(kind, 'i' | 'u' | 'f' | 'c')
        } else if x.is_instance_of::<PyFloat>() {
            matches!(kind, 'f' | 'c')
        } else {
            kind == 'c'
        };
        if !fits {
            return Err(PyTypeError::new_err(format!(
                "{function}: a Python {} cannot join an array of dtype {} without changing \
                 the result's dtype; convert it (or the array) first",
                x.get_type().name()?,
                dtype
            )));
        }
        return Ok(np
            .call_method1("asarray", (x, dtype))?
            .cast_into::<PyUntypedArray>()?);
    }
    let array = np
        .call_method1("asarray", (x,))?
        .cast_into::<PyUntypedArray>()?;
    if let Some(like) = like {
        // NumPy reads a list of ints as int64 and of floats as float64 whatever the array
        // beside it; say so, and what to write instead, rather than name a dtype the user
        // never wrote.
        let (want, got) = (like.dtype(), array.dtype());
        if !got.is_equiv_to(&want) {
            return Err(PyTypeError::new_err(format!(
                "{function}: {name} is a Python {kind}, which NumPy reads as {got}, not the \
                 {want} of the arrays beside it (no casting); pass \
                 numpy.asarray({name}, dtype=numpy.{want}) instead",
                kind = x.get_type().name()?,
            )));
        }
    }
    Ok(array)
}

/// The operands as arrays, scalars taking the first array's dtype.
fn arrays<'py, const N: usize>(
    py: Python<'py>,
    function: &str,
    names: [&str; N],
    operands: [&Bound<'py, PyAny>; N],
) -> PyResult<[Bound<'py, PyUntypedArray>; N]> {
    let like = operands
        .iter()
        .find_map(|x| x.cast::<PyUntypedArray>().ok().cloned());
    let mut out = Vec::with_capacity(N);
    for (name, x) in names.into_iter().zip(operands) {
        out.push(to_array(py, function, name, x, like.as_ref())?);
    }
    Ok(out.try_into().unwrap_or_else(|_| unreachable!("N arrays")))
}

/// All operands of one dtype, else a `TypeError` naming every dtype.
fn one_dtype<'py>(
    function: &str,
    names: &[&str],
    arrays: &[&Bound<'py, PyUntypedArray>],
) -> PyResult<Bound<'py, numpy::PyArrayDescr>> {
    let first = arrays[0].dtype();
    if arrays.iter().all(|a| a.dtype().is_equiv_to(&first)) {
        return Ok(first);
    }
    let listed: Vec<String> = names
        .iter()
        .zip(arrays)
        .map(|(n, a)| format!("{n}: {}", a.dtype()))
        .collect();
    Err(PyTypeError::new_err(format!(
        "{function}: operands must have one dtype (no casting), got {}",
        listed.join(", ")
    )))
}

/// A shape as Python writes it: `(5, 7)`, `(3,)`, `()`.
fn tuple(shape: &[usize]) -> String {
    match shape {
        [one] => format!("({one},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// NumPy's broadcast shape of `shapes`, or the `ValueError` NumPy would raise, naming them.
fn broadcast(function: &str, shapes: &[&[usize]]) -> PyResult<Vec<usize>> {
    let ndim = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut shape = vec![1usize; ndim];
    for s in shapes {
        for (k, &d) in s.iter().rev().enumerate() {
            let slot = &mut shape[ndim - 1 - k];
            if *slot == 1 {
                *slot = d;
            } else if d != 1 && d != *slot {
                let listed: Vec<String> = shapes.iter().map(|s| tuple(s)).collect();
                return Err(PyValueError::new_err(format!(
                    "{function}: operands could not be broadcast together with shapes {}",
                    listed.join(" ")
                )));
            }
        }
    }
    Ok(shape)
}

/// The output: `out` checked (an array of `T`, the broadcast shape, writeable), or a new
/// C-ordered array.
fn output<'py, T: numpy::Element>(
    py: Python<'py>,
    function: &str,
    out: Option<&Bound<'py, PyAny>>,
    shape: &[usize],
    dtype: &Bound<'py, numpy::PyArrayDescr>,
) -> PyResult<Bound<'py, PyArrayDyn<T>>> {
    let Some(out) = out else {
        return Ok(PyArrayDyn::<T>::zeros(py, IxDyn(shape), false));
    };
    let Ok(array) = out.cast::<PyUntypedArray>() else {
        return Err(PyTypeError::new_err(format!(
            "{function}: out must be a numpy.ndarray, got {}",
            out.get_type().name()?
        )));
    };
    if !array.dtype().is_equiv_to(dtype) {
        return Err(PyTypeError::new_err(format!(
            "{function}: out has dtype {}, the operands {} (no casting)",
            array.dtype(),
            dtype
        )));
    }
    if array.shape() != shape {
        return Err(PyValueError::new_err(format!(
            "{function}: out has shape {}, the operands broadcast to {}",
            tuple(array.shape()),
            tuple(shape)
        )));
    }
    Ok(array.cast::<PyArrayDyn<T>>()?.clone())
}

/// `input` typed, or a copy of it when it may share memory with `out` (so `out` may alias
/// it: the copy is read while `out` is written) or is misaligned.
fn apart<'py, T: numpy::Element>(
    input: &Bound<'py, PyUntypedArray>,
    out: &Bound<'py, PyArrayDyn<T>>,
    out_given: bool,
) -> PyResult<Bound<'py, PyArrayDyn<T>>> {
    let typed = input.cast::<PyArrayDyn<T>>()?;
    if out_given && overlap(extent(typed), extent(out)) {
        return copy(typed);
    }
    aligned(typed)
}

/// `array`, or its aligned copy when it is misaligned (a view into bytes at an odd
/// offset): no Rust slice or ndarray view may be made of it.
fn aligned<'py, T: numpy::Element>(
    array: &Bound<'py, PyArrayDyn<T>>,
) -> PyResult<Bound<'py, PyArrayDyn<T>>> {
    if array.is_aligned() {
        return Ok(array.clone());
    }
    copy(array)
}

/// A new C-ordered (so aligned) copy of `array`.
fn copy<'py, T: numpy::Element>(
    array: &Bound<'py, PyArrayDyn<T>>,
) -> PyResult<Bound<'py, PyArrayDyn<T>>> {
    Ok(array.call_method0("copy")?.cast_into::<PyArrayDyn<T>>()?)
}

/// Calls whose output has at least this many bytes release the GIL (and take the `numpy`
/// crate's tracked borrows); smaller ones hold it, at most some tens of µs (1% of Python's
/// 5 ms switch interval). Releasing, retaking and the tracked borrows cost 300–400 ns: with
/// the line at 16K elements, a 64K-element f32 call (6.5 µs, in L2) only tied NumPy's.
const DETACH_BYTES: usize = 512 * 1024;

/// Whether a call whose output has `len` elements of `T` releases the GIL.
fn detaches<T>(len: usize) -> bool {
    len.saturating_mul(std::mem::size_of::<T>()) >= DETACH_BYTES
}

/// A tracked mutable borrow of the output, or a `ValueError`: it is read-only, or another
/// thread's call holds it (is reading or writing it with the GIL released).
fn write_borrow<'py, T: numpy::Element>(
    function: &str,
    out: &Bound<'py, PyArrayDyn<T>>,
) -> PyResult<numpy::PyReadwriteArrayDyn<'py, T>> {
    out.try_readwrite().map_err(|e| match e {
        numpy::BorrowError::NotWriteable => {
            PyValueError::new_err(format!("{function}: output array is read-only"))
        }
        other => PyValueError::new_err(format!("{function}: {other}")),
    })
}

/// A tracked shared borrow of `array`, or a `ValueError` when another thread's call holds
/// it mutably (it is writing that memory with the GIL released).
fn read_borrow<'py, T: numpy::Element>(
    function: &str,
    array: &Bound<'py, PyArrayDyn<T>>,
) -> PyResult<numpy::PyReadonlyArrayDyn<'py, T>> {
    array
        .try_readonly()
        .map_err(|e| PyValueError::new_err(format!("{function}: {e}")))
}

fn shape_error(e: hadamard::ShapeMismatch) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// `out = op(inputs…)` element by element, the inputs broadcast as NumPy does (together
/// with `shape_too`, the shape an in-place output imposes; `&[]` for none).
fn elementwise<'py, T, const N: usize>(
    py: Python<'py>,
    function: &str,
    inputs: [Bound<'py, PyUntypedArray>; N],
    shape_too: &[usize],
    out: Option<&Bound<'py, PyAny>>,
    flat: impl Fn([&[T]; N], &mut [T]) + Send + Sync,
    op: impl Fn(
            [&ArrayViewD<'_, T>; N],
            &mut ArrayViewMutD<'_, T>,
        ) -> Result<(), hadamard::ShapeMismatch>
        + Send
        + Sync,
) -> PyResult<Bound<'py, PyAny>>
where
    T: numpy::Element + hadamard::Element,
{
    let mut shapes: Vec<&[usize]> = inputs.iter().map(|a| a.shape()).collect();
    if !shape_too.is_empty() {
        shapes.push(shape_too);
    }
    let shape = broadcast(function, &shapes)?;
    let dtype = inputs[0].dtype();
    let out_given = out.is_some();
    let out = output::<T>(py, function, out, &shape, &dtype)?;
    // A misaligned output (a view into bytes at an odd offset) cannot be written as a Rust
    // slice or view: the call writes an aligned copy of it (a copy, since an in-place
    // operation reads it), and NumPy copies that back. Checks first: a read-only output is
    // refused before anything is computed.
    if !out.is_aligned() {
        drop(write_borrow(function, &out)?);
        let aligned = copy(&out)?;
        elementwise(py, function, inputs, shape_too, Some(&aligned), flat, op)?;
        numpy(py)?.call_method1("copyto", (&out, aligned))?;
        return Ok(out.into_any());
    }
    // The common small call: operands of the output's shape, contiguous in one order,
    // aligned, none sharing memory with the output — one slice call, without the `numpy`
    // crate's borrow registry (the largest cost of a small call; see `borrow_free`).
    if !detaches::<T>(out.len()) {
        let typed: Vec<&Bound<'py, PyArrayDyn<T>>> = inputs
            .iter()
            .map(|a| a.cast::<PyArrayDyn<T>>())
            .collect::<Result<_, _>>()?;
        let typed: [&Bound<'py, PyArrayDyn<T>>; N] = std::array::from_fn(|k| typed[k]);
        // SAFETY: `flat` is a call of the Rust crate (it runs no Python code), and the GIL
        // stays held: this path never detaches.
        #[allow(unsafe_code)]
        let done = unsafe { borrow_free::with_slices(typed, &out, &flat) };
        if done.is_some() {
            return Ok(out.into_any());
        }
    }
    let typed = inputs
        .iter()
        .map(|a| apart(a, &out, out_given))
        .collect::<PyResult<Vec<_>>>()?;
    // The output's borrow first: a read-only array is refused here, before anything is
    // written (inputs that alias it are copies by now, so no borrow conflicts).
    let mut write = write_borrow(function, &out)?;
    let read = typed
        .iter()
        .map(|a| read_borrow(function, a))
        .collect::<PyResult<Vec<_>>>()?;
    let run = |refs: [&ArrayViewD<'_, T>; N], o: &mut ArrayViewMutD<'_, T>| {
        // Releasing the GIL costs more than a small product; above this, other Python
        // threads run while the kernels do.
        if detaches::<T>(o.len()) {
            borrow_free::detach(py, || op(refs, o))
        } else {
            op(refs, o)
        }
        .map_err(shape_error)
    };
    // Without broadcasting or strides: every operand one contiguous run of the output's
    // shape in one memory order (all C or all Fortran: the same element at the same
    // offset), run as the slice call `flat` (no views to build).
    let same_shape = typed.iter().all(|a| a.shape() == shape.as_slice());
    let c_order = typed.iter().all(|a| a.is_c_contiguous()) && out.is_c_contiguous();
    let f_order = typed.iter().all(|a| a.is_fortran_contiguous()) && out.is_fortran_contiguous();
    let slices: Vec<Option<&[T]>> = if same_shape && (c_order || f_order) {
        read.iter().map(|r| r.as_slice().ok()).collect()
    } else {
        vec![None]
    };
    if slices.iter().all(Option::is_some) {
        if let Ok(o) = write.as_slice_mut() {
            let inputs: [&[T]; N] = std::array::from_fn(|k| slices[k].expect("checked"));
            if detaches::<T>(o.len()) {
                borrow_free::detach(py, || flat(inputs, o));
            } else {
                flat(inputs, o);
            }
            drop((read, write));
            return Ok(out.into_any());
        }
    }
    let whole: Vec<ArrayViewD<'_, T>> = read.iter().map(|r| r.as_array()).collect();
    let views: Vec<ArrayViewD<'_, T>> = whole
        .iter()
        .map(|v| v.broadcast(IxDyn(&shape)).expect("broadcast checked"))
        .collect();
    let refs: [&ArrayViewD<'_, T>; N] = std::array::from_fn(|k| &views[k]);
    run(refs, &mut write.as_array_mut())?;
    drop((read, write));
    Ok(out.into_any())
}

/// Runs `$body` with `$T` the Rust type of `$dtype`, among a family's dtypes (`all`,
/// `sums`: all but float16, `real`, `complex`, `int`), or raises the `TypeError` listing
/// the dtypes the function takes.
macro_rules! by_dtype {
    ($py:expr, $f:expr, $d:expr, all, |$T:ident| $body:expr) => {
        by_dtype!(@list $py, $f, $d, [
            f32 => "float32", f64 => "float64", F16 => "float16",
            Complex32 => "complex64", Complex64 => "complex128",
            i8 => "int8", i16 => "int16", i32 => "int32", i64 => "int64",
            u8 => "uint8", u16 => "uint16", u32 => "uint32", u64 => "uint64"
        ], |$T| $body)
    };
    ($py:expr, $f:expr, $d:expr, sums, |$T:ident| $body:expr) => {
        by_dtype!(@list $py, $f, $d, [
            f32 => "float32", f64 => "float64",
            Complex32 => "complex64", Complex64 => "complex128",
            i8 => "int8", i16 => "int16", i32 => "int32", i64 => "int64",
            u8 => "uint8", u16 => "uint16", u32 => "uint32", u64 => "uint64"
        ], |$T| $body)
    };
    ($py:expr, $f:expr, $d:expr, u8, |$T:ident| $body:expr) => {
        by_dtype!(@list $py, $f, $d, [u8 => "uint8"], |$T| $body)
    };
    ($py:expr, $f:expr, $d:expr, real, |$T:ident| $body:expr) => {
        by_dtype!(@list $py, $f, $d, [f32 => "float32", f64 => "float64"], |$T| $body)
    };
    ($py:expr, $f:expr, $d:expr, complex, |$T:ident| $body:expr) => {
        by_dtype!(@list $py, $f, $d, [Complex32 => "complex64", Complex64 => "complex128"], |$T| $body)
    };
    ($py:expr, $f:expr, $d:expr, int, |$T:ident| $body:expr) => {
        by_dtype!(@list $py, $f, $d, [
            i8 => "int8", i16 => "int16", i32 => "int32", i64 => "int64",
            u8 => "uint8", u16 => "uint16", u32 => "uint32", u64 => "uint64"
        ], |$T| $body)
    };
    (@list $py:expr, $function:expr, $dtype:expr, [$($t:ty => $name:literal),*], |$T:ident| $body:expr) => {{
        let dtype = $dtype;
        $(
            if dtype.is_equiv_to(&numpy::dtype::<$t>($py)) {
                #[allow(dead_code)]
                type $T = $t;
                return $body;
            }
        )*
        Err(PyTypeError::new_err(format!(
            "{}: dtype {} is not supported (supported: {})",
            $function,
            dtype,
            [$($name),*].join(", ")
        )))
    }};
}

/// Lanes along the last axis, each a slice call when all three are slices, else gathered
/// into stack buffers: for the operations the crate's ndarray integration does not have
/// (saturating and normalized products).
fn lanewise<T: Copy + Default + Send + Sync>(
    a: &ArrayViewD<'_, T>,
    b: &ArrayViewD<'_, T>,
    out: &mut ArrayViewMutD<'_, T>,
    f: impl Fn(&[T], &[T], &mut [T]),
) {
    const CHUNK: usize = 256;
    if let (Some(x), Some(y)) = (a.as_slice(), b.as_slice()) {
        if let Some(o) = out.as_slice_mut() {
            return f(x, y, o);
        }
    }
    if out.ndim() == 0 {
        let (x, y) = ([a[IxDyn(&[])]], [b[IxDyn(&[])]]);
        let mut z = [out[IxDyn(&[])]];
        f(&x, &y, &mut z);
        out[IxDyn(&[])] = z[0];
        return;
    }
    let axis = ndarray::Axis(out.ndim() - 1);
    ndarray::Zip::from(out.lanes_mut(axis))
        .and(a.lanes(axis))
        .and(b.lanes(axis))
        .for_each(|mut o, x, y| {
            if let (Some(x), Some(y)) = (x.as_slice(), y.as_slice()) {
                if let Some(o) = o.as_slice_mut() {
                    return f(x, y, o);
                }
            }
            let (mut xs, mut ys, mut zs) = (
                [T::default(); CHUNK],
                [T::default(); CHUNK],
                [T::default(); CHUNK],
            );
            let n = o.len();
            let mut start = 0;
            while start < n {
                let m = CHUNK.min(n - start);
                for i in 0..m {
                    (xs[i], ys[i]) = (x[start + i], y[start + i]);
                }
                f(&xs[..m], &ys[..m], &mut zs[..m]);
                for i in 0..m {
                    o[start + i] = zs[i];
                }
                start += m;
            }
        });
}

/// What a NumPy ufunc returns for `result`: `out` itself when one was given, else the
/// array, or a NumPy scalar of its dtype when it has no dimensions (`np.multiply` of two
/// 0-d arrays or scalars gives `np.float32(6.0)`, not `array(6., dtype=float32)`).
fn as_numpy_returns<'py>(
    result: Bound<'py, PyAny>,
    out_given: bool,
) -> PyResult<Bound<'py, PyAny>> {
    if out_given || !result.cast::<PyUntypedArray>()?.shape().is_empty() {
        return Ok(result);
    }
    result.get_item(())
}

/// A sum as a NumPy scalar of the operands' dtype.
fn numpy_scalar<'py, T: numpy::Element>(py: Python<'py>, x: T) -> PyResult<Bound<'py, PyAny>> {
    let array = numpy::PyArray1::<T>::from_vec(py, vec![x]);
    array.get_item(0)
}

/// The two operands of a sum: arrays of one dtype and one shape (NumPy's `vdot` flattens,
/// and so do these sums: over every element).
fn sum_operands<'py>(
    py: Python<'py>,
    function: &str,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
) -> PyResult<(
    [Bound<'py, PyUntypedArray>; 2],
    Bound<'py, numpy::PyArrayDescr>,
)> {
    let [a, b] = arrays(py, function, ["a", "b"], [a, b])?;
    let dtype = one_dtype(function, &["a", "b"], &[&a, &b])?;
    if a.shape() != b.shape() {
        return Err(PyValueError::new_err(format!(
            "{function}: shapes {} and {} differ (sums do not broadcast)",
            tuple(a.shape()),
            tuple(b.shape())
        )));
    }
    Ok(([a, b], dtype))
}

/// `Σ f(a, b)` on the views of two typed arrays, GIL released.
fn sum<'py, T: numpy::Element + hadamard::Element>(
    py: Python<'py>,
    function: &str,
    a: &Bound<'py, PyUntypedArray>,
    b: &Bound<'py, PyUntypedArray>,
    f: impl Fn(&ArrayViewD<'_, T>, &ArrayViewD<'_, T>) -> Result<T, hadamard::ShapeMismatch>
        + Send
        + Sync,
) -> PyResult<Bound<'py, PyAny>> {
    let (a, b) = (
        aligned(a.cast::<PyArrayDyn<T>>()?)?,
        aligned(b.cast::<PyArrayDyn<T>>()?)?,
    );
    let (a, b) = (read_borrow(function, &a)?, read_borrow(function, &b)?);
    let (x, y) = (a.as_array(), b.as_array());
    let total = if detaches::<T>(x.len()) {
        borrow_free::detach(py, || f(&x, &y))
    } else {
        f(&x, &y)
    }
    .map_err(shape_error)?;
    numpy_scalar(py, total)
}

/// The dtypes of a family of `by_dtype!`, for the docstrings.
macro_rules! dtypes {
    (all) => {
        "float16, float32, float64, complex64, complex128, int8, int16, int32, int64,\n\
         uint8, uint16, uint32, uint64"
    };
    (sums) => {
        "float32, float64, complex64, complex128, int8, int16, int32, int64, uint8,\n\
         uint16, uint32, uint64 (not float16)"
    };
    (real) => {
        "float32, float64"
    };
    (complex) => {
        "complex64, complex128"
    };
    (int) => {
        "int8, int16, int32, int64, uint8, uint16, uint32, uint64"
    };
    (u8) => {
        "uint8"
    };
}

/// What every element-wise function's docstring says after its first lines.
macro_rules! elementwise_conventions {
    () => {
        "Operands are NumPy arrays (or what `numpy.asarray` takes) of one dtype; a Python\n\
         int, float or complex adopts the arrays' dtype where it fits. Nothing is cast:\n\
         mixed dtypes raise TypeError naming each (NumPy would promote to a wider dtype).\n\
         Shapes broadcast as in NumPy.\n\n\
         out: an array of the broadcast shape and the operands' dtype, which may be one of\n\
         the inputs. Returns `out`, else a new C-ordered array, or a NumPy scalar when every\n\
         operand has no dimensions (as `numpy.multiply` does).\n\n\
         Raises TypeError for a dtype not listed, mixed dtypes, a list that NumPy reads as\n\
         another dtype, or an `out` that is not an ndarray of the operands' dtype;\n\
         ValueError for shapes that do not broadcast, an `out` of another shape or\n\
         read-only, or an `out` another thread's call is writing. Nothing is written when\n\
         it raises.\n\n\
         Unlike a NumPy ufunc: no dtype promotion and no `casting=`, `dtype=`, `where=`,\n\
         `order=` or `subok=`; no `.reduce`/`.outer`/`.at` methods."
    };
}

/// A `#[pyfunction]` `name(a, b[, c], out=None)` of the element-wise kind: the operands as
/// arrays of one dtype of `family` (see `by_dtype!`), then `elementwise` with the slice
/// call `slices` and the call on broadcast views `views`. The doc comments become the
/// Python docstrings.
macro_rules! elementwise_function {
    ($(#[$doc:meta])* $name:ident($($x:ident),+), $family:ident,
     slices: $slices:expr, views: $views:expr $(,)?) => {
        $(#[$doc])*
        ///
        #[doc = concat!("dtypes: ", dtypes!($family), ".")]
        ///
        #[doc = elementwise_conventions!()]
        #[pyfunction]
        #[pyo3(signature = ($($x),+, out=None))]
        fn $name<'py>(
            py: Python<'py>,
            $($x: &Bound<'py, PyAny>,)+
            out: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            const F: &str = concat!("hadamard.", stringify!($name));
            const N: usize = [$(stringify!($x)),+].len();
            let operands = arrays(py, F, [$(stringify!($x)),+], [$($x),+])?;
            let dtype = one_dtype(F, &[$(stringify!($x)),+], &operands.each_ref())?;
            by_dtype!(py, F, dtype, $family, |T| elementwise::<T, N>(
                py, F, operands, &[], out, $slices, $views
            ).and_then(|result| as_numpy_returns(result, out.is_some())))
        }
    };
}

elementwise_function! {
    /// `a * b`, as `numpy.multiply(a, b, out=out)`: the same bits for real and integer
    /// dtypes (integers wrap); complex products round each of the four products, where
    /// NumPy's SIMD loops fuse one into each sum (the last bit may differ).
    multiply(a, b), all,
    slices: |[a, b], o| hadamard::mul_elementwise(a, b, o),
    views: |[a, b], o| h::mul(a, b, o)
}

elementwise_function! {
    /// `a * conj(b)` in one pass, without NumPy's conjugated temporary: the bits of
    /// `a * numpy.conj(b)` computed with every product rounded.
    multiply_conj(a, b), complex,
    slices: |[a, b], o| hadamard::mul_conj_elementwise(a, b, o),
    views: |[a, b], o| h::mul_conj(a, b, o)
}

elementwise_function! {
    /// `a * b + c` in one pass, the product and the sum each rounded: the bits of NumPy's
    /// `a * b + c` without its temporary (complex: as `multiply`, then the sum). The Rust
    /// crate's `mul_then_add`.
    multiply_then_add(a, b, c), sums,
    slices: |[a, b, c], o| hadamard::mul_then_add(a, b, c, o),
    views: |[a, b, c], o| h::mul_then_add(a, b, c, o)
}

elementwise_function! {
    /// `a * b + c` rounded once, as C's `fma` and Rust's `f64::mul_add` (NumPy has no
    /// such function; `a * b + c` there rounds twice); the Rust crate's `mul_add`. Also
    /// under the name `fma`.
    multiply_add(a, b, c), real,
    slices: |[a, b, c], o| hadamard::mul_add(a, b, c, o),
    views: |[a, b, c], o| h::mul_add(a, b, c, o)
}

elementwise_function! {
    /// `fma(a, b, c)`: `a * b + c` rounded once, as C's `fma` and Rust's `f64::mul_add`
    /// (NumPy has no such function; `a * b + c` there rounds twice). The same function as
    /// `multiply_add`, under the name C and NumPy users search for.
    fma(a, b, c), real,
    slices: |[a, b, c], o| hadamard::mul_add(a, b, c, o),
    views: |[a, b, c], o| h::mul_add(a, b, c, o)
}

elementwise_function! {
    /// `a * b + c * d` in one pass over the five arrays, both products and the sum each
    /// rounded: the bits of NumPy's `a * b + c * d` (or `numpy.add(a * b, c * d)`) without
    /// its two temporaries (complex: each product as `multiply`, then the sum). The Rust
    /// crate's `mul_then_add_mul`; with `out=a` it updates `a` in place, as an LSTM's cell
    /// state `c = c * f + i * g` does.
    multiply_then_add_multiply(a, b, c, d), sums,
    slices: |[a, b, c, d], o| hadamard::mul_then_add_mul(a, b, c, d, o),
    views: |[a, b, c, d], o| h::mul_then_add_mul(a, b, c, d, o)
}

elementwise_function! {
    /// `w * a + (1 - w) * b` in one pass over the four arrays, every step rounded: the
    /// bits of that NumPy expression without its three temporaries (a per-element
    /// cross-fade or interpolation; `w` is usually in [0, 1]).
    blend(a, b, w), real,
    slices: |[a, b, w], o| hadamard::blend(a, b, w, o),
    views: |[a, b, w], o| h::blend(a, b, w, o)
}

elementwise_function! {
    /// `round((alpha * fg + (255 - alpha) * bg) / 255)` exactly (never a tie), for uint8
    /// images: alpha compositing of one channel in one pass. NumPy needs wider
    /// temporaries for it: `((alpha.astype(numpy.uint32) * fg + (255 - alpha) * bg.astype(
    /// numpy.uint32) + 127) // 255).astype(numpy.uint8)`.
    blend_normalized_u8(fg, bg, alpha), u8,
    slices: |[fg, bg, alpha], o| hadamard::blend_normalized_u8(fg, bg, alpha, o),
    views: |[fg, bg, alpha], o| h::blend_normalized_u8(fg, bg, alpha, o)
}

/// `acc += a * conj(b)` in place, in one pass: NumPy's `acc += a * numpy.conj(b)` without
/// its two temporaries, each product and sum rounded (complex products as `multiply`).
///
#[doc = concat!("dtypes: ", dtypes!(complex), ".")]
///
/// `acc` must be an array (it is updated, and returned); `a` and `b` broadcast to its shape.
/// Raises TypeError for another dtype, mixed dtypes or an `acc` that is no ndarray;
/// ValueError for shapes that do not broadcast to `acc`'s or a read-only `acc`. Nothing is
/// written when it raises.
#[pyfunction]
fn multiply_conj_add<'py>(
    py: Python<'py>,
    acc: &Bound<'py, PyAny>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    const F: &str = "hadamard.multiply_conj_add";
    let Ok(target) = acc.cast::<PyUntypedArray>() else {
        return Err(PyTypeError::new_err(format!(
            "{F}: acc must be a numpy.ndarray (it is updated in place), got {}",
            acc.get_type().name()?
        )));
    };
    let [a, b] = arrays(py, F, ["a", "b"], [a, b])?;
    let dtype = one_dtype(F, &["acc", "a", "b"], &[target, &a, &b])?;
    let shape = broadcast(F, &[target.shape(), a.shape(), b.shape()])?;
    if shape != target.shape() {
        return Err(PyValueError::new_err(format!(
            "{F}: acc has shape {}, the operands broadcast to {}",
            tuple(target.shape()),
            tuple(&shape)
        )));
    }
    let shape_too = target.shape().to_vec();
    by_dtype!(py, F, dtype, complex, |T| elementwise::<T, 2>(
        py,
        F,
        [a, b],
        &shape_too,
        Some(acc),
        |[a, b], o| hadamard::mul_conj_add_assign(o, a, b),
        |[a, b], o| h::mul_conj_add_assign(o, a, b)
    ))
}

elementwise_function! {
    /// `a * b` clamped to the integer type's bounds instead of wrapping (NumPy has no
    /// such function: its integer products wrap).
    multiply_saturating(a, b), int,
    slices: |[a, b], o| hadamard::mul_elementwise_saturating(a, b, o),
    views: |[a, b], o| {
            lanewise(a, b, o, |x, y, z| hadamard::mul_elementwise_saturating(x, y, z));
            Ok(())
        }
}

elementwise_function! {
    /// `round(a * b / 255)` exactly (never a tie), for uint8 images and masks (alpha
    /// blending): NumPy needs a wider temporary for it,
    /// `((a.astype(numpy.uint16) * b + 127) // 255).astype(numpy.uint8)`.
    multiply_normalized_u8(a, b), u8,
    slices: |[a, b], o| hadamard::mul_normalized_u8(a, b, o),
    views: |[a, b], o| {
            lanewise(a, b, o, |x, y, z| hadamard::mul_normalized_u8(x, y, z));
            Ok(())
        }
}

/// `Σ a * b` over every element, as a NumPy scalar of the operands' dtype: for 1-D arrays
/// `numpy.dot`; for more dimensions the Frobenius inner product, where `numpy.dot` would
/// multiply matrices.
///
#[doc = concat!("dtypes: ", dtypes!(sums), ".")]
///
/// `a` and `b` must have one dtype (nothing is cast) and one shape (sums do not broadcast):
/// else TypeError or ValueError. Integers wrap as NumPy's do. Floats are summed in the Rust
/// crate's one order (`hadamard_sum`: its docs give the order and the error bound), so the
/// result has the same bits on every kernel, thread count and machine; NumPy sums in
/// another order, so the last bits may differ from `numpy.dot`'s.
#[pyfunction]
fn dot<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    const F: &str = "hadamard.dot";
    let ([a, b], dtype) = sum_operands(py, F, a, b)?;
    by_dtype!(py, F, dtype, sums, |T| sum::<T>(py, F, &a, &b, |x, y| {
        h::dot(x, y)
    }))
}

/// `Σ conj(a) * b` over every element, as `numpy.vdot` (for real dtypes, `dot`), as a
/// NumPy scalar.
///
#[doc = concat!("dtypes: ", dtypes!(sums), ".")]
///
/// `a` and `b` must have one dtype (nothing is cast) and one shape: else TypeError or
/// ValueError. Summed as `dot` sums: the same bits on every kernel, thread count and
/// machine (`numpy.vdot`'s may differ in the last bits).
#[pyfunction]
fn vdot<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    const F: &str = "hadamard.vdot";
    let ([a, b], dtype) = sum_operands(py, F, a, b)?;
    if matches!(dtype.kind() as char, 'c') {
        // Σ conj(a)·b = Σ b·conj(a): the crate's conjugated sum with the operands swapped.
        return by_dtype!(py, F, dtype, complex, |T| sum::<T>(
            py,
            F,
            &b,
            &a,
            |y, x| { h::dotc(y, x) }
        ));
    }
    by_dtype!(py, F, dtype, sums, |T| sum::<T>(py, F, &a, &b, |x, y| {
        h::dot(x, y)
    }))
}

/// The kernel the calls run on this CPU (`avx512`, `avx2`, `sse2`, `neon` or `scalar`;
/// `HADAMARD_KERNEL` forces one).
#[pyfunction]
fn kernel() -> &'static str {
    hadamard::selected_kernel().name()
}

/// Every kernel this CPU runs.
#[pyfunction]
fn available_kernels() -> Vec<&'static str> {
    hadamard::available_kernels()
        .into_iter()
        .map(|k| k.name())
        .collect()
}

#[pymodule]
fn _hadamard(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(multiply, m)?)?;
    m.add_function(wrap_pyfunction!(multiply_conj, m)?)?;
    m.add_function(wrap_pyfunction!(multiply_then_add, m)?)?;
    m.add_function(wrap_pyfunction!(multiply_add, m)?)?;
    m.add_function(wrap_pyfunction!(fma, m)?)?;
    m.add_function(wrap_pyfunction!(multiply_then_add_multiply, m)?)?;
    m.add_function(wrap_pyfunction!(blend, m)?)?;
    m.add_function(wrap_pyfunction!(blend_normalized_u8, m)?)?;
    m.add_function(wrap_pyfunction!(multiply_conj_add, m)?)?;
    m.add_function(wrap_pyfunction!(multiply_saturating, m)?)?;
    m.add_function(wrap_pyfunction!(multiply_normalized_u8, m)?)?;
    m.add_function(wrap_pyfunction!(dot, m)?)?;
    m.add_function(wrap_pyfunction!(vdot, m)?)?;
    m.add_function(wrap_pyfunction!(kernel, m)?)?;
    m.add_function(wrap_pyfunction!(available_kernels, m)?)?;
    Ok(())
}
