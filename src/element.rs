//! The element types the crate multiplies, and which kernel serves each operation on each.
//!
//! Every type maps to a kernel-level representation with the same layout (`i8` and `u8`
//! to `u8`, `Complex<f32>` to `[f32; 2]`, `f16` and `bf16` to their `u16` bits, ...), and
//! holds, per operation, a table of kernels indexed by `Kernel as usize`: choosing a kernel
//! costs one load, not a branch. Kernels of another architecture hold the scalar
//! functions; they are never chosen, since only available kernels are.

use crate::Kernel;
use core::mem::{align_of, size_of};
use hadamard_kernels::{self as k, BinaryFn, SplitFn, SumFn, TernaryFn};

/// One kernel's function for one operation: with normal stores, and with streaming
/// (non-temporal) stores where the ISA and operation have them (the same function where
/// they do not).
pub struct KernelPair<F> {
    pub(crate) plain: F,
    pub(crate) stream: F,
}

impl<F: Copy> Clone for KernelPair<F> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<F: Copy> Copy for KernelPair<F> {}

/// Every kernel's pair for one operation, in the order of [`Kernel::ALL`].
pub type KernelTable<F> = [KernelPair<F>; Kernel::ALL.len()];

/// Lists the kernels named `$plain` (and `$stream`) of every ISA module in table order.
macro_rules! table {
    ($plain:ident, $stream:ident) => {{
        const fn pair<F: Copy>(plain: F, stream: F) -> KernelPair<F> {
            KernelPair { plain, stream }
        }
        // Plain Rust has no streaming store.
        let scalar = pair(k::scalar::$plain as _, k::scalar::$plain as _);
        [
            scalar,
            #[cfg(target_arch = "x86_64")]
            pair(k::x86_64::sse2::$plain as _, k::x86_64::sse2::$stream as _),
            #[cfg(not(target_arch = "x86_64"))]
            scalar,
            #[cfg(target_arch = "x86_64")]
            pair(k::x86_64::avx2::$plain as _, k::x86_64::avx2::$stream as _),
            #[cfg(not(target_arch = "x86_64"))]
            scalar,
            #[cfg(target_arch = "x86_64")]
            pair(
                k::x86_64::avx512::$plain as _,
                k::x86_64::avx512::$stream as _,
            ),
            #[cfg(not(target_arch = "x86_64"))]
            scalar,
            #[cfg(target_arch = "aarch64")]
            pair(
                k::aarch64::neon::$plain as _,
                k::aarch64::neon::$stream as _,
            ),
            #[cfg(not(target_arch = "aarch64"))]
            scalar,
        ]
    }};
    ($plain:ident) => {
        table!($plain, $plain)
    };
}

/// A type the crate multiplies element-wise: `f32`, `f64`, the eight primitive integers,
/// `Complex<f32>` and `Complex<f64>` (feature `complex`), `half::f16` and `half::bf16`
/// (feature `half`).
///
/// | type | `mul_elementwise` gives | other operations |
/// |---|---|---|
/// | `f32`, `f64` | the IEEE product, exactly rounded | [`mul_split_complex`](crate::mul_split_complex) |
/// | `i8` … `u64` | `wrapping_mul` | [`mul_elementwise_saturating`](crate::mul_elementwise_saturating); `u8`: [`mul_normalized_u8`](crate::mul_normalized_u8) |
/// | `Complex<f32>`, `Complex<f64>` | `(ar·br − ai·bi, ar·bi + ai·br)` | [`mul_conj_elementwise`](crate::mul_conj_elementwise) |
/// | `f16`, `bf16` | `half`'s `*`: f32 product rounded once | [`mul_elementwise_widen`](crate::mul_elementwise_widen) |
///
/// Every kernel gives the same bits for every type and operation (see the crate docs).
/// Sealed: each type needs kernels for every ISA, which outside code could not supply.
pub trait Element:
    private::Sealed + Copy + Send + Sync + PartialEq + core::fmt::Debug + 'static
{
}

/// An integer type: [`mul_elementwise_saturating`](crate::mul_elementwise_saturating).
pub trait Integer: Accumulate + private::SealedInteger {}

