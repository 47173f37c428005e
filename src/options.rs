//! `Options`: how one call runs — which kernel, and on how many threads.

use crate::dispatch::{self, CheckedKernel};
#[cfg(feature = "complex")]
use crate::element::ComplexElement;
#[cfg(feature = "half")]
use crate::element::HalfElement;
use crate::element::{from_repr, repr, repr_mut, to_repr};
use crate::element::{Accumulate, Element, Integer, Real, Unorm8};
use crate::error::{Error, LengthMismatch};
use crate::kernel::Kernel;
use crate::parallel::{
    execute_large, reduce, stays_small, AccumulateJob, BinaryJob, InPlaceJob, Job,
    QuaternaryInPlaceJob, QuaternaryJob, ScaleInPlaceJob, ScaleJob, SplitJob, TernaryJob,
};
use crate::parallel::{observe, Parallelism, Stores};
use alloc::vec::Vec;
use bytemuck::{cast_slice, cast_slice_mut, Pod};
#[cfg(any(feature = "ndarray", feature = "nalgebra", feature = "faer"))]
use hadamard_kernels::tables::SumStream;
use hadamard_kernels::tables::{self as t, Binary, Split, Sum, Ternary};

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
    /// The most threads a call uses (`usize::MAX`: no limit of its own).
    max_threads: usize,
}

