//! The safe face of the kernels: one table per operation and element type, holding that
//! operation's kernel for every ISA, and methods that run the kernel a [`Token`] names on
//! slices.
//!
//! Every method checks what the kernels' contract needs and a slice cannot promise by
//! itself: equal lengths (asserted; the `hadamard` crate compares them first and reports
//! an error, so the assertion only stops a caller's bug) and, for the split complex
//! streaming stores, output planes at one offset from a 64-byte line (else normal stores).
//! The rest — valid, non-overlapping memory, and a CPU that runs the kernel — comes from
//! the borrows and the token. The in-place forms take the output as the one input they
//! replace, which is the only overlap the kernels allow.

use crate::cpu::{Token, ISA_COUNT};
use crate::sum_order::{self, BlockTree};
use crate::{AccumulateFn, BinaryFn, QuaternaryFn, SplitFn, SumFn, TernaryFn};

/// One ISA's function for one operation: with normal stores, and with streaming
/// (non-temporal) stores where the ISA has them (the same function where it does not).
struct Pair<F> {
    plain: F,
    stream: F,
}

impl<F: Copy> Clone for Pair<F> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<F: Copy> Copy for Pair<F> {}

/// Every ISA's pair, in [`Isa::ALL`] order; an ISA not built for this architecture holds
/// the scalar functions (never chosen: no token names it). `narrows_past_l1`: see
/// [`Binary::narrows_past_l1`].
struct Row<F> {
    pairs: [Pair<F>; ISA_COUNT],
    narrows_past_l1: bool,
}

impl<F: Copy> Row<F> {
    #[inline(always)]
    fn pick(&self, token: Token, stream: bool) -> F {
        let pair = self.pairs[token.isa().index()];
        if stream {
            pair.stream
        } else {
            pair.plain
        }
    }
}

/// Builds a [`Row`] from the kernels named `$plain` (and `$stream`) of every ISA module.
macro_rules! row {
    ($plain:ident, $stream:ident) => {{
        const fn pair<F: Copy>(plain: F, stream: F) -> Pair<F> {
            Pair { plain, stream }
        }
        // Plain Rust has no streaming store.
        let scalar = pair(crate::scalar::$plain as _, crate::scalar::$plain as _);
        Row {
            narrows_past_l1: false,
            pairs: [
                scalar,
                #[cfg(target_arch = "x86_64")]
                pair(
                    crate::x86_64::sse2::$plain as _,
                    crate::x86_64::sse2::$stream as _,
                ),
                #[cfg(not(target_arch = "x86_64"))]
                scalar,
                #[cfg(target_arch = "x86_64")]
                pair(
                    crate::x86_64::avx2::$plain as _,
                    crate::x86_64::avx2::$stream as _,
                ),
                #[cfg(not(target_arch = "x86_64"))]
                scalar,
                #[cfg(target_arch = "x86_64")]
                pair(
                    crate::x86_64::avx512::$plain as _,
                    crate::x86_64::avx512::$stream as _,
                ),
                #[cfg(not(target_arch = "x86_64"))]
                scalar,
                #[cfg(target_arch = "aarch64")]
                pair(
                    crate::aarch64::neon::$plain as _,
                    crate::aarch64::neon::$stream as _,
                ),
                #[cfg(not(target_arch = "aarch64"))]
                scalar,
            ],
        }
    }};
    ($plain:ident) => {
        row!($plain, $plain)
    };
}

/// `out[i] = f(a[i], b[i])`.
pub struct Binary<A, B, O>(Row<BinaryFn<A, B, O>>);

/// `narrows_past_l1` for the tables of out-of-place element-wise operations.
macro_rules! narrows_past_l1 {
    ($($kind:ident<$($t:ident),+>),*) => {$(
        impl<$($t),+> $kind<$($t),+> {
            /// Whether, between the L1 cache and the size at which calls stream, this
            /// operation's 256-bit (AVX2) kernel outruns its 512-bit one, so that the default
            /// path (not a forced kernel) runs the former there. True for the products whose
            /// vector body is one load per input, one arithmetic instruction and one store on
            /// 16-, 32- or 64-bit lanes (f32, f64, the 16- and 32-bit integers, plain,
            /// scaled, multiply-add): on the Intel Xeon (AVX-512 with VBMI2) of BENCHMARKS.md
            /// their AVX-512 kernels move 8-16% fewer bytes per second than AVX2's once the
            /// operands sit in L2, at every operand alignment, though they win by 30-40% in
            /// L1. Operations with more work per element (complex, 8- and 64-bit integers,
            /// saturating, half precision, sums) keep 512 bits: there they win in L2 too.
            #[inline(always)]
            pub const fn narrows_past_l1(&self) -> bool {
                self.0.narrows_past_l1
            }
        }
    )*};
}
narrows_past_l1!(Binary<A, B, O>, Scale<T>, Ternary<T>);

