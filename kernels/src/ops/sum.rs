//! `Σ a[i]·b[i]` (the Frobenius inner product of two matrices stored as slices) for reals,
//! wrapping integers and complex numbers (optionally `Σ a[i]·conj(b[i])`), as
//! [`Reduction`]s over an ISA's registers.

use super::integer::Wrapping;
use super::Float;
use crate::isa::{FloatReg, IntReg, Isa};
use crate::reduce::{Reduction, Row};
use crate::scalar::element::{complex_mul, complex_mul_conj};
use crate::sum_order::fold;
use core::marker::PhantomData;
use core::mem::size_of;

/// The most lanes of any float register (f32 on AVX-512).
const MAX_FLOAT_LANES: usize = 16;

/// The lanes of a float register, halved in lane order.
///
/// # Safety
/// The CPU has the ISA of `I`.
#[inline(always)]
unsafe fn horizontal<I: Isa, T: Float>(v: T::Reg<I>) -> T {
    let mut lanes = [T::ZERO; MAX_FLOAT_LANES];
    // SAFETY: the buffer holds MAX_FLOAT_LANES >= LANES elements.
    unsafe { v.store(lanes.as_mut_ptr()) };
    fold(&mut lanes[..T::Reg::<I>::LANES], |p, q| p + q)
}

/// Float registers read as one row of lanes, turned so that lane `by` comes first.
///
/// # Safety
/// `by < LANES`; the CPU has the ISA of `V`.
#[inline(always)]
unsafe fn turn_floats<V: FloatReg, const N: usize>(row: Row<V, N>, by: usize) -> Row<V, N> {
    // Loops rather than `array::from_fn`, which is not inlined into a function of other
    // target features.
    let mut out = row;
    for r in 0..N {
        // SAFETY: by < LANES (caller); the CPU has the ISA (caller).
        out[r] = unsafe { row[r].joined_from(row[(r + 1) % N], by) };
    }
    out
}

/// `Σ a[i]·b[i]` for `f32`/`f64`: each product rounded, then added (no FMA, so the
/// products are the same on every ISA; only the order of the additions differs).
pub(crate) struct RealSum<I, T>(PhantomData<(I, T)>);

// SAFETY: `step` reads one register from each input; `one` reads element 0.
unsafe impl<I: Isa, T: Float> Reduction for RealSum<I, T> {
    type In = (*const T, *const T);
    type Acc = T::Reg<I>;
    type Out = T;
    const LANES: usize = T::Reg::<I>::LANES;

    #[inline(always)]
    unsafe fn zero() -> Self::Acc {
        let zeros = [T::ZERO; MAX_FLOAT_LANES];
        // SAFETY: the array holds MAX_FLOAT_LANES >= LANES elements.
        unsafe { T::Reg::<I>::load(zeros.as_ptr()) }
    }
    #[inline(always)]
    unsafe fn step(acc: Self::Acc, (a, b): Self::In) -> Self::Acc {
        // SAFETY: each input is readable for LANES elements (caller).
        unsafe { acc.add(T::Reg::<I>::load(a).mul(T::Reg::<I>::load(b))) }
    }
    #[inline(always)]
    unsafe fn merge(x: Self::Acc, y: Self::Acc) -> Self::Acc {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { x.add(y) }
    }
    #[inline(always)]
    unsafe fn finish(acc: Self::Acc) -> T {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { horizontal::<I, T>(acc) }
    }
    #[inline(always)]
    unsafe fn one((a, b): Self::In) -> T {
        // SAFETY: each input is readable for one element (caller).
        unsafe { *a * *b }
    }
    #[inline(always)]
    fn add(x: T, y: T) -> T {
        x + y
    }

