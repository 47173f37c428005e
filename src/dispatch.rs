//! Which kernel the default path runs: the `HADAMARD_KERNEL` override, the preference
//! rule, and the cached choice. The only file of `src/` that reads the environment; the
//! CPU features themselves are detected by the kernels crate (`hadamard_kernels::cpu`),
//! whose `Token` is the proof this file caches.
//!
//! Without the `std` feature there is no environment: on x86_64 the kernels crate still
//! detects the CPU at run time (CPUID and XGETBV from `core::arch`), elsewhere a kernel is
//! available when the target's compile-time features include its ISA (`-C target-feature`
//! or `-C target-cpu`); the preferred available one is used.
//!
//! The choice is made once per process and cached in one byte (the kernels crate's
//! `TokenCell`), as memchr caches its function pointers: every later call costs one
//! relaxed load (measured on 16-element calls, BENCHMARKS.md). Racing first calls all compute the same
//! answer, so whichever store lands last is the same value.

use crate::error::Error;
use crate::kernel::Kernel;
use alloc::vec::Vec;
use core::str::FromStr;
use hadamard_kernels::cpu::{self, Token, TokenCell};

impl Kernel {
    /// `Ok(self)` when [`is_available`](Self::is_available), else an error listing what is.
    pub fn check_available(self) -> Result<Kernel, Error> {
        CheckedKernel::new(self).map(|_| self)
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

/// The default path's token, kept after the first call resolves it.
static SELECTED: TokenCell = TokenCell::new();
/// The resolution itself, done once, so the environment is read once.
#[cfg(feature = "std")]
static RESOLVED: std::sync::OnceLock<Result<CheckedKernel, Error>> = std::sync::OnceLock::new();

fn selected() -> Kernel {
    CheckedKernel::selected().kernel()
}

/// The default path's token when it is already known: once the first call has resolved
/// it (`None` before, and with `std` whenever `HADAMARD_KERNEL` is invalid), so a small
/// call leaves the resolution to an out-of-line path.
#[inline(always)]
pub(crate) fn resolved_token() -> Option<Token> {
    SELECTED.get()
}

/// Resolves the default path's kernel (without `std`: the preferred kernel this CPU runs,
/// detected by CPUID on x86_64, from the target's compile-time features elsewhere).
///
/// # Panics
/// When `HADAMARD_KERNEL` is invalid, as [`selected_kernel`] says.
#[cold]
#[inline(never)]
pub(crate) fn resolve() -> CheckedKernel {
    #[cfg(feature = "std")]
    {
        let resolved = RESOLVED.get_or_init(|| {
            let value = std::env::var(KERNEL_ENV_VAR).ok();
            kernel_from_env(value.as_deref())
        });
        match resolved {
            Ok(kernel) => {
                SELECTED.set(kernel.token());
                *kernel
            }
            Err(e) => panic!("{KERNEL_ENV_VAR}: {e}"),
        }
    }
    #[cfg(not(feature = "std"))]
    {
        let kernel = CheckedKernel::new(preferred_available()).unwrap_or(CheckedKernel::SCALAR);
        SELECTED.set(kernel.token());
        kernel
    }
}

/// The kernel for a value of `HADAMARD_KERNEL`: unset, empty or `auto` means the preferred.
#[cfg(feature = "std")]
pub(crate) fn kernel_from_env(value: Option<&str>) -> Result<CheckedKernel, Error> {
    match value.map(str::trim) {
        None | Some("") | Some("auto") => CheckedKernel::new(preferred_available()),
        Some(name) => CheckedKernel::new(name.parse::<Kernel>()?),
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
    cpu::feature_detected("avx512vbmi2") == Some(true)
}

/// The CPU features that matter to the crate's kernels, and whether this CPU has each,
/// as detected at run time (for reports and bug reports); without `std` the same on
/// x86_64 (CPUID), elsewhere whether the target's compile-time features include each.
pub fn cpu_features() -> Vec<(&'static str, bool)> {
    cpu::KNOWN_FEATURES
        .iter()
        .map(|&name| (name, cpu::feature_detected(name) == Some(true)))
        .collect()
}

/// A kernel this CPU can run: it holds the kernels crate's [`Token`], the proof that
/// lets the safe layer run that kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CheckedKernel(Token);

impl CheckedKernel {
    /// The scalar kernel, on every CPU.
    #[cfg(not(feature = "std"))]
    const SCALAR: CheckedKernel = CheckedKernel(Token::SCALAR);

    pub(crate) fn new(kernel: Kernel) -> Result<CheckedKernel, Error> {
        Token::new(kernel.isa())
            .map(CheckedKernel)
            .ok_or_else(|| Error::KernelUnavailable {
                kernel,
                available: available_kernels(),
            })
    }

    /// The default path's kernel (see [`selected_kernel`]).
    #[inline]
    pub(crate) fn selected() -> CheckedKernel {
        match resolved_token() {
            Some(token) => CheckedKernel(token),
            None => resolve(),
        }
    }

    pub(crate) fn kernel(self) -> Kernel {
        Kernel::of(self.0.isa())
    }

    #[inline(always)]
    pub(crate) fn token(self) -> Token {
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
        let kernel = |v| kernel_from_env(v).map(CheckedKernel::kernel);
        assert_eq!(kernel(None), Ok(preferred));
        assert_eq!(kernel(Some("")), Ok(preferred));
        assert_eq!(kernel(Some("auto")), Ok(preferred));
        assert_eq!(kernel(Some(" scalar\n")), Ok(Kernel::Scalar));
        assert!(matches!(
            kernel_from_env(Some("avx1024")),
            Err(Error::UnknownKernel { name }) if name == "avx1024"
        ));
        for kernel in Kernel::ALL {
            let parsed = kernel_from_env(Some(kernel.name()));
            assert_eq!(parsed.is_ok(), kernel.is_available(), "{kernel}");
        }
    }

    #[test]
    fn kernels_and_isas_correspond_one_to_one_in_order() {
        for (kernel, isa) in Kernel::ALL.into_iter().zip(hadamard_kernels::Isa::ALL) {
            assert_eq!(kernel.isa(), isa);
            assert_eq!(Kernel::of(isa), kernel);
        }
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