impl Options {
    /// The default: the selected kernel and [`Parallelism::Auto`].
    pub const fn new() -> Options {
        Options {
            kernel: None,
            parallelism: Parallelism::Auto,
            stores: Stores::Auto,
            max_threads: usize::MAX,
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

    /// Uses at most `threads` threads per call (the calling thread included; 0 counts as
    /// 1), under [`Parallelism::Auto`] and [`Parallelism::Parallel`] alike: a limit on
    /// what [`split_costs`](crate::split_costs) decides, within the current rayon pool
    /// and `HADAMARD_MAX_THREADS`.
    ///
    /// ```
    /// use hadamard::Options;
    /// let a = vec![1.5f32; 1 << 22];
    /// let mut out = vec![0.0; a.len()];
    /// // Leave the other cores to the rest of the program: two threads at most.
    /// Options::new().max_threads(2).mul_elementwise(&a, &a, &mut out)?;
    /// assert!(out.iter().all(|&x| x == 2.25));
    /// # Ok::<(), hadamard::Error>(())
    /// ```
    pub const fn max_threads(self, threads: usize) -> Options {
        Options {
            max_threads: if threads == 0 { 1 } else { threads },
            ..self
        }
    }

    /// The thread limit calls with these options have of their own (`usize::MAX` for
    /// none).
    pub const fn selected_max_threads(&self) -> usize {
        self.max_threads
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

    /// Runs a checked job: the one path every element-wise operation ends in. A small
    /// call is a size test and the kernel call; choosing the default kernel on the first
    /// call of the process, and large calls, happen out of line.
    #[inline(always)]
    fn run<J: Job>(self, job: J) {
        let token = match self.kernel {
            Some(kernel) => kernel.token(),
            None => match dispatch::resolved_token() {
                Some(token) => token,
                None => dispatch::resolve().token(),
            },
        };
        // Past L1 the default path may run a narrower kernel (a forced one stays forced).
        let past_l1 = match self.kernel {
            None if job.narrows_past_l1() => dispatch::past_l1_token(job.bytes_moved()),
            _ => None,
        };
        if stays_small(job.bytes_moved(), self.parallelism, self.stores) {
            match past_l1 {
                Some(narrow) => job.run(observe::narrowed(narrow), false),
                None => job.run(token, false),
            }
        } else {
            execute_large(
                token,
                past_l1,
                job,
                self.parallelism,
                self.stores,
                self.max_threads,
            )
        }
    }

    /// `out = f(a, b)`: check, view as the table's types, run.
    #[inline(always)]
    fn binary<X: Pod, Y: Pod, Z: Pod, A: Pod + Sync, B: Pod + Sync, O: Pod + Send>(
        self,
        operation: &'static str,
        table: &'static Binary<A, B, O>,
        a: &[X],
        b: &[Y],
        out: &mut [Z],
    ) -> Result<(), LengthMismatch> {
        equal_lengths(operation, ABO, [a.len(), b.len(), out.len()])?;
        let (a, b, out) = (cast_slice(a), cast_slice(b), cast_slice_mut(out));
        self.run(BinaryJob { table, a, b, out });
        Ok(())
    }

    /// `out = f(a, b, c)`: check, view as the table's types, run. `names`: the four
    /// operands' names, `out` last.
    #[inline(always)]
    fn ternary<X: Pod, R: Pod + Send + Sync>(
        self,
        (operation, names): (&'static str, &'static [&'static str]),
        table: &'static Ternary<R>,
        [a, b, c]: [&[X]; 3],
        out: &mut [X],
    ) -> Result<(), LengthMismatch> {
        equal_lengths(operation, names, [a.len(), b.len(), c.len(), out.len()])?;
        let (a, b, c, out) = (
            cast_slice(a),
            cast_slice(b),
            cast_slice(c),
            cast_slice_mut(out),
        );
        self.run(TernaryJob {
            table,
            a,
            b,
            c,
            out,
        });
        Ok(())
    }

    /// `acc = f(a, b, acc)`: check, view as the table's types, run.
    #[inline(always)]
    fn accumulate<X: Pod, R: Pod + Send + Sync>(
        self,
        operation: &'static str,
        table: &'static Ternary<R>,
        acc: &mut [X],
        [a, b]: [&[X]; 2],
    ) -> Result<(), LengthMismatch> {
        equal_lengths(operation, ACC_A_B, [acc.len(), a.len(), b.len()])?;
        let (acc, a, b) = (cast_slice_mut(acc), cast_slice(a), cast_slice(b));
        self.run(AccumulateJob { table, acc, a, b });
        Ok(())
    }

    /// `out[i] = a[i] * b[i]`; on mismatched lengths, an error and `out` untouched.
    #[inline]
    pub fn mul_elementwise<T: Element>(
        &self,
        a: &[T],
        b: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        self.binary("hadamard::mul_elementwise", T::MUL, a, b, out)
    }

    /// `acc[i] *= b[i]`; on mismatched lengths, an error and `acc` untouched.
    #[inline]
    pub fn mul_assign<T: Element>(&self, acc: &mut [T], b: &[T]) -> Result<(), LengthMismatch> {
        equal_lengths("hadamard::mul_assign", &["acc", "b"], [acc.len(), b.len()])?;
        let (acc, b) = (repr_mut(acc), repr(b));
        self.run(InPlaceJob {
            table: T::MUL,
            acc,
            b,
        });
        Ok(())
    }

    /// A new vector holding `a[i] * b[i]`, or an error when the lengths differ.
    pub fn hadamard<T: Element>(&self, a: &[T], b: &[T]) -> Result<Vec<T>, LengthMismatch> {
        equal_lengths("hadamard::hadamard", &["a", "b"], [a.len(), b.len()])?;
        // Zeroed rather than uninitialised, so no unsafe is needed: a large vector's zero
        // pages come fresh from the OS (calloc) and cost nothing until written, which the
        // product does once either way.
        let mut product = bytemuck::allocation::zeroed_vec::<T>(a.len());
        self.mul_elementwise(a, b, &mut product)?;
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
        self.binary(operation, T::SATURATING, a, b, out)
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
        let table = &t::MUL_NORMALIZED_U8;
        self.binary("hadamard::mul_normalized_u8", table, a, b, out)
    }

    /// `out[i] = a[i] · conj(b[i])`; on mismatched lengths, an error and `out` untouched.
    #[cfg(feature = "complex")]
    #[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
    #[inline]
    pub fn mul_conj_elementwise<T: ComplexElement>(
        &self,
        a: &[T],
        b: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        self.binary("hadamard::mul_conj_elementwise", T::MUL_CONJ, a, b, out)
    }

    /// `out[i] = f32(a[i]) · f32(b[i])`; on mismatched lengths, an error and `out`
    /// untouched.
    #[cfg(feature = "half")]
    #[cfg_attr(docsrs, doc(cfg(feature = "half")))]
    #[inline]
    pub fn mul_elementwise_widen<H: HalfElement>(
        &self,
        a: &[H],
        b: &[H],
        out: &mut [f32],
    ) -> Result<(), LengthMismatch> {
        self.binary("hadamard::mul_elementwise_widen", H::WIDEN, a, b, out)
    }

    /// `out[i] = s · a[i]`; on mismatched lengths, an error and `out` untouched.
    #[inline]
    pub fn mul_scalar<T: Element>(
        &self,
        a: &[T],
        s: T,
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        equal_lengths("hadamard::mul_scalar", &["a", "out"], [a.len(), out.len()])?;
        let (table, a, s, out) = (T::SCALE, repr(a), to_repr(s), repr_mut(out));
        self.run(ScaleJob { table, a, s, out });
        Ok(())
    }

    /// `acc[i] = s · acc[i]`, in place.
    #[inline]
    pub fn mul_scalar_assign<T: Element>(&self, acc: &mut [T], s: T) {
        let (table, s, acc) = (T::SCALE, to_repr(s), repr_mut(acc));
        self.run(ScaleInPlaceJob { table, s, acc });
    }

    /// `out[i] = a[i]·b[i] + c[i]`, the product and the sum each rounded (for floats); on
    /// mismatched lengths, an error and `out` untouched.
    #[inline]
    pub fn mul_then_add<T: Accumulate>(
        &self,
        a: &[T],
        b: &[T],
        c: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        self.ternary(
            ("hadamard::mul_then_add", ABCO),
            T::MUL_THEN_ADD,
            [a, b, c],
            out,
        )
    }

    /// `acc[i] += a[i]·b[i]`; on mismatched lengths, an error and `acc` untouched.
    #[inline]
    pub fn mul_then_add_assign<T: Accumulate>(
        &self,
        acc: &mut [T],
        a: &[T],
        b: &[T],
    ) -> Result<(), LengthMismatch> {
        self.accumulate(
            "hadamard::mul_then_add_assign",
            T::MUL_THEN_ADD,
            acc,
            [a, b],
        )
    }

    /// `out[i] = a[i]·b[i] + c[i]·d[i]`, both products and the sum rounded (for floats);
    /// on mismatched lengths, an error and `out` untouched.
    #[inline]
    pub fn mul_then_add_mul<T: Accumulate>(
        &self,
        a: &[T],
        b: &[T],
        c: &[T],
        d: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        let lengths = [a.len(), b.len(), c.len(), d.len(), out.len()];
        equal_lengths("hadamard::mul_then_add_mul", ABCDO, lengths)?;
        let inputs = [repr(a), repr(b), repr(c), repr(d)];
        let (table, out) = (T::MUL_THEN_ADD_MUL, repr_mut(out));
        self.run(QuaternaryJob { table, inputs, out });
        Ok(())
    }

    /// `acc[i] = acc[i]·a[i] + b[i]·c[i]` in one pass; on mismatched lengths, an error and
    /// `acc` untouched.
    #[inline]
    pub fn mul_then_add_mul_assign<T: Accumulate>(
        &self,
        acc: &mut [T],
        a: &[T],
        b: &[T],
        c: &[T],
    ) -> Result<(), LengthMismatch> {
        let lengths = [acc.len(), a.len(), b.len(), c.len()];
        equal_lengths("hadamard::mul_then_add_mul_assign", ACC_A_B_C, lengths)?;
        let (table, acc) = (T::MUL_THEN_ADD_MUL, repr_mut(acc));
        let inputs = [repr(a), repr(b), repr(c)];
        self.run(QuaternaryInPlaceJob { table, acc, inputs });
        Ok(())
    }

    /// `out[i] = w[i]·a[i] + (1 − w[i])·b[i]`, every step rounded; on mismatched lengths,
    /// an error and `out` untouched.
    #[inline]
    pub fn blend<T: Real>(
        &self,
        a: &[T],
        b: &[T],
        w: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        let operation = ("hadamard::blend", &["a", "b", "w", "out"][..]);
        self.ternary(operation, T::BLEND, [a, b, w], out)
    }

    /// `out[i] = round((alpha[i]·fg[i] + (255 − alpha[i])·bg[i]) / 255)`; on mismatched
    /// lengths, an error and `out` untouched.
    #[inline]
    pub fn blend_normalized_u8(
        &self,
        fg: &[u8],
        bg: &[u8],
        alpha: &[u8],
        out: &mut [u8],
    ) -> Result<(), LengthMismatch> {
        self.blend_unorm8(fg, bg, alpha, out)
    }

    /// [`blend_normalized_u8`](Self::blend_normalized_u8) over the bound the integrations'
    /// generic forms name.
    #[inline(always)]
    pub(crate) fn blend_unorm8<T: Unorm8>(
        &self,
        fg: &[T],
        bg: &[T],
        alpha: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        let operation = (
            "hadamard::blend_normalized_u8",
            &["fg", "bg", "alpha", "out"][..],
        );
        let table = &t::BLEND_NORMALIZED_U8;
        self.ternary(
            operation,
            table,
            [repr(fg), repr(bg), repr(alpha)],
            repr_mut(out),
        )
    }

    /// `out[i] = fma(a[i], b[i], c[i])`: one rounding; on mismatched lengths, an error
    /// and `out` untouched.
    #[inline]
    pub fn mul_add<T: Real>(
        &self,
        a: &[T],
        b: &[T],
        c: &[T],
        out: &mut [T],
    ) -> Result<(), LengthMismatch> {
        self.ternary(("hadamard::mul_add", ABCO), T::MUL_ADD, [a, b, c], out)
    }

    /// `acc[i] = fma(a[i], b[i], acc[i])`; on mismatched lengths, an error and `acc`
    /// untouched.
    #[inline]
    pub fn mul_add_assign<T: Real>(
        &self,
        acc: &mut [T],
        a: &[T],
        b: &[T],
    ) -> Result<(), LengthMismatch> {
        let operation = "hadamard::mul_add_assign";
        self.accumulate(operation, T::MUL_ADD, acc, [a, b])
    }

    /// `acc[i] += a[i] · conj(b[i])` in one pass; on mismatched lengths, an error and
    /// `acc` untouched.
    #[cfg(feature = "complex")]
    #[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
    #[inline]
    pub fn mul_conj_add_assign<T: ComplexElement>(
        &self,
        acc: &mut [T],
        a: &[T],
        b: &[T],
    ) -> Result<(), LengthMismatch> {
        let operation = "hadamard::mul_conj_add_assign";
        self.accumulate(operation, T::MUL_CONJ_ADD, acc, [a, b])
    }

    /// `Σ a[i]·b[i]` (the Frobenius inner product ⟨A, B⟩ of matrices stored as slices),
    /// without materialising the product; see [`hadamard_sum`](crate::hadamard_sum) for
    /// the error bound. On mismatched lengths, an error.
    #[inline]
    pub fn hadamard_sum<T: Accumulate>(&self, a: &[T], b: &[T]) -> Result<T, LengthMismatch> {
        self.sum("hadamard::hadamard_sum", a, b, T::SUM)
    }

    /// `Σ a[i]·conj(b[i])`; on mismatched lengths, an error.
    #[cfg(feature = "complex")]
    #[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
    #[inline]
    pub fn hadamard_sum_conj<T: ComplexElement>(
        &self,
        a: &[T],
        b: &[T],
    ) -> Result<T, LengthMismatch> {
        self.sum("hadamard::hadamard_sum_conj", a, b, T::SUM_CONJ)
    }

    #[inline(always)]
    pub(crate) fn sum<T: Accumulate>(
        &self,
        operation: &'static str,
        a: &[T],
        b: &[T],
        table: &'static Sum<T::Repr, T::Repr>,
    ) -> Result<T, LengthMismatch> {
        equal_lengths(operation, &["a", "b"], [a.len(), b.len()])?;
        let token = self.checked_kernel().token();
        let total = reduce(
            token,
            table,
            repr(a),
            repr(b),
            self.parallelism,
            self.max_threads,
        );
        Ok(from_repr(total))
    }

    /// A sum fed chunk by chunk on this thread, with this kernel: the bits of one call on
    /// the chunks' concatenation (the integrations' strided lanes).
    #[cfg(any(feature = "ndarray", feature = "nalgebra", feature = "faer"))]
    pub(crate) fn sum_stream<R: Copy>(&self, table: &'static Sum<R, R>) -> SumStream<R, R> {
        table.stream(self.checked_kernel().token())
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
        self.split("hadamard::mul_split_complex", a, b, out, T::SPLIT_MUL)
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
        let operation = "hadamard::mul_conj_split_complex";
        self.split(operation, a, b, out, T::SPLIT_MUL_CONJ)
    }

    #[inline(always)]
    fn split<T: Real>(
        &self,
        operation: &'static str,
        a: (&[T], &[T]),
        b: (&[T], &[T]),
        out: (&mut [T], &mut [T]),
        table: &'static Split<T>,
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
        self.run(SplitJob { table, a, b, out });
        Ok(())
    }
}

/// The operand names of `f(a, b, out)`.
const ABO: &[&str] = &["a", "b", "out"];
/// The operand names of `f(a, b, c, out)`.
const ABCO: &[&str] = &["a", "b", "c", "out"];
/// The operand names of `f(a, b, c, d, out)`.
const ABCDO: &[&str] = &["a", "b", "c", "d", "out"];
/// The operand names of `acc = f(acc, a, b, c)`.
const ACC_A_B_C: &[&str] = &["acc", "a", "b", "c"];
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