    const ELEMENT_BYTES: usize = size_of::<T>();
    const REGISTER_BYTES: usize = T::Reg::<I>::LANES * size_of::<T>();
    #[inline(always)]
    fn address((a, _): Self::In) -> usize {
        a as usize
    }
    #[inline(always)]
    unsafe fn step_lanes(acc: Self::Acc, (a, b): Self::In, lane: usize, n: usize) -> Self::Acc {
        // SAFETY: lane + n <= LANES and n elements are readable at a and b (caller).
        unsafe {
            let x = T::Reg::<I>::load_placed(a, lane, n);
            acc.add(x.mul(T::Reg::<I>::load_placed(b, lane, n)))
        }
    }
    #[inline(always)]
    unsafe fn turn<const N: usize>(row: Row<Self::Acc, N>, by: usize) -> Row<Self::Acc, N> {
        // SAFETY: forwarded (caller).
        unsafe { turn_floats(row, by) }
    }
    #[inline(always)]
    unsafe fn load_row<const N: usize>(p: *const T) -> Row<Self::Acc, N> {
        // SAFETY: the CPU has the ISA (caller).
        let mut row = [unsafe { Self::zero() }; N];
        for (r, acc) in row.iter_mut().enumerate() {
            // SAFETY: register r holds partials r·LANES.., below W = N·LANES (caller).
            *acc = unsafe { T::Reg::<I>::load(p.add(r * Self::LANES)) };
        }
        row
    }
    #[inline(always)]
    unsafe fn store_row<const N: usize>(row: Row<Self::Acc, N>, p: *mut T) {
        for (r, acc) in row.iter().enumerate() {
            // SAFETY: as `load_row`, p writable for W values (caller).
            unsafe { acc.store(p.add(r * Self::LANES)) };
        }
    }
}

/// `Σ a[i]·b[i]` with wrapping integer arithmetic: exact modulo 2^bits, so every ISA and
/// every order gives the same value.
pub(crate) struct IntSum<I, O>(PhantomData<(I, O)>);

// SAFETY: `step` reads one register from each input; `one` reads element 0.
unsafe impl<I: Isa, O: Wrapping> Reduction for IntSum<I, O> {
    type In = (*const O::T, *const O::T);
    type Acc = I::Int;
    type Out = O::T;
    const LANES: usize = I::Int::BYTES / size_of::<O::T>();

    #[inline(always)]
    unsafe fn zero() -> I::Int {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { I::Int::zero() }
    }
    #[inline(always)]
    unsafe fn step(acc: I::Int, (a, b): Self::In) -> I::Int {
        // SAFETY: each input is readable for BYTES bytes (caller).
        unsafe {
            let product = O::simd(I::Int::load(a.cast()), I::Int::load(b.cast()));
            O::simd_add(acc, product)
        }
    }
    #[inline(always)]
    unsafe fn merge(x: I::Int, y: I::Int) -> I::Int {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { O::simd_add(x, y) }
    }
    #[inline(always)]
    unsafe fn finish(acc: I::Int) -> O::T {
        let mut bytes = [0u8; 64];
        // SAFETY: the buffer holds 64 >= BYTES bytes; each lane is then read unaligned.
        unsafe {
            acc.store(bytes.as_mut_ptr());
            let lanes = bytes.as_ptr().cast::<O::T>();
            let mut total = lanes.read_unaligned();
            for k in 1..Self::LANES {
                total = O::add(total, lanes.add(k).read_unaligned());
            }
            total
        }
    }
    #[inline(always)]
    unsafe fn one((a, b): Self::In) -> O::T {
        // SAFETY: each input is readable for one element (caller).
        unsafe { O::one(*a, *b) }
    }
    #[inline(always)]
    fn add(x: O::T, y: O::T) -> O::T {
        O::add(x, y)
    }

    const ELEMENT_BYTES: usize = size_of::<O::T>();
    const REGISTER_BYTES: usize = I::Int::BYTES;
    #[inline(always)]
    fn address((a, _): Self::In) -> usize {
        a as usize
    }
    #[inline(always)]
    unsafe fn step_lanes(acc: I::Int, (a, b): Self::In, lane: usize, n: usize) -> I::Int {
        // A wrapping sum is exact, so which lanes the elements land in does not matter:
        // lanes 0..n, and `turn` leaves the row as it is.
        let _ = lane;
        let bytes = n * size_of::<O::T>();
        // SAFETY: lane + n <= LANES, so bytes <= BYTES, and n elements are readable at a
        // and b (caller); load_partial takes bytes < BYTES, a full step takes BYTES.
        unsafe {
            if bytes == I::Int::BYTES {
                return Self::step(acc, (a, b));
            }
            let product = O::simd(
                I::Int::load_partial(a.cast(), bytes),
                I::Int::load_partial(b.cast(), bytes),
            );
            O::simd_add(acc, product)
        }
    }
    #[inline(always)]
    unsafe fn turn<const N: usize>(row: Row<I::Int, N>, by: usize) -> Row<I::Int, N> {
        let _ = by;
        row
    }
    #[inline(always)]
    unsafe fn load_row<const N: usize>(p: *const O::T) -> Row<I::Int, N> {
        // SAFETY: the CPU has the ISA (caller).
        let mut row = [unsafe { I::Int::zero() }; N];
        for (r, acc) in row.iter_mut().enumerate() {
            // SAFETY: register r holds bytes r·BYTES.. of the W partials (caller).
            *acc = unsafe { I::Int::load(p.cast::<u8>().add(r * I::Int::BYTES)) };
        }
        row
    }
    #[inline(always)]
    unsafe fn store_row<const N: usize>(row: Row<I::Int, N>, p: *mut O::T) {
        for (r, acc) in row.iter().enumerate() {
            // SAFETY: as `load_row`, p writable for W values (caller).
            unsafe { acc.store(p.cast::<u8>().add(r * I::Int::BYTES)) };
        }
    }
}

