//! `Options`: how one call runs — which kernel, and on how many threads.

use crate::dispatch::CheckedKernel;
use crate::parallel::{execute, Operands};
use crate::{Element, Error, Kernel, LengthMismatch, Parallelism, Stores};

/// How a call runs: which kernel, and whether it may use more than the calling thread.
///
/// The free functions ([`mul_elementwise`](crate::mul_elementwise) and friends) use
/// `Options::new()`: the [selected kernel](crate::selected_kernel) and
/// [`Parallelism::Auto`]. Build an `Options` to force a kernel (tests, benchmarks, or
/// reproducing a result from another machine) or to stay on the calling thread.
/// Forcing is checked once, when the `Options` is built, so holding one with a kernel
/// means this CPU can run it.
///
/// ```
/// use hadamard::{Kernel, Options, Parallelism};
///
/// let a = [1.5f32, 2.0, -3.0];
/// let b = [2.0f32, 0.5, 4.0];
/// let mut out = [0.0f32; 3];
///
/// let opts = Options::new()
///     .kernel(Kernel::Scalar)? // every CPU has the scalar kernel
///     .parallelism(Parallelism::Sequential);
/// opts.mul_elementwise(&a, &b, &mut out)?;
/// assert_eq!(out, [3.0, 1.0, -12.0]);
///
/// // Asking for a kernel the CPU lacks is an error, not undefined behaviour:
/// for k in Kernel::ALL {
///     assert_eq!(Options::new().kernel(k).is_ok(), k.is_available());
/// }
/// # Ok::<(), hadamard::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `None`: the selected kernel, resolved at each call.
    kernel: Option<CheckedKernel>,
    parallelism: Parallelism,
    stores: Stores,
}

impl Options {
    /// The default: the selected kernel and [`Parallelism::Auto`].
    pub const fn new() -> Options {
        Options {
            kernel: None,
            parallelism: Parallelism::Auto,
            stores: Stores::Auto,
        }
    }

    /// Runs with `kernel`, or fails with [`Error::KernelUnavailable`] when this CPU
    /// cannot run it.
    pub fn kernel(self, kernel: Kernel) -> Result<Options, Error> {
        Ok(Options {
            kernel: Some(CheckedKernel::new(kernel)?),
            ..self
        })
    }

    /// Runs with the given parallelism.
    pub const fn parallelism(self, parallelism: Parallelism) -> Options {
        Options {
            parallelism,
            ..self
        }
    }

    /// Stores the output with the given policy.
    pub const fn stores(self, stores: Stores) -> Options {
        Options { stores, ..self }
    }

    /// The kernel calls with these options use.
    ///
    /// # Panics
    ///
    /// When no kernel was forced and `HADAMARD_KERNEL` is invalid (see
    /// [`selected_kernel`](crate::selected_kernel)).
    pub fn selected_kernel(&self) -> Kernel {
        self.checked_kernel().kernel()
    }

    /// The parallelism calls with these options use.
    pub const fn selected_parallelism(&self) -> Parallelism {
        self.parallelism
    }

    #[inline]
    fn checked_kernel(&self) -> CheckedKernel {
        match self.kernel {
            Some(kernel) => kernel,
            None => CheckedKernel::selected(),
        }
    }

    /// `out[i] = a[i] * b[i]`; on mismatched lengths, an error and `out` untouched.
    #[inline]
    pub fn mul_elementwise<T: Element>(
        &self,
        a: &[T],
        b: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        if a.len() != out.len() || b.len() != out.len() {
            return Err(LengthMismatch::new(
                "hadamard::mul_elementwise",
                &["a", "b", "out"],
                &[a.len(), b.len(), out.len()],
            ));
        }
        execute(
            Operands::new(a, b, out),
            self.checked_kernel(),
            self.parallelism,
            self.stores,
        );
        Ok(())
    }

    /// `acc[i] *= b[i]`; on mismatched lengths, an error and `acc` untouched.
    #[inline]
    pub fn mul_assign<T: Element>(&self, acc: &mut [T], b: &[T]) -> Result<(), LengthMismatch> {
        if acc.len() != b.len() {
            return Err(LengthMismatch::new(
                "hadamard::mul_assign",
                &["acc", "b"],
                &[acc.len(), b.len()],
            ));
        }
        execute(
            Operands::in_place(acc, b),
            self.checked_kernel(),
            self.parallelism,
            self.stores,
        );
        Ok(())
    }

    /// A new vector holding `a[i] * b[i]`, or an error when the lengths differ.
    pub fn hadamard<T: Element>(&self, a: &[T], b: &[T]) -> Result<Vec<T>, LengthMismatch> {
        if a.len() != b.len() {
            let lengths = [a.len(), b.len()];
            return Err(LengthMismatch::new(
                "hadamard::hadamard",
                &["a", "b"],
                &lengths,
            ));
        }
        let mut product = Vec::with_capacity(a.len());
        let spare = &mut product.spare_capacity_mut()[..a.len()];
        execute(
            Operands::uninit(a, b, spare),
            self.checked_kernel(),
            self.parallelism,
            self.stores,
        );
        // SAFETY: the kernel wrote every one of the first a.len() elements (the kernel
        // contract), and the capacity is at least a.len().
        unsafe { product.set_len(a.len()) };
        Ok(product)
    }
}
