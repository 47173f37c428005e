//! What the three integrations share: an array cut into lanes (1-D runs of elements, the
//! columns of a matrix, the rows of an ndarray axis), and one operation applied lane by
//! lane — a kernel call where a lane is a slice, through stack buffers where it is not.
//!
//! Every operation of the integrations is an `op` on slices of the slice API: `N` input
//! lanes and one output lane, which the in-place forms also read (`acc`). Each integration
//! only says how its type cuts into lanes and whether the whole array is one slice.

use crate::element::{from_repr, repr, Accumulate, Element};
use crate::error::{Dims, ShapeMismatch};
use crate::options::Options;
use hadamard_kernels::tables::{Sum, SumStream};

/// Elements per buffered chunk: 256 of the widest element (`Complex<f64>`, 16 bytes) make
/// 4 KiB buffers, small for a stack and large enough that a kernel call's fixed cost is a
/// few percent of the chunk.
const CHUNK: usize = 256;

/// A lane an operation reads.
pub(crate) trait Lane<T: Copy> {
    fn count(&self) -> usize;
    /// The lane's elements when they are consecutive in memory, in lane order.
    fn slice(&self) -> Option<&[T]>;
    fn at(&self, i: usize) -> T;
}

/// A lane an operation writes (and, for the in-place forms, reads first).
pub(crate) trait LaneMut<T: Copy> {
    fn count(&self) -> usize;
    fn slice_mut(&mut self) -> Option<&mut [T]>;
    fn at(&self, i: usize) -> T;
    fn put(&mut self, i: usize, value: T);
}

/// An operation on slices: `N` inputs and the output, which holds the output lane's
/// current values when called (the in-place forms read them).
pub(crate) trait Op<T, const N: usize>: Fn(&Options, [&[T]; N], &mut [T]) + Sync {}
impl<T, const N: usize, F: Fn(&Options, [&[T]; N], &mut [T]) + Sync> Op<T, N> for F {}

/// The operation's name and its operands' names in the order of its signature; `out_first`
/// when the output comes first (`acc` of the in-place forms), else it comes last.
pub(crate) struct Signature {
    pub operation: &'static str,
    pub names: &'static [&'static str],
    pub out_first: bool,
}

