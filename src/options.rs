//! `Options`: how one call runs — which kernel, and on how many threads.

use crate::dispatch::CheckedKernel;
use crate::element::{from_repr, repr, repr_mut, to_repr, KernelPair, KernelTable, NORMALIZED_U8};
use crate::parallel::{execute, execute_large, reduce, Binary, Split, Ternary};
#[cfg(feature = "complex")]
use crate::ComplexElement;
#[cfg(feature = "half")]
use crate::HalfElement;
use crate::{
    Accumulate, Element, Error, Integer, Kernel, LengthMismatch, Parallelism, Real, Stores,
};
use alloc::vec::Vec;
use hadamard_kernels::{BinaryFn, SplitFn, SumFn, TernaryFn};

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

    /// The position of the kernel in the kernel tables (`Kernel as usize`): for the
    /// default path straight from the cached byte, with no `Kernel` built in between
    /// (which compiled to a jump table: measured, 1–2 ns on a 16-element call).
    #[inline]
    fn kernel_index(&self) -> usize {
        match self.kernel {
            Some(kernel) => kernel.kernel() as usize,
            None => crate::dispatch::selected_index(),
        }
    }

    #[inline]
    fn checked_kernel(&self) -> CheckedKernel {
        match self.kernel {
            Some(kernel) => kernel,
            None => CheckedKernel::selected(),
        }
    }

    /// Runs a binary kernel from `table` over `len` elements.
    ///
    /// # Safety
    /// `a` and `b` readable and `out` writable for `len` elements for the call, `out`
    /// disjoint from both or equal to `a` (in place, same type).
    #[inline(always)]
    unsafe fn run_binary<A, B, O>(
        &self,
        (a, b, out, len): (*const A, *const B, *mut O, usize),
        table: &KernelTable<BinaryFn<A, B, O>>,
    ) where
        A: Send + Sync,
        B: Send + Sync,
        O: Send + Sync,
    {
        // SAFETY: forwarded from this function's contract.
        unsafe { self.run_pair::<_, _, _, false>(a, b, out, len, table) }
    }

    /// [`run_binary`](Self::run_binary), or with `BROADCAST` the broadcast form (`b`
    /// points at one value every element is multiplied by): on the small-call path one
    /// indirect call, with no job built; the first call of the process (which chooses
    /// the kernel) and the large path are out of line with their arguments in registers,
    /// and nothing is live after the kernel returns, so the small path needs no stack
    /// frame of its own (a 16-element call paid about 1 ns for one, measured).
    ///
    /// # Safety
    /// As `run_binary`, with `b` readable for one element when `BROADCAST`.
    #[inline(always)]
    unsafe fn run_pair<A, B, O, const BROADCAST: bool>(
        &self,
        a: *const A,
        b: *const B,
        out: *mut O,
        len: usize,
        table: &KernelTable<BinaryFn<A, B, O>>,
    ) where
        A: Send + Sync,
        B: Send + Sync,
        O: Send + Sync,
    {
        let index = match self.kernel {
            Some(kernel) => kernel.kernel() as usize,
            None => match crate::dispatch::resolved_index() {
                Some(index) => index,
                // SAFETY: forwarded from this function's contract.
                None => {
                    return unsafe {
                        self.run_pair_unresolved::<_, _, _, BROADCAST>(a, b, out, len, table)
                    }
                }
            },
        };
        // SAFETY: forwarded from this function's contract; the index names a kernel this
        // CPU runs.
        unsafe { self.run_pair_on::<_, _, _, BROADCAST>(a, b, out, len, &table[index]) }
    }

    /// The rest of [`run_pair`](Self::run_pair) once the kernel is known: the one
    /// indirect call of a small call, or the large path.
    ///
    /// # Safety
    /// As `run_pair`; `kernels` is the table entry of a kernel this CPU runs.
    #[inline(always)]
    unsafe fn run_pair_on<A, B, O, const BROADCAST: bool>(
        self,
        a: *const A,
        b: *const B,
        out: *mut O,
        len: usize,
        kernels: &KernelPair<BinaryFn<A, B, O>>,
    ) where
        A: Send + Sync,
        B: Send + Sync,
        O: Send + Sync,
    {
        // Bytes as the job counts them (a broadcast value too).
        let bytes = len * (size_of::<A>() + size_of::<B>() + size_of::<O>());
        if crate::parallel::stays_small(bytes, self.parallelism, self.stores) {
            // SAFETY: the pointers as this function's contract says, and the kernel is one
            // this CPU runs (caller), so its table entry is sound to call.
            unsafe { (kernels.plain)(a, b, out, len) }
        } else {
            // SAFETY: as above.
            unsafe { self.run_pair_large::<_, _, _, BROADCAST>(a, b, out, len, kernels) }
        }
    }

    /// [`run_pair`](Self::run_pair) on the first call of the process (the kernel not
    /// yet chosen): out of line, so the common path calls nothing but the kernel.
    ///
    /// # Safety
    /// As `run_pair`.
    #[cold]
    #[inline(never)]
    unsafe fn run_pair_unresolved<A, B, O, const BROADCAST: bool>(
        self,
        a: *const A,
        b: *const B,
        out: *mut O,
        len: usize,
        table: &KernelTable<BinaryFn<A, B, O>>,
    ) where
        A: Send + Sync,
        B: Send + Sync,
        O: Send + Sync,
    {
        let kernels = &table[self.kernel_index()];
        // SAFETY: forwarded; `kernel_index` only names kernels this CPU runs.
        unsafe { self.run_pair_on::<_, _, _, BROADCAST>(a, b, out, len, kernels) }
    }

    /// The large-call half of [`run_pair`](Self::run_pair): the job, the split and the
    /// store policy. The options come by value and `BROADCAST` as a constant, so every
    /// argument travels in a register.
    ///
    /// # Safety
    /// As `run_pair`; `kernels` is the table entry of a kernel this CPU runs.
    #[inline(never)]
    unsafe fn run_pair_large<A, B, O, const BROADCAST: bool>(
        self,
        a: *const A,
        b: *const B,
        out: *mut O,
        len: usize,
        kernels: &KernelPair<BinaryFn<A, B, O>>,
    ) where
        A: Send + Sync,
        B: Send + Sync,
        O: Send + Sync,
    {
        // SAFETY: forwarded from this function's contract.
        let job = unsafe {
            if BROADCAST {
                Binary::broadcast(a, b, out, len, *kernels)
            } else {
                Binary::new(a, b, out, len, *kernels)
            }
        };
        execute_large(job, self.parallelism, self.stores);
    }

    /// `out[i] = a[i] * b[i]`; on mismatched lengths, an error and `out` untouched.
    #[inline]
    pub fn mul_elementwise<T: Element>(
        &self,
        a: &[T],
        b: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        let len = equal_lengths(
            "hadamard::mul_elementwise",
            ABO,
            [a.len(), b.len(), out.len()],
        )?;
        let ptrs = (
            repr(a.as_ptr()),
            repr(b.as_ptr()),
            repr_mut(out.as_mut_ptr()),
            len,
        );
        // SAFETY: three slices of `len` elements (checked), `out` an exclusive borrow.
        unsafe { self.run_binary(ptrs, &T::MUL) };
        Ok(())
    }

    /// `acc[i] *= b[i]`; on mismatched lengths, an error and `acc` untouched.
    #[inline]
    pub fn mul_assign<T: Element>(&self, acc: &mut [T], b: &[T]) -> Result<(), LengthMismatch> {
        let len = equal_lengths("hadamard::mul_assign", &["acc", "b"], [acc.len(), b.len()])?;
        let acc = repr_mut(acc.as_mut_ptr());
        // SAFETY: two slices of `len` elements (checked); `acc` is both an input and the
        // output, which the kernel contract allows (out equal to a).
        unsafe { self.run_binary((acc.cast_const(), repr(b.as_ptr()), acc, len), &T::MUL) };
        Ok(())
    }

    /// A new vector holding `a[i] * b[i]`, or an error when the lengths differ.
    pub fn hadamard<T: Element>(&self, a: &[T], b: &[T]) -> Result<Vec<T>, LengthMismatch> {
        let len = equal_lengths("hadamard::hadamard", &["a", "b"], [a.len(), b.len()])?;
        let mut product = Vec::<T>::with_capacity(len);
        let out = repr_mut(product.as_mut_ptr());
        // SAFETY: the vector's buffer is writable for `len` elements (its capacity) and
        // disjoint from `a` and `b`; the kernel writes without reading it.
        unsafe { self.run_binary((repr(a.as_ptr()), repr(b.as_ptr()), out, len), &T::MUL) };
        // SAFETY: the kernel wrote every one of the first `len` elements (the kernel
        // contract), and the capacity is at least `len`.
        unsafe { product.set_len(len) };
        Ok(product)
    }

    /// `out[i] = a[i].saturating_mul(b[i])`; on mismatched lengths, an error and `out`
    /// untouched.
    #[inline]
    pub fn mul_elementwise_saturating<T: Integer>(
        &self,
        a: &[T],
        b: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        let operation = "hadamard::mul_elementwise_saturating";
        let len = equal_lengths(operation, ABO, [a.len(), b.len(), out.len()])?;
        // SAFETY: three slices of `len` elements (checked), `out` an exclusive borrow.
        unsafe {
            self.run_binary(
                (a.as_ptr(), b.as_ptr(), out.as_mut_ptr(), len),
                &T::SATURATING,
            )
        };
        Ok(())
    }

    /// `out[i] = round(a[i]·b[i] / 255)`; on mismatched lengths, an error and `out`
    /// untouched.
    #[inline]
    pub fn mul_normalized_u8(
        &self,
        a: &[u8],
        b: &[u8],
        out: &mut [u8],
    ) -> Result<(), LengthMismatch> {
        let operation = "hadamard::mul_normalized_u8";
        let len = equal_lengths(operation, ABO, [a.len(), b.len(), out.len()])?;
        // SAFETY: three slices of `len` elements (checked), `out` an exclusive borrow.
        unsafe {
            self.run_binary(
                (a.as_ptr(), b.as_ptr(), out.as_mut_ptr(), len),
                &NORMALIZED_U8,
            )
        };
        Ok(())
    }

    /// `out[i] = a[i] · conj(b[i])`; on mismatched lengths, an error and `out` untouched.
    #[cfg(feature = "complex")]
    #[inline]
    pub fn mul_conj_elementwise<T: ComplexElement>(
        &self,
        a: &[T],
        b: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        let operation = "hadamard::mul_conj_elementwise";
        let len = equal_lengths(operation, ABO, [a.len(), b.len(), out.len()])?;
        let ptrs = (
            repr(a.as_ptr()),
            repr(b.as_ptr()),
            repr_mut(out.as_mut_ptr()),
            len,
        );
        // SAFETY: three slices of `len` elements (checked), `out` an exclusive borrow.
        unsafe { self.run_binary(ptrs, &T::MUL_CONJ) };
        Ok(())
    }

    /// `out[i] = f32(a[i]) · f32(b[i])`; on mismatched lengths, an error and `out`
    /// untouched.
    #[cfg(feature = "half")]
    #[inline]
    pub fn mul_elementwise_widen<H: HalfElement>(
        &self,
        a: &[H],
        b: &[H],
        out: &mut [f32],
    ) -> Result<(), LengthMismatch> {
        let operation = "hadamard::mul_elementwise_widen";
        let len = equal_lengths(operation, ABO, [a.len(), b.len(), out.len()])?;
        let ptrs = (repr(a.as_ptr()), repr(b.as_ptr()), out.as_mut_ptr(), len);
        // SAFETY: three slices of `len` elements (checked), `out` an exclusive borrow of
        // another type, so disjoint.
        unsafe { self.run_binary(ptrs, &H::WIDEN) };
        Ok(())
    }

    /// `out[i] = s · a[i]`; on mismatched lengths, an error and `out` untouched.
    #[inline]
    pub fn mul_scalar<T: Element>(
        &self,
        a: &[T],
        s: T,
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        let len = equal_lengths("hadamard::mul_scalar", &["a", "out"], [a.len(), out.len()])?;
        let s = to_repr(s);
        let (a, out) = (repr(a.as_ptr()), repr_mut(out.as_mut_ptr()));
        // SAFETY: `a` and `out` hold `len` elements (checked), `out` an exclusive borrow;
        // `s` is one value that outlives the call.
        unsafe { self.run_pair::<_, _, _, true>(a, &s, out, len, &T::SCALE) };
        Ok(())
    }

    /// `acc[i] = s · acc[i]`, in place.
    #[inline]
    pub fn mul_scalar_assign<T: Element>(&self, acc: &mut [T], s: T) {
        let s = to_repr(s);
        let (len, acc) = (acc.len(), repr_mut(acc.as_mut_ptr()));
        // SAFETY: `acc` holds `len` elements and is both input and output, which the kernel
        // contract allows; `s` as in `mul_scalar`.
        unsafe { self.run_pair::<_, _, _, true>(acc.cast_const(), &s, acc, len, &T::SCALE) };
    }

    /// Runs a three-input kernel from `table`.
    ///
    /// # Safety
    /// Every input readable and `out` writable for `len` elements; `out` disjoint from
    /// the inputs or equal to the third.
    #[inline(always)]
    unsafe fn run_ternary<R: Send + Sync>(
        &self,
        inputs: [*const R; 3],
        out: *mut R,
        len: usize,
        table: &KernelTable<TernaryFn<R>>,
    ) {
        let kernels = table[self.kernel_index()];
        // SAFETY: forwarded from this function's contract; the kernel is one this CPU runs.
        let job = unsafe { Ternary::new(inputs, out, len, kernels) };
        execute(job, self.parallelism, self.stores);
    }

    /// `out[i] = a[i]·b[i] + c[i]`, the product and the sum each rounded (for floats); on
    /// mismatched lengths, an error and `out` untouched.
    #[inline]
    pub fn mul_add<T: Accumulate>(
        &self,
        a: &[T],
        b: &[T],
        c: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        let lengths = [a.len(), b.len(), c.len(), out.len()];
        let len = equal_lengths("hadamard::mul_add", ABCO, lengths)?;
        let inputs = [repr(a.as_ptr()), repr(b.as_ptr()), repr(c.as_ptr())];
        // SAFETY: four slices of `len` elements (checked), `out` an exclusive borrow.
        unsafe { self.run_ternary(inputs, repr_mut(out.as_mut_ptr()), len, &T::MUL_ADD) };
        Ok(())
    }

    /// `acc[i] += a[i]·b[i]`; on mismatched lengths, an error and `acc` untouched.
    #[inline]
    pub fn mul_add_assign<T: Accumulate>(
        &self,
        acc: &mut [T],
        a: &[T],
        b: &[T],
    ) -> Result<(), LengthMismatch> {
        self.accumulate("hadamard::mul_add_assign", acc, a, b, &T::MUL_ADD)
    }

    /// `out[i] = fma(a[i], b[i], c[i])`: one rounding; on mismatched lengths, an error
    /// and `out` untouched.
    #[inline]
    pub fn mul_add_fused<T: Real>(
        &self,
        a: &[T],
        b: &[T],
        c: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        let lengths = [a.len(), b.len(), c.len(), out.len()];
        let len = equal_lengths("hadamard::mul_add_fused", ABCO, lengths)?;
        let inputs = [a.as_ptr(), b.as_ptr(), c.as_ptr()];
        // SAFETY: four slices of `len` elements (checked), `out` an exclusive borrow.
        unsafe { self.run_ternary(inputs, out.as_mut_ptr(), len, &T::MUL_ADD_FUSED) };
        Ok(())
    }

    /// `acc[i] = fma(a[i], b[i], acc[i])`; on mismatched lengths, an error and `acc`
    /// untouched.
    #[inline]
    pub fn mul_add_assign_fused<T: Real>(
        &self,
        acc: &mut [T],
        a: &[T],
        b: &[T],
    ) -> Result<(), LengthMismatch> {
        let operation = "hadamard::mul_add_assign_fused";
        let len = equal_lengths(operation, ACC_A_B, [acc.len(), a.len(), b.len()])?;
        let acc = acc.as_mut_ptr();
        let inputs = [a.as_ptr(), b.as_ptr(), acc.cast_const()];
        // SAFETY: three slices of `len` elements (checked); `acc` is the third input and
        // the output, which the kernel contract allows.
        unsafe { self.run_ternary(inputs, acc, len, &T::MUL_ADD_FUSED) };
        Ok(())
    }

    /// `acc[i] += a[i] · conj(b[i])` in one pass; on mismatched lengths, an error and
    /// `acc` untouched.
    #[cfg(feature = "complex")]
    #[inline]
    pub fn mul_conj_add_assign<T: ComplexElement>(
        &self,
        acc: &mut [T],
        a: &[T],
        b: &[T],
    ) -> Result<(), LengthMismatch> {
        self.accumulate("hadamard::mul_conj_add_assign", acc, a, b, &T::MUL_CONJ_ADD)
    }

    #[inline(always)]
    fn accumulate<T: Element>(
        &self,
        operation: &'static str,
        acc: &mut [T],
        a: &[T],
        b: &[T],
        table: &KernelTable<TernaryFn<T::Repr>>,
    ) -> Result<(), LengthMismatch> {
        let len = equal_lengths(operation, ACC_A_B, [acc.len(), a.len(), b.len()])?;
        let acc = repr_mut(acc.as_mut_ptr());
        let inputs = [repr(a.as_ptr()), repr(b.as_ptr()), acc.cast_const()];
        // SAFETY: three slices of `len` elements (checked); `acc` is the third input and
        // the output, which the kernel contract allows.
        unsafe { self.run_ternary(inputs, acc, len, table) };
        Ok(())
    }

    /// `Σ a[i]·b[i]` (the Frobenius inner product ⟨A, B⟩ of matrices stored as slices),
    /// without materialising the product; see [`hadamard_sum`](crate::hadamard_sum) for
    /// the error bound. On mismatched lengths, an error.
    #[inline]
    pub fn hadamard_sum<T: Accumulate>(&self, a: &[T], b: &[T]) -> Result<T, LengthMismatch> {
        self.sum("hadamard::hadamard_sum", a, b, &T::SUM)
    }

    /// `Σ a[i]·conj(b[i])`; on mismatched lengths, an error.
    #[cfg(feature = "complex")]
    #[inline]
    pub fn hadamard_sum_conj<T: ComplexElement>(
        &self,
        a: &[T],
        b: &[T],
    ) -> Result<T, LengthMismatch> {
        self.sum("hadamard::hadamard_sum_conj", a, b, &T::SUM_CONJ)
    }

    #[inline(always)]
    fn sum<T: Accumulate>(
        &self,
        operation: &'static str,
        a: &[T],
        b: &[T],
        table: &KernelTable<SumFn<T::Repr, T::Repr>>,
    ) -> Result<T, LengthMismatch> {
        let len = equal_lengths(operation, &["a", "b"], [a.len(), b.len()])?;
        let kernel = table[self.kernel_index()].plain;
        // SAFETY: both slices hold `len` elements (checked); the kernel is one this CPU
        // runs.
        let total = unsafe {
            reduce(
                repr(a.as_ptr()),
                repr(b.as_ptr()),
                len,
                kernel,
                T::add,
                self.parallelism,
            )
        };
        Ok(from_repr(total))
    }

    /// The complex product over split planes: `out = a ⊙ b` where `a = (re, im)`; on
    /// mismatched lengths, an error and both output planes untouched.
    #[inline]
    pub fn mul_split_complex<T: Real>(
        &self,
        a: (&[T], &[T]),
        b: (&[T], &[T]),
        out: (&mut [T], &mut [T]),
    ) -> Result<(), LengthMismatch> {
        self.split("hadamard::mul_split_complex", a, b, out, &T::SPLIT_MUL)
    }

    /// `out = a ⊙ conj(b)` over split planes; on mismatched lengths, an error and both
    /// output planes untouched.
    #[inline]
    pub fn mul_conj_split_complex<T: Real>(
        &self,
        a: (&[T], &[T]),
        b: (&[T], &[T]),
        out: (&mut [T], &mut [T]),
    ) -> Result<(), LengthMismatch> {
        self.split(
            "hadamard::mul_conj_split_complex",
            a,
            b,
            out,
            &T::SPLIT_MUL_CONJ,
        )
    }

    #[inline(always)]
    fn split<T: Real>(
        &self,
        operation: &'static str,
        a: (&[T], &[T]),
        b: (&[T], &[T]),
        out: (&mut [T], &mut [T]),
        table: &KernelTable<SplitFn<T>>,
    ) -> Result<(), LengthMismatch> {
        let lengths = [
            a.0.len(),
            a.1.len(),
            b.0.len(),
            b.1.len(),
            out.0.len(),
            out.1.len(),
        ];
        let names = &["a.re", "a.im", "b.re", "b.im", "out.re", "out.im"];
        equal_lengths(operation, names, lengths)?;
        let kernels = table[self.kernel_index()];
        execute(
            Split::new(a, b, out, kernels),
            self.parallelism,
            self.stores,
        );
        Ok(())
    }
}

/// The operand names of `f(a, b, out)`.
const ABO: &[&str] = &["a", "b", "out"];
/// The operand names of `f(a, b, c, out)`.
const ABCO: &[&str] = &["a", "b", "c", "out"];
/// The operand names of `acc += f(a, b)`.
const ACC_A_B: &[&str] = &["acc", "a", "b"];

/// The common length, or the error naming every operand: built right here, in the branch
/// only a failing call takes (no allocation, no call), so the compiler sees that branch
/// end in an error.
#[inline(always)]
fn equal_lengths<const N: usize>(
    operation: &'static str,
    names: &'static [&'static str],
    lengths: [usize; N],
) -> Result<usize, LengthMismatch> {
    let len = lengths[0];
    if lengths.iter().all(|&l| l == len) {
        Ok(len)
    } else {
        Err(LengthMismatch::new(operation, names, lengths))
    }
}