/// `Σ a[i]·b[i]` (or `Σ a[i]·conj(b[i])`) for interleaved complex numbers: each product
/// by the reference formula, summed per component.
pub(crate) struct ComplexSum<I, T, const CONJ: bool>(PhantomData<(I, T)>);

// SAFETY: `step` reads two registers (LANES pairs) from each input; `one` reads pair 0.
unsafe impl<I: Isa, T: Float, const CONJ: bool> Reduction for ComplexSum<I, T, CONJ> {
    type In = (*const [T; 2], *const [T; 2]);
    type Acc = (T::Reg<I>, T::Reg<I>);
    type Out = [T; 2];
    const LANES: usize = T::Reg::<I>::LANES;
    const ACC_REGISTERS: usize = 2;

    #[inline(always)]
    unsafe fn zero() -> Self::Acc {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { (RealSum::<I, T>::zero(), RealSum::<I, T>::zero()) }
    }
    #[inline(always)]
    unsafe fn step((sr, si): Self::Acc, (a, b): Self::In) -> Self::Acc {
        // SAFETY: each input holds LANES pairs here (caller).
        unsafe {
            let planes = |p| super::complex::load_planes::<T::Reg<I>>(p);
            let ((ar, ai), (br, bi)) = (planes(a), planes(b));
            let (re, im) = super::complex::product::<_, CONJ>(ar, ai, br, bi);
            (sr.add(re), si.add(im))
        }
    }
    #[inline(always)]
    unsafe fn merge(x: Self::Acc, y: Self::Acc) -> Self::Acc {
        // SAFETY: the CPU has the ISA (caller).
        unsafe { (x.0.add(y.0), x.1.add(y.1)) }
    }
    #[inline(always)]
    unsafe fn finish((sr, si): Self::Acc) -> [T; 2] {
        // The planes' lane order is the deinterleave's: interleave back to pairs in element
        // order, then halve those.
        let mut pairs = [[T::ZERO; 2]; MAX_FLOAT_LANES];
        let lanes = T::Reg::<I>::LANES;
        // SAFETY: the CPU has the ISA (caller); the buffer holds 2·MAX_FLOAT_LANES >=
        // 2·LANES floats, the two registers of pairs.
        unsafe {
            let (x, y) = T::Reg::<I>::interleave(sr, si);
            let floats = pairs.as_mut_ptr().cast::<T>();
            x.store(floats);
            y.store(floats.add(lanes));
        }
        fold(&mut pairs[..lanes], Self::add)
    }
    #[inline(always)]
    unsafe fn one((a, b): Self::In) -> [T; 2] {
        // SAFETY: each input is readable for one pair (caller).
        unsafe {
            if CONJ {
                complex_mul_conj(*a, *b)
            } else {
                complex_mul(*a, *b)
            }
        }
    }
    #[inline(always)]
    fn add(x: [T; 2], y: [T; 2]) -> [T; 2] {
        [x[0] + y[0], x[1] + y[1]]
    }