/// A type with sums: [`mul_add`](crate::mul_add), [`mul_add_assign`](crate::mul_add_assign)
/// and [`hadamard_sum`](crate::hadamard_sum) — the reals, the integers (wrapping) and the
/// complex types. (Not `f16`/`bf16`: accumulate their products in f32 with
/// [`mul_elementwise_widen`](crate::mul_elementwise_widen) instead.)
pub trait Accumulate: Element + private::SealedAccumulate {}

/// `f32` or `f64`: the component type of [`mul_split_complex`](crate::mul_split_complex), and
/// the types of [`mul_add_fused`](crate::mul_add_fused).
pub trait Real: Accumulate + private::SealedReal {}

/// `Complex<f32>` or `Complex<f64>`: [`mul_conj_elementwise`](crate::mul_conj_elementwise).
#[cfg(feature = "complex")]
pub trait ComplexElement: Accumulate + private::SealedComplex {}

/// `f16` or `bf16`: [`mul_elementwise_widen`](crate::mul_elementwise_widen).
#[cfg(feature = "half")]
pub trait HalfElement: Element + private::SealedHalf {}

pub(crate) mod private {
    use super::*;

    pub trait Sealed: Copy + Send + Sync + Sized + 'static {
        /// The kernels' view of this type: same size and alignment.
        type Repr: Copy + Send + Sync + 'static;
        /// `out = a ⊙ b`.
        const MUL: KernelTable<BinaryFn<Self::Repr, Self::Repr, Self::Repr>>;
        /// `out = s · a`, with `b` pointing at `s`.
        const SCALE: KernelTable<BinaryFn<Self::Repr, Self::Repr, Self::Repr>>;
    }

    pub trait SealedAccumulate: Sealed {
        /// `out = a ⊙ b + c`.
        const MUL_ADD: KernelTable<TernaryFn<Self::Repr>>;
        /// `Σ a ⊙ b`.
        const SUM: KernelTable<SumFn<Self::Repr, Self::Repr>>;
        /// The sum of two partial sums (how the parallel reduction joins halves).
        fn add(x: Self::Repr, y: Self::Repr) -> Self::Repr;
    }

    pub trait SealedInteger: Sealed {
        const SATURATING: KernelTable<BinaryFn<Self, Self, Self>>;
    }

    pub trait SealedReal: Sealed {
        const MUL_ADD_FUSED: KernelTable<TernaryFn<Self>>;
        const SPLIT_MUL: KernelTable<SplitFn<Self>>;
        const SPLIT_MUL_CONJ: KernelTable<SplitFn<Self>>;
    }

    #[cfg(feature = "complex")]
    pub trait SealedComplex: Sealed {
        const MUL_CONJ: KernelTable<BinaryFn<Self::Repr, Self::Repr, Self::Repr>>;
        const MUL_CONJ_ADD: KernelTable<TernaryFn<Self::Repr>>;
        const SUM_CONJ: KernelTable<SumFn<Self::Repr, Self::Repr>>;
    }

    #[cfg(feature = "half")]
    pub trait SealedHalf: Sealed<Repr = u16> {
        const WIDEN: KernelTable<BinaryFn<u16, u16, f32>>;
    }
}

/// Proof, checked at compile time for each type that uses it, that `T` and `R` have the
/// same size and alignment, so a `*const T` may be read as a `*const R`.
pub(crate) struct SameLayout<T, R>(core::marker::PhantomData<(T, R)>);

impl<T, R> SameLayout<T, R> {
    pub(crate) const PROOF: () =
        assert!(size_of::<T>() == size_of::<R>() && align_of::<T>() == align_of::<R>());
}

/// `p` as a pointer to the kernels' representation.
#[inline(always)]
pub(crate) fn repr<T: Element>(p: *const T) -> *const T::Repr {
    let () = SameLayout::<T, T::Repr>::PROOF;
    p.cast()
}

/// `x` as the kernels' representation.
#[inline(always)]
pub(crate) fn to_repr<T: Element>(x: T) -> T::Repr {
    let () = SameLayout::<T, T::Repr>::PROOF;
    // SAFETY: same size and alignment (the proof above), and every representation type is
    // plain data (integers, floats, arrays of them) valid for any bits.
    unsafe { core::mem::transmute_copy(&x) }
}

