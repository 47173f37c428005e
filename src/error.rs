//! What can go wrong, said so that the caller can fix it: which operation, which
//! operands, which lengths or which kernel.

use crate::kernel::Kernel;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// The operands of an element-wise operation do not all have the same length.
///
/// Its `Display` names the operation and every operand with its length:
///
/// ```
/// let a = [1.0f32, 2.0, 3.0];
/// let b = [1.0f32, 2.0];
/// let mut out = [0.0f32; 3];
/// let err = hadamard::try_mul_elementwise(&a, &b, &mut out).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "hadamard::mul_elementwise: operands must have equal lengths, \
///      got a.len() = 3, b.len() = 2, out.len() = 3"
/// );
/// assert_eq!(err.lengths(), &[("a", 3), ("b", 2), ("out", 3)]);
/// assert_eq!(out, [0.0; 3]); // nothing was written
/// ```
///
/// Its `Debug` (what `unwrap()` and `?` in `main` print) shows the same operands and
/// lengths, and only those:
///
/// ```
/// let err = hadamard::try_mul_assign(&mut [1.0f32; 2], &[1.0; 3]).unwrap_err();
/// assert_eq!(
///     format!("{err:?}"),
///     r#"LengthMismatch { operation: "hadamard::mul_assign", lengths: {"acc": 2, "b": 3} }"#
/// );
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct LengthMismatch {
    // No heap: an error is 80 bytes, built where the lengths are compared, so that a
    // failing call allocates nothing (real-time callers) and the compiler sees the error
    // path end in an error (it never rejoins the small-call path, which then keeps no
    // stack frame for it: about 1 ns of a 16-element call, BENCHMARKS.md).
    operation: &'static str,
    names: &'static [&'static str],
    lengths: [usize; MAX_OPERANDS],
}

/// The most operands of any operation (the split complex product: four input planes and
/// two output planes).
const MAX_OPERANDS: usize = 6;

impl LengthMismatch {
    /// The error naming each operand (`names[i]`) with its length (`lengths[i]`).
    #[inline(always)]
    pub(crate) fn new<const N: usize>(
        operation: &'static str,
        names: &'static [&'static str],
        lengths: [usize; N],
    ) -> LengthMismatch {
        const { assert!(N <= MAX_OPERANDS) };
        debug_assert_eq!(names.len(), N);
        let mut all = [0; MAX_OPERANDS];
        all[..N].copy_from_slice(&lengths);
        LengthMismatch {
            operation,
            names,
            lengths: all,
        }
    }

    /// The public function that was called, such as `"hadamard::mul_elementwise"`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Each operand's parameter name and length, in the order of the signature: an
    /// iterator of `(name, length)` pairs, which also compares equal to a slice or array
    /// of them.
    pub fn lengths(&self) -> Lengths<'_> {
        Lengths {
            names: self.names.iter(),
            lengths: self.lengths[..self.names.len()].iter(),
        }
    }
}

/// The `(name, length)` pairs of a [`LengthMismatch`], from [`LengthMismatch::lengths`].
///
/// ```
/// let err = hadamard::try_mul_assign(&mut [1.0f32; 2], &[1.0; 3]).unwrap_err();
/// let pairs: Vec<(&str, usize)> = err.lengths().collect();
/// assert_eq!(pairs, [("acc", 2), ("b", 3)]);
/// assert_eq!(err.lengths(), &[("acc", 2), ("b", 3)]);
/// ```
#[derive(Clone)]
pub struct Lengths<'a> {
    names: core::slice::Iter<'a, &'static str>,
    lengths: core::slice::Iter<'a, usize>,
}

impl Iterator for Lengths<'_> {
    type Item = (&'static str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        Some((*self.names.next()?, *self.lengths.next()?))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.names.size_hint()
    }
}

impl ExactSizeIterator for Lengths<'_> {}

impl PartialEq<[(&str, usize)]> for Lengths<'_> {
    fn eq(&self, other: &[(&str, usize)]) -> bool {
        self.len() == other.len() && self.clone().zip(other).all(|(x, y)| x == *y)
    }
}

impl<const N: usize> PartialEq<[(&str, usize); N]> for Lengths<'_> {
    fn eq(&self, other: &[(&str, usize); N]) -> bool {
        *self == other[..]
    }
}

impl<const N: usize> PartialEq<&[(&str, usize); N]> for Lengths<'_> {
    fn eq(&self, other: &&[(&str, usize); N]) -> bool {
        *self == other[..]
    }
}

impl fmt::Debug for LengthMismatch {
    // Not derived: the fixed-size array behind `lengths` is padded with zeros that are
    // no operand's length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LengthMismatch")
            .field("operation", &self.operation)
            .field("lengths", &self.lengths())
            .finish()
    }
}

impl fmt::Debug for Lengths<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.clone()).finish()
    }
}

