//! The element-wise loop, written once for every operation and instruction set.
//!
//! Shape: a partial head that brings the (first) output onto a register boundary (so no
//! store straddles two cache lines: measured here, an AVX-512 loop with every pointer 16
//! bytes off a 64-byte line ran about 2x slower than aligned), a body of four independent
//! steps per iteration (enough loads in flight for two load ports), one step at a time for
//! what is left, then a partial tail. Nothing is read or written outside `0..len`.
//!
//! With `STREAM`, the body's stores are non-temporal (the head always runs, since those
//! stores need an aligned output) and a fence ends the call: for outputs far larger than
//! the last-level cache, this skips reading each line of the output before overwriting it.
//!
//! An operation ([`Lanes`]) says how to load one step's inputs into registers, compute,
//! and store; the operations themselves live in `ops/`, generic over the ISA's registers.
//!
//! Realigned loads: once the head has aligned the output, an input that starts at another
//! offset within a register still makes every (AVX-512) or every other (AVX2) load straddle
//! two cache lines, which measured about 2x slower in L1. Where the ISA can join two
//! registers at a constant offset (`valignd` on AVX-512) and the input's distance from the
//! output is a multiple of 16 bytes (every pair of buffers from a 16-byte-aligned
//! allocator), the body instead loads the two aligned registers around each input register
//! and joins them ([`Realigned`]): one more loading strategy ([`Loads`]) of this one loop.
//! Those loads reach up to one register before the step and one after it, so the body
//! keeps a step of plain loads at each end: nothing outside `0..len` is ever read.

use crate::isa::{FloatReg, IntReg};

/// Pointers into the operands that the loop advances together, one element at a time.
pub(crate) trait Cursor: Copy {
    /// Every pointer moved `n` elements on.
    ///
    /// # Safety
    /// The result stays inside (or one past the end of) each pointer's allocation.
    unsafe fn advance(self, n: usize) -> Self;
}

impl<T> Cursor for *const T {
    #[inline(always)]
    unsafe fn advance(self, n: usize) -> Self {
        // SAFETY: forwarded from this function's contract.
        unsafe { self.add(n) }
    }
}

impl<T> Cursor for *mut T {
    #[inline(always)]
    unsafe fn advance(self, n: usize) -> Self {
        // SAFETY: forwarded from this function's contract.
        unsafe { self.add(n) }
    }
}

impl<P: Cursor, Q: Cursor> Cursor for (P, Q) {
    #[inline(always)]
    unsafe fn advance(self, n: usize) -> Self {
        // SAFETY: forwarded from this function's contract, for each pointer.
        unsafe { (self.0.advance(n), self.1.advance(n)) }
    }
}

/// An input the loop reads: a stream of elements, or one value repeated (a broadcast
/// operand such as the scalar of `out = s·a`).
pub(crate) trait Source<T>: Cursor {
    /// Where the current element (and, for a step, the next `LANES - 1`) is read.
    fn ptr(self) -> *const T;

    /// The address of a stream that the loop advances, for realigned loads; `None` for
    /// a broadcast value, which is never realigned.
    #[inline(always)]
    fn stream_addr(self) -> Option<usize> {
        Some(self.ptr() as usize)
    }
}

impl<T> Source<T> for *const T {
    #[inline(always)]
    fn ptr(self) -> *const T {
        self
    }
}

/// A buffer of [`REPEAT_BYTES`](crate::REPEAT_BYTES) of copies of one value that every step reads again: the
/// loop never advances it, so register loads and element reads all see the value.
pub(crate) struct Repeated<T>(pub(crate) *const T);

// By hand: derive would ask for `T: Copy`, which a pointer does not need.
impl<T> Clone for Repeated<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Repeated<T> {}

impl<T> Cursor for Repeated<T> {
    #[inline(always)]
    unsafe fn advance(self, _n: usize) -> Self {
        self
    }
}