impl Signature {
    /// `Ok` when every input has the output's shape, else the error naming them all
    /// (`dims` describes a shape; called only on the error path, so a match allocates
    /// nothing).
    pub(crate) fn check<K: PartialEq + Copy, const N: usize>(
        &self,
        inputs: [K; N],
        out: K,
        dims: impl Fn(K) -> Dims,
    ) -> Result<(), ShapeMismatch> {
        if inputs.iter().all(|k| *k == out) {
            return Ok(());
        }
        let mut all: Vec<Dims> = inputs.iter().map(|&k| dims(k)).collect();
        if self.out_first {
            all.insert(0, dims(out));
        } else {
            all.push(dims(out));
        }
        let named: Vec<(&'static str, Dims)> = self.names.iter().copied().zip(all).collect();
        Err(ShapeMismatch::new(self.operation, &named))
    }
}

/// `op` on one lane: one call when every lane is a slice, else a chunk at a time through
/// buffers on the stack (no allocation): inputs gathered, the output's current values
/// gathered, `op` run, the output scattered back.
pub(crate) fn apply<T: Element, const N: usize>(
    opts: &Options,
    inputs: [&dyn Lane<T>; N],
    out: &mut dyn LaneMut<T>,
    op: &impl Op<T, N>,
) {
    let slices = inputs.map(|lane| lane.slice());
    if slices.iter().all(Option::is_some) {
        if let Some(o) = out.slice_mut() {
            op(opts, slices.map(|s| s.expect("checked")), o);
            return;
        }
    }
    let n = out.count();
    if n == 0 {
        return;
    }
    let fill = out.at(0);
    let mut buffers = [[fill; CHUNK]; N];
    let mut z = [fill; CHUNK];
    let mut start = 0;
    while start < n {
        let m = CHUNK.min(n - start);
        for (buffer, lane) in buffers.iter_mut().zip(inputs) {
            for (i, x) in buffer[..m].iter_mut().enumerate() {
                *x = lane.at(start + i);
            }
        }
        for (i, x) in z[..m].iter_mut().enumerate() {
            *x = out.at(start + i);
        }
        op(opts, buffers.each_ref().map(|b| &b[..m]), &mut z[..m]);
        for (i, &x) in z[..m].iter().enumerate() {
            out.put(start + i, x);
        }
        start += m;
    }
}

/// Which sum an integration computes: the operation's name and its table.
pub(crate) struct SumOf<T: Accumulate> {
    pub(crate) operation: &'static str,
    pub(crate) table: &'static Sum<T::Repr, T::Repr>,
}

impl<T: Accumulate> SumOf<T> {
    /// The sum of two slices of one length: the slice call (threads included).
    pub(crate) fn of_slices(&self, opts: &Options, a: &[T], b: &[T]) -> T {
        opts.sum(self.operation, a, b, self.table)
            .expect("operands of one shape")
    }
}

/// One lane pair's terms fed to `stream`: the slices when both are, else buffered chunks.
fn feed<T: Accumulate>(stream: &mut SumStream<T::Repr, T::Repr>, a: &dyn Lane<T>, b: &dyn Lane<T>) {
    if let (Some(a), Some(b)) = (a.slice(), b.slice()) {
        return stream.feed(repr(a), repr(b));
    }
    let n = a.count();
    if n == 0 {
        return;
    }
    let fill = a.at(0);
    let (mut x, mut y) = ([fill; CHUNK], [fill; CHUNK]);
    let mut start = 0;
    while start < n {
        let m = CHUNK.min(n - start);
        for i in 0..m {
            (x[i], y[i]) = (a.at(start + i), b.at(start + i));
        }
        stream.feed(repr(&x[..m]), repr(&y[..m]));
        start += m;
    }
}

/// `op` on every lane: `lanes` yields each output lane with the inputs' lanes at the same
/// place. On one thread in order, or on `threads` threads of the current rayon pool, the
/// lanes cut into a few runs a thread (allocating the list of lanes and its cuts).
pub(crate) fn apply_all<T, L, M, const N: usize>(
    opts: &Options,
    lanes: impl Iterator<Item = ([L; N], M)>,
    threads: crate::split_cost::Threads,
    op: &impl Op<T, N>,
) where
    T: Element,
    L: Lane<T> + Send,
    M: LaneMut<T> + Send,
{
    let lane_opts = opts.parallelism(crate::Parallelism::Sequential);
    let one = |(inputs, mut out): ([L; N], M)| {
        apply(
            &lane_opts,
            inputs.each_ref().map(|l| l as &dyn Lane<T>),
            &mut out,
            op,
        )
    };
    if threads.count > 1 {
        let lanes: Vec<_> = lanes.collect();
        let threads = threads.count.min(lanes.len());
        crate::parallel::observe::large_call(threads);
        let most = lanes.len();
        crate::threads::run_parts(
            lanes,
            threads,
            most,
            &|mut lanes: Vec<_>, left, of| {
                let rest = lanes.split_off(lanes.len() * left / of);
                (lanes, rest)
            },
            &|lanes: Vec<_>, _| lanes.into_iter().for_each(one),
        );
    } else {
        lanes.for_each(one);
    }
    threads.ended();
}

/// A shape mismatch of an extension-trait method, reported as the libraries' own
/// operators report theirs: a panic with the error's message.
#[track_caller]
pub(crate) fn panic_on<V>(result: Result<V, ShapeMismatch>) -> V {
    result.unwrap_or_else(|e| panic!("{e}"))
}

/// The threads a call moving `bytes` in `lanes` lanes uses under `opts`: the crate's one
/// rule (`split_cost::threads_for`), at most one per lane and per 16 KiB of output.
pub(crate) fn threads_for(
    opts: &Options,
    bytes: usize,
    out_bytes: usize,
    lanes: usize,
) -> crate::split_cost::Threads {
    let max_parts = (out_bytes / crate::parallel::MIN_PIECE_BYTES).clamp(1, lanes.max(1));
    crate::split_cost::threads_for(
        bytes,
        opts.selected_parallelism(),
        opts.selected_max_threads(),
        max_parts,
    )
}

/// Every operation of an integration, as free functions over its operand types (and
/// `Options::$options_mul`), generated once: each checks shapes and hands its slice
/// operation to the integration's `apply` / `sum`. `$input`/`$output` are the argument
/// types, which the integration's `view`/`view_mut` turn into its view types (those four
/// functions are the invoking module's: every integration names them alike).
macro_rules! operations {
    (
        lib: $lib:literal,
        generics: [$($g:tt)*],
        input: $input:ty,
        output: $output:ty,
        options_mul: $options_mul:ident,
        example: $example:literal $(,)?
    ) => {
        use $crate::element::{Accumulate, Element, Real, Unorm8};
        use $crate::error::ShapeMismatch;
        use $crate::integrations::lanes::Signature;
        use $crate::options::Options;
        #[cfg(feature = "complex")]
        use $crate::element::ComplexElement;

        const fn sig(
            operation: &'static str,
            names: &'static [&'static str],
            out_first: bool,
        ) -> Signature {
            Signature { operation, names, out_first }
        }

        #[doc = concat!("`out = a ⊙ b` ([`mul_elementwise`](crate::mul_elementwise)) for ", $lib, " operands of any strides; an error naming every shape when they differ, `out` untouched then.")]
        #[doc = ""]
        #[doc = $example]
        #[doc(alias = "component_mul")]
        #[doc(alias = "multiply")]
        #[doc(alias = "schur")]
        pub fn mul<T: Element, $($g)*>(a: $input, b: $input, out: $output) -> Result<(), ShapeMismatch> {
            Options::new().$options_mul(a, b, out)
        }

        impl Options {
            #[doc = concat!("[`", $lib, "::mul`](crate::", $lib, "::mul) with these options.")]
            pub fn $options_mul<T: Element, $($g)*>(
                &self,
                a: $input,
                b: $input,
                out: $output,
            ) -> Result<(), ShapeMismatch> {
                let sig = sig(concat!("hadamard::", $lib, "::mul"), &["a", "b", "out"], false);
                apply(self, &sig, [view(a), view(b)], view_mut(out),
                    &|o: &Options, [a, b]: [&[T]; 2], out: &mut [T]| {
                        o.mul_elementwise(a, b, out).expect("lanes of one length")
                    })
            }
        }

        #[doc = concat!("`acc ⊙= b` ([`mul_assign`](crate::mul_assign)) for ", $lib, " operands of any strides; an error naming both shapes when they differ, `acc` untouched then.")]
        #[doc(alias = "component_mul_assign")]
        pub fn mul_assign<T: Element, $($g)*>(acc: $output, b: $input) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::mul_assign"), &["acc", "b"], true);
            apply(&Options::new(), &sig, [view(b)], view_mut(acc),
                &|o: &Options, [b]: [&[T]; 1], acc: &mut [T]| {
                    o.mul_assign(acc, b).expect("lanes of one length")
                })
        }

