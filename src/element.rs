//! The element types the crate multiplies, and which kernel table serves each operation
//! on each.
//!
//! Every type maps to a kernel-level representation with the same layout (`i8` and `u8`
//! to `u8`, `Complex<f32>` to `[f32; 2]`, `f16` and `bf16` to their `u16` bits, ...),
//! cast with bytemuck (both sides are plain data), and names, per operation, the kernels
//! crate's table for that representation: choosing the ISA is then one index into it.

use hadamard_kernels::tables::{self as t, Binary, Quaternary, Scale, Split, Sum, Ternary};

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

/// A type with sums: [`mul_then_add`](crate::mul_then_add), [`mul_then_add_assign`](crate::mul_then_add_assign),
/// [`mul_then_add_mul`](crate::mul_then_add_mul) and [`hadamard_sum`](crate::hadamard_sum) — the reals, the integers (wrapping) and the
/// complex types. (Not `f16`/`bf16`: accumulate their products in f32 with
/// [`mul_elementwise_widen`](crate::mul_elementwise_widen) instead.)
pub trait Accumulate: Element + private::SealedAccumulate {}

/// `f32` or `f64`: the component type of [`mul_split_complex`](crate::mul_split_complex), and
/// the types of [`mul_add`](crate::mul_add) and [`blend`](crate::blend).
pub trait Real: Accumulate + private::SealedReal {}

/// `u8` read as a fraction of 255 (what graphics APIs call UNORM8: 0 is 0.0, 255 is 1.0):
/// the type of [`mul_normalized_u8`](crate::mul_normalized_u8) and
/// [`blend_normalized_u8`](crate::blend_normalized_u8), named as a bound so the
/// integrations' generic forms of them take `u8` arrays and nothing else.
pub trait Unorm8: Integer + private::SealedUnorm8 {}

/// `Complex<f32>` or `Complex<f64>`: [`mul_conj_elementwise`](crate::mul_conj_elementwise).
#[cfg(feature = "complex")]
#[cfg_attr(docsrs, doc(cfg(feature = "complex")))]
pub trait ComplexElement: Accumulate + private::SealedComplex {}

/// `f16` or `bf16`: [`mul_elementwise_widen`](crate::mul_elementwise_widen).
#[cfg(feature = "half")]
#[cfg_attr(docsrs, doc(cfg(feature = "half")))]
pub trait HalfElement: Element + private::SealedHalf {}

pub(crate) mod private {
    use super::*;

    // `Debug + PartialEq` with `Pod` make every element an nalgebra `Scalar`.
    pub trait Sealed: bytemuck::Pod + Send + Sync + core::fmt::Debug + PartialEq {
        /// The kernels' view of this type: same size and alignment, plain data.
        type Repr: bytemuck::Pod + Send + Sync;
        /// `out = a ⊙ b`.
        const MUL: &'static Binary<Self::Repr, Self::Repr, Self::Repr>;
        /// `out = s · a`.
        const SCALE: &'static Scale<Self::Repr>;
    }

    pub trait SealedAccumulate: Sealed {
        /// `out = a ⊙ b + c`.
        const MUL_THEN_ADD: &'static Ternary<Self::Repr>;
        /// `Σ a ⊙ b`.
        const SUM: &'static Sum<Self::Repr, Self::Repr>;
        /// `out = a ⊙ b + c ⊙ d`.
        const MUL_THEN_ADD_MUL: &'static Quaternary<Self::Repr>;
    }

    pub trait SealedInteger: Sealed {
        const SATURATING: &'static Binary<Self, Self, Self>;
    }

    pub trait SealedReal: Sealed {
        const MUL_ADD: &'static Ternary<Self>;
        /// `out = w ⊙ a + (1 − w) ⊙ b`, inputs `[a, b, w]`.
        const BLEND: &'static Ternary<Self>;
        const SPLIT_MUL: &'static Split<Self>;
        const SPLIT_MUL_CONJ: &'static Split<Self>;
    }

    pub trait SealedUnorm8: Sealed<Repr = u8> {}

    #[cfg(feature = "complex")]
    pub trait SealedComplex: Sealed {
        const MUL_CONJ: &'static Binary<Self::Repr, Self::Repr, Self::Repr>;
        const MUL_CONJ_ADD: &'static Ternary<Self::Repr>;
        const SUM_CONJ: &'static Sum<Self::Repr, Self::Repr>;
    }

    #[cfg(feature = "half")]
    pub trait SealedHalf: Sealed<Repr = u16> {
        const WIDEN: &'static Binary<u16, u16, f32>;
    }
}

