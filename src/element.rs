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

pub(crate) use private::MulKernels;

pub(crate) mod private {
    use super::{Kernel, MulFn};

    /// One kernel's multiplication for one type: with normal stores, and with streaming
    /// (non-temporal) stores where the ISA has them (the same function where it does not).
    /// `pub` only inside this unreachable module, like the trait.
    #[derive(Clone, Copy)]
    pub struct MulKernels<T> {
        pub(crate) plain: MulFn<T>,
        pub(crate) stream: MulFn<T>,
    }

    pub trait Sealed: Sized {
        /// The multiplication kernels of `kernel` for this type.
        ///
        /// `kernel` must be available on this CPU ([`Kernel::is_available`]); the function
        /// pointers are only sound to call then.
        fn mul_kernels(kernel: Kernel) -> MulKernels<Self>;
    }
}

macro_rules! float_element {
    ($t:ty, $mul:ident, $stream:ident) => {
        impl Element for $t {}

        impl private::Sealed for $t {
            #[inline]
            fn mul_kernels(kernel: Kernel) -> MulKernels<$t> {
                use hadamard_kernels as k;
                let (plain, stream): (MulFn<$t>, MulFn<$t>) = match kernel {
                    // Plain Rust has no streaming store.
                    Kernel::Scalar => (k::scalar::$mul, k::scalar::$mul),
                    #[cfg(target_arch = "x86_64")]
                    Kernel::Sse2 => (k::x86_64::sse2::$mul, k::x86_64::sse2::$stream),
                    #[cfg(target_arch = "x86_64")]
                    Kernel::Avx2 => (k::x86_64::avx2::$mul, k::x86_64::avx2::$stream),
                    #[cfg(target_arch = "x86_64")]
                    Kernel::Avx512 => (k::x86_64::avx512::$mul, k::x86_64::avx512::$stream),
                    #[cfg(target_arch = "aarch64")]
                    Kernel::Neon => (k::aarch64::neon::$mul, k::aarch64::neon::$stream),
                    // Kernels of another architecture are never available here, and the
                    // callers only ask for available ones.
                    #[allow(unreachable_patterns)]
                    other => unreachable!("kernel {other} is not built for this architecture"),
                };
                MulKernels { plain, stream }
            }
        }
    };
}

float_element!(f32, mul_f32, mul_stream_f32);
float_element!(f64, mul_f64, mul_stream_f64);