impl<A, B, O> Binary<A, B, O> {
    /// Runs the token's kernel: `out[i] = f(a[i], b[i])`, with streaming stores when
    /// `stream` (and the ISA has them).
    ///
    /// # Panics
    /// When the three lengths differ.
    #[inline(always)]
    pub fn run(&self, token: Token, stream: bool, a: &[A], b: &[B], out: &mut [O]) {
        let len = out.len();
        assert!(
            a.len() == len && b.len() == len,
            "operands of unequal length"
        );
        let kernel = self.0.pick(token, stream);
        // SAFETY: `a` and `b` are readable and `out` writable for `len` elements, and
        // `out` is an exclusive borrow, so it overlaps neither input; the token proves the
        // CPU runs this ISA's kernels.
        unsafe { kernel(a.as_ptr(), b.as_ptr(), out.as_mut_ptr(), len) }
    }
}

impl<T> Binary<T, T, T> {
    /// In place: `acc[i] = f(acc[i], b[i])`.
    ///
    /// # Panics
    /// When the lengths differ.
    #[inline(always)]
    pub fn run_in_place(&self, token: Token, stream: bool, acc: &mut [T], b: &[T]) {
        let len = acc.len();
        assert!(b.len() == len, "operands of unequal length");
        let kernel = self.0.pick(token, stream);
        let acc = acc.as_mut_ptr();
        // SAFETY: `acc` is readable and writable and `b` readable for `len` elements; the
        // output equals the first input, the one overlap the kernels allow (each element
        // is read before its own index is written); the token proves the CPU runs them.
        unsafe { kernel(acc.cast_const(), b.as_ptr(), acc, len) }
    }
}

/// `out[i] = f(a[i], s)`: one value for every element (the scaling kernels).
pub struct Scale<T>(Row<BinaryFn<T, T, T>>);

impl<T> Scale<T> {
    /// `out[i] = f(a[i], s)`.
    ///
    /// # Panics
    /// When the lengths differ.
    #[inline(always)]
    pub fn run(&self, token: Token, stream: bool, a: &[T], s: &T, out: &mut [T]) {
        let len = out.len();
        assert!(a.len() == len, "operands of unequal length");
        let kernel = self.0.pick(token, stream);
        // SAFETY: as `Binary::run`; a scaling kernel reads one value through `b`, which
        // `s` is.
        unsafe { kernel(a.as_ptr(), s, out.as_mut_ptr(), len) }
    }

    /// In place: `acc[i] = f(acc[i], s)`.
    #[inline(always)]
    pub fn run_in_place(&self, token: Token, stream: bool, acc: &mut [T], s: &T) {
        let kernel = self.0.pick(token, stream);
        let (acc, len) = (acc.as_mut_ptr(), acc.len());
        // SAFETY: as `Binary::run_in_place`, with `b` the one value `s`.
        unsafe { kernel(acc.cast_const(), s, acc, len) }
    }
}

/// `out[i] = f(a[i], b[i], c[i])` (the multiply-adds).
pub struct Ternary<T>(Row<TernaryFn<T>>);

impl<T> Ternary<T> {
    /// `out[i] = f(a[i], b[i], c[i])`.
    ///
    /// # Panics
    /// When the lengths differ.
    #[inline(always)]
    pub fn run(&self, token: Token, stream: bool, [a, b, c]: [&[T]; 3], out: &mut [T]) {
        let len = out.len();
        assert!(
            a.len() == len && b.len() == len && c.len() == len,
            "operands of unequal length"
        );
        let kernel = self.0.pick(token, stream);
        // SAFETY: as `Binary::run`, with three inputs.
        unsafe { kernel(a.as_ptr(), b.as_ptr(), c.as_ptr(), out.as_mut_ptr(), len) }
    }

