//! The element-wise operations, each written once over the [`Isa`](crate::isa::Isa) traits
//! as a [`Lanes`](crate::elementwise::Lanes) step, and instantiated per ISA by
//! [`isa_kernels!`](crate::kernels::isa_kernels).

pub(crate) mod complex;
pub(crate) mod half;
pub(crate) mod integer;
pub(crate) mod mul_add;
pub(crate) mod real;
pub(crate) mod sum;
pub(crate) mod two_products;

use crate::isa::{FloatReg, Isa};

/// `f32` or `f64`: which of an ISA's float registers holds it.
pub(crate) trait Float:
    Copy
    + core::ops::Mul<Output = Self>
    + core::ops::Add<Output = Self>
    + core::ops::Sub<Output = Self>
    + 'static
{
    /// The ISA's register of this type.
    type Reg<I: Isa>: FloatReg<Elem = Self>;
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// `a · b + c` rounded once (a correctly rounded software FMA: the reference).
    fn fused(a: Self, b: Self, c: Self) -> Self;
}

impl Float for f32 {
    type Reg<I: Isa> = I::F32;
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
    #[inline(always)]
    fn fused(a: f32, b: f32, c: f32) -> f32 {
        libm::fmaf(a, b, c)
    }
}

impl Float for f64 {
    type Reg<I: Isa> = I::F64;
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    #[inline(always)]
    fn fused(a: f64, b: f64, c: f64) -> f64 {
        libm::fma(a, b, c)
    }
}