/// A slice as the kernels' representation (same size and alignment: a free cast).
#[inline(always)]
pub(crate) fn repr<T: Element>(s: &[T]) -> &[T::Repr] {
    bytemuck::cast_slice(s)
}

/// A mutable slice as the kernels' representation.
#[inline(always)]
pub(crate) fn repr_mut<T: Element>(s: &mut [T]) -> &mut [T::Repr] {
    bytemuck::cast_slice_mut(s)
}

/// A value as the kernels' representation.
#[inline(always)]
pub(crate) fn to_repr<T: Element>(x: T) -> T::Repr {
    bytemuck::cast(x)
}

/// A value of the kernels' representation as `T`.
#[inline(always)]
pub(crate) fn from_repr<T: Element>(x: T::Repr) -> T {
    bytemuck::cast(x)
}

/// `Element` for `$t` viewed as `$repr`, with its product and scaling tables.
macro_rules! element {
    ($t:ty, $repr:ty, $mul:ident, $scale:ident) => {
        impl Element for $t {}
        impl private::Sealed for $t {
            type Repr = $repr;
            const MUL: &'static Binary<$repr, $repr, $repr> = &t::$mul;
            const SCALE: &'static Scale<$repr> = &t::$scale;
        }
    };
}

/// `Accumulate` for `$t` (viewed as `$repr`).
macro_rules! accumulate {
    ($t:ty, $repr:ty, $mul_then_add:ident, $sum:ident, $mul_then_add_mul:ident) => {
        impl Accumulate for $t {}
        impl private::SealedAccumulate for $t {
            const MUL_THEN_ADD: &'static Ternary<$repr> = &t::$mul_then_add;
            const SUM: &'static Sum<$repr, $repr> = &t::$sum;
            const MUL_THEN_ADD_MUL: &'static Quaternary<$repr> = &t::$mul_then_add_mul;
        }
    };
}

/// One integer type: its wrapping kernels are those of its width (`$repr`), shared by
/// the signed and unsigned types, its saturating ones its own.
macro_rules! integer {
    ($t:ty, $repr:ty, $mul:ident, $scale:ident, $mul_then_add:ident, $sum:ident, $sat:ident,
     $mul_then_add_mul:ident) => {
        element!($t, $repr, $mul, $scale);
        accumulate!($t, $repr, $mul_then_add, $sum, $mul_then_add_mul);
        impl Integer for $t {}
        impl private::SealedInteger for $t {
            const SATURATING: &'static Binary<$t, $t, $t> = &t::$sat;
        }
    };
}

element!(f32, f32, MUL_F32, SCALE_F32);
element!(f64, f64, MUL_F64, SCALE_F64);
accumulate!(f32, f32, MUL_THEN_ADD_F32, SUM_F32, MUL_THEN_ADD_MUL_F32);
accumulate!(f64, f64, MUL_THEN_ADD_F64, SUM_F64, MUL_THEN_ADD_MUL_F64);

/// `Real` for `$t`: the fused multiply-add and the split complex products.
macro_rules! real {
    ($t:ty, $fused:ident, $blend:ident, $split:ident, $split_conj:ident) => {
        impl Real for $t {}
        impl private::SealedReal for $t {
            const MUL_ADD: &'static Ternary<$t> = &t::$fused;
            const BLEND: &'static Ternary<$t> = &t::$blend;
            const SPLIT_MUL: &'static Split<$t> = &t::$split;
            const SPLIT_MUL_CONJ: &'static Split<$t> = &t::$split_conj;
        }
    };
}

real!(
    f32,
    MUL_ADD_F32,
    BLEND_F32,
    MUL_SPLIT_COMPLEX_F32,
    MUL_CONJ_SPLIT_COMPLEX_F32
);
real!(
    f64,
    MUL_ADD_F64,
    BLEND_F64,
    MUL_SPLIT_COMPLEX_F64,
    MUL_CONJ_SPLIT_COMPLEX_F64
);

