//! Which kernel runs: CPU detection, the `HADAMARD_KERNEL` override, and the cached
//! choice. This is the only file that detects CPU features or reads the environment.
//!
//! Without the `std` feature there is no run-time detection and no environment: a kernel
//! is available when the target's compile-time features include its ISA
//! (`-C target-feature` or `-C target-cpu`), and the preferred available one is used.
//!
//! The choice is made once per process and cached in an atomic byte, as memchr caches its
//! function pointers: every later call costs one relaxed load and a match (measured on a
//! 16-element call by `benches/kernels.rs`). Racing first calls all compute the same
//! answer, so whichever store lands last is the same value.

use crate::Error;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

/// A kernel: one instruction-set level of the crate's SIMD code.
///
/// Ordered from narrowest to widest within an architecture. `Display` and
/// [`str::parse`] use the lower-case names that `HADAMARD_KERNEL` accepts.
///
/// ```
/// use hadamard::Kernel;
/// assert_eq!(Kernel::Avx512.to_string(), "avx512");
/// assert_eq!("sse2".parse::<Kernel>().unwrap(), Kernel::Sse2);
/// assert!(Kernel::Scalar.is_available()); // on every CPU
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
        self.compiled_features()
            .is_some_and(|features| all_detected(features, feature_detected))
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
        self.compiled_features()
            .unwrap_or("")
            .split(',')
            .filter(|f| !f.is_empty())
    }

    /// The kernels crate's feature list for this kernel (the same literal its
    /// `#[target_feature]` attributes take), or `None` when it is not built for this
    /// architecture.
    fn compiled_features(self) -> Option<&'static str> {
        match self {
            Kernel::Scalar => Some(""),
            #[cfg(target_arch = "x86_64")]
            Kernel::Sse2 => Some(hadamard_kernels::x86_64::sse2::FEATURES),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => Some(hadamard_kernels::x86_64::avx2::FEATURES),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => Some(hadamard_kernels::x86_64::avx512::FEATURES),
            #[cfg(target_arch = "aarch64")]
            Kernel::Neon => Some(hadamard_kernels::aarch64::neon::FEATURES),
            #[allow(unreachable_patterns)] // every arm is live on some architecture
            _ => None,
        }
    }

    /// `Ok(self)` when [`is_available`](Self::is_available), else an error listing what is.
    pub fn check_available(self) -> Result<Kernel, Error> {
        if self.is_available() {
            Ok(self)
        } else {
            Err(Error::KernelUnavailable {
                kernel: self,
                available: available_kernels(),
            })
        }
    }

    /// The default path's order of choice, best first: the first available one runs,
    /// except that [`Kernel::Avx512`] is passed over on CPUs where 512-bit code costs
    /// clock speed (see [`avx512_runs_at_full_clock`]).
    ///
    /// Measured in L1 with operands on a cache line (BENCHMARKS.md, `cargo run --release
    /// -- --ops`), the AVX-512 kernels ran 1.3–2.2x the AVX2 ones, and at or above the plain
    /// loop compiled with the CPU's features, where AVX2 reached about 0.7 of it.
    pub const PREFERENCE: [Kernel; 5] = [
        Kernel::Avx512,
        Kernel::Avx2,
        Kernel::Neon,
        Kernel::Sse2,
        Kernel::Scalar,
    ];

    /// The byte `SELECTED` caches (0 means not resolved yet): the position in
    /// [`Kernel::ALL`] plus one, which `selected_index` relies on.
    #[cfg(feature = "std")]
    const fn code(self) -> u8 {
        self as u8 + 1
    }

    /// A match rather than an index into `ALL`, so the compiler sees `code - 1` and the
    /// kernel table lookup that follows become one subtraction.
    #[cfg(feature = "std")]
    #[inline(always)]
    fn from_code(code: u8) -> Kernel {
        match code {
            1 => Kernel::Scalar,
            2 => Kernel::Sse2,
            3 => Kernel::Avx2,
            4 => Kernel::Avx512,
            _ => Kernel::Neon,
        }
    }
}

impl fmt::Display for Kernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Kernel {
    type Err = Error;

    /// Parses a kernel name exactly as `Display` writes it.
    fn from_str(name: &str) -> Result<Kernel, Error> {
        Kernel::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| Error::UnknownKernel {
                name: alloc::string::String::from(name),
            })
    }
}

