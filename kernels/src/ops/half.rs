//! Half-precision products: binary16 (`f16`) and bfloat16 (`bf16`) values, as bits.
//!
//! Both are widened to f32 exactly, multiplied in f32, and either rounded once to the
//! half format (nearest-even) or stored as f32 (the widening product): the steps of
//! `half`'s own `*`, so every kernel gives its bits. A binary16 product is exact in f32,
//! so its one rounding is the correctly rounded product; a bfloat16 product (8-bit
//! significands but f32's exponent range) is rounded in f32 first, as `half` does.

use crate::elementwise::{Lanes, Loads, Source};
use crate::half_emulation::f32_to_bf16;
use crate::isa::{FloatReg, IntReg, Isa};
use crate::scalar::element;
use core::marker::PhantomData;
use core::mem::size_of;

/// Loads `F32::LANES` half-precision values of the format chosen by `BF16`.
///
/// # Safety
/// `ptr` is readable for `F32::LANES` elements; the CPU has the ISA.
#[inline(always)]
unsafe fn load<I: Isa, const BF16: bool>(ptr: *const u16) -> I::F32 {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        if BF16 {
            I::load_bf16(ptr)
        } else {
            I::load_f16(ptr)
        }
    }
}

/// The most lanes an `F32` register has (AVX-512): the size of the bounce buffers below.
const MAX_LANES: usize = 16;

/// `L`'s product of `n < LANES` elements of `a` and `b`, through zero-padded registers on
/// the stack: the head and the tail run the vector conversions too, instead of `half`'s
/// software arithmetic one element at a time (about 1.7 ns an element, measured), which
/// made a 1024-element binary16 product twice as slow at a misaligned output. `L::store`
/// writes the result into the buffer: a trait function, not a closure, since a closure
/// here was compiled without the kernel's target features and called every intrinsic
/// of the bfloat16 rounding out of line (about 50 ns a head or tail, measured).
///
/// # Safety
/// `n < I::F32::LANES`; `a`, `b` readable and `out` writable for `n` elements; the CPU
/// has the ISA.
#[inline(always)]
unsafe fn bounce<I: Isa, O: Copy, const BF16: bool, L>(
    (a, b): (*const u16, *const u16),
    out: *mut O,
    n: usize,
) where
    L: Lanes<Computed = I::F32, Out = *mut O>,
{
    debug_assert!(n < I::F32::LANES && I::F32::LANES <= MAX_LANES);
    // 64 bytes each: a whole integer register, which the masked moves below load or
    // store in one piece.
    let (mut x, mut y, mut r) = ([0u16; 32], [0u16; 32], [0u32; 16]);
    let result = r.as_mut_ptr().cast::<O>();
    // SAFETY: n elements are readable from a and b and writable at out (caller), and
    // n < LANES <= MAX_LANES, so every buffer holds them, a whole F32 register's worth
    // of halves or of results, and a whole integer register (64 bytes). Masked moves
    // touch only their first `bytes` bytes of memory (and `bytes < BYTES`).
    unsafe {
        if I::Int::MASKED {
            // One masked move each instead of three calls to `memcpy` (about 30 ns a
            // head or tail, measured on a misaligned 1024-element bfloat16 product).
            I::Int::load_partial(a.cast(), 2 * n).store(x.as_mut_ptr().cast());
            I::Int::load_partial(b.cast(), 2 * n).store(y.as_mut_ptr().cast());
        } else {
            core::ptr::copy_nonoverlapping(a, x.as_mut_ptr(), n);
            core::ptr::copy_nonoverlapping(b, y.as_mut_ptr(), n);
        }
        let product = load::<I, BF16>(x.as_ptr()).mul(load::<I, BF16>(y.as_ptr()));
        L::store(product, result);
        if I::Int::MASKED {
            I::Int::load(result.cast()).store_partial(out.cast(), n * size_of::<O>());
        } else {
            core::ptr::copy_nonoverlapping(result, out, n);
        }
    }
}

/// The product rounded to the half format (bits); `b` a stream or a broadcast value (`S`).
pub(crate) struct HalfMul<I, const BF16: bool, S = *const u16>(PhantomData<(I, S)>);

// SAFETY: a step reads F32::LANES values from each input and writes as many to the output
// (the `Isa` conversion contracts); widening, f32 product and rounding are `one`'s steps.
unsafe impl<I: Isa, const BF16: bool, S: Source<u16>> Lanes for HalfMul<I, BF16, S> {
    type In = (*const u16, S);
    type Out = *mut u16;
    type Loaded = (I::F32, I::F32);
    type Computed = I::F32;
    const LANES: usize = I::F32::LANES;
    const OUT_STEP_BYTES: usize = Self::LANES * size_of::<u16>();
    const OUT_ELEM_BYTES: usize = size_of::<u16>();

