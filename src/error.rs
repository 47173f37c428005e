//! What can go wrong, said so that the caller can fix it: which operation, which
//! operands, which lengths or which kernel.

use crate::Kernel;
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LengthMismatch {
    // One box, one pointer: a `Result<_, LengthMismatch>` is then a word or two, returned
    // in registers, and the compiler knows a returned error is not null. With the fields
    // inline (32 bytes, returned through memory), the small-call path could not prove the
    // error path never rejoins it and kept a stack frame for it (about 1 ns a call). One
    // allocation, on the failing path only.
    details: Box<Details>,
}

/// The most operands of any operation (the split complex product: four input planes and
/// two output planes).
const MAX_OPERANDS: usize = 6;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Details {
    operation: &'static str,
    operands: [(&'static str, usize); MAX_OPERANDS],
    count: usize,
}

impl LengthMismatch {
    /// The error naming each operand (`names[i]`) with its length (`lengths[i]`).
    ///
    /// Out of line and cold: callers compare lengths inline and come here only when they
    /// differ, so the small-call path carries none of this.
    #[cold]
    #[inline(never)]
    pub(crate) fn new(
        operation: &'static str,
        names: &[&'static str],
        lengths: &[usize],
    ) -> LengthMismatch {
        debug_assert_eq!(names.len(), lengths.len());
        debug_assert!(names.len() <= MAX_OPERANDS);
        let mut operands = [("", 0); MAX_OPERANDS];
        let count = names.len().min(MAX_OPERANDS);
        for (slot, pair) in operands
            .iter_mut()
            .zip(names.iter().copied().zip(lengths.iter().copied()))
        {
            *slot = pair;
        }
        LengthMismatch {
            details: Box::new(Details {
                operation,
                operands,
                count,
            }),
        }
    }

    /// The public function that was called, such as `"hadamard::mul_elementwise"`.
    pub fn operation(&self) -> &'static str {
        self.details.operation
    }

    /// Each operand's parameter name and length, in the order of the signature.
    pub fn lengths(&self) -> &[(&'static str, usize)] {
        &self.details.operands[..self.details.count]
    }
}

impl fmt::Display for LengthMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: operands must have equal lengths, got ",
            self.operation()
        )?;
        for (i, (name, len)) in self.lengths().iter().enumerate() {
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
    ShapeMismatch(crate::ShapeMismatch),
    /// A matrix view that cannot exist over its slice.
    Layout(crate::LayoutError),
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