/// The kernels this CPU can run, narrowest first. The default path runs the first of them
/// in [`Kernel::PREFERENCE`] unless `HADAMARD_KERNEL` says otherwise.
///
/// ```
/// let kernels = hadamard::available_kernels();
/// assert_eq!(kernels[0], hadamard::Kernel::Scalar);
/// ```
pub fn available_kernels() -> Vec<Kernel> {
    Kernel::ALL
        .into_iter()
        .filter(|k| k.is_available())
        .collect()
}

/// The kernel the default path uses: `HADAMARD_KERNEL` if set, else the
/// [preferred](Kernel::PREFERENCE) available one.
///
/// # Panics
///
/// When `HADAMARD_KERNEL` names no kernel or one this CPU cannot run; the message lists
/// the valid (or available) names. Every call of the crate's default path panics the
/// same way, so a misconfigured environment is never silently ignored.
pub fn selected_kernel() -> Kernel {
    selected()
}

/// The name of the environment variable that forces a kernel.
pub const KERNEL_ENV_VAR: &str = "HADAMARD_KERNEL";

/// 0: not resolved yet; `Kernel::code()`: resolved; `INVALID`: the environment is wrong.
#[cfg(feature = "std")]
static SELECTED: core::sync::atomic::AtomicU8 = core::sync::atomic::AtomicU8::new(0);
#[cfg(feature = "std")]
const INVALID: u8 = u8::MAX;
/// The resolution itself, done once, so the environment is read once.
#[cfg(feature = "std")]
static RESOLVED: std::sync::OnceLock<Result<Kernel, Error>> = std::sync::OnceLock::new();

/// Without `std`: the preferred kernel the target's compile-time features allow.
#[cfg(not(feature = "std"))]
#[inline]
pub(crate) fn selected() -> Kernel {
    preferred_available()
}

#[cfg(feature = "std")]
#[inline]
pub(crate) fn selected() -> Kernel {
    use core::sync::atomic::Ordering;
    match SELECTED.load(Ordering::Relaxed) {
        0 | INVALID => resolve(),
        code => Kernel::from_code(code),
    }
}

/// `selected() as usize`, the index of the kernel tables, read from the cached byte with
/// one subtraction.
#[cfg(feature = "std")]
#[inline]
pub(crate) fn selected_index() -> usize {
    use core::sync::atomic::Ordering;
    match SELECTED.load(Ordering::Relaxed) {
        0 | INVALID => resolve() as usize,
        code => usize::from(code - 1),
    }
}

/// [`selected_index`], or `None` before the first call has resolved it (or when
/// `HADAMARD_KERNEL` is invalid): lets a small call leave everything but the indirect
/// call to an out-of-line path, so its own path keeps no values across a call.
#[cfg(feature = "std")]
#[inline]
pub(crate) fn resolved_index() -> Option<usize> {
    use core::sync::atomic::Ordering;
    match SELECTED.load(Ordering::Relaxed) {
        0 | INVALID => None,
        code => Some(usize::from(code - 1)),
    }
}

/// Without `std`: the index of the preferred available kernel, always known.
#[cfg(not(feature = "std"))]
#[inline]
pub(crate) fn resolved_index() -> Option<usize> {
    Some(selected_index())
}

/// Without `std`: the index of the preferred available kernel.
#[cfg(not(feature = "std"))]
#[inline]
pub(crate) fn selected_index() -> usize {
    selected() as usize
}

#[cfg(feature = "std")]
#[cold]
#[inline(never)]
fn resolve() -> Kernel {
    use core::sync::atomic::Ordering;
    let resolved = RESOLVED.get_or_init(|| {
        let value = std::env::var(KERNEL_ENV_VAR).ok();
        kernel_from_env(value.as_deref())
    });
    match resolved {
        Ok(kernel) => {
            SELECTED.store(kernel.code(), Ordering::Relaxed);
            *kernel
        }
        Err(e) => {
            SELECTED.store(INVALID, Ordering::Relaxed);
            panic!("{KERNEL_ENV_VAR}: {e}")
        }
    }
}

