//! What an instruction set offers the operations in `ops/`: its float registers, its
//! integer register, and its half-precision conversions.
//!
//! Each ISA module (`x86_64/{sse2,avx2,avx512}.rs`, `aarch64/neon.rs`) implements these
//! for its registers; every operation is written once over them, the way pulp writes a
//! kernel once over a SIMD token. Methods are `#[inline(always)]` in every impl and never
//! `#[target_feature]`: they are inlined into the one `#[target_feature]` kernel function
//! per ISA and operation, and get that function's features.
//!
//! Every method is `unsafe` for the same reason: the CPU must have the ISA of the impl.
//! Memory methods add the pointer requirements they state.

/// An instruction set: its registers and conversions.
pub(crate) trait Isa: Copy + 'static {
    /// A register of `f32` lanes.
    type F32: FloatReg<Elem = f32>;
    /// A register of `f64` lanes.
    type F64: FloatReg<Elem = f64>;
    /// A full-width integer register.
    type Int: crate::integer::IntArith;

    /// The register size at which the element-wise loop realigns inputs that sit at
    /// another offset than the output (see `elementwise.rs`), or 0 where plain unaligned
    /// loads measured as fast (or the ISA cannot join registers at an offset).
    const REALIGN_BYTES: usize = 0;

    /// Orders earlier non-temporal stores before every later store. The default does
    /// nothing, for ISAs without non-temporal stores.
    ///
    /// # Safety
    /// The CPU has the ISA.
    #[inline(always)]
    unsafe fn fence() {}

    /// Loads `F32::LANES` IEEE binary16 values (as bits) and widens them exactly to f32,
    /// giving what `half::f16::to_f32` gives (NaNs quieted, payload kept).
    ///
    /// # Safety
    /// `ptr` is readable for `F32::LANES` elements; the CPU has the ISA.
    unsafe fn load_f16(ptr: *const u16) -> Self::F32;

    /// Rounds `F32::LANES` f32 values to binary16, nearest-even, and stores their bits:
    /// what `half::f16::from_f32` gives.
    ///
    /// # Safety
    /// `ptr` is writable for `F32::LANES` elements; the CPU has the ISA.
    unsafe fn store_f16(v: Self::F32, ptr: *mut u16);

    /// Loads `F32::LANES` bfloat16 values (as bits) and widens them exactly to f32.
    ///
    /// # Safety
    /// `ptr` is readable for `F32::LANES` elements; the CPU has the ISA.
    unsafe fn load_bf16(ptr: *const u16) -> Self::F32;

    /// Narrows `F32::LANES` lanes of 32-bit integers, each below 2^16, to 16 bits and
    /// stores them: the last step of the bfloat16 rounding in `ops/half.rs`.
    ///
    /// # Safety
    /// `ptr` is writable for `F32::LANES` elements; the CPU has the ISA.
    unsafe fn store_narrowed_u16(v: Self::Int, ptr: *mut u16);

    /// [`store_f16`](Self::store_f16) with a non-temporal store; the default is the
    /// plain store, for ISAs without one.
    ///
    /// # Safety
    /// As `store_f16`, and `ptr` is aligned to the `F32::LANES` halves it writes.
    #[inline(always)]
    unsafe fn store_f16_stream(v: Self::F32, ptr: *mut u16) {
        // SAFETY: forwarded; an aligned pointer is fine for the plain store.
        unsafe { Self::store_f16(v, ptr) }
    }

    /// [`store_narrowed_u16`](Self::store_narrowed_u16) with a non-temporal store; the
    /// default is the plain store.
    ///
    /// # Safety
    /// As `store_narrowed_u16`, and `ptr` is aligned to the `F32::LANES` halves it writes.
    #[inline(always)]
    unsafe fn store_narrowed_u16_stream(v: Self::Int, ptr: *mut u16) {
        // SAFETY: forwarded; an aligned pointer is fine for the plain store.
        unsafe { Self::store_narrowed_u16(v, ptr) }
    }

    /// The same bits as an integer register.
    ///
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn f32_bits(v: Self::F32) -> Self::Int;
}

/// A register of `LANES` floats.
pub(crate) trait FloatReg: Copy {
    /// `f32` or `f64`.
    type Elem: Copy + Default + core::ops::Mul<Output = Self::Elem>;
    /// Lanes per register.
    const LANES: usize;

