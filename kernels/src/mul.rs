//! The product loop, written once for every vector type.
//!
//! Shape: a partial head that brings `out` onto a `V::BYTES` boundary (so no store
//! straddles two cache lines: measured here, an AVX-512 loop with every pointer 16 bytes
//! off a 64-byte line ran about 2x slower than aligned), a body of four independent
//! registers per iteration (enough loads in flight for two load ports), one register at a
//! time for what is left, then a partial tail. Nothing is read or written outside `0..len`.

use crate::vector::Vector;

/// Below this many registers' worth of elements the head costs more than it saves.
const HEAD_MIN_REGISTERS: usize = 4;

/// `out[i] = a[i] * b[i]` for `i < len`.
///
/// # Safety
/// The crate-level kernel contract, and the CPU has the ISA of `V`.
#[inline(always)]
pub(crate) unsafe fn mul<V: Vector>(
    a: *const V::Elem,
    b: *const V::Elem,
    out: *mut V::Elem,
    len: usize,
) {
    let lanes = V::LANES;
    let mut i = 0;

    if len >= HEAD_MIN_REGISTERS * lanes {
        let head = elements_to_alignment::<V>(out);
        // SAFETY: head < LANES <= len, so the head is inside all three ranges.
        unsafe { V::mul_partial(a, b, out, head) };
        i = head;
    }

    while i + 4 * lanes <= len {
        // SAFETY: elements i..i + 4*lanes are inside 0..len of every pointer. All loads of
        // an index happen before its store, which keeps the in-place form (out == a) sound.
        unsafe {
            let p0 = V::load(a.add(i)).mul(V::load(b.add(i)));
            let p1 = V::load(a.add(i + lanes)).mul(V::load(b.add(i + lanes)));
            let p2 = V::load(a.add(i + 2 * lanes)).mul(V::load(b.add(i + 2 * lanes)));
            let p3 = V::load(a.add(i + 3 * lanes)).mul(V::load(b.add(i + 3 * lanes)));
            p0.store(out.add(i));
            p1.store(out.add(i + lanes));
            p2.store(out.add(i + 2 * lanes));
            p3.store(out.add(i + 3 * lanes));
        }
        i += 4 * lanes;
    }

    while i + lanes <= len {
        // SAFETY: elements i..i + lanes are inside 0..len of every pointer.
        unsafe { V::load(a.add(i)).mul(V::load(b.add(i))).store(out.add(i)) };
        i += lanes;
    }

    if i < len {
        // SAFETY: len - i < lanes elements remain, all inside 0..len.
        unsafe { V::mul_partial(a.add(i), b.add(i), out.add(i), len - i) };
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