/// The kernel for a value of `HADAMARD_KERNEL`: unset, empty or `auto` means the preferred.
#[cfg(feature = "std")]
pub(crate) fn kernel_from_env(value: Option<&str>) -> Result<Kernel, Error> {
    match value.map(str::trim) {
        None | Some("") | Some("auto") => Ok(preferred_available()),
        Some(name) => name.parse::<Kernel>()?.check_available(),
    }
}

fn preferred_available() -> Kernel {
    preferred(Kernel::is_available, avx512_runs_at_full_clock())
}

/// The default rule on a CPU described by `available` and whether it keeps its clock on
/// 512-bit code: the first of [`Kernel::PREFERENCE`] it runs, AVX-512 only at full clock.
fn preferred(available: impl Fn(Kernel) -> bool, avx512_full_clock: bool) -> Kernel {
    Kernel::PREFERENCE
        .into_iter()
        .find(|&k| available(k) && (k != Kernel::Avx512 || avx512_full_clock))
        .unwrap_or(Kernel::Scalar)
}

/// Whether this CPU runs 512-bit code without lowering its clock, so the default path
/// prefers AVX-512 to AVX2.
///
/// The first AVX-512 server cores (Intel Skylake-SP, Cascade Lake, Cooper Lake) drop
/// their frequency for the whole core while 512-bit instructions run, which can make a
/// program slower overall; from Ice Lake on, and on AMD Zen 4 and Zen 5, they do not. The
/// later cores all have AVX512_VBMI2 and the earlier ones none, so that flag tells them
/// apart without a table of models (simdjson draws the same line). `HADAMARD_KERNEL=avx512`
/// and [`Options::kernel`](crate::Options::kernel) still force AVX-512 anywhere.
pub fn avx512_runs_at_full_clock() -> bool {
    feature_detected("avx512vbmi2") == Some(true)
}

/// Whether every feature of a comma-separated list is `detected` (an unknown name is not).
fn all_detected(features: &str, detected: impl Fn(&str) -> Option<bool>) -> bool {
    features
        .split(',')
        .filter(|f| !f.is_empty())
        .all(|f| detected(f) == Some(true))
}

/// The CPU features that matter to the crate, written once: [`cpu_features`] lists them,
/// [`feature_detected`] answers for one. With `std` they are detected at run time;
/// without, they are the target's compile-time features.
macro_rules! feature_table {
    ($($name:tt),* $(,)?) => {
        const KNOWN_FEATURES: &[&str] = &[$($name),*];

        /// Whether this CPU has the feature `name`; `None` for a name the table lacks.
        fn feature_detected(name: &str) -> Option<bool> {
            match name {
                $($name => Some(has!($name)),)*
                _ => None,
            }
        }
    };
}

#[cfg(all(target_arch = "aarch64", feature = "std"))]
use std::arch::is_aarch64_feature_detected as has;
#[cfg(all(target_arch = "x86_64", feature = "std"))]
use std::is_x86_feature_detected as has;
#[cfg(not(feature = "std"))]
#[allow(unused_macros)] // an architecture without a feature table
macro_rules! has {
    ($f:tt) => {
        cfg!(target_feature = $f)
    };
}

#[cfg(target_arch = "x86_64")]
feature_table![
    "sse2",
    "avx",
    "avx2",
    "fma",
    "f16c",
    "avx512f",
    "avx512bw",
    "avx512dq",
    "avx512vl",
    "avx512vbmi2",
    "avx512bf16",
    "avx512fp16",
];
#[cfg(target_arch = "aarch64")]
feature_table!["neon", "fp16", "bf16"];
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
feature_table![];

/// The CPU features that matter to the crate's kernels, and whether this CPU has each,
/// as detected at run time (for reports and bug reports); without `std`, whether the
/// target's compile-time features include each.
pub fn cpu_features() -> Vec<(&'static str, bool)> {
    KNOWN_FEATURES
        .iter()
        .map(|&name| (name, feature_detected(name) == Some(true)))
        .collect()
}

/// A kernel this CPU can run: holding one is the proof (as pulp's tokens are), so the
/// code that calls kernels cannot be handed one the CPU lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CheckedKernel(Kernel);

impl CheckedKernel {
    pub(crate) fn new(kernel: Kernel) -> Result<CheckedKernel, Error> {
        kernel.check_available().map(CheckedKernel)
    }