    /// # Safety
    /// `ptr` is readable for `LANES` elements (any alignment); the CPU has the ISA.
    unsafe fn load(ptr: *const Self::Elem) -> Self;
    /// # Safety
    /// `ptr` is writable for `LANES` elements (any alignment); the CPU has the ISA.
    unsafe fn store(self, ptr: *mut Self::Elem);
    /// The register at `ptr`, which lies `16·units` bytes past a register boundary, built
    /// from the two aligned registers around it (no load straddles a cache line). The
    /// default is [`load`](Self::load).
    ///
    /// # Safety
    /// `ptr` is readable for `LANES` elements; with `units > 0`, the `16·units` bytes
    /// before it and the register after its aligned start are readable too, and `ptr` is
    /// `16·units` bytes past a register-aligned address. The CPU has the ISA.
    #[inline(always)]
    unsafe fn load_realigned(ptr: *const Self::Elem, units: usize) -> Self {
        let _ = units;
        // SAFETY: forwarded.
        unsafe { Self::load(ptr) }
    }
    /// A non-temporal store; the default is [`store`](Self::store).
    ///
    /// # Safety
    /// As `store`, and `ptr` is aligned to the register size.
    #[inline(always)]
    unsafe fn store_stream(self, ptr: *mut Self::Elem) {
        // SAFETY: forwarded; an aligned pointer is fine for an unaligned store.
        unsafe { self.store(ptr) }
    }
    /// Lane-wise IEEE product, sum and difference (each exactly rounded, never fused).
    ///
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn mul(self, other: Self) -> Self;
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn add(self, other: Self) -> Self;
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn sub(self, other: Self) -> Self;
    /// `self · b + c` with one rounding (fused), lane by lane: an FMA instruction where the
    /// ISA has one, a correctly rounded software FMA per lane where it does not, so every
    /// ISA gives the same bits.
    ///
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn mul_add(self, b: Self, c: Self) -> Self;

    /// Two registers of interleaved complex numbers `(re, im, re, im, ..)` as a register
    /// of real parts and one of imaginary parts, in a lane order [`interleave`] undoes.
    ///
    /// [`interleave`]: Self::interleave
    ///
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn deinterleave(x: Self, y: Self) -> (Self, Self);
    /// The inverse of [`deinterleave`](Self::deinterleave).
    ///
    /// # Safety
    /// The CPU has the ISA.
    unsafe fn interleave(re: Self, im: Self) -> (Self, Self);

    /// Elements `0..n` at `ptr`, the other lanes zero, touching nothing past `n`: a
    /// masked load where the ISA has one, else (the default) through a zeroed buffer on
    /// the stack, an element at a time.
    ///
    /// # Safety
    /// `n < LANES`; `ptr` is readable for `n` elements; the CPU has the ISA.
    #[inline(always)]
    unsafe fn load_partial(ptr: *const Self::Elem, n: usize) -> Self {
        let mut buf = [Self::Elem::default(); 16];
        // SAFETY: n < LANES <= 16 elements are readable at ptr and fit the buffer, which
        // holds a whole register.
        unsafe {
            for (k, slot) in buf.iter_mut().enumerate().take(n) {
                *slot = *ptr.add(k);
            }
            Self::load(buf.as_ptr())
        }
    }

    /// Elements `0..n` at `ptr` in lanes `lane..lane + n`, the other lanes zero, touching
    /// nothing outside the `n` elements: a masked expanding load where the ISA has one,
    /// else (the default) through a zeroed buffer on the stack.
    ///
    /// # Safety
    /// `lane + n <= LANES`; `ptr` is readable for `n` elements; the CPU has the ISA.
    #[inline(always)]
    unsafe fn load_placed(ptr: *const Self::Elem, lane: usize, n: usize) -> Self {
        let mut buf = [Self::Elem::default(); 16];
        // SAFETY: lane + n <= LANES <= 16, so the buffer holds the copied elements and a
        // whole register; n elements are readable at ptr.
        unsafe {
            for k in 0..n {
                buf[lane + k] = *ptr.add(k);
            }
            Self::load(buf.as_ptr())
        }
    }

