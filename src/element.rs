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
    pub struct MulKernels<T> {
        pub(crate) plain: MulFn<T>,
        pub(crate) stream: MulFn<T>,
    }

    impl<T> MulKernels<T> {
        pub(crate) const fn new(plain: MulFn<T>, stream: MulFn<T>) -> Self {
            MulKernels { plain, stream }
        }
    }

    // By hand: derive would ask for `T: Copy`, which function pointers do not need.
    impl<T> Clone for MulKernels<T> {
        fn clone(&self) -> Self {
            *self
        }
    }
    impl<T> Copy for MulKernels<T> {}

    pub trait Sealed: Sized + 'static {
        /// Every kernel's functions for this type, indexed by `Kernel as usize` (the order
        /// of [`Kernel::ALL`]): a table, so choosing costs one load, not a branch.
        /// Kernels of another architecture hold the scalar functions; they are never
        /// chosen, since only available kernels are.
        const MUL_KERNELS: [MulKernels<Self>; Kernel::ALL.len()];

        /// The multiplication kernels of `kernel` for this type.
        ///
        /// `kernel` must be available on this CPU ([`Kernel::is_available`]); the function
        /// pointers are only sound to call then.
        #[inline(always)]
        fn mul_kernels(kernel: Kernel) -> MulKernels<Self> {
            Self::MUL_KERNELS[kernel as usize]
        }
    }
}

macro_rules! float_element {
    ($t:ident, $mul:ident, $stream:ident) => {
        impl Element for $t {}

        impl private::Sealed for $t {
            const MUL_KERNELS: [MulKernels<$t>; Kernel::ALL.len()] = {
                use hadamard_kernels as k;
                const fn pair(plain: MulFn<$t>, stream: MulFn<$t>) -> MulKernels<$t> {
                    MulKernels::new(plain, stream)
                }
                // Plain Rust has no streaming store.
                let scalar = pair(k::scalar::$mul, k::scalar::$mul);
                [
                    scalar,
                    #[cfg(target_arch = "x86_64")]
                    pair(k::x86_64::sse2::$mul, k::x86_64::sse2::$stream),
                    #[cfg(not(target_arch = "x86_64"))]
                    scalar,
                    #[cfg(target_arch = "x86_64")]
                    pair(k::x86_64::avx2::$mul, k::x86_64::avx2::$stream),
                    #[cfg(not(target_arch = "x86_64"))]
                    scalar,
                    #[cfg(target_arch = "x86_64")]
                    pair(k::x86_64::avx512::$mul, k::x86_64::avx512::$stream),
                    #[cfg(not(target_arch = "x86_64"))]
                    scalar,
                    #[cfg(target_arch = "aarch64")]
                    pair(k::aarch64::neon::$mul, k::aarch64::neon::$stream),
                    #[cfg(not(target_arch = "aarch64"))]
                    scalar,
                ]
            };
        }
    };
}

float_element!(f32, mul_f32, mul_stream_f32);
float_element!(f64, mul_f64, mul_stream_f64);

#[cfg(test)]
mod tests {
    use super::private::Sealed;
    use super::*;

    #[test]
    fn the_table_is_in_the_order_of_kernel_all() {
        // Each available kernel's entry must be that kernel's function.
        use hadamard_kernels as k;
        use std::ptr::fn_addr_eq;
        assert_eq!(Kernel::ALL.map(|k| k as usize), [0, 1, 2, 3, 4]);
        let plain = |kernel: Kernel| f32::mul_kernels(kernel).plain;
        assert!(fn_addr_eq(
            plain(Kernel::Scalar),
            k::scalar::mul_f32 as MulFn<f32>
        ));
        #[cfg(target_arch = "x86_64")]
        {
            assert!(fn_addr_eq(
                plain(Kernel::Sse2),
                k::x86_64::sse2::mul_f32 as MulFn<f32>
            ));
            assert!(fn_addr_eq(
                plain(Kernel::Avx2),
                k::x86_64::avx2::mul_f32 as MulFn<f32>
            ));
            let avx512 = k::x86_64::avx512::mul_f32 as MulFn<f32>;
            assert!(fn_addr_eq(plain(Kernel::Avx512), avx512));
            let stream = f64::mul_kernels(Kernel::Avx512).stream;
            assert!(fn_addr_eq(
                stream,
                k::x86_64::avx512::mul_stream_f64 as MulFn<f64>
            ));
        }
    }
}