impl<T> Source<T> for Repeated<T> {
    #[inline(always)]
    fn ptr(self) -> *const T {
        self.0
    }

    #[inline(always)]
    fn stream_addr(self) -> Option<usize> {
        None
    }
}

/// One element-wise operation on one instruction set: `LANES` elements per step.
///
/// Methods are `#[inline(always)]` in every impl and never `#[target_feature]`: they are
/// inlined into the one `#[target_feature]` function per ISA and kernel that runs the loop,
/// and get that function's features.
///
/// # Safety
///
/// Implementors promise that `load` reads exactly `LANES` elements from each input pointer,
/// `store` writes exactly `LANES` elements to each output pointer (reading none of them),
/// `one` touches element 0 only, and that `compute` gives for every lane what `one` gives.
pub(crate) unsafe trait Lanes {
    /// The input pointers.
    type In: Cursor;
    /// The output pointers; the first one is the one the head aligns.
    type Out: Cursor;
    /// One step's inputs, in registers.
    type Loaded: Copy;
    /// One step's results, in registers.
    type Computed: Copy;
    /// Elements per step.
    const LANES: usize;
    /// Bytes of the first output one step writes: the alignment the head brings it to.
    const OUT_STEP_BYTES: usize;
    /// Bytes of one element of the first output.
    const OUT_ELEM_BYTES: usize;

    /// The address of the first output, for the alignment head.
    fn out_addr(out: Self::Out) -> usize;

    /// Loads one step's inputs (any alignment) through the loading strategy `Ld`; an
    /// operation that never realigns (`REALIGN_BYTES == 0`) may ignore `Ld`.
    ///
    /// # Safety
    /// Each input is readable for `LANES` elements, and what `Ld` asks; the CPU has the ISA.
    unsafe fn load_with<Ld: Loads>(input: Self::In) -> Self::Loaded;

    /// Loads one step's inputs with plain loads.
    ///
    /// # Safety
    /// Each input is readable for `LANES` elements; the CPU has the ISA.
    #[inline(always)]
    unsafe fn load(input: Self::In) -> Self::Loaded {
        // SAFETY: forwarded; plain loads ask nothing more.
        unsafe { Self::load_with::<Unaligned>(input) }
    }

    /// The step's results.
    ///
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn compute(x: Self::Loaded) -> Self::Computed;

    /// Stores one step's results (any alignment).
    ///
    /// # Safety
    /// Each output is writable for `LANES` elements; the CPU has the ISA.
    unsafe fn store(r: Self::Computed, out: Self::Out);

    /// Stores one step's results with a non-temporal hint; the first output is aligned to
    /// `OUT_STEP_BYTES`. The default is [`store`](Self::store), for ISAs or operations
    /// without such a store.
    ///
    /// # Safety
    /// As `store`, plus the alignment; `fence` runs before the kernel returns.
    #[inline(always)]
    unsafe fn store_stream(r: Self::Computed, out: Self::Out) {
        // SAFETY: forwarded; an aligned pointer is also fine for an unaligned store.
        unsafe { Self::store(r, out) }
    }

    /// Orders earlier non-temporal stores before every later store (`sfence` on x86).
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn fence() {}

    /// The operation on element 0 alone: the reference, used by the head and tail.
    ///
    /// # Safety
    /// Each pointer is valid for one element.
    unsafe fn one(input: Self::In, out: Self::Out);

    /// The operation on elements `0..n`, `n < LANES`: the head and the tail. The default
    /// calls [`one`](Self::one) per element; ISAs with masked memory operations override it.
    ///
    /// # Safety
    /// `n < LANES`; each pointer is valid for `n` elements; the CPU has the ISA.
    #[inline(always)]
    unsafe fn partial(input: Self::In, out: Self::Out, n: usize) {
        for i in 0..n {
            // SAFETY: i < n, and every pointer is valid for n elements.
            unsafe { Self::one(input.advance(i), out.advance(i)) };
        }
    }