    /// The default path's kernel (see [`selected_kernel`]).
    #[inline]
    pub(crate) fn selected() -> CheckedKernel {
        // `selected()` only ever returns kernels that passed `check_available`.
        CheckedKernel(selected())
    }

    pub(crate) fn kernel(self) -> Kernel {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "std")]
    #[test]
    fn environment_values() {
        let preferred = preferred_available();
        assert_eq!(kernel_from_env(None), Ok(preferred));
        assert_eq!(kernel_from_env(Some("")), Ok(preferred));
        assert_eq!(kernel_from_env(Some("auto")), Ok(preferred));
        assert_eq!(kernel_from_env(Some(" scalar\n")), Ok(Kernel::Scalar));
        assert!(matches!(
            kernel_from_env(Some("avx1024")),
            Err(Error::UnknownKernel { name }) if name == "avx1024"
        ));
        for kernel in Kernel::ALL {
            let parsed = kernel_from_env(Some(kernel.name()));
            assert_eq!(parsed.is_ok(), kernel.is_available(), "{kernel}");
        }
    }

    #[cfg(feature = "std")]
    #[test]
    fn codes_round_trip_and_never_collide_with_the_markers() {
        for (position, kernel) in Kernel::ALL.into_iter().enumerate() {
            assert_ne!(kernel.code(), 0);
            assert_ne!(kernel.code(), INVALID);
            assert_eq!(Kernel::from_code(kernel.code()), kernel);
            // The kernel tables are in ALL's order, indexed by `code - 1`.
            assert_eq!(usize::from(kernel.code() - 1), position);
            assert_eq!(kernel as usize, position);
        }
    }

    /// The one source of truth holds: every feature a kernel's code is compiled with is
    /// one detection knows, so `is_available` checks each of them.
    #[test]
    fn detection_covers_every_feature_each_kernel_enables() {
        for kernel in Kernel::ALL {
            for feature in kernel.target_features() {
                assert!(
                    feature_detected(feature).is_some(),
                    "{kernel} is compiled with {feature:?}, which detection never checks"
                );
            }
        }
    }

    /// The rule itself, on made-up CPUs: one missing or unknown feature makes a kernel
    /// unavailable, an empty list (the scalar kernel) is always available.
    #[test]
    fn a_kernel_needs_every_one_of_its_features() {
        let cpu = |has: &'static [&'static str]| {
            move |f: &str| match f {
                "a" | "b" | "c" => Some(has.contains(&f)),
                _ => None,
            }
        };
        assert!(all_detected("a,b,c", cpu(&["a", "b", "c"])));
        assert!(all_detected("", cpu(&[])));
        for missing in ["a", "b", "c"] {
            let has: Vec<&str> = ["a", "b", "c"]
                .into_iter()
                .filter(|&f| f != missing)
                .collect();
            let has: &'static [&'static str] = Vec::leak(has);
            assert!(!all_detected("a,b,c", cpu(has)), "without {missing}");
        }
        assert!(
            !all_detected("a,zz", cpu(&["a", "b", "c"])),
            "an unknown feature"
        );
    }

    /// The default rule on made-up CPUs (this machine shows one case only).
    #[test]
    fn the_preferred_kernel_on_each_kind_of_cpu() {
        use Kernel::*;
        let cpu = |has: &'static [Kernel]| move |k: Kernel| has.contains(&k);
        let x86_all = &[Scalar, Sse2, Avx2, Avx512];
        assert_eq!(preferred(cpu(x86_all), true), Avx512);
        assert_eq!(
            preferred(cpu(x86_all), false),
            Avx2,
            "AVX-512 that slows the clock"
        );
        assert_eq!(preferred(cpu(&[Scalar, Sse2, Avx2]), true), Avx2);
        assert_eq!(preferred(cpu(&[Scalar, Sse2]), true), Sse2);
        assert_eq!(preferred(cpu(&[Scalar, Neon]), false), Neon);
        assert_eq!(preferred(cpu(&[Scalar]), true), Scalar);
        assert_eq!(preferred(cpu(&[]), true), Scalar, "scalar runs everywhere");
    }

    #[test]
    fn preference_lists_every_kernel_once() {
        let mut sorted = Kernel::PREFERENCE;
        sorted.sort();
        assert_eq!(sorted, Kernel::ALL);
        assert!(preferred_available().is_available());
    }
}
