//! The element-wise operations, each written once over the [`Isa`](crate::isa::Isa) traits
//! as a [`Lanes`](crate::elementwise::Lanes) step, and instantiated per ISA by
//! [`isa_kernels!`](crate::kernels::isa_kernels).

pub(crate) mod complex;
pub(crate) mod half;
pub(crate) mod integer;
pub(crate) mod real;

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
}

impl Float for f32 {
    type Reg<I: Isa> = I::F32;
}

impl Float for f64 {
    type Reg<I: Isa> = I::F64;
}