    const ELEMENT_BYTES: usize = 2 * size_of::<T>();
    const REGISTER_BYTES: usize = T::Reg::<I>::LANES * size_of::<T>();
    #[inline(always)]
    fn address((a, _): Self::In) -> usize {
        a as usize
    }
    #[inline(always)]
    unsafe fn step_lanes(acc: Self::Acc, (a, b): Self::In, lane: usize, n: usize) -> Self::Acc {
        // SAFETY: lane + n <= LANES pairs and n pairs are readable at a and b (caller).
        unsafe {
            let ((ar, ai), (br, bi)) = (
                placed_planes::<T::Reg<I>>(a, lane, n),
                placed_planes(b, lane, n),
            );
            let (re, im) = super::complex::product::<_, CONJ>(ar, ai, br, bi);
            (acc.0.add(re), acc.1.add(im))
        }
    }
    #[inline(always)]
    unsafe fn turn<const N: usize>(row: Row<Self::Acc, N>, by: usize) -> Row<Self::Acc, N> {
        // The planes' lane order is the deinterleave's, not the pairs': interleave back to
        // a row of 2·N registers of pairs (a pure shuffle), turn it by `by` pairs, and
        // deinterleave again.
        let (lanes, regs) = (T::Reg::<I>::LANES, 2 * N);
        let (whole, part) = (2 * by / lanes, 2 * by % lanes);
        // SAFETY: the CPU has the ISA (caller); part < LANES.
        unsafe {
            let mut pairs = [[RealSum::<I, T>::zero(); 2]; N];
            for (pair, &(re, im)) in pairs.iter_mut().zip(&row) {
                let (x, y) = T::Reg::<I>::interleave(re, im);
                *pair = [x, y];
            }
            // Register k of the turned row of pairs (closures here were not inlined).
            macro_rules! at {
                ($k:expr) => {{
                    let (this, next) = (($k + whole) % regs, ($k + whole + 1) % regs);
                    pairs[this / 2][this % 2].joined_from(pairs[next / 2][next % 2], part)
                }};
            }
            let mut out = row;
            for (k, acc) in out.iter_mut().enumerate() {
                *acc = T::Reg::<I>::deinterleave(at!(2 * k), at!(2 * k + 1));
            }
            out
        }
    }
    #[inline(always)]
    unsafe fn load_row<const N: usize>(p: *const [T; 2]) -> Row<Self::Acc, N> {
        // SAFETY: the CPU has the ISA (caller).
        let mut row = [unsafe { Self::zero() }; N];
        for (r, acc) in row.iter_mut().enumerate() {
            // SAFETY: accumulator r holds pairs r·LANES.., below W = N·LANES (caller),
            // loaded as a step loads its input.
            *acc = unsafe { super::complex::load_planes::<T::Reg<I>>(p.add(r * Self::LANES)) };
        }
        row
    }
    #[inline(always)]
    unsafe fn store_row<const N: usize>(row: Row<Self::Acc, N>, p: *mut [T; 2]) {
        let lanes = T::Reg::<I>::LANES;
        for (r, &(re, im)) in row.iter().enumerate() {
            // SAFETY: as `load_row`, p writable for W pairs (caller); interleave undoes
            // the load's deinterleave.
            unsafe {
                let (x, y) = T::Reg::<I>::interleave(re, im);
                let floats = p.add(r * Self::LANES).cast::<T>();
                x.store(floats);
                y.store(floats.add(lanes));
            }
        }
    }
}

/// Pairs `0..n` at `p` in pair lanes `lane..lane + n` of two registers of interleaved
/// pairs, the other lanes zero, deinterleaved into a real and an imaginary plane.
///
/// # Safety
/// `lane + n <= V::LANES` pairs; `p` is readable for `n` pairs; the CPU has the ISA.
#[inline(always)]
unsafe fn placed_planes<V: FloatReg>(p: *const [V::Elem; 2], lane: usize, n: usize) -> (V, V) {
    let lanes = V::LANES;
    let (lo, hi) = (2 * lane, 2 * (lane + n));
    let f = p.cast::<V::Elem>();
    // SAFETY: the first register takes the floats of lo..hi below LANES, the second those
    // at or above it: together exactly the 2·n floats at p (caller).
    unsafe {
        let first = V::load_placed(f, lo.min(lanes), hi.min(lanes) - lo.min(lanes));
        // Past the n pairs when the second register takes none of them: never read then.
        let rest = f.wrapping_add(lo.max(lanes) - lo);
        let second = V::load_placed(rest, lo.max(lanes) - lanes, hi.max(lanes) - lo.max(lanes));
        V::deinterleave(first, second)
    }
}
