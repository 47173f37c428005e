//! The element types the crate multiplies, and which kernel serves each.

use crate::Kernel;
use hadamard_kernels::MulFn;

/// A type the crate can multiply element-wise: `f32` and `f64`.
///
/// Sealed: the set grows with the crate, each new type with kernels for every ISA, and
/// outside implementations could not supply those.
pub trait Element:
    private::Sealed + Copy + Send + Sync + PartialEq + std::fmt::Debug + 'static
{
}

pub(crate) mod private {
    use super::{Kernel, MulFn};

    pub trait Sealed: Sized {
        /// The multiplication kernel of `kernel` for this type.
        ///
        /// `kernel` must be available on this CPU ([`Kernel::is_available`]); the function
        /// pointer is only sound to call then.
        fn mul_kernel(kernel: Kernel) -> MulFn<Self>;
    }
}

macro_rules! float_element {
    ($t:ty, $name:ident) => {
        impl Element for $t {}

        impl private::Sealed for $t {
            #[inline]
            fn mul_kernel(kernel: Kernel) -> MulFn<$t> {
                use hadamard_kernels as k;
                match kernel {
                    Kernel::Scalar => k::scalar::$name,
                    #[cfg(target_arch = "x86_64")]
                    Kernel::Sse2 => k::x86_64::sse2::$name,
                    #[cfg(target_arch = "x86_64")]
                    Kernel::Avx2 => k::x86_64::avx2::$name,
                    #[cfg(target_arch = "x86_64")]
                    Kernel::Avx512 => k::x86_64::avx512::$name,
                    #[cfg(target_arch = "aarch64")]
                    Kernel::Neon => k::aarch64::neon::$name,
                    // Kernels of another architecture are never available here, and the
                    // callers only ask for available ones.
                    #[allow(unreachable_patterns)]
                    other => unreachable!("kernel {other} is not built for this architecture"),
                }
            }
        }
    };
}

float_element!(f32, mul_f32);
float_element!(f64, mul_f64);