    /// Lanes `by..by + LANES` of the row `self` then `next`: the default goes through a
    /// buffer on the stack; AVX-512 uses one two-register permute.
    ///
    /// # Safety
    /// `by < LANES`; the CPU has the ISA.
    #[inline(always)]
    unsafe fn joined_from(self, next: Self, by: usize) -> Self {
        let mut row = [Self::Elem::default(); 32];
        // SAFETY: the row holds two registers (2·LANES <= 32 elements) and the load of
        // LANES elements from by < LANES stays inside them.
        unsafe {
            self.store(row.as_mut_ptr());
            next.store(row.as_mut_ptr().add(Self::LANES));
            Self::load(row.as_ptr().add(by))
        }
    }

    /// Writes lanes `0..n` at `ptr` and nothing else; the default goes through a buffer.
    ///
    /// # Safety
    /// `n < LANES`; `ptr` is writable for `n` elements; the CPU has the ISA.
    #[inline(always)]
    unsafe fn store_partial(self, ptr: *mut Self::Elem, n: usize) {
        let mut buf = [Self::Elem::default(); 16];
        // SAFETY: the buffer holds a whole register; n elements are writable at ptr.
        unsafe {
            self.store(buf.as_mut_ptr());
            for (k, &x) in buf.iter().enumerate().take(n) {
                *ptr.add(k) = x;
            }
        }
    }

    /// `out[i] = a[i] * b[i]` for `i < n < LANES`: the real product's head and tail. The
    /// default multiplies one element at a time; ISAs with masked memory operations
    /// override it.
    ///
    /// # Safety
    /// `n < LANES`; the pointers are valid for `n` elements; the CPU has the ISA.
    #[inline(always)]
    unsafe fn mul_partial(
        a: *const Self::Elem,
        b: *const Self::Elem,
        out: *mut Self::Elem,
        n: usize,
    ) {
        for i in 0..n {
            // SAFETY: i < n and the caller guarantees validity for n elements.
            unsafe { *out.add(i) = *a.add(i) * *b.add(i) };
        }
    }
}

/// A full-width integer register and the primitive operations the integer algorithms in
/// `integer.rs` are built from. Lane widths are in the method names; shift counts are
/// constants at every call site and compile to immediate shifts.
#[allow(missing_docs)] // the names are the instruction names; see `integer.rs` for uses
pub(crate) trait IntReg: Copy {
    /// Bytes per register.
    const BYTES: usize;

    /// # Safety
    /// `ptr` is readable for `BYTES` bytes (any alignment); the CPU has the ISA.
    unsafe fn load(ptr: *const u8) -> Self;
    /// # Safety
    /// `ptr` is writable for `BYTES` bytes (any alignment); the CPU has the ISA.
    unsafe fn store(self, ptr: *mut u8);
    /// Whether [`load_partial`](Self::load_partial) and
    /// [`store_partial`](Self::store_partial) are single masked instructions; where not,
    /// the integer operations run their heads and tails one element at a time (faster
    /// than the defaults' byte-by-byte buffer, which exist so every ISA is complete).
    const MASKED: bool = false;

    /// The first `bytes` bytes at `ptr`, the other lanes zero, touching no byte past
    /// `bytes`. Only called where `MASKED`; the default reads byte by byte.
    ///
    /// # Safety
    /// `bytes < BYTES`; `ptr` is readable for `bytes` bytes; the CPU has the ISA.
    #[inline(always)]
    unsafe fn load_partial(ptr: *const u8, bytes: usize) -> Self {
        let mut buf = [0u8; 64];
        // SAFETY: bytes < BYTES <= 64 are readable from ptr and fit the buffer, which
        // holds a whole register.
        unsafe {
            for (k, slot) in buf.iter_mut().enumerate().take(bytes) {
                *slot = *ptr.add(k);
            }
            Self::load(buf.as_ptr())
        }
    }

    /// Writes the first `bytes` bytes of the register at `ptr` and nothing else. Only
    /// called where `MASKED`; the default writes byte by byte.
    ///
    /// # Safety
    /// `bytes < BYTES`; `ptr` is writable for `bytes` bytes; the CPU has the ISA.
    #[inline(always)]
    unsafe fn store_partial(self, ptr: *mut u8, bytes: usize) {
        let mut buf = [0u8; 64];
        // SAFETY: the buffer holds a whole register; bytes < 64 are writable at ptr.
        unsafe {
            self.store(buf.as_mut_ptr());
            for (k, &byte) in buf.iter().enumerate().take(bytes) {
                *ptr.add(k) = byte;
            }
        }
    }

