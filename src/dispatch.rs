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
use core::sync::atomic::{AtomicUsize, Ordering};
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
/// One refinement by size: when this is AVX-512 by preference (not forced), calls of the
/// simplest products — one load per input, one arithmetic instruction and one store per
/// vector: `f32`, `f64` and 16- and 32-bit integer products, plain, scaled, multiply-add,
/// not in place — run the AVX2 kernel when their operands are larger than the L1 data
/// cache and the call does not stream. On the Intel Xeon of BENCHMARKS.md their 512-bit
/// kernels moved 8–16% fewer bytes per second than the 256-bit ones in L2, at every
/// alignment, while winning by 30–40% in L1; every other operation, and every size that
/// fits L1 or streams, keeps AVX-512. The bits are the same either way. A forced kernel
/// (`HADAMARD_KERNEL`, [`Options::kernel`](crate::Options::kernel)) runs at every size.
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
/// The token the default path runs past L1 for the operations that narrow there
/// (`narrows_past_l1` in the kernels' tables): AVX2's when the default is AVX-512 by
/// preference; empty when nothing narrows (a kernel forced by `HADAMARD_KERNEL`, or any
/// other default) and before the first call resolves the default.
static PAST_L1: TokenCell = TokenCell::new();
/// The L1 data cache in bytes, 0 until a call first asks (`past_l1_token`).
static L1_BYTES: AtomicUsize = AtomicUsize::new(0);
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
            let kernel = kernel_from_env(value.as_deref());
            // Only the kernel the crate chose narrows; one the environment names is run
            // at every size, as a forced kernel is.
            if let (Ok(kernel), None | Some("" | "auto")) =
                (&kernel, value.as_deref().map(str::trim))
            {
                if let Some(narrow) = narrower_past_l1(*kernel) {
                    PAST_L1.set(narrow);
                }
            }
            kernel
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
        if let Some(narrow) = narrower_past_l1(kernel) {
            PAST_L1.set(narrow);
        }
        SELECTED.set(kernel.token());
        kernel
    }
}

/// The kernel that the default `kernel` hands the operations that narrow past L1: AVX2
/// for AVX-512 (when the CPU runs it, as every AVX-512 CPU does), none for the others.
fn narrower_past_l1(kernel: CheckedKernel) -> Option<Token> {
    match kernel.kernel() {
        Kernel::Avx512 => Token::new(Kernel::Avx2.isa()),
        _ => None,
    }
}

/// The token a call of an operation that narrows past L1 (`narrows_past_l1` in the
/// kernels' tables) runs on the default path instead of the default one, when it moves
/// `bytes_moved` bytes: AVX2's for more than the L1 data cache when the default is
/// AVX-512 by preference, else `None`. A small call (or the process's first call, before
/// the default is resolved) reads one byte and stops.
#[inline(always)]
pub(crate) fn past_l1_token(bytes_moved: usize) -> Option<Token> {
    let narrow = PAST_L1.get()?;
    (bytes_moved > l1_bytes()).then_some(narrow)
}

/// The L1 data cache in bytes, found once (without `std` CPUID is slow in a VM: not per call).
fn l1_bytes() -> usize {
    match L1_BYTES.load(Ordering::Relaxed) {
        0 => {
            let l1 = crate::cache::cache_sizes().l1.max(1);
            L1_BYTES.store(l1, Ordering::Relaxed);
            l1
        }
        l1 => l1,
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
