//! The few operations the product loop needs from a SIMD register type.
//!
//! Each instruction set implements this for its registers (`wide`'s 128-bit types in
//! `portable.rs`, `__m256`/`__m512` in the x86_64 modules); the loop in `mul.rs` is written
//! once over it. Methods are `#[inline(always)]` in every impl and never
//! `#[target_feature]` themselves: they are inlined into the one `#[target_feature]`
//! function per ISA and kernel that instantiates the loop, and get that function's features.

/// A SIMD register of `LANES` elements of type `Elem`.
///
/// # Safety
///
/// Implementors promise that `load`/`store` touch exactly `LANES` consecutive elements
/// and `mul_partial` exactly `n`, and that `mul` is the IEEE product of each lane pair.
pub(crate) unsafe trait Vector: Copy {
    /// The element type of one lane.
    type Elem: Copy + core::ops::Mul<Output = Self::Elem>;
    /// Lanes per register.
    const LANES: usize;
    /// Bytes per register: the alignment the loop brings `out` to.
    const BYTES: usize = Self::LANES * core::mem::size_of::<Self::Elem>();

    /// Loads `LANES` elements from `ptr`, which need not be aligned.
    ///
    /// # Safety
    /// `ptr` is valid for reads of `LANES` elements; the CPU has the ISA of `Self`.
    unsafe fn load(ptr: *const Self::Elem) -> Self;

    /// Stores `LANES` elements to `ptr`, which need not be aligned.
    ///
    /// # Safety
    /// `ptr` is valid for writes of `LANES` elements; the CPU has the ISA of `Self`.
    unsafe fn store(self, ptr: *mut Self::Elem);

    /// Stores `LANES` elements to `ptr`, which is aligned to `BYTES`, with a
    /// non-temporal hint: the line goes to memory without being read into the cache
    /// first. The default is [`store`](Self::store), for ISAs without such a store.
    ///
    /// # Safety
    /// `ptr` is valid for writes of `LANES` elements and aligned to `BYTES`; the CPU has
    /// the ISA of `Self`; [`stream_fence`](Self::stream_fence) runs before the kernel
    /// returns.
    #[inline(always)]
    unsafe fn store_stream(self, ptr: *mut Self::Elem) {
        // SAFETY: forwarded; an aligned pointer is also fine for an unaligned store.
        unsafe { self.store(ptr) }
    }

    /// Orders earlier non-temporal stores before every later store (`sfence` on x86), so
    /// whoever is told the kernel finished sees its results. The default does nothing.
    ///
    /// # Safety
    /// The CPU has the ISA of `Self`.
    #[inline(always)]
    unsafe fn stream_fence() {}

    /// The lane-wise IEEE product.
    ///
    /// # Safety
    /// The CPU has the ISA of `Self`.
    unsafe fn mul(self, other: Self) -> Self;

    /// `out[i] = a[i] * b[i]` for `i < n`, where `n < LANES`: the head and the tail.
    ///
    /// The default is a scalar loop, which reads and writes only the `n` elements;
    /// ISAs with masked loads and stores override it.
    ///
    /// # Safety
    /// `n < LANES`; the pointers are valid for `n` elements under the crate contract; the
    /// CPU has the ISA of `Self`.
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
