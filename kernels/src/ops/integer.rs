//! Integer products (wrapping, saturating, normalized `u8`) as steps over an ISA's integer
//! register; the arithmetic is in `crate::integer`.

use crate::elementwise::{Lanes, Loads, Source};
use crate::integer::IntArith;
use crate::isa::{IntReg, Isa};
use core::marker::PhantomData;
use core::mem::size_of;

/// One integer operation: its element type, its vector form and its reference.
pub(crate) trait IntOp {
    /// The element type.
    type T: Copy;
    /// The operation on every lane of two registers.
    ///
    /// # Safety
    /// The CPU has the ISA of `R`.
    unsafe fn simd<R: IntArith>(a: R, b: R) -> R;
    /// The reference, one element.
    fn one(a: Self::T, b: Self::T) -> Self::T;
    /// Whether realigned loads (see `elementwise.rs`) pay off: for the light products.
    /// Measured on AVX-512 (Intel, one 512-bit shuffle port) at different offsets: the 8-,
    /// 16- and 32-bit wrapping products gained 4–18%, the 64-bit one nothing or a loss.
    /// The saturating and normalized products, bound by their arithmetic, are left out
    /// without a measurement of their own.
    const REALIGNS: bool = false;
}

macro_rules! int_ops {
    ($($op:ident: $t:ty, $method:ident, $reference:path, $realigns:literal;)*) => {$(
        #[doc = concat!("`", stringify!($reference), "` on `", stringify!($t), "` lanes.")]
        pub(crate) struct $op;

        impl IntOp for $op {
            type T = $t;
            #[inline(always)]
            unsafe fn simd<R: IntArith>(a: R, b: R) -> R {
                // SAFETY: the CPU has the ISA of R (caller).
                unsafe { a.$method(b) }
            }
            #[inline(always)]
            fn one(a: $t, b: $t) -> $t {
                $reference(a, b)
            }
            const REALIGNS: bool = $realigns;
        }
    )*};
}

int_ops! {
    Wrapping8: u8, mul_wrapping8, u8::wrapping_mul, true;
    Wrapping16: u16, mul_wrapping16, u16::wrapping_mul, true;
    Wrapping32: u32, mul_wrapping32, u32::wrapping_mul, true;
    Wrapping64: u64, mul_wrapping64, u64::wrapping_mul, false;
    SaturatingU8: u8, mul_saturating_u8, u8::saturating_mul, false;
    SaturatingI8: i8, mul_saturating_i8, i8::saturating_mul, false;
    SaturatingU16: u16, mul_saturating_u16, u16::saturating_mul, false;
    SaturatingI16: i16, mul_saturating_i16, i16::saturating_mul, false;
    SaturatingU32: u32, mul_saturating_u32, u32::saturating_mul, false;
    SaturatingI32: i32, mul_saturating_i32, i32::saturating_mul, false;
    SaturatingU64: u64, mul_saturating_u64, u64::saturating_mul, false;
    SaturatingI64: i64, mul_saturating_i64, i64::saturating_mul, false;
    NormalizedU8: u8, mul_normalized_u8, crate::scalar::element::mul_normalized_u8, false;
}

/// A wrapping product, which also has a wrapping sum of its width (for `a·b + c` and
/// for sums of products).
pub(crate) trait Wrapping: IntOp {
    /// Lane-wise wrapping sum.
    ///
    /// # Safety
    /// The CPU has the ISA of `R`.
    unsafe fn simd_add<R: IntArith>(a: R, b: R) -> R;
    /// The reference sum.
    fn add(a: Self::T, b: Self::T) -> Self::T;
}

macro_rules! wrapping {
    ($($op:ident: $t:ty, $add:ident;)*) => {$(
        impl Wrapping for $op {
            #[inline(always)]
            unsafe fn simd_add<R: IntArith>(a: R, b: R) -> R {
                // SAFETY: the CPU has the ISA of R (caller).
                unsafe { a.$add(b) }
            }
            #[inline(always)]
            fn add(a: $t, b: $t) -> $t {
                a.wrapping_add(b)
            }
        }
    )*};
}