/// A value of the kernels' representation as `T`.
#[inline(always)]
pub(crate) fn from_repr<T: Element>(x: T::Repr) -> T {
    let () = SameLayout::<T, T::Repr>::PROOF;
    // SAFETY: same size and alignment, and every element type is plain data valid for any
    // bits of its representation (an integer of either sign, a float, a pair of floats,
    // the bits of a half).
    unsafe { core::mem::transmute_copy(&x) }
}

/// `p` as a mutable pointer to the kernels' representation.
#[inline(always)]
pub(crate) fn repr_mut<T: Element>(p: *mut T) -> *mut T::Repr {
    let () = SameLayout::<T, T::Repr>::PROOF;
    p.cast()
}

/// `Element` for `$t` viewed as `$repr`: `$mul` (and `$mul_stream`), `$scale` (and
/// `$scale_stream`).
macro_rules! element {
    ($t:ty, $repr:ty, [$mul:ident, $mul_stream:ident], [$scale:ident, $scale_stream:ident]) => {
        impl Element for $t {}
        impl private::Sealed for $t {
            type Repr = $repr;
            const MUL: KernelTable<BinaryFn<$repr, $repr, $repr>> = table!($mul, $mul_stream);
            const SCALE: KernelTable<BinaryFn<$repr, $repr, $repr>> = table!($scale, $scale_stream);
        }
    };
}

/// `Accumulate` for `$t` (viewed as `$repr`).
macro_rules! accumulate {
    ($t:ty, $repr:ty, [$mul_add:ident, $mul_add_stream:ident], $sum:ident, $add:expr) => {
        impl Accumulate for $t {}
        impl private::SealedAccumulate for $t {
            const MUL_ADD: KernelTable<TernaryFn<$repr>> = table!($mul_add, $mul_add_stream);
            const SUM: KernelTable<SumFn<$repr, $repr>> = table!($sum);
            #[inline]
            fn add(x: $repr, y: $repr) -> $repr {
                $add(x, y)
            }
        }
    };
}

/// One integer type: its wrapping kernels are those of its width, shared by the
/// signed and unsigned types, its saturating ones its own.
macro_rules! integer {
    ($t:ty, $repr:ty, 8, [$sat:ident, $sat_stream:ident]) => {
        integer_with!(
            $t,
            $repr,
            $sat,
            $sat_stream,
            mul_wrapping8,
            mul_wrapping8_stream,
            scale_wrapping8,
            scale_wrapping8_stream,
            mul_add_wrapping8,
            mul_add_wrapping8_stream,
            sum_wrapping8
        );
    };
    ($t:ty, $repr:ty, 16, [$sat:ident, $sat_stream:ident]) => {
        integer_with!(
            $t,
            $repr,
            $sat,
            $sat_stream,
            mul_wrapping16,
            mul_wrapping16_stream,
            scale_wrapping16,
            scale_wrapping16_stream,
            mul_add_wrapping16,
            mul_add_wrapping16_stream,
            sum_wrapping16
        );
    };
    ($t:ty, $repr:ty, 32, [$sat:ident, $sat_stream:ident]) => {
        integer_with!(
            $t,
            $repr,
            $sat,
            $sat_stream,
            mul_wrapping32,
            mul_wrapping32_stream,
            scale_wrapping32,
            scale_wrapping32_stream,
            mul_add_wrapping32,
            mul_add_wrapping32_stream,
            sum_wrapping32
        );
    };
    ($t:ty, $repr:ty, 64, [$sat:ident, $sat_stream:ident]) => {
        integer_with!(
            $t,
            $repr,
            $sat,
            $sat_stream,
            mul_wrapping64,
            mul_wrapping64_stream,
            scale_wrapping64,
            scale_wrapping64_stream,
            mul_add_wrapping64,
            mul_add_wrapping64_stream,
            sum_wrapping64
        );
    };
}