        #[doc = concat!("`out = s · a` ([`mul_scalar`](crate::mul_scalar)) for ", $lib, " operands of any strides; an error naming both shapes when they differ, `out` untouched then.")]
        #[doc(alias = "scale")]
        pub fn mul_scalar<T: Element, $($g)*>(a: $input, s: T, out: $output) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::mul_scalar"), &["a", "out"], false);
            apply(&Options::new(), &sig, [view(a)], view_mut(out),
                &|o: &Options, [a]: [&[T]; 1], out: &mut [T]| {
                    o.mul_scalar(a, s, out).expect("lanes of one length")
                })
        }

        #[doc = concat!("`acc *= s` ([`mul_scalar_assign`](crate::mul_scalar_assign)) for a ", $lib, " operand of any strides.")]
        #[doc(alias = "scale_assign")]
        pub fn mul_scalar_assign<T: Element, $($g)*>(acc: $output, s: T) {
            let sig = sig(concat!("hadamard::", $lib, "::mul_scalar_assign"), &["acc"], true);
            apply(&Options::new(), &sig, [], view_mut(acc),
                &|o: &Options, []: [&[T]; 0], acc: &mut [T]| o.mul_scalar_assign(acc, s))
                .expect("one operand has one shape")
        }

        #[doc = concat!("`out = a ⊙ b + c`, each step rounded ([`mul_then_add`](crate::mul_then_add)), for ", $lib, " operands of any strides; an error naming every shape when they differ, `out` untouched then.")]
        pub fn mul_then_add<T: Accumulate, $($g)*>(
            a: $input,
            b: $input,
            c: $input,
            out: $output,
        ) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::mul_then_add"), &["a", "b", "c", "out"], false);
            apply(&Options::new(), &sig, [view(a), view(b), view(c)], view_mut(out),
                &|o: &Options, [a, b, c]: [&[T]; 3], out: &mut [T]| {
                    o.mul_then_add(a, b, c, out).expect("lanes of one length")
                })
        }

        #[doc = concat!("`acc += a ⊙ b`, each step rounded ([`mul_then_add_assign`](crate::mul_then_add_assign)), for ", $lib, " operands of any strides; an error naming every shape when they differ, `acc` untouched then.")]
        pub fn mul_then_add_assign<T: Accumulate, $($g)*>(
            acc: $output,
            a: $input,
            b: $input,
        ) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::mul_then_add_assign"), &["acc", "a", "b"], true);
            apply(&Options::new(), &sig, [view(a), view(b)], view_mut(acc),
                &|o: &Options, [a, b]: [&[T]; 2], acc: &mut [T]| {
                    o.mul_then_add_assign(acc, a, b).expect("lanes of one length")
                })
        }

        #[doc = concat!("`out = a ⊙ b + c ⊙ d` in one pass, every step rounded ([`mul_then_add_mul`](crate::mul_then_add_mul)), for ", $lib, " operands of any strides; an error naming every shape when they differ, `out` untouched then.")]
        pub fn mul_then_add_mul<T: Accumulate, $($g)*>(
            a: $input,
            b: $input,
            c: $input,
            d: $input,
            out: $output,
        ) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::mul_then_add_mul"), &["a", "b", "c", "d", "out"], false);
            apply(&Options::new(), &sig, [view(a), view(b), view(c), view(d)], view_mut(out),
                &|o: &Options, [a, b, c, d]: [&[T]; 4], out: &mut [T]| {
                    o.mul_then_add_mul(a, b, c, d, out).expect("lanes of one length")
                })
        }

        #[doc = concat!("`acc = acc ⊙ a + b ⊙ c` in one pass (the LSTM cell state), every step rounded ([`mul_then_add_mul_assign`](crate::mul_then_add_mul_assign)), for ", $lib, " operands of any strides; an error naming every shape when they differ, `acc` untouched then.")]
        #[doc(alias = "lstm")]
        pub fn mul_then_add_mul_assign<T: Accumulate, $($g)*>(
            acc: $output,
            a: $input,
            b: $input,
            c: $input,
        ) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::mul_then_add_mul_assign"), &["acc", "a", "b", "c"], true);
            apply(&Options::new(), &sig, [view(a), view(b), view(c)], view_mut(acc),
                &|o: &Options, [a, b, c]: [&[T]; 3], acc: &mut [T]| {
                    o.mul_then_add_mul_assign(acc, a, b, c).expect("lanes of one length")
                })
        }

        #[doc = concat!("`out = w ⊙ a + (1 − w) ⊙ b` in one pass, every step rounded ([`blend`](crate::blend)), for ", $lib, " operands of any strides; an error naming every shape when they differ, `out` untouched then.")]
        #[doc(alias = "lerp")]
        pub fn blend<T: Real, $($g)*>(
            a: $input,
            b: $input,
            w: $input,
            out: $output,
        ) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::blend"), &["a", "b", "w", "out"], false);
            apply(&Options::new(), &sig, [view(a), view(b), view(w)], view_mut(out),
                &|o: &Options, [a, b, w]: [&[T]; 3], out: &mut [T]| {
                    o.blend(a, b, w, out).expect("lanes of one length")
                })
        }

        #[doc = concat!("`out = round((alpha·fg + (255 − alpha)·bg) / 255)` for `u8` ([`blend_normalized_u8`](crate::blend_normalized_u8)), for ", $lib, " operands of any strides; an error naming every shape when they differ, `out` untouched then.")]
        #[doc(alias = "alpha_blend")]
        pub fn blend_normalized_u8<T: Unorm8, $($g)*>(
            fg: $input,
            bg: $input,
            alpha: $input,
            out: $output,
        ) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::blend_normalized_u8"), &["fg", "bg", "alpha", "out"], false);
            apply(&Options::new(), &sig, [view(fg), view(bg), view(alpha)], view_mut(out),
                &|o: &Options, [fg, bg, alpha]: [&[T]; 3], out: &mut [T]| {
                    o.blend_unorm8(fg, bg, alpha, out).expect("lanes of one length")
                })
        }

        #[doc = concat!("`out = a ⊙ b + c` with one rounding, as `f32::mul_add` ([`mul_add`](crate::mul_add)), for ", $lib, " operands of any strides; an error naming every shape when they differ, `out` untouched then.")]
        #[doc(alias = "fma")]
        pub fn mul_add<T: Real, $($g)*>(
            a: $input,
            b: $input,
            c: $input,
            out: $output,
        ) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::mul_add"), &["a", "b", "c", "out"], false);
            apply(&Options::new(), &sig, [view(a), view(b), view(c)], view_mut(out),
                &|o: &Options, [a, b, c]: [&[T]; 3], out: &mut [T]| {
                    o.mul_add(a, b, c, out).expect("lanes of one length")
                })
        }

        #[doc = concat!("`acc = a ⊙ b + acc` with one rounding ([`mul_add_assign`](crate::mul_add_assign)), for ", $lib, " operands of any strides; an error naming every shape when they differ, `acc` untouched then.")]
        #[doc(alias = "fma")]
        pub fn mul_add_assign<T: Real, $($g)*>(
            acc: $output,
            a: $input,
            b: $input,
        ) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::mul_add_assign"), &["acc", "a", "b"], true);
            apply(&Options::new(), &sig, [view(a), view(b)], view_mut(acc),
                &|o: &Options, [a, b]: [&[T]; 2], acc: &mut [T]| {
                    o.mul_add_assign(acc, a, b).expect("lanes of one length")
                })
        }

        #[doc = concat!("`out = a ⊙ conj(b)` ([`mul_conj_elementwise`](crate::mul_conj_elementwise)) for ", $lib, " operands of any strides; an error naming every shape when they differ, `out` untouched then.")]
        #[cfg(feature = "complex")]
        #[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
        #[doc(alias = "cross_spectrum")]
        pub fn mul_conj<T: ComplexElement, $($g)*>(a: $input, b: $input, out: $output) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::mul_conj"), &["a", "b", "out"], false);
            apply(&Options::new(), &sig, [view(a), view(b)], view_mut(out),
                &|o: &Options, [a, b]: [&[T]; 2], out: &mut [T]| {
                    o.mul_conj_elementwise(a, b, out).expect("lanes of one length")
                })
        }

        #[doc = concat!("`acc += a ⊙ conj(b)` ([`mul_conj_add_assign`](crate::mul_conj_add_assign)) for ", $lib, " operands of any strides; an error naming every shape when they differ, `acc` untouched then.")]
        #[cfg(feature = "complex")]
        #[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
        pub fn mul_conj_add_assign<T: ComplexElement, $($g)*>(
            acc: $output,
            a: $input,
            b: $input,
        ) -> Result<(), ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::mul_conj_add_assign"), &["acc", "a", "b"], true);
            apply(&Options::new(), &sig, [view(a), view(b)], view_mut(acc),
                &|o: &Options, [a, b]: [&[T]; 2], acc: &mut [T]| {
                    o.mul_conj_add_assign(acc, a, b).expect("lanes of one length")
                })
        }

        #[doc = concat!("`Σ a ⊙ b`, the Frobenius inner product ⟨A, B⟩ ([`hadamard_sum`](crate::hadamard_sum)), for ", $lib, " operands of any strides; an error naming both shapes when they differ.")]
        #[doc = ""]
        #[doc = "Contiguous operands of one layout are one call of `hadamard_sum` in memory order. Otherwise the lanes (buffered where they are not slices) are summed on one thread as one sequence, lane after lane: the bits `hadamard_sum` gives on the same values in that order, with its bound."]
        #[doc(alias = "inner")]
        #[doc(alias = "frobenius_inner")]
        pub fn dot<T: Accumulate, $($g)*>(a: $input, b: $input) -> Result<T, ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::dot"), &["a", "b"], false);
            let f = lanes::SumOf { operation: "hadamard::hadamard_sum", table: T::SUM };
            sum(&Options::new(), &sig, view(a), view(b), f)
        }

        #[doc = concat!("`Σ a ⊙ conj(b)` ([`hadamard_sum_conj`](crate::hadamard_sum_conj)) for ", $lib, " operands of any strides, with the bound of [`dot`]; an error naming both shapes when they differ.")]
        #[cfg(feature = "complex")]
        #[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
        #[doc(alias = "vdot")]
        #[doc(alias = "inner")]
        pub fn dotc<T: ComplexElement, $($g)*>(a: $input, b: $input) -> Result<T, ShapeMismatch> {
            let sig = sig(concat!("hadamard::", $lib, "::dotc"), &["a", "b"], false);
            let f = lanes::SumOf { operation: "hadamard::hadamard_sum_conj", table: T::SUM_CONJ };
            sum(&Options::new(), &sig, view(a), view(b), f)
        }
    };
}
pub(crate) use operations;

