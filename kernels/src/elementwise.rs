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
}

impl<T> Source<T> for *const T {
    #[inline(always)]
    fn ptr(self) -> *const T {
        self
    }
}

/// A buffer of at least [`REPEAT`](crate::REPEAT) copies of one value that every step reads again: the
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

    /// Loads one step's inputs (any alignment).
    ///
    /// # Safety
    /// Each input is readable for `LANES` elements; the CPU has the ISA.
    unsafe fn load(input: Self::In) -> Self::Loaded;

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

    if STREAM || len >= HEAD_MIN_STEPS * lanes {
        let head = elements_to_alignment::<L>(L::out_addr(out)).min(len);
        // Skipped when already aligned: even an empty masked operation costs cycles.
        if head > 0 {
            // SAFETY: head < LANES and head <= len, so it is inside every range.
            unsafe { L::partial(input, out, head) };
            i = head;
        }
    }

    while i + 4 * lanes <= len {
        // SAFETY: elements i..i + 4*lanes are inside 0..len of every pointer. All loads of
        // the four steps happen before their stores, and each step reads its elements
        // before writing them, which keeps the in-place form (out == a) sound.
        unsafe {
            let x0 = L::load(input.advance(i));
            let x1 = L::load(input.advance(i + lanes));
            let x2 = L::load(input.advance(i + 2 * lanes));
            let x3 = L::load(input.advance(i + 3 * lanes));
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