macro_rules! integer_with {
    ($t:ty, $repr:ty, $sat:ident, $sat_stream:ident, $mul:ident, $mul_stream:ident,
     $scale:ident, $scale_stream:ident, $mul_add:ident, $mul_add_stream:ident, $sum:ident) => {
        element!($t, $repr, [$mul, $mul_stream], [$scale, $scale_stream]);
        accumulate!(
            $t,
            $repr,
            [$mul_add, $mul_add_stream],
            $sum,
            <$repr>::wrapping_add
        );
        impl Integer for $t {}
        impl private::SealedInteger for $t {
            const SATURATING: KernelTable<BinaryFn<$t, $t, $t>> = table!($sat, $sat_stream);
        }
    };
}

element!(
    f32,
    f32,
    [mul_f32, mul_f32_stream],
    [scale_f32, scale_f32_stream]
);
element!(
    f64,
    f64,
    [mul_f64, mul_f64_stream],
    [scale_f64, scale_f64_stream]
);
accumulate!(
    f32,
    f32,
    [mul_add_f32, mul_add_f32_stream],
    sum_f32,
    |x: f32, y: f32| x + y
);
accumulate!(
    f64,
    f64,
    [mul_add_f64, mul_add_f64_stream],
    sum_f64,
    |x: f64, y: f64| x + y
);

impl Real for f32 {}
impl private::SealedReal for f32 {
    const MUL_ADD_FUSED: KernelTable<TernaryFn<f32>> =
        table!(mul_add_fused_f32, mul_add_fused_f32_stream);
    const SPLIT_MUL: KernelTable<SplitFn<f32>> =
        table!(mul_split_complex_f32, mul_split_complex_f32_stream);
    const SPLIT_MUL_CONJ: KernelTable<SplitFn<f32>> = table!(
        mul_conj_split_complex_f32,
        mul_conj_split_complex_f32_stream
    );
}
impl Real for f64 {}
impl private::SealedReal for f64 {
    const MUL_ADD_FUSED: KernelTable<TernaryFn<f64>> =
        table!(mul_add_fused_f64, mul_add_fused_f64_stream);
    const SPLIT_MUL: KernelTable<SplitFn<f64>> =
        table!(mul_split_complex_f64, mul_split_complex_f64_stream);
    const SPLIT_MUL_CONJ: KernelTable<SplitFn<f64>> = table!(
        mul_conj_split_complex_f64,
        mul_conj_split_complex_f64_stream
    );
}

integer!(u8, u8, 8, [mul_saturating_u8, mul_saturating_u8_stream]);
integer!(i8, u8, 8, [mul_saturating_i8, mul_saturating_i8_stream]);
integer!(
    u16,
    u16,
    16,
    [mul_saturating_u16, mul_saturating_u16_stream]
);
integer!(
    i16,
    u16,
    16,
    [mul_saturating_i16, mul_saturating_i16_stream]
);
integer!(
    u32,
    u32,
    32,
    [mul_saturating_u32, mul_saturating_u32_stream]
);
integer!(
    i32,
    u32,
    32,
    [mul_saturating_i32, mul_saturating_i32_stream]
);
integer!(
    u64,
    u64,
    64,
    [mul_saturating_u64, mul_saturating_u64_stream]
);
integer!(
    i64,
    u64,
    64,
    [mul_saturating_i64, mul_saturating_i64_stream]
);

#[cfg(feature = "complex")]
mod complex {
    use super::*;
    use num_complex::Complex;

    macro_rules! complex {
        ($f:ty, $mul:ident, $mul_stream:ident, $scale:ident, $scale_stream:ident,
         $mul_add:ident, $mul_add_stream:ident, $sum:ident,
         $conj:ident, $conj_stream:ident, $conj_add:ident, $conj_add_stream:ident,
         $sum_conj:ident) => {
            element!(
                Complex<$f>,
                [$f; 2],
                [$mul, $mul_stream],
                [$scale, $scale_stream]
            );
            accumulate!(
                Complex<$f>,
                [$f; 2],
                [$mul_add, $mul_add_stream],
                $sum,
                |x: [$f; 2], y: [$f; 2]| [x[0] + y[0], x[1] + y[1]]
            );
            impl ComplexElement for Complex<$f> {}
            impl private::SealedComplex for Complex<$f> {
                const MUL_CONJ: KernelTable<BinaryFn<[$f; 2], [$f; 2], [$f; 2]>> =
                    table!($conj, $conj_stream);
                const MUL_CONJ_ADD: KernelTable<TernaryFn<[$f; 2]>> =
                    table!($conj_add, $conj_add_stream);
                const SUM_CONJ: KernelTable<SumFn<[$f; 2], [$f; 2]>> = table!($sum_conj);
            }
        };
    }