    /// As [`FloatReg::load_realigned`]; the default is [`load`](Self::load).
    ///
    /// # Safety
    /// As [`FloatReg::load_realigned`].
    #[inline(always)]
    unsafe fn load_realigned(ptr: *const u8, units: usize) -> Self {
        let _ = units;
        // SAFETY: forwarded.
        unsafe { Self::load(ptr) }
    }
    /// A non-temporal store; the default is [`store`](Self::store).
    ///
    /// # Safety
    /// As `store`, and `ptr` is aligned to `BYTES`.
    #[inline(always)]
    unsafe fn store_stream(self, ptr: *mut u8) {
        // SAFETY: forwarded; an aligned pointer is fine for an unaligned store.
        unsafe { self.store(ptr) }
    }

    unsafe fn splat16(x: u16) -> Self;
    unsafe fn splat32(x: u32) -> Self;
    unsafe fn splat64(x: u64) -> Self;
    unsafe fn and(self, o: Self) -> Self;
    unsafe fn or(self, o: Self) -> Self;
    unsafe fn xor(self, o: Self) -> Self;
    unsafe fn add8(self, o: Self) -> Self;
    unsafe fn add16(self, o: Self) -> Self;
    unsafe fn add32(self, o: Self) -> Self;
    unsafe fn add64(self, o: Self) -> Self;
    unsafe fn sub32(self, o: Self) -> Self;
    unsafe fn sub64(self, o: Self) -> Self;
    unsafe fn shl16(self, n: u32) -> Self;
    unsafe fn shr16(self, n: u32) -> Self;
    unsafe fn sar16(self, n: u32) -> Self;
    unsafe fn shl32(self, n: u32) -> Self;
    unsafe fn shr32(self, n: u32) -> Self;
    unsafe fn sar32(self, n: u32) -> Self;
    unsafe fn shl64(self, n: u32) -> Self;
    unsafe fn shr64(self, n: u32) -> Self;
    /// Low 16 bits of each 16-bit product.
    unsafe fn mullo16(self, o: Self) -> Self;
    /// High 16 bits of each unsigned 16-bit product.
    unsafe fn mulhi_u16(self, o: Self) -> Self;
    /// High 16 bits of each signed 16-bit product.
    unsafe fn mulhi_i16(self, o: Self) -> Self;
    /// Low 32 bits of each 32-bit product.
    unsafe fn mullo32(self, o: Self) -> Self;
    /// The full 64-bit product of the low 32 bits of each 64-bit lane (`pmuludq`).
    unsafe fn mul_u32_wide(self, o: Self) -> Self;
    /// All ones in each lane where equal, else zero.
    unsafe fn eq16(self, o: Self) -> Self;
    unsafe fn eq32(self, o: Self) -> Self;
    unsafe fn eq64(self, o: Self) -> Self;
    /// All ones in each lane where `self > o` as signed 32-bit integers.
    unsafe fn gt_i32(self, o: Self) -> Self;
    unsafe fn min_i16(self, o: Self) -> Self;
    unsafe fn max_i16(self, o: Self) -> Self;
    /// All ones in each 64-bit lane whose sign bit is set, else zero.
    unsafe fn sign64(self) -> Self;
    /// Each 32-bit lane as an `i32`, converted to the nearest `f32` (bits).
    unsafe fn i32_to_f32(self) -> Self;
    /// Lane-wise IEEE sum and product of the lanes' bits read as `f32`.
    unsafe fn f32_add(self, o: Self) -> Self;
    unsafe fn f32_mul(self, o: Self) -> Self;

    /// `mask ? a : b` bit by bit.
    #[inline(always)]
    unsafe fn select(mask: Self, a: Self, b: Self) -> Self {
        // SAFETY: forwarded (the CPU has the ISA).
        unsafe { mask.and(a).or(mask.not().and(b)) }
    }
    /// Every bit flipped.
    #[inline(always)]
    unsafe fn not(self) -> Self {
        // SAFETY: forwarded (the CPU has the ISA).
        unsafe { self.xor(Self::splat32(u32::MAX)) }
    }
    #[inline(always)]
    unsafe fn zero() -> Self {
        // SAFETY: forwarded (the CPU has the ISA).
        unsafe { Self::splat32(0) }
    }
}
