//! The product loop, written once for every vector type.
//!
//! Shape: a partial head that brings `out` onto a `V::BYTES` boundary (so no store
//! straddles two cache lines: measured here, an AVX-512 loop with every pointer 16 bytes
//! off a 64-byte line ran about 2x slower than aligned), a body of four independent
//! registers per iteration (enough loads in flight for two load ports), one register at a
//! time for what is left, then a partial tail. Nothing is read or written outside `0..len`.
//!
//! With `STREAM`, the body's stores are non-temporal (the head always runs, since those
//! stores need an aligned `out`) and a fence ends the call: for outputs far larger than
//! the last-level cache, this skips reading each line of `out` before overwriting it.

use crate::vector::Vector;

/// Below this many registers' worth of elements the head costs more than it saves.
const HEAD_MIN_REGISTERS: usize = 16;

/// `out[i] = a[i] * b[i]` for `i < len`, with streaming stores when `STREAM`.
///
/// # Safety
/// The crate-level kernel contract, and the CPU has the ISA of `V`.
#[inline(always)]
pub(crate) unsafe fn mul<V: Vector, const STREAM: bool>(
    a: *const V::Elem,
    b: *const V::Elem,
    out: *mut V::Elem,
    len: usize,
) {
    let lanes = V::LANES;
    let mut i = 0;

    if STREAM || len >= HEAD_MIN_REGISTERS * lanes {
        let head = elements_to_alignment::<V>(out).min(len);
        // Skipped when already aligned: even an empty masked operation costs cycles.
        if head > 0 {
            // SAFETY: head <= len, so the head is inside all three ranges.
            unsafe { V::mul_partial(a, b, out, head) };
            i = head;
        }
    }

    while i + 4 * lanes <= len {
        // SAFETY: elements i..i + 4*lanes are inside 0..len of every pointer. All loads of
        // an index happen before its store, which keeps the in-place form (out == a) sound.
        unsafe {
            let p0 = V::load(a.add(i)).mul(V::load(b.add(i)));
            let p1 = V::load(a.add(i + lanes)).mul(V::load(b.add(i + lanes)));
            let p2 = V::load(a.add(i + 2 * lanes)).mul(V::load(b.add(i + 2 * lanes)));
            let p3 = V::load(a.add(i + 3 * lanes)).mul(V::load(b.add(i + 3 * lanes)));
            store::<V, STREAM>(p0, out.add(i));
            store::<V, STREAM>(p1, out.add(i + lanes));
            store::<V, STREAM>(p2, out.add(i + 2 * lanes));
            store::<V, STREAM>(p3, out.add(i + 3 * lanes));
        }
        i += 4 * lanes;
    }

    while i + lanes <= len {
        // SAFETY: elements i..i + lanes are inside 0..len of every pointer.
        unsafe { store::<V, STREAM>(V::load(a.add(i)).mul(V::load(b.add(i))), out.add(i)) };
        i += lanes;
    }

    if i < len {
        // SAFETY: len - i < lanes elements remain, all inside 0..len.
        unsafe { V::mul_partial(a.add(i), b.add(i), out.add(i), len - i) };
    }

    if STREAM {
        // SAFETY: the CPU has the ISA of V (caller).
        unsafe { V::stream_fence() };
    }
}

/// A plain store, or a streaming one. With `STREAM`, `out` was aligned by the head (it
/// always runs then) and the body advances in whole registers, so `ptr` is aligned.
///
/// # Safety
/// `ptr` is valid for writes of `LANES` elements; with `STREAM` it is aligned to
/// `V::BYTES` and the kernel ends with `V::stream_fence()`.
#[inline(always)]
unsafe fn store<V: Vector, const STREAM: bool>(v: V, ptr: *mut V::Elem) {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        if STREAM {
            v.store_stream(ptr)
        } else {
            v.store(ptr)
        }
    }
}

/// How many elements to process one by one before `out` sits on a `V::BYTES` boundary.
///
/// Always below `V::LANES`: `out` is aligned to its element size (the kernel contract),
/// and `V::BYTES` is a multiple of the element size.
#[inline(always)]
fn elements_to_alignment<V: Vector>(out: *mut V::Elem) -> usize {
    let misalignment = out as usize % V::BYTES;
    if misalignment == 0 {
        0
    } else {
        (V::BYTES - misalignment) / core::mem::size_of::<V::Elem>()
    }
}

/// Instantiates the loop for one ISA and element type: `pub unsafe fn $mul` with normal
/// stores and `pub unsafe fn $stream` with streaming stores (the same as `$mul` where the
/// ISA has none), each a `#[target_feature($features)]` function over the vector type `$v`.
/// `$needs` names the CPU features in the safety docs.
macro_rules! mul_kernels {
    ($features:literal, $needs:literal, $mul:ident, $stream:ident, $v:ty, $t:ty) => {
        #[doc = concat!("`out[i] = a[i] * b[i]` for `", stringify!($t), "`, in `", stringify!($v), "` registers.")]
        ///
        /// # Safety
        ///
        #[doc = concat!("The crate-level kernel contract; the CPU has ", $needs, ".")]
        #[target_feature(enable = $features)]
        pub unsafe fn $mul(a: *const $t, b: *const $t, out: *mut $t, len: usize) {
            // SAFETY: forwarded from this function's contract, which includes the CPU
            // features the loop's vector type needs.
            unsafe { crate::mul::mul::<$v, false>(a, b, out, len) }
        }

        #[doc = concat!("Like [`", stringify!($mul), "`], with streaming (non-temporal) stores where the ISA has them and a fence at the end: for outputs much larger than the last-level cache.")]
        ///
        /// # Safety
        ///
        #[doc = concat!("The crate-level kernel contract; the CPU has ", $needs, ".")]
        #[target_feature(enable = $features)]
        pub unsafe fn $stream(a: *const $t, b: *const $t, out: *mut $t, len: usize) {
            // SAFETY: as above.
            unsafe { crate::mul::mul::<$v, true>(a, b, out, len) }
        }
    };
}
pub(crate) use mul_kernels;