impl fmt::Display for LengthMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: operands must have equal lengths, got ",
            self.operation()
        )?;
        for (i, (name, len)) in self.lengths().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{name}.len() = {len}")?;
        }
        Ok(())
    }
}

impl core::error::Error for LengthMismatch {}

/// Every error the crate returns.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Operands of different lengths; nothing was written.
    LengthMismatch(LengthMismatch),
    /// Matrix operands whose shapes do not fit; nothing was written.
    ShapeMismatch(ShapeMismatch),
    /// A matrix view that cannot exist over its slice.
    Layout(LayoutError),
    /// A kernel name (from `HADAMARD_KERNEL` or [`str::parse`]) that names no kernel.
    UnknownKernel {
        /// The name as given.
        name: String,
    },
    /// A kernel this CPU (or this build's target architecture) cannot run.
    KernelUnavailable {
        /// The kernel asked for.
        kernel: Kernel,
        /// What this CPU can run, narrowest first.
        available: Vec<Kernel>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::LengthMismatch(e) => e.fmt(f),
            Error::ShapeMismatch(e) => e.fmt(f),
            Error::Layout(e) => e.fmt(f),
            Error::UnknownKernel { name } => write!(
                f,
                "unknown kernel name {name:?}; valid names are {}",
                name_list(Kernel::ALL.iter())
            ),
            Error::KernelUnavailable { kernel, available } => write!(
                f,
                "kernel {kernel} is not available on this CPU; available here: {}",
                name_list(available.iter())
            ),
        }
    }
}

fn name_list<'a>(kernels: impl Iterator<Item = &'a Kernel>) -> String {
    kernels.map(|k| k.name()).collect::<Vec<_>>().join(", ")
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Error::LengthMismatch(e) => Some(e),
            Error::ShapeMismatch(e) => Some(e),
            Error::Layout(e) => Some(e),
            _ => None,
        }
    }
}

impl From<LengthMismatch> for Error {
    fn from(e: LengthMismatch) -> Self {
        Error::LengthMismatch(e)
    }
}

/// Why a matrix view could not be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LayoutError {
    /// The row stride is smaller than the number of columns, so rows would overlap.
    StrideTooSmall {
        /// Columns per row.
        cols: usize,
        /// The stride given.
        stride: usize,
    },
    /// `(rows − 1)·stride + cols` does not fit in `usize`.
    Overflow {
        /// Rows.
        rows: usize,
        /// Columns.
        cols: usize,
        /// The stride given.
        stride: usize,
    },
    /// The slice is shorter than the view needs.
    TooShort {
        /// Elements the view needs: `(rows − 1)·stride + cols`.
        needed: usize,
        /// Elements the slice has.
        len: usize,
    },
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            LayoutError::StrideTooSmall { cols, stride } => write!(
                f,
                "matrix view: row stride {stride} is smaller than the {cols} columns"
            ),
            LayoutError::Overflow { rows, cols, stride } => write!(
                f,
                "matrix view: {rows} rows of stride {stride} with {cols} columns overflow usize"
            ),
            LayoutError::TooShort { needed, len } => write!(
                f,
                "matrix view: needs {needed} elements ((rows - 1) * stride + cols), the slice has {len}"
            ),
        }
    }
}

impl core::error::Error for LayoutError {}

/// Operands of a matrix operation whose shapes do not fit: names every operand's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeMismatch {
    operation: &'static str,
    operands: Box<[(&'static str, Dims)]>,
}

/// The dimensions of an operand: a matrix (`rows × cols`), a vector (`len`), or an
/// n-dimensional array (its shape).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Dims {
    /// A matrix of `.0` rows and `.1` columns.
    Matrix(usize, usize),
    /// A vector of `.0` elements.
    Vector(usize),
    /// An array of this shape.
    Array(Box<[usize]>),
}

impl ShapeMismatch {
    #[cold]
    #[inline(never)]
    pub(crate) fn new(operation: &'static str, operands: &[(&'static str, Dims)]) -> Self {
        ShapeMismatch {
            operation,
            operands: operands.into(),
        }
    }

    /// The public function that was called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Each operand's name and dimensions, in the order of the signature.
    pub fn shapes(&self) -> &[(&'static str, Dims)] {
        &self.operands
    }
}

impl fmt::Display for ShapeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: operand shapes do not fit, got ", self.operation)?;
        for (i, (name, dims)) in self.operands.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            match dims {
                Dims::Matrix(r, c) => write!(f, "{sep}{name}: {r}x{c}")?,
                Dims::Vector(n) => write!(f, "{sep}{name}: {n} elements")?,
                Dims::Array(shape) => write!(f, "{sep}{name}: {shape:?}")?,
            }
        }
        Ok(())
    }
}

impl core::error::Error for ShapeMismatch {}

impl From<ShapeMismatch> for Error {
    fn from(e: ShapeMismatch) -> Self {
        Error::ShapeMismatch(e)
    }
}

impl From<LayoutError> for Error {
    fn from(e: LayoutError) -> Self {
        Error::Layout(e)
    }
}
