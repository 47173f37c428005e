//! `Kernel`: the crate's name for an instruction-set level of its SIMD code, what it is
//! compiled with, and whether this CPU runs it. Below everything that chooses or reports
//! one (`dispatch.rs`, `error.rs`), so those import it and it imports neither.

use core::fmt;
use hadamard_kernels::cpu::{Isa, Token};

/// A kernel: one instruction-set level of the crate's SIMD code.
///
/// Ordered from narrowest to widest within an architecture. `Display`, `Debug` and
/// [`str::parse`] use the lower-case names that `HADAMARD_KERNEL` and the report use, so
/// `dbg!(hadamard::selected_kernel())` prints the name to type.
///
/// ```
/// use hadamard::Kernel;
/// assert_eq!(Kernel::Avx512.to_string(), "avx512");
/// assert_eq!(format!("{:?}", [Kernel::Scalar, Kernel::Avx2]), "[scalar, avx2]");
/// assert_eq!("sse2".parse::<Kernel>().unwrap(), Kernel::Sse2);
/// assert!(Kernel::Scalar.is_available()); // on every CPU
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kernel {
    /// Plain Rust, one element at a time (the reference every other kernel matches).
    Scalar,
    /// x86_64: 128-bit SSE2 (baseline on every x86_64 CPU), written with `wide`.
    Sse2,
    /// x86_64: 256-bit AVX2, on CPUs with AVX2, FMA and F16C.
    Avx2,
    /// x86_64: 512-bit AVX-512, on CPUs with AVX-512 F, BW, DQ and VL.
    Avx512,
    /// aarch64: 128-bit NEON (baseline on every aarch64 CPU), written with `wide`.
    Neon,
}

impl Kernel {
    /// Every kernel the crate knows, whatever this CPU can run.
    pub const ALL: [Kernel; 5] = [
        Kernel::Scalar,
        Kernel::Sse2,
        Kernel::Avx2,
        Kernel::Avx512,
        Kernel::Neon,
    ];

    /// The lower-case name: `scalar`, `sse2`, `avx2`, `avx512` or `neon`.
    pub const fn name(self) -> &'static str {
        match self {
            Kernel::Scalar => "scalar",
            Kernel::Sse2 => "sse2",
            Kernel::Avx2 => "avx2",
            Kernel::Avx512 => "avx512",
            Kernel::Neon => "neon",
        }
    }

    /// Whether this CPU, running this build, can run the kernel: it is built for this
    /// architecture and the CPU has every one of its [`target_features`](Self::target_features).
    pub fn is_available(self) -> bool {
        Token::new(self.isa()).is_some()
    }

    /// The target features the kernel's code is compiled with (`#[target_feature(enable
    /// = ...)]`), which the CPU must have for it to run; none for [`Kernel::Scalar`], and
    /// none for a kernel of another architecture (it is not built here).
    ///
    /// ```
    /// use hadamard::Kernel;
    /// # #[cfg(target_arch = "x86_64")]
    /// assert_eq!(Kernel::Avx2.target_features().collect::<Vec<_>>(), ["avx2", "fma", "f16c"]);
    /// assert_eq!(Kernel::Scalar.target_features().count(), 0);
    /// ```
    pub fn target_features(self) -> impl Iterator<Item = &'static str> {
        self.isa()
            .features()
            .unwrap_or("")
            .split(',')
            .filter(|f| !f.is_empty())
    }

    /// The kernels crate's name for this kernel's instruction set.
    #[inline(always)]
    pub(crate) const fn isa(self) -> Isa {
        match self {
            Kernel::Scalar => Isa::Scalar,
            Kernel::Sse2 => Isa::Sse2,
            Kernel::Avx2 => Isa::Avx2,
            Kernel::Avx512 => Isa::Avx512,
            Kernel::Neon => Isa::Neon,
        }
    }

    /// The kernel of an instruction set.
    pub(crate) const fn of(isa: Isa) -> Kernel {
        match isa {
            Isa::Scalar => Kernel::Scalar,
            Isa::Sse2 => Kernel::Sse2,
            Isa::Avx2 => Kernel::Avx2,
            Isa::Avx512 => Kernel::Avx512,
            Isa::Neon => Kernel::Neon,
        }
    }

    /// The default path's order of choice, best first: the first available one runs,
    /// except that [`Kernel::Avx512`] is passed over on CPUs where 512-bit code costs
    /// clock speed (see [`avx512_runs_at_full_clock`](crate::avx512_runs_at_full_clock)).
    ///
    /// Measured in L1 with operands on a cache line (BENCHMARKS.md, `cargo run --release
    /// -- --ops`), the AVX-512 kernels ran 1.3–2.2x the AVX2 ones, and at or above the plain
    /// loop compiled with the CPU's features, where AVX2 reached about 0.7 of it. In L2 the
    /// simplest products turned the other way (AVX2 8–16% ahead), so there the default
    /// AVX-512 path runs their AVX2 kernels: see [`selected_kernel`](crate::selected_kernel).
    pub const PREFERENCE: [Kernel; 5] = [
        Kernel::Avx512,
        Kernel::Avx2,
        Kernel::Neon,
        Kernel::Sse2,
        Kernel::Scalar,
    ];
}

impl fmt::Display for Kernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for Kernel {
    // The name users type, not the variant's: `Avx512` is no value `HADAMARD_KERNEL`,
    // `str::parse` or the report's `--kernel` accepts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