    complex!(
        f32,
        mul_complex_f32,
        mul_complex_f32_stream,
        scale_complex_f32,
        scale_complex_f32_stream,
        mul_add_complex_f32,
        mul_add_complex_f32_stream,
        sum_complex_f32,
        mul_conj_complex_f32,
        mul_conj_complex_f32_stream,
        mul_conj_add_complex_f32,
        mul_conj_add_complex_f32_stream,
        sum_conj_complex_f32
    );
    complex!(
        f64,
        mul_complex_f64,
        mul_complex_f64_stream,
        scale_complex_f64,
        scale_complex_f64_stream,
        mul_add_complex_f64,
        mul_add_complex_f64_stream,
        sum_complex_f64,
        mul_conj_complex_f64,
        mul_conj_complex_f64_stream,
        mul_conj_add_complex_f64,
        mul_conj_add_complex_f64_stream,
        sum_conj_complex_f64
    );
}

#[cfg(feature = "half")]
mod halves {
    use super::*;
    use half::{bf16, f16};

    macro_rules! half {
        ($t:ty, $mul:ident, $mul_stream:ident, $scale:ident, $scale_stream:ident,
         $widen:ident, $widen_stream:ident) => {
            element!($t, u16, [$mul, $mul_stream], [$scale, $scale_stream]);
            impl HalfElement for $t {}
            impl private::SealedHalf for $t {
                const WIDEN: KernelTable<BinaryFn<u16, u16, f32>> = table!($widen, $widen_stream);
            }
        };
    }

    half!(
        f16,
        mul_f16,
        mul_f16_stream,
        scale_f16,
        scale_f16_stream,
        mul_widen_f16,
        mul_widen_f16_stream
    );
    half!(
        bf16,
        mul_bf16,
        mul_bf16_stream,
        scale_bf16,
        scale_bf16_stream,
        mul_widen_bf16,
        mul_widen_bf16_stream
    );
}

/// The kernels of `mul_normalized_u8`.
pub(crate) const NORMALIZED_U8: KernelTable<BinaryFn<u8, u8, u8>> =
    table!(mul_normalized_u8, mul_normalized_u8_stream);

#[cfg(test)]
mod tests {
    use super::private::Sealed;
    use super::*;
    use std::ptr::fn_addr_eq;

    #[test]
    fn the_tables_are_in_the_order_of_kernel_all() {
        // Each available kernel's entry must be that kernel's function.
        assert_eq!(Kernel::ALL.map(|k| k as usize), [0, 1, 2, 3, 4]);
        let plain = |kernel: Kernel| f32::MUL[kernel as usize].plain;
        assert!(fn_addr_eq(
            plain(Kernel::Scalar),
            k::scalar::mul_f32 as BinaryFn<f32, f32, f32>
        ));
        #[cfg(target_arch = "x86_64")]
        {
            use k::x86_64::{avx2, avx512, sse2};
            assert!(fn_addr_eq(
                plain(Kernel::Sse2),
                sse2::mul_f32 as BinaryFn<f32, f32, f32>
            ));
            assert!(fn_addr_eq(
                plain(Kernel::Avx2),
                avx2::mul_f32 as BinaryFn<f32, f32, f32>
            ));
            assert!(fn_addr_eq(
                plain(Kernel::Avx512),
                avx512::mul_f32 as BinaryFn<f32, f32, f32>
            ));
            let stream = f64::MUL[Kernel::Avx512 as usize].stream;
            assert!(fn_addr_eq(
                stream,
                avx512::mul_f64_stream as BinaryFn<f64, f64, f64>
            ));
            let sat = <i16 as private::SealedInteger>::SATURATING[Kernel::Avx2 as usize].plain;
            assert!(fn_addr_eq(
                sat,
                avx2::mul_saturating_i16 as BinaryFn<i16, i16, i16>
            ));
        }
    }
}