    /// The register size at which this operation realigns its inputs `a` and `b`
    /// ([`load_with`](Self::load_with) honours [`Realigned`]), or 0 where it never does.
    /// Realigning operations read inputs of the first output's element type.
    const REALIGN_BYTES: usize = 0;

    /// The addresses of `a` and `b` where they are streams the loop advances.
    #[inline(always)]
    fn in_addrs(_input: Self::In) -> [Option<usize>; 2] {
        [None, None]
    }
}

/// How the body reads a step's registers from the inputs `a` (slot 0) and `b` (slot 1).
pub(crate) trait Loads {
    /// Whether a load reaches up to one register before its pointer and after its step:
    /// then the body keeps one step of plain loads at each end.
    const MARGIN: bool;

    /// A float register from `ptr` (input `slot`).
    ///
    /// # Safety
    /// `ptr` is readable for a register; with `MARGIN`, also for one register before and
    /// after it; the CPU has the ISA.
    unsafe fn float<R: FloatReg>(ptr: *const R::Elem, slot: usize) -> R;

    /// An integer register from `ptr` (input `slot`), under the same contract.
    ///
    /// # Safety
    /// As [`float`](Self::float).
    unsafe fn int<R: IntReg>(ptr: *const u8, slot: usize) -> R;
}

/// Plain loads at any alignment.
pub(crate) struct Unaligned;

impl Loads for Unaligned {
    const MARGIN: bool = false;

    #[inline(always)]
    unsafe fn float<R: FloatReg>(ptr: *const R::Elem, _slot: usize) -> R {
        // SAFETY: forwarded from the trait contract.
        unsafe { R::load(ptr) }
    }

    #[inline(always)]
    unsafe fn int<R: IntReg>(ptr: *const u8, _slot: usize) -> R {
        // SAFETY: forwarded from the trait contract.
        unsafe { R::load(ptr) }
    }
}

/// Loads of `a` and `b` that start `A` and `B` 16-byte units past a register boundary,
/// each built from the two aligned registers around it (the ISA's `load_realigned`).
pub(crate) struct Realigned<const A: usize, const B: usize>;

impl<const A: usize, const B: usize> Loads for Realigned<A, B> {
    const MARGIN: bool = true;

    #[inline(always)]
    unsafe fn float<R: FloatReg>(ptr: *const R::Elem, slot: usize) -> R {
        let units = if slot == 0 { A } else { B };
        // SAFETY: forwarded from the trait contract; `units` is where the loop found the
        // input, so `ptr - 16·units` is register-aligned and inside the input (MARGIN).
        unsafe { R::load_realigned(ptr, units) }
    }

    #[inline(always)]
    unsafe fn int<R: IntReg>(ptr: *const u8, slot: usize) -> R {
        let units = if slot == 0 { A } else { B };
        // SAFETY: as for `float`.
        unsafe { R::load_realigned(ptr, units) }
    }
}

/// Below this many steps' worth of elements the head costs more than it saves.
const HEAD_MIN_STEPS: usize = 16;