    #[inline(always)]
    fn out_addr(out: *mut u16) -> usize {
        out as usize
    }

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>((a, b): Self::In) -> Self::Loaded {
        // SAFETY: forwarded from the trait contract.
        unsafe { (load::<I, BF16>(a), load::<I, BF16>(b.ptr())) }
    }

    #[inline(always)]
    unsafe fn compute((a, b): Self::Loaded) -> I::F32 {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { a.mul(b) }
    }

    #[inline(always)]
    unsafe fn store(r: I::F32, out: *mut u16) {
        // SAFETY: forwarded from the trait contract.
        unsafe {
            if BF16 {
                I::store_narrowed_u16(f32_to_bf16(I::f32_bits(r)), out)
            } else {
                I::store_f16(r, out)
            }
        }
    }

    #[inline(always)]
    unsafe fn store_stream(r: I::F32, out: *mut u16) {
        // SAFETY: forwarded from the trait contract (out aligned to OUT_STEP_BYTES, the
        // bytes one step writes).
        unsafe {
            if BF16 {
                I::store_narrowed_u16_stream(f32_to_bf16(I::f32_bits(r)), out)
            } else {
                I::store_f16_stream(r, out)
            }
        }
    }

    #[inline(always)]
    unsafe fn fence() {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { I::fence() }
    }

    #[inline(always)]
    unsafe fn partial((a, b): Self::In, out: *mut u16, n: usize) {
        // SAFETY: forwarded from the trait contract; a broadcast `b` holds REPEAT_BYTES >= n
        // copies.
        unsafe { bounce::<I, u16, BF16, Self>((a, b.ptr()), out, n) }
    }

    #[inline(always)]
    unsafe fn one((a, b): Self::In, out: *mut u16) {
        // SAFETY: each pointer is valid for one element (caller).
        unsafe {
            let b = *b.ptr();
            *out = if BF16 {
                element::mul_bf16(*a, b)
            } else {
                element::mul_f16(*a, b)
            }
        }
    }
}

/// The f32 product of two half-precision values (the widening product).
pub(crate) struct HalfWiden<I, const BF16: bool>(PhantomData<I>);

// SAFETY: a step reads F32::LANES values from each input and writes one f32 register;
// widening and the f32 product are `one`'s steps.
unsafe impl<I: Isa, const BF16: bool> Lanes for HalfWiden<I, BF16> {
    type In = (*const u16, *const u16);
    type Out = *mut f32;
    type Loaded = (I::F32, I::F32);
    type Computed = I::F32;
    const LANES: usize = I::F32::LANES;
    const OUT_STEP_BYTES: usize = Self::LANES * size_of::<f32>();
    const OUT_ELEM_BYTES: usize = size_of::<f32>();

    #[inline(always)]
    fn out_addr(out: *mut f32) -> usize {
        out as usize
    }

    #[inline(always)]
    unsafe fn load_with<Ld: Loads>((a, b): Self::In) -> Self::Loaded {
        // SAFETY: forwarded from the trait contract.
        unsafe { (load::<I, BF16>(a), load::<I, BF16>(b)) }
    }

    #[inline(always)]
    unsafe fn compute((a, b): Self::Loaded) -> I::F32 {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { a.mul(b) }
    }

    #[inline(always)]
    unsafe fn store(r: I::F32, out: *mut f32) {
        // SAFETY: forwarded from the trait contract.
        unsafe { r.store(out) }
    }

    #[inline(always)]
    unsafe fn store_stream(r: I::F32, out: *mut f32) {
        // SAFETY: forwarded from the trait contract (out aligned to the register).
        unsafe { r.store_stream(out) }
    }

    #[inline(always)]
    unsafe fn fence() {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { I::fence() }
    }

    #[inline(always)]
    unsafe fn partial(input: Self::In, out: *mut f32, n: usize) {
        // SAFETY: forwarded from the trait contract.
        unsafe { bounce::<I, f32, BF16, Self>(input, out, n) }
    }

    #[inline(always)]
    unsafe fn one((a, b): Self::In, out: *mut f32) {
        // SAFETY: each pointer is valid for one element (caller).
        unsafe {
            *out = if BF16 {
                element::mul_widen_bf16(*a, *b)
            } else {
                element::mul_widen_f16(*a, *b)
            }
        }
    }
}
