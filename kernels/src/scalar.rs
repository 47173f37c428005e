//! The reference kernels: one multiplication per element, in index order.
//!
//! Every other kernel is tested bit for bit against these. They are plain Rust, so the
//! compiler may vectorise them for the target's baseline; that cannot change a result,
//! because IEEE multiplication of one pair is exactly rounded however it is issued.

macro_rules! scalar_mul {
    ($name:ident, $t:ty) => {
        #[doc = concat!("`out[i] = a[i] * b[i]` for `", stringify!($t), "`, one element at a time.")]
        ///
        /// # Safety
        ///
        /// The crate-level contract: `a`, `b` readable and `out` writable for `len`
        /// elements, `out` disjoint from or equal to `a` or `b`.
        pub unsafe fn $name(a: *const $t, b: *const $t, out: *mut $t, len: usize) {
            for i in 0..len {
                // SAFETY: i < len, and the caller guarantees all three pointers are valid
                // for `len` elements; `out` may equal `a` or `b`, and element i is read
                // before it is written.
                unsafe { *out.add(i) = *a.add(i) * *b.add(i) };
            }
        }
    };
}

scalar_mul!(mul_f32, f32);
scalar_mul!(mul_f64, f64);