/// Runs the operation `L` over `0..len`, with streaming stores when `STREAM`.
///
/// # Safety
/// The crate-level kernel contract for `L`'s operands, and the CPU has `L`'s ISA.
#[inline(always)]
pub(crate) unsafe fn run<L: Lanes, const STREAM: bool>(input: L::In, out: L::Out, len: usize) {
    let lanes = L::LANES;
    let mut i = 0;
    let mut out_aligned = false;

    if STREAM || len >= HEAD_MIN_STEPS * lanes {
        let head = elements_to_alignment::<L>(L::out_addr(out)).min(len);
        // Skipped when already aligned: even an empty masked operation costs cycles.
        if head > 0 {
            // SAFETY: head < LANES and head <= len, so it is inside every range.
            unsafe { L::partial(input, out, head) };
            i = head;
        }
        out_aligned = elements_to_alignment::<L>(L::out_addr(out) + i * L::OUT_ELEM_BYTES) == 0;
    }

    // SAFETY: `i <= len` and the operands as this function's contract says. The `if` on
    // a constant keeps the realigned bodies out of operations and ISAs that never realign.
    i = unsafe {
        if L::REALIGN_BYTES == 0 {
            body::<L, STREAM, Unaligned>(input, out, i, len)
        } else {
            realigned_body::<L, STREAM>(input, out, i, len, out_aligned)
        }
    };

    while i + lanes <= len {
        // SAFETY: elements i..i + lanes are inside 0..len of every pointer.
        unsafe {
            let r = L::compute(L::load(input.advance(i)));
            store::<L, STREAM>(r, out.advance(i));
        }
        i += lanes;
    }

    if i < len {
        // SAFETY: len - i < lanes elements remain, all inside 0..len.
        unsafe { L::partial(input.advance(i), out.advance(i), len - i) };
    }

    if STREAM {
        // SAFETY: the CPU has L's ISA (caller).
        unsafe { L::fence() };
    }
}

/// The body with realigned loads where [`realign_units`] finds them possible.
///
/// # Safety
/// As [`body`]; `out_aligned` says whether the output is aligned at `i`.
#[inline(always)]
unsafe fn realigned_body<L: Lanes, const STREAM: bool>(
    input: L::In,
    out: L::Out,
    i: usize,
    len: usize,
    out_aligned: bool,
) -> usize {
    // SAFETY (all arms): as this function's contract says; a realigned body runs only with
    // the output aligned and each input at the distance from it that the constants name.
    unsafe {
        match realign_units::<L>(input, out, out_aligned) {
            1 => body::<L, STREAM, Realigned<0, 1>>(input, out, i, len),
            2 => body::<L, STREAM, Realigned<0, 2>>(input, out, i, len),
            3 => body::<L, STREAM, Realigned<0, 3>>(input, out, i, len),
            4 => body::<L, STREAM, Realigned<1, 0>>(input, out, i, len),
            5 => body::<L, STREAM, Realigned<1, 1>>(input, out, i, len),
            6 => body::<L, STREAM, Realigned<1, 2>>(input, out, i, len),
            7 => body::<L, STREAM, Realigned<1, 3>>(input, out, i, len),
            8 => body::<L, STREAM, Realigned<2, 0>>(input, out, i, len),
            9 => body::<L, STREAM, Realigned<2, 1>>(input, out, i, len),
            10 => body::<L, STREAM, Realigned<2, 2>>(input, out, i, len),
            11 => body::<L, STREAM, Realigned<2, 3>>(input, out, i, len),
            12 => body::<L, STREAM, Realigned<3, 0>>(input, out, i, len),
            13 => body::<L, STREAM, Realigned<3, 1>>(input, out, i, len),
            14 => body::<L, STREAM, Realigned<3, 2>>(input, out, i, len),
            15 => body::<L, STREAM, Realigned<3, 3>>(input, out, i, len),
            _ => body::<L, STREAM, Unaligned>(input, out, i, len),
        }
    }
}

/// Where `a` and `b` start relative to the (aligned) output, as `4·units(a) + units(b)`
/// with each in 16-byte units within one register of `L::REALIGN_BYTES`: 0 (plain loads)
/// unless `L` realigns, the output is aligned, and each stream input lies a whole number
/// of 16-byte units from it. The distance is the same at every step, so the start decides
/// for the whole body.
#[inline(always)]
fn realign_units<L: Lanes>(input: L::In, out: L::Out, out_aligned: bool) -> usize {
    if L::REALIGN_BYTES == 0 || !out_aligned {
        return 0;
    }
    let out_addr = L::out_addr(out);
    // 0..4 for a stream at a whole number of 16-byte units from `out`, 0 for a broadcast
    // value, 4 (no realignment) otherwise.
    let units = |addr: Option<usize>| match addr {
        None => 0,
        Some(addr) => {
            let distance = addr.wrapping_sub(out_addr) % L::REALIGN_BYTES;
            if distance % 16 == 0 {
                distance / 16
            } else {
                4
            }
        }
    };
    let [a, b] = L::in_addrs(input);
    let (a, b) = (units(a), units(b));
    if a < 4 && b < 4 {
        4 * a + b
    } else {
        0
    }
}