    /// Accumulating: `acc[i] = f(a[i], b[i], acc[i])`.
    ///
    /// # Panics
    /// When the lengths differ.
    #[inline(always)]
    pub fn run_accumulate(&self, token: Token, stream: bool, [a, b]: [&[T]; 2], acc: &mut [T]) {
        let len = acc.len();
        assert!(
            a.len() == len && b.len() == len,
            "operands of unequal length"
        );
        let kernel = self.0.pick(token, stream);
        let acc = acc.as_mut_ptr();
        // SAFETY: as `Binary::run_in_place`: the output equals the third input.
        unsafe { kernel(a.as_ptr(), b.as_ptr(), acc.cast_const(), acc, len) }
    }
}

/// `out[i] = f(a[i], b[i], c[i], d[i])` (the two-product formulas).
pub struct Quaternary<T>(Row<QuaternaryFn<T>>);

impl<T> Quaternary<T> {
    /// `out[i] = f(a[i], b[i], c[i], d[i])`.
    ///
    /// # Panics
    /// When the lengths differ.
    #[inline(always)]
    pub fn run(&self, token: Token, stream: bool, [a, b, c, d]: [&[T]; 4], out: &mut [T]) {
        let len = out.len();
        assert!(
            [a.len(), b.len(), c.len(), d.len()]
                .iter()
                .all(|&l| l == len),
            "operands of unequal length"
        );
        let kernel = self.0.pick(token, stream);
        // SAFETY: as `Binary::run`, with four inputs.
        unsafe {
            let out = out.as_mut_ptr();
            kernel(a.as_ptr(), b.as_ptr(), c.as_ptr(), d.as_ptr(), out, len)
        }
    }

    /// In place: `acc[i] = f(acc[i], a[i], b[i], c[i])`.
    ///
    /// # Panics
    /// When the lengths differ.
    #[inline(always)]
    pub fn run_in_place(&self, token: Token, stream: bool, acc: &mut [T], [a, b, c]: [&[T]; 3]) {
        let len = acc.len();
        assert!(
            [a.len(), b.len(), c.len()].iter().all(|&l| l == len),
            "operands of unequal length"
        );
        let kernel = self.0.pick(token, stream);
        let acc = acc.as_mut_ptr();
        // SAFETY: as `Binary::run_in_place`: the output equals the first input.
        unsafe {
            kernel(
                acc.cast_const(),
                a.as_ptr(),
                b.as_ptr(),
                c.as_ptr(),
                acc,
                len,
            )
        }
    }
}

/// `Σ f(a[i], b[i])`, in the one order of [`crate::sum_order`] on every ISA.
pub struct Sum<T: 'static, O: 'static> {
    whole: Row<SumFn<T, O>>,
    accumulate: Row<AccumulateFn<T, O>>,
    add: fn(O, O) -> O,
}

impl<T, O: Copy> Sum<T, O> {
    /// `Σ f(a[i], b[i])`.
    ///
    /// # Panics
    /// When the lengths differ.
    #[inline(always)]
    pub fn run(&self, token: Token, a: &[T], b: &[T]) -> O {
        assert!(a.len() == b.len(), "operands of unequal length");
        let kernel = self.whole.pick(token, false);
        // SAFETY: both readable for `len` elements; the token proves the CPU runs it.
        unsafe { kernel(a.as_ptr(), b.as_ptr(), a.len()) }
    }

    /// The sum of two partial sums: how the tree of blocks (and so a split call) adds two
    /// runs, left first.
    #[inline(always)]
    pub fn add(&self, x: O, y: O) -> O {
        (self.add)(x, y)
    }

    /// A sum over a sequence of chunks that gives the bits [`run`](Self::run) gives on
    /// their concatenation, whatever the chunks' lengths: for operands that are not one
    /// slice (strided matrix lanes, gathered buffers).
    #[inline]
    pub fn stream(&'static self, token: Token) -> SumStream<T, O> {
        SumStream {
            table: self,
            token,
            partials: Partials([0; PARTIAL_WORDS]),
            filled: 0,
            blocks: None,
        }
    }
}

/// `sum_order::PARTIAL_BYTES` as 8-byte words.
const PARTIAL_WORDS: usize = sum_order::PARTIAL_BYTES / 8;