wrapping! {
    Wrapping8: u8, add8;
    Wrapping16: u16, add16;
    Wrapping32: u32, add32;
    Wrapping64: u64, add64;
}

/// The integer operation `O` on ISA `I`; `b` a stream or a broadcast value (`S`).
pub(crate) struct IntMul<I, O: IntOp, S = *const <O as IntOp>::T>(PhantomData<(I, O, S)>);

// SAFETY: a step loads and stores one register, BYTES / size_of::<T>() elements of each
// pointer; `IntArith` gives each lane what `O::one` gives (tested against it).
unsafe impl<I: Isa, O: IntOp, S: Source<O::T>> Lanes for IntMul<I, O, S> {
    type In = (*const O::T, S);
    type Out = *mut O::T;
    type Loaded = (I::Int, I::Int);
    type Computed = I::Int;
    const LANES: usize = I::Int::BYTES / size_of::<O::T>();
    const OUT_STEP_BYTES: usize = I::Int::BYTES;
    const OUT_ELEM_BYTES: usize = size_of::<O::T>();

    #[inline(always)]
    fn out_addr(out: Self::Out) -> usize {
        out as usize
    }

    const REALIGN_BYTES: usize = if O::REALIGNS { I::REALIGN_BYTES } else { 0 };

    #[inline(always)]
    fn in_addrs((a, b): Self::In) -> [Option<usize>; 2] {
        [Some(a as usize), b.stream_addr()]
    }

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>((a, b): Self::In) -> Self::Loaded {
        // SAFETY: each input is readable for LANES elements = BYTES bytes (caller), and
        // as `Ld` asks.
        unsafe { (Ld::int(a.cast(), 0), Ld::int(b.ptr().cast(), 1)) }
    }

    #[inline(always)]
    unsafe fn compute((a, b): Self::Loaded) -> I::Int {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { O::simd(a, b) }
    }

    #[inline(always)]
    unsafe fn store(r: I::Int, out: Self::Out) {
        // SAFETY: the output is writable for BYTES bytes (caller).
        unsafe { r.store(out.cast()) }
    }

    #[inline(always)]
    unsafe fn store_stream(r: I::Int, out: Self::Out) {
        // SAFETY: as `store`, and out is aligned to BYTES (caller).
        unsafe { r.store_stream(out.cast()) }
    }

    #[inline(always)]
    unsafe fn fence() {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { I::fence() }
    }

    #[inline(always)]
    unsafe fn one((a, b): Self::In, out: Self::Out) {
        // SAFETY: each pointer is valid for one element (caller).
        unsafe { *out = O::one(*a, *b.ptr()) };
    }

    /// Masked head and tail where the ISA has them (AVX-512: measured, a 16-element `u8`
    /// product took 2 ns longer one element at a time), else one element at a time: the
    /// stack-buffer defaults of `load_partial`/`store_partial` measured slower than that
    /// on AVX2 (a 16-element `u8` product 21 ns against 8).
    #[inline(always)]
    unsafe fn partial((a, b): Self::In, out: Self::Out, n: usize) {
        if I::Int::MASKED {
            let bytes = n * size_of::<O::T>();
            // SAFETY: n < LANES elements, bytes < BYTES, are valid at every pointer
            // (caller; a broadcast `b` holds REPEAT_BYTES >= BYTES); zero lanes beyond
            // them are computed but never stored.
            unsafe {
                let x = I::Int::load_partial(a.cast(), bytes);
                let y = I::Int::load_partial(b.ptr().cast(), bytes);
                O::simd(x, y).store_partial(out.cast(), bytes);
            }
        } else {
            for i in 0..n {
                // SAFETY: i < n, and every pointer is valid for n elements (caller).
                unsafe { Self::one((a.add(i), b.advance(i)), out.add(i)) };
            }
        }
    }
}