/// An integration's `HadamardExt` trait and its implementation, written once for the
/// three libraries: each method is the free function of the same operation, panicking
/// where that returns an error (as the libraries' own operators do).
///
/// `head`: the trait's generics and supertraits; `impl`: the implementation's header;
/// `input`: the other operands' type; `new`: the type of a new result, made by
/// `new_like(&self)`; `reads`/`writes`: where-clause predicates (each ending in a comma)
/// for reading and for writing `self`; `new_where`: what making a new result needs too.
macro_rules! hadamard_ext {
    (
        doc: $doc:literal,
        head: [$($head:tt)*],
        impl: [$($impl:tt)*],
        input: $input:ty,
        new: $new:ty = $new_like:path, $new_doc:literal,
        reads: [$($reads:tt)*],
        new_where: [$($new_where:tt)*],
        writes: [$($writes:tt)*],
        sum_note: $sum_note:literal $(,)?
    ) => {
        #[doc = $doc]
        pub trait HadamardExt $($head)* {
            #[doc = concat!("`self ⊙ b`, ", $new_doc, " ([`mul`]).")]
            #[doc(alias = "component_mul")]
            #[doc(alias = "multiply")]
            fn hadamard(&self, b: $input) -> $new
            where
                $($reads)* $($new_where)*;

            /// `self ⊙= b` ([`mul_assign`]).
            #[doc(alias = "component_mul_assign")]
            fn hadamard_assign(&mut self, b: $input)
            where
                $($writes)*;

            /// `self *= s` ([`mul_scalar_assign`]).
            #[doc(alias = "scale_assign")]
            fn mul_scalar_assign(&mut self, s: T)
            where
                $($writes)*;

            /// `self = a ⊙ b + self` with one rounding, as `f32::mul_add` ([`mul_add_assign`]).
            #[doc(alias = "fma")]
            fn mul_add_assign(&mut self, a: $input, b: $input)
            where
                T: Real,
                $($writes)*;

            /// `self += a ⊙ b`, each step rounded ([`mul_then_add_assign`]).
            fn mul_then_add_assign(&mut self, a: $input, b: $input)
            where
                T: Accumulate,
                $($writes)*;

            /// `self = self ⊙ a + b ⊙ c` in one pass, every step rounded
            /// ([`mul_then_add_mul_assign`]): the LSTM cell state `c = c ⊙ f + i ⊙ g`.
            fn mul_then_add_mul_assign(&mut self, a: $input, b: $input, c: $input)
            where
                T: Accumulate,
                $($writes)*;

            #[doc = concat!("`w ⊙ self + (1 − w) ⊙ b`, every step rounded, ", $new_doc, " ([`blend`]).")]
            #[doc(alias = "lerp")]
            fn blend(&self, b: $input, w: $input) -> $new
            where
                T: Real,
                $($reads)* $($new_where)*;

            #[doc = concat!("`round((alpha·self + (255 − alpha)·bg) / 255)` for `u8` pixels, ", $new_doc, " ([`blend_normalized_u8`]).")]
            #[doc(alias = "alpha_blend")]
            fn blend_normalized_u8(&self, bg: $input, alpha: $input) -> $new
            where
                T: Unorm8,
                $($reads)* $($new_where)*;

            #[doc = concat!("`self ⊙ conj(b)`, ", $new_doc, " ([`mul_conj`]).")]
            #[cfg(feature = "complex")]
            #[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
            fn hadamard_conj(&self, b: $input) -> $new
            where
                T: ComplexElement,
                $($reads)* $($new_where)*;

            /// `self += a ⊙ conj(b)` ([`mul_conj_add_assign`]).
            #[cfg(feature = "complex")]
            #[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
            fn mul_conj_add_assign(&mut self, a: $input, b: $input)
            where
                T: ComplexElement,
                $($writes)*;

            #[doc = concat!("`Σ self ⊙ b`, the Frobenius inner product ([`dot`]", $sum_note, ").")]
            #[doc(alias = "inner")]
            fn hadamard_sum(&self, b: $input) -> T
            where
                T: Accumulate,
                $($reads)*;

            /// `Σ self ⊙ conj(b)` ([`dotc`]).
            #[cfg(feature = "complex")]
            #[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
            #[doc(alias = "dotc")]
            #[doc(alias = "vdot")]
            fn hadamard_sum_conj(&self, b: $input) -> T
            where
                T: ComplexElement,
                $($reads)*;
        }

        $($impl)* {
            #[track_caller]
            fn hadamard(&self, b: $input) -> $new
            where
                $($reads)* $($new_where)*
            {
                let mut out = $new_like(self);
                $crate::integrations::lanes::panic_on(mul(self, b, &mut out));
                out
            }

            #[track_caller]
            fn hadamard_assign(&mut self, b: $input)
            where
                $($writes)*
            {
                $crate::integrations::lanes::panic_on(mul_assign(self, b))
            }

            fn mul_scalar_assign(&mut self, s: T)
            where
                $($writes)*
            {
                mul_scalar_assign(self, s)
            }

            #[track_caller]
            fn mul_add_assign(&mut self, a: $input, b: $input)
            where
                T: Real,
                $($writes)*
            {
                $crate::integrations::lanes::panic_on(mul_add_assign(self, a, b))
            }

            #[track_caller]
            fn mul_then_add_assign(&mut self, a: $input, b: $input)
            where
                T: Accumulate,
                $($writes)*
            {
                $crate::integrations::lanes::panic_on(mul_then_add_assign(self, a, b))
            }

            #[track_caller]
            fn mul_then_add_mul_assign(&mut self, a: $input, b: $input, c: $input)
            where
                T: Accumulate,
                $($writes)*
            {
                $crate::integrations::lanes::panic_on(mul_then_add_mul_assign(self, a, b, c))
            }

            #[track_caller]
            fn blend(&self, b: $input, w: $input) -> $new
            where
                T: Real,
                $($reads)* $($new_where)*
            {
                let mut out = $new_like(self);
                $crate::integrations::lanes::panic_on(blend(self, b, w, &mut out));
                out
            }

            #[track_caller]
            fn blend_normalized_u8(&self, bg: $input, alpha: $input) -> $new
            where
                T: Unorm8,
                $($reads)* $($new_where)*
            {
                let mut out = $new_like(self);
                $crate::integrations::lanes::panic_on(blend_normalized_u8(self, bg, alpha, &mut out));
                out
            }

            #[cfg(feature = "complex")]
            #[track_caller]
            fn hadamard_conj(&self, b: $input) -> $new
            where
                T: ComplexElement,
                $($reads)* $($new_where)*
            {
                let mut out = $new_like(self);
                $crate::integrations::lanes::panic_on(mul_conj(self, b, &mut out));
                out
            }

            #[cfg(feature = "complex")]
            #[track_caller]
            fn mul_conj_add_assign(&mut self, a: $input, b: $input)
            where
                T: ComplexElement,
                $($writes)*
            {
                $crate::integrations::lanes::panic_on(mul_conj_add_assign(self, a, b))
            }

            #[track_caller]
            fn hadamard_sum(&self, b: $input) -> T
            where
                T: Accumulate,
                $($reads)*
            {
                $crate::integrations::lanes::panic_on(dot(self, b))
            }

            #[cfg(feature = "complex")]
            #[track_caller]
            fn hadamard_sum_conj(&self, b: $input) -> T
            where
                T: ComplexElement,
                $($reads)*
            {
                $crate::integrations::lanes::panic_on(dotc(self, b))
            }
        }
    };
}

pub(crate) use hadamard_ext;

/// `Σ a[i]·b[i]` over every lane pair, on one thread, as one sum over the lanes'
/// concatenation: the bits the slice call gives on those values in that order (the order of
/// `hadamard_kernels::sum_order` does not depend on where the lanes break).
pub(crate) fn sum_all<T: Accumulate, L: Lane<T>>(
    opts: &Options,
    lanes: impl Iterator<Item = (L, L)>,
    f: &SumOf<T>,
) -> T {
    let mut stream = opts.sum_stream(f.table);
    for (a, b) in lanes {
        feed(&mut stream, &a, &b);
    }
    from_repr(stream.finish())
}