/// One block's `W` partials, as bytes: zero bits are zero for every type the tables sum.
#[repr(C, align(64))]
struct Partials([u64; PARTIAL_WORDS]);

/// A sum fed chunk by chunk ([`Sum::stream`]).
pub struct SumStream<T: 'static, O: 'static> {
    table: &'static Sum<T, O>,
    token: Token,
    partials: Partials,
    /// Elements of the current block already added.
    filled: usize,
    blocks: Option<BlockTree<O>>,
}

impl<T, O: Copy> SumStream<T, O> {
    /// Adds the terms of the next chunk.
    ///
    /// # Panics
    /// When the lengths differ.
    pub fn feed(&mut self, mut a: &[T], mut b: &[T]) {
        assert!(a.len() == b.len(), "operands of unequal length");
        let (w, block) = (sum_order::partials::<T>(), sum_order::block_len::<T>());
        let kernel = self.table.accumulate.pick(self.token, false);
        while !a.is_empty() {
            let n = a.len().min(block - self.filled);
            // SAFETY: the partials hold PARTIAL_BYTES = W values of O (O is T's sum, of
            // T's size, for every table), 64-byte aligned; phase < W; both inputs readable
            // for n elements; the token proves the CPU runs the kernel.
            unsafe {
                let partials = self.partials.0.as_mut_ptr().cast::<O>();
                kernel(partials, self.filled % w, a.as_ptr(), b.as_ptr(), n);
            }
            self.filled += n;
            (a, b) = (&a[n..], &b[n..]);
            if self.filled == block {
                self.close_block();
            }
        }
    }

    /// The sum of every term fed.
    pub fn finish(mut self) -> O {
        if self.filled > 0 || self.blocks.is_none() {
            self.close_block();
        }
        let add = self.table.add;
        self.blocks
            .as_ref()
            .map(|b| b.finish(add))
            .expect("a block was closed")
    }

    /// The current block's partials halved into its sum, added to the tree, and cleared.
    fn close_block(&mut self) {
        let w = sum_order::partials::<T>();
        let add = self.table.add;
        // SAFETY: as in `feed`: W initialised values of O, and no other reference to them.
        let partials =
            unsafe { core::slice::from_raw_parts_mut(self.partials.0.as_mut_ptr().cast::<O>(), w) };
        let sum = sum_order::fold(partials, add);
        match &mut self.blocks {
            None => self.blocks = Some(BlockTree::starting_with(sum)),
            Some(tree) => tree.push(sum, add),
        }
        self.partials.0 = [0; PARTIAL_WORDS];
        self.filled = 0;
    }
}

/// The complex product over split planes: `(out.0, out.1) = f((a.0, a.1), (b.0, b.1))`.
pub struct Split<T>(Row<SplitFn<T>>);

/// Bytes of a cache line: a streaming store writes whole lines.
const LINE_BYTES: usize = 64;

impl<T> Split<T> {
    /// Runs the token's kernel over six planes of one length. Streaming stores only when
    /// `stream` and the two output planes sit at one offset from a 64-byte line (the
    /// kernel's head aligns the real plane; a streaming store needs the imaginary one
    /// aligned with it); otherwise normal stores. Returns whether it streamed.
    ///
    /// # Panics
    /// When the lengths differ.
    #[inline(always)]
    pub fn run(
        &self,
        token: Token,
        stream: bool,
        a: (&[T], &[T]),
        b: (&[T], &[T]),
        out: (&mut [T], &mut [T]),
    ) -> bool {
        let len = out.0.len();
        assert!(
            [a.0.len(), a.1.len(), b.0.len(), b.1.len(), out.1.len()]
                .iter()
                .all(|&l| l == len),
            "operands of unequal length"
        );
        let together = (out.0.as_ptr() as usize)
            .wrapping_sub(out.1.as_ptr() as usize)
            .is_multiple_of(LINE_BYTES);
        let stream = stream && together;
        let kernel = self.0.pick(token, stream);
        // SAFETY: four planes readable and two writable for `len` elements; the outputs
        // are exclusive borrows, so they overlap each other and no input; the streaming
        // kernel only with both output planes at one offset from a line; the token proves
        // the CPU runs the ISA.
        unsafe {
            kernel(
                a.0.as_ptr(),
                a.1.as_ptr(),
                b.0.as_ptr(),
                b.1.as_ptr(),
                out.0.as_mut_ptr(),
                out.1.as_mut_ptr(),
                len,
            )
        }
        stream
    }
}