/// The unrolled body from `i`, four independent steps per iteration (enough loads in flight
/// for two load ports), loading through `Ld`; returns where it stopped. With a margin
/// (`Ld::MARGIN`) it first takes one step with plain loads and stops a step early, so a
/// realigned load, which reaches up to one register before and after its step, stays
/// inside the inputs.
///
/// # Safety
/// As [`run`], `i <= len`; `Ld`'s constants describe the inputs' offsets from an aligned
/// output (see [`realign_units`]).
#[inline(always)]
unsafe fn body<L: Lanes, const STREAM: bool, Ld: Loads>(
    input: L::In,
    out: L::Out,
    mut i: usize,
    len: usize,
) -> usize {
    let lanes = L::LANES;
    let margin = if Ld::MARGIN { lanes } else { 0 };
    if Ld::MARGIN && i + 4 * lanes + 2 * margin <= len {
        // SAFETY: elements i..i + lanes are inside 0..len of every pointer.
        unsafe {
            let r = L::compute(L::load(input.advance(i)));
            store::<L, STREAM>(r, out.advance(i));
        }
        i += lanes;
    }
    // After that step (or the head), a realigned load's register before its step starts
    // at or after element 0; `margin` keeps the register after it before `len`.
    while i >= margin && i + 4 * lanes + margin <= len {
        // SAFETY: elements i..i + 4*lanes are inside 0..len of every pointer, and with a
        // margin one register more on either side. All loads of the four steps happen
        // before their stores, and each step reads its elements before writing them,
        // which keeps the in-place form (out == a) sound; a realigned input is never the
        // output (its distance from it is not zero).
        unsafe {
            let x0 = L::load_with::<Ld>(input.advance(i));
            let x1 = L::load_with::<Ld>(input.advance(i + lanes));
            let x2 = L::load_with::<Ld>(input.advance(i + 2 * lanes));
            let x3 = L::load_with::<Ld>(input.advance(i + 3 * lanes));
            let (r0, r1, r2, r3) = (
                L::compute(x0),
                L::compute(x1),
                L::compute(x2),
                L::compute(x3),
            );
            store::<L, STREAM>(r0, out.advance(i));
            store::<L, STREAM>(r1, out.advance(i + lanes));
            store::<L, STREAM>(r2, out.advance(i + 2 * lanes));
            store::<L, STREAM>(r3, out.advance(i + 3 * lanes));
        }
        i += 4 * lanes;
    }
    i
}

/// A plain store, or a streaming one. With `STREAM`, the first output was aligned by the
/// head (it always runs then) and the body advances in whole steps, so it is aligned.
///
/// # Safety
/// As [`Lanes::store`]; with `STREAM`, the first output is aligned to `OUT_STEP_BYTES`
/// and the kernel ends with `L::fence()`.
#[inline(always)]
unsafe fn store<L: Lanes, const STREAM: bool>(r: L::Computed, out: L::Out) {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        if STREAM {
            L::store_stream(r, out)
        } else {
            L::store(r, out)
        }
    }
}

/// How many elements to process one by one before the output sits on an
/// `OUT_STEP_BYTES` boundary.
///
/// Always below `L::LANES`: the output is aligned to its element size (the kernel
/// contract), and `OUT_STEP_BYTES` is `LANES` times the element size.
#[inline(always)]
fn elements_to_alignment<L: Lanes>(addr: usize) -> usize {
    let misalignment = addr % L::OUT_STEP_BYTES;
    if misalignment == 0 {
        0
    } else {
        (L::OUT_STEP_BYTES - misalignment) / L::OUT_ELEM_BYTES
    }
}