integer!(
    u8,
    u8,
    MUL_WRAPPING8,
    SCALE_WRAPPING8,
    MUL_THEN_ADD_WRAPPING8,
    SUM_WRAPPING8,
    MUL_SATURATING_U8,
    MUL_THEN_ADD_MUL_WRAPPING8
);
integer!(
    i8,
    u8,
    MUL_WRAPPING8,
    SCALE_WRAPPING8,
    MUL_THEN_ADD_WRAPPING8,
    SUM_WRAPPING8,
    MUL_SATURATING_I8,
    MUL_THEN_ADD_MUL_WRAPPING8
);
integer!(
    u16,
    u16,
    MUL_WRAPPING16,
    SCALE_WRAPPING16,
    MUL_THEN_ADD_WRAPPING16,
    SUM_WRAPPING16,
    MUL_SATURATING_U16,
    MUL_THEN_ADD_MUL_WRAPPING16
);
integer!(
    i16,
    u16,
    MUL_WRAPPING16,
    SCALE_WRAPPING16,
    MUL_THEN_ADD_WRAPPING16,
    SUM_WRAPPING16,
    MUL_SATURATING_I16,
    MUL_THEN_ADD_MUL_WRAPPING16
);
integer!(
    u32,
    u32,
    MUL_WRAPPING32,
    SCALE_WRAPPING32,
    MUL_THEN_ADD_WRAPPING32,
    SUM_WRAPPING32,
    MUL_SATURATING_U32,
    MUL_THEN_ADD_MUL_WRAPPING32
);
integer!(
    i32,
    u32,
    MUL_WRAPPING32,
    SCALE_WRAPPING32,
    MUL_THEN_ADD_WRAPPING32,
    SUM_WRAPPING32,
    MUL_SATURATING_I32,
    MUL_THEN_ADD_MUL_WRAPPING32
);
integer!(
    u64,
    u64,
    MUL_WRAPPING64,
    SCALE_WRAPPING64,
    MUL_THEN_ADD_WRAPPING64,
    SUM_WRAPPING64,
    MUL_SATURATING_U64,
    MUL_THEN_ADD_MUL_WRAPPING64
);
integer!(
    i64,
    u64,
    MUL_WRAPPING64,
    SCALE_WRAPPING64,
    MUL_THEN_ADD_WRAPPING64,
    SUM_WRAPPING64,
    MUL_SATURATING_I64,
    MUL_THEN_ADD_MUL_WRAPPING64
);

impl Unorm8 for u8 {}
impl private::SealedUnorm8 for u8 {}

#[cfg(feature = "complex")]
mod complex {
    use super::*;
    use num_complex::Complex;

    macro_rules! complex {
        ($f:ty, $mul:ident, $scale:ident, $mul_then_add:ident, $sum:ident,
         $conj:ident, $conj_add:ident, $sum_conj:ident, $mul_then_add_mul:ident) => {
            element!(Complex<$f>, [$f; 2], $mul, $scale);
            accumulate!(Complex<$f>, [$f; 2], $mul_then_add, $sum, $mul_then_add_mul);
            impl ComplexElement for Complex<$f> {}
            impl private::SealedComplex for Complex<$f> {
                const MUL_CONJ: &'static Binary<[$f; 2], [$f; 2], [$f; 2]> = &t::$conj;
                const MUL_CONJ_ADD: &'static Ternary<[$f; 2]> = &t::$conj_add;
                const SUM_CONJ: &'static Sum<[$f; 2], [$f; 2]> = &t::$sum_conj;
            }
        };
    }

    complex!(
        f32,
        MUL_COMPLEX_F32,
        SCALE_COMPLEX_F32,
        MUL_THEN_ADD_COMPLEX_F32,
        SUM_COMPLEX_F32,
        MUL_CONJ_COMPLEX_F32,
        MUL_CONJ_ADD_COMPLEX_F32,
        SUM_CONJ_COMPLEX_F32,
        MUL_THEN_ADD_MUL_COMPLEX_F32
    );
    complex!(
        f64,
        MUL_COMPLEX_F64,
        SCALE_COMPLEX_F64,
        MUL_THEN_ADD_COMPLEX_F64,
        SUM_COMPLEX_F64,
        MUL_CONJ_COMPLEX_F64,
        MUL_CONJ_ADD_COMPLEX_F64,
        SUM_CONJ_COMPLEX_F64,
        MUL_THEN_ADD_MUL_COMPLEX_F64
    );
}

#[cfg(feature = "half")]
mod halves {
    use super::*;
    use half::{bf16, f16};

    macro_rules! half {
        ($t:ty, $mul:ident, $scale:ident, $widen:ident) => {
            element!($t, u16, $mul, $scale);
            impl HalfElement for $t {}
            impl private::SealedHalf for $t {
                const WIDEN: &'static Binary<u16, u16, f32> = &t::$widen;
            }
        };
    }

    half!(f16, MUL_F16, SCALE_F16, MUL_WIDEN_F16);
    half!(bf16, MUL_BF16, SCALE_BF16, MUL_WIDEN_BF16);
}