/// Declares the tables, one per line: `NAME: Kind<types> = (kernel, stream_kernel)`, with
/// `, narrows past L1` after it for the operations [`Binary::narrows_past_l1`] describes.
macro_rules! tables {
    ($($(#[$doc:meta])* $name:ident: $kind:ident<$($t:ty),+> = ($($kernel:ident),+)
        $(, narrows $past:ident $l1:ident)?;)*) => {
        $(
            $(#[$doc])*
            pub const $name: $kind<$($t),+> = $kind(Row {
                narrows_past_l1: tables!(@narrows $($past $l1)?),
                ..row!($($kernel),+)
            });
        )*
    };
    (@narrows past L1) => { true };
    (@narrows) => { false };
}

tables! {
    /// `a * b` for `f32`.
    MUL_F32: Binary<f32, f32, f32> = (mul_f32, mul_f32_stream), narrows past L1;
    /// `a * b` for `f64`.
    MUL_F64: Binary<f64, f64, f64> = (mul_f64, mul_f64_stream), narrows past L1;
    /// `wrapping_mul` on 8-bit integers (`u8` and `i8` alike).
    MUL_WRAPPING8: Binary<u8, u8, u8> = (mul_wrapping8, mul_wrapping8_stream);
    /// `wrapping_mul` on 16-bit integers.
    MUL_WRAPPING16: Binary<u16, u16, u16> = (mul_wrapping16, mul_wrapping16_stream), narrows past L1;
    /// `wrapping_mul` on 32-bit integers.
    MUL_WRAPPING32: Binary<u32, u32, u32> = (mul_wrapping32, mul_wrapping32_stream), narrows past L1;
    /// `wrapping_mul` on 64-bit integers.
    MUL_WRAPPING64: Binary<u64, u64, u64> = (mul_wrapping64, mul_wrapping64_stream);
    /// `saturating_mul` for `u8`.
    MUL_SATURATING_U8: Binary<u8, u8, u8> = (mul_saturating_u8, mul_saturating_u8_stream);
    /// `saturating_mul` for `i8`.
    MUL_SATURATING_I8: Binary<i8, i8, i8> = (mul_saturating_i8, mul_saturating_i8_stream);
    /// `saturating_mul` for `u16`.
    MUL_SATURATING_U16: Binary<u16, u16, u16> = (mul_saturating_u16, mul_saturating_u16_stream);
    /// `saturating_mul` for `i16`.
    MUL_SATURATING_I16: Binary<i16, i16, i16> = (mul_saturating_i16, mul_saturating_i16_stream);
    /// `saturating_mul` for `u32`.
    MUL_SATURATING_U32: Binary<u32, u32, u32> = (mul_saturating_u32, mul_saturating_u32_stream);
    /// `saturating_mul` for `i32`.
    MUL_SATURATING_I32: Binary<i32, i32, i32> = (mul_saturating_i32, mul_saturating_i32_stream);
    /// `saturating_mul` for `u64`.
    MUL_SATURATING_U64: Binary<u64, u64, u64> = (mul_saturating_u64, mul_saturating_u64_stream);
    /// `saturating_mul` for `i64`.
    MUL_SATURATING_I64: Binary<i64, i64, i64> = (mul_saturating_i64, mul_saturating_i64_stream);
    /// `round(a·b / 255)` for `u8`.
    MUL_NORMALIZED_U8: Binary<u8, u8, u8> = (mul_normalized_u8, mul_normalized_u8_stream);
    /// The complex product of `[re, im]` pairs of `f32`.
    MUL_COMPLEX_F32: Binary<[f32; 2], [f32; 2], [f32; 2]> = (mul_complex_f32, mul_complex_f32_stream);
    /// The complex product of `[re, im]` pairs of `f64`.
    MUL_COMPLEX_F64: Binary<[f64; 2], [f64; 2], [f64; 2]> = (mul_complex_f64, mul_complex_f64_stream);
    /// `a · conj(b)` of `[re, im]` pairs of `f32`.
    MUL_CONJ_COMPLEX_F32: Binary<[f32; 2], [f32; 2], [f32; 2]> = (mul_conj_complex_f32, mul_conj_complex_f32_stream);
    /// `a · conj(b)` of `[re, im]` pairs of `f64`.
    MUL_CONJ_COMPLEX_F64: Binary<[f64; 2], [f64; 2], [f64; 2]> = (mul_conj_complex_f64, mul_conj_complex_f64_stream);
    /// The binary16 product (bits), as `half` computes it.
    MUL_F16: Binary<u16, u16, u16> = (mul_f16, mul_f16_stream);
    /// The bfloat16 product (bits), as `half` computes it.
    MUL_BF16: Binary<u16, u16, u16> = (mul_bf16, mul_bf16_stream);
    /// The f32 product of binary16 values (bits).
    MUL_WIDEN_F16: Binary<u16, u16, f32> = (mul_widen_f16, mul_widen_f16_stream);
    /// The f32 product of bfloat16 values (bits).
    MUL_WIDEN_BF16: Binary<u16, u16, f32> = (mul_widen_bf16, mul_widen_bf16_stream);
    /// The complex product over split `f32` planes.
    MUL_SPLIT_COMPLEX_F32: Split<f32> = (mul_split_complex_f32, mul_split_complex_f32_stream);
    /// The complex product over split `f64` planes.
    MUL_SPLIT_COMPLEX_F64: Split<f64> = (mul_split_complex_f64, mul_split_complex_f64_stream);
    /// `a · conj(b)` over split `f32` planes.
    MUL_CONJ_SPLIT_COMPLEX_F32: Split<f32> = (mul_conj_split_complex_f32, mul_conj_split_complex_f32_stream);
    /// `a · conj(b)` over split `f64` planes.
    MUL_CONJ_SPLIT_COMPLEX_F64: Split<f64> = (mul_conj_split_complex_f64, mul_conj_split_complex_f64_stream);
    /// `a * s` for `f32`.
    SCALE_F32: Scale<f32> = (scale_f32, scale_f32_stream), narrows past L1;
    /// `a * s` for `f64`.
    SCALE_F64: Scale<f64> = (scale_f64, scale_f64_stream), narrows past L1;
    /// `a.wrapping_mul(s)` on 8-bit integers.
    SCALE_WRAPPING8: Scale<u8> = (scale_wrapping8, scale_wrapping8_stream);
    /// `a.wrapping_mul(s)` on 16-bit integers.
    SCALE_WRAPPING16: Scale<u16> = (scale_wrapping16, scale_wrapping16_stream), narrows past L1;
    /// `a.wrapping_mul(s)` on 32-bit integers.
    SCALE_WRAPPING32: Scale<u32> = (scale_wrapping32, scale_wrapping32_stream), narrows past L1;
    /// `a.wrapping_mul(s)` on 64-bit integers.
    SCALE_WRAPPING64: Scale<u64> = (scale_wrapping64, scale_wrapping64_stream);
    /// `a * s` for `[re, im]` pairs of `f32`.
    SCALE_COMPLEX_F32: Scale<[f32; 2]> = (scale_complex_f32, scale_complex_f32_stream);
    /// `a * s` for `[re, im]` pairs of `f64`.
    SCALE_COMPLEX_F64: Scale<[f64; 2]> = (scale_complex_f64, scale_complex_f64_stream);
    /// `a * s` for binary16 (bits), as `half` computes it.
    SCALE_F16: Scale<u16> = (scale_f16, scale_f16_stream);
    /// `a * s` for bfloat16 (bits), as `half` computes it.
    SCALE_BF16: Scale<u16> = (scale_bf16, scale_bf16_stream);
    /// `a * b + c` for `f32`, two roundings.
    MUL_THEN_ADD_F32: Ternary<f32> = (mul_then_add_f32, mul_then_add_f32_stream), narrows past L1;
    /// `a * b + c` for `f64`, two roundings.
    MUL_THEN_ADD_F64: Ternary<f64> = (mul_then_add_f64, mul_then_add_f64_stream), narrows past L1;
    /// `fma(a, b, c)` for `f32`, one rounding.
    MUL_ADD_F32: Ternary<f32> = (mul_add_f32, mul_add_f32_stream), narrows past L1;
    /// `fma(a, b, c)` for `f64`, one rounding.
    MUL_ADD_F64: Ternary<f64> = (mul_add_f64, mul_add_f64_stream), narrows past L1;
    /// Wrapping `a * b + c` on 8-bit integers.
    MUL_THEN_ADD_WRAPPING8: Ternary<u8> = (mul_then_add_wrapping8, mul_then_add_wrapping8_stream);
    /// Wrapping `a * b + c` on 16-bit integers.
    MUL_THEN_ADD_WRAPPING16: Ternary<u16> = (mul_then_add_wrapping16, mul_then_add_wrapping16_stream), narrows past L1;
    /// Wrapping `a * b + c` on 32-bit integers.
    MUL_THEN_ADD_WRAPPING32: Ternary<u32> = (mul_then_add_wrapping32, mul_then_add_wrapping32_stream), narrows past L1;
    /// Wrapping `a * b + c` on 64-bit integers.
    MUL_THEN_ADD_WRAPPING64: Ternary<u64> = (mul_then_add_wrapping64, mul_then_add_wrapping64_stream);
    /// `a * b + c` for `[re, im]` pairs of `f32`.
    MUL_THEN_ADD_COMPLEX_F32: Ternary<[f32; 2]> = (mul_then_add_complex_f32, mul_then_add_complex_f32_stream);
    /// `a * b + c` for `[re, im]` pairs of `f64`.
    MUL_THEN_ADD_COMPLEX_F64: Ternary<[f64; 2]> = (mul_then_add_complex_f64, mul_then_add_complex_f64_stream);
    /// `a * conj(b) + c` for `[re, im]` pairs of `f32`.
    MUL_CONJ_ADD_COMPLEX_F32: Ternary<[f32; 2]> = (mul_conj_add_complex_f32, mul_conj_add_complex_f32_stream);
    /// `a * conj(b) + c` for `[re, im]` pairs of `f64`.
    MUL_CONJ_ADD_COMPLEX_F64: Ternary<[f64; 2]> = (mul_conj_add_complex_f64, mul_conj_add_complex_f64_stream);
    /// `a * b + c * d` for `f32`, every step rounded.
    MUL_THEN_ADD_MUL_F32: Quaternary<f32> = (mul_then_add_mul_f32, mul_then_add_mul_f32_stream);
    /// `a * b + c * d` for `f64`, every step rounded.
    MUL_THEN_ADD_MUL_F64: Quaternary<f64> = (mul_then_add_mul_f64, mul_then_add_mul_f64_stream);
    /// Wrapping `a * b + c * d` on 8-bit integers.
    MUL_THEN_ADD_MUL_WRAPPING8: Quaternary<u8> = (mul_then_add_mul_wrapping8, mul_then_add_mul_wrapping8_stream);
    /// Wrapping `a * b + c * d` on 16-bit integers.
    MUL_THEN_ADD_MUL_WRAPPING16: Quaternary<u16> = (mul_then_add_mul_wrapping16, mul_then_add_mul_wrapping16_stream);
    /// Wrapping `a * b + c * d` on 32-bit integers.
    MUL_THEN_ADD_MUL_WRAPPING32: Quaternary<u32> = (mul_then_add_mul_wrapping32, mul_then_add_mul_wrapping32_stream);
    /// Wrapping `a * b + c * d` on 64-bit integers.
    MUL_THEN_ADD_MUL_WRAPPING64: Quaternary<u64> = (mul_then_add_mul_wrapping64, mul_then_add_mul_wrapping64_stream);
    /// `a * b + c * d` for `[re, im]` pairs of `f32`.
    MUL_THEN_ADD_MUL_COMPLEX_F32: Quaternary<[f32; 2]> = (mul_then_add_mul_complex_f32, mul_then_add_mul_complex_f32_stream);
    /// `a * b + c * d` for `[re, im]` pairs of `f64`.
    MUL_THEN_ADD_MUL_COMPLEX_F64: Quaternary<[f64; 2]> = (mul_then_add_mul_complex_f64, mul_then_add_mul_complex_f64_stream);
    /// `w * a + (1 - w) * b` for `f32`, inputs `[a, b, w]`, every step rounded.
    BLEND_F32: Ternary<f32> = (blend_f32, blend_f32_stream);
    /// `w * a + (1 - w) * b` for `f64`, inputs `[a, b, w]`, every step rounded.
    BLEND_F64: Ternary<f64> = (blend_f64, blend_f64_stream);
    /// `round((α·fg + (255 − α)·bg) / 255)` for `u8`, inputs `[fg, bg, α]`.
    BLEND_NORMALIZED_U8: Ternary<u8> = (blend_normalized_u8, blend_normalized_u8_stream);
}

/// Declares the sum tables: `NAME: Sum<T> = (kernel, continuing kernel, add)`.
macro_rules! sum_tables {
    ($($(#[$doc:meta])* $name:ident: Sum<$t:ty> = ($whole:ident, $acc:ident, $add:path);)*) => {
        $(
            $(#[$doc])*
            pub const $name: Sum<$t, $t> = Sum {
                whole: row!($whole),
                accumulate: row!($acc),
                add: $add,
            };
        )*
    };
}

sum_tables! {
    /// `Σ a * b` for `f32`.
    SUM_F32: Sum<f32> = (sum_f32, accumulate_f32, crate::scalar::add_f32);
    /// `Σ a * b` for `f64`.
    SUM_F64: Sum<f64> = (sum_f64, accumulate_f64, crate::scalar::add_f64);
    /// Wrapping `Σ a * b` on 8-bit integers.
    SUM_WRAPPING8: Sum<u8> = (sum_wrapping8, accumulate_wrapping8, u8::wrapping_add);
    /// Wrapping `Σ a * b` on 16-bit integers.
    SUM_WRAPPING16: Sum<u16> = (sum_wrapping16, accumulate_wrapping16, u16::wrapping_add);
    /// Wrapping `Σ a * b` on 32-bit integers.
    SUM_WRAPPING32: Sum<u32> = (sum_wrapping32, accumulate_wrapping32, u32::wrapping_add);
    /// Wrapping `Σ a * b` on 64-bit integers.
    SUM_WRAPPING64: Sum<u64> = (sum_wrapping64, accumulate_wrapping64, u64::wrapping_add);
    /// `Σ a * b` for `[re, im]` pairs of `f32`.
    SUM_COMPLEX_F32: Sum<[f32; 2]> = (sum_complex_f32, accumulate_complex_f32, crate::scalar::add_pair);
    /// `Σ a * b` for `[re, im]` pairs of `f64`.
    SUM_COMPLEX_F64: Sum<[f64; 2]> = (sum_complex_f64, accumulate_complex_f64, crate::scalar::add_pair);
    /// `Σ a * conj(b)` for `[re, im]` pairs of `f32`.
    SUM_CONJ_COMPLEX_F32: Sum<[f32; 2]> = (sum_conj_complex_f32, accumulate_conj_complex_f32, crate::scalar::add_pair);
    /// `Σ a * conj(b)` for `[re, im]` pairs of `f64`.
    SUM_CONJ_COMPLEX_F64: Sum<[f64; 2]> = (sum_conj_complex_f64, accumulate_conj_complex_f64, crate::scalar::add_pair);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpu::Isa;

    /// Each ISA's entry is that ISA's function: a table in the wrong order would run a
    /// kernel the token does not vouch for.
    #[test]
    fn each_entry_is_its_isas_kernel() {
        use core::ptr::fn_addr_eq;
        type F = BinaryFn<f32, f32, f32>;
        let plain = |isa: Isa| MUL_F32.0.pairs[isa.index()].plain;
        assert!(fn_addr_eq(plain(Isa::Scalar), crate::scalar::mul_f32 as F));
        #[cfg(target_arch = "x86_64")]
        {
            use crate::x86_64::{avx2, avx512, sse2};
            assert!(fn_addr_eq(plain(Isa::Sse2), sse2::mul_f32 as F));
            assert!(fn_addr_eq(plain(Isa::Avx2), avx2::mul_f32 as F));
            assert!(fn_addr_eq(plain(Isa::Avx512), avx512::mul_f32 as F));
            let stream = MUL_F64.0.pairs[Isa::Avx512.index()].stream;
            assert!(fn_addr_eq(
                stream,
                avx512::mul_f64_stream as BinaryFn<f64, f64, f64>
            ));
            let sat = MUL_SATURATING_I16.0.pairs[Isa::Avx2.index()].plain;
            assert!(fn_addr_eq(
                sat,
                avx2::mul_saturating_i16 as BinaryFn<i16, i16, i16>
            ));
        }
        #[cfg(target_arch = "aarch64")]
        assert!(fn_addr_eq(
            plain(Isa::Neon),
            crate::aarch64::neon::mul_f32 as F
        ));
    }
}
