//! Which instruction sets this CPU runs: detection, and the [`Token`] that proves it.
//!
//! A kernel compiled with `#[target_feature(enable = "avx2,...")]` is undefined behaviour
//! on a CPU without those features, so the safe entry points ([`crate::tables`]) take a
//! `Token`, which only [`Token::new`] creates, after checking every feature the ISA's
//! kernels are compiled with (the same literal: each ISA module's `FEATURES`). This is
//! pulp's `V3::try_new` idea: holding the value is the proof.
//!
//! With the `std` feature the features are detected at run time (`std`'s cached probes).
//! Without it, on x86_64 they are detected at run time all the same, by CPUID and XGETBV
//! from `core::arch` (cached in an atomic), so a `no_std` program still runs AVX2 and
//! AVX-512; elsewhere they are the target's compile-time features (`-C target-feature`,
//! `-C target-cpu`).

use core::sync::atomic::{AtomicU8, Ordering};

/// An instruction-set level of the kernels, in the order of the tables
/// ([`Isa::index`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Isa {
    /// Plain Rust: the reference, on every CPU.
    Scalar = 0,
    /// x86_64 SSE2 (the x86_64 baseline).
    Sse2 = 1,
    /// x86_64 AVX2 with FMA and F16C.
    Avx2 = 2,
    /// x86_64 AVX-512 F, BW, DQ and VL.
    Avx512 = 3,
    /// aarch64 NEON (the aarch64 baseline).
    Neon = 4,
}

/// How many ISAs the tables hold an entry for.
pub const ISA_COUNT: usize = 5;

impl Isa {
    /// Every ISA, in table order.
    pub const ALL: [Isa; ISA_COUNT] = [Isa::Scalar, Isa::Sse2, Isa::Avx2, Isa::Avx512, Isa::Neon];

    /// The position of this ISA's kernels in every table.
    #[inline(always)]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The target features this ISA's kernels are compiled with, comma-separated (`""`
    /// for the scalar kernels), or `None` when they are not built for this architecture.
    pub const fn features(self) -> Option<&'static str> {
        match self {
            Isa::Scalar => Some(""),
            #[cfg(target_arch = "x86_64")]
            Isa::Sse2 => Some(crate::x86_64::sse2::FEATURES),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => Some(crate::x86_64::avx2::FEATURES),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => Some(crate::x86_64::avx512::FEATURES),
            #[cfg(target_arch = "aarch64")]
            Isa::Neon => Some(crate::aarch64::neon::FEATURES),
            #[allow(unreachable_patterns)] // every arm is live on some architecture
            _ => None,
        }
    }
}

/// Proof that this CPU runs the kernels of one [`Isa`]: the safe entry points of
/// [`crate::tables`] run the kernels a token names and no others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Token(Isa);

impl Token {
    /// The scalar kernels, which every CPU runs.
    pub const SCALAR: Token = Token(Isa::Scalar);

    /// A token for `isa` when its kernels are built for this architecture and the CPU has
    /// every feature they are compiled with.
    pub fn new(isa: Isa) -> Option<Token> {
        let features = isa.features()?;
        all_detected(features, feature_detected).then_some(Token(isa))
    }

    /// The ISA whose kernels this token runs.
    #[inline(always)]
    pub const fn isa(self) -> Isa {
        self.0
    }
}

/// A token kept across calls in one byte, read with one relaxed load: how a caller caches
/// its choice of kernel (as memchr caches its function pointers) without detecting again.
/// Only a [`Token`] can be stored, so every value read back is one.
pub struct TokenCell(AtomicU8);

impl TokenCell {
    /// An empty cell.
    pub const fn new() -> TokenCell {
        TokenCell(AtomicU8::new(0))
    }

    /// The token stored last, or `None` before the first [`set`](Self::set).
    #[inline(always)]
    pub fn get(&self) -> Option<Token> {
        match self.0.load(Ordering::Relaxed) {
            0 => None,
            // SAFETY: only `set` stores into the cell, and it stores a token's `Isa`
            // discriminant plus one, so `code - 1` is the discriminant of an `Isa`
            // (`repr(u8)`) and the token it came from was proof for that ISA. (A lookup in
            // `Isa::ALL` would cost a bounds check and a load on every call.)
            code => Some(Token(unsafe { core::mem::transmute::<u8, Isa>(code - 1) })),
        }
    }

    /// Keeps `token` (racing stores of different tokens leave one of them: each is proof).
    pub fn set(&self, token: Token) {
        self.0.store(token.0 as u8 + 1, Ordering::Relaxed);
    }
}

impl Default for TokenCell {
    fn default() -> Self {
        TokenCell::new()
    }
}

/// Whether every feature of a comma-separated list is `detected` (an unknown name is not).
pub fn all_detected(features: &str, detected: impl Fn(&str) -> Option<bool>) -> bool {
    features
        .split(',')
        .filter(|f| !f.is_empty())
        .all(|f| detected(f) == Some(true))
}

/// The CPU features that matter to the kernels, written once: [`KNOWN_FEATURES`] lists
/// them, [`feature_detected`] answers for one.
macro_rules! feature_table {
    ($($name:tt),* $(,)?) => {
        /// The CPU features the kernels use or that decide among them, for reports.
        pub const KNOWN_FEATURES: &[&str] = &[$($name),*];

        /// Whether this CPU has the feature `name` (detected at run time with `std`, and
        /// on x86_64 without it; elsewhere without `std`, among the target's compile-time
        /// features); `None` for a name not in [`KNOWN_FEATURES`].
        pub fn feature_detected(name: &str) -> Option<bool> {
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
#[cfg(all(target_arch = "x86_64", not(feature = "std")))]
macro_rules! has {
    ($f:tt) => {
        cfg!(target_feature = $f) || crate::x86_64::cpuid::detected($f) == Some(true)
    };
}
#[cfg(all(not(target_arch = "x86_64"), not(feature = "std")))]
#[allow(unused_macros)] // an architecture without a feature table
macro_rules! has {
    ($f:tt) => {
        cfg!(target_feature = $f)
    };
}

/// Bytes of the L1 data, L2 and L3 caches (L3 `None` when there is none) as the CPU
/// describes them: CPUID's deterministic cache parameters on x86_64, on every OS and
/// without `std`. `None` elsewhere, and when the CPU or a hypervisor does not say.
pub fn cpuid_cache_sizes() -> Option<(usize, usize, Option<usize>)> {
    #[cfg(target_arch = "x86_64")]
    return crate::x86_64::cpuid::cache_sizes();
    #[cfg(not(target_arch = "x86_64"))]
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The one source of truth holds: every feature an ISA's kernels are compiled with is
    /// one detection knows, so `Token::new` checks each of them.
    #[test]
    fn detection_covers_every_feature_each_isa_enables() {
        for isa in Isa::ALL {
            for feature in isa
                .features()
                .unwrap_or("")
                .split(',')
                .filter(|f| !f.is_empty())
            {
                assert!(
                    feature_detected(feature).is_some(),
                    "{isa:?} is compiled with {feature:?}, which detection never checks"
                );
            }
        }
    }

    /// The rule on made-up CPUs: one missing or unknown feature is enough to refuse, an
    /// empty list (the scalar kernels) is always granted.
    #[test]
    fn an_isa_needs_every_one_of_its_features() {
        let cpu = |has: &'static [&'static str]| {
            move |f: &str| match f {
                "a" | "b" | "c" => Some(has.contains(&f)),
                _ => None,
            }
        };
        assert!(all_detected("a,b,c", cpu(&["a", "b", "c"])));
        assert!(all_detected("", cpu(&[])));
        assert!(!all_detected("a,b,c", cpu(&["b", "c"])), "without a");
        assert!(!all_detected("a,b,c", cpu(&["a", "c"])), "without b");
        assert!(!all_detected("a,b,c", cpu(&["a", "b"])), "without c");
        assert!(
            !all_detected("a,zz", cpu(&["a", "b", "c"])),
            "an unknown feature"
        );
    }

    #[test]
    fn a_cell_gives_back_the_token_it_was_given() {
        let cell = TokenCell::new();
        assert_eq!(cell.get(), None);
        for isa in Isa::ALL {
            if let Some(token) = Token::new(isa) {
                cell.set(token);
                assert_eq!(cell.get(), Some(token));
            }
        }
        assert_eq!(Token::new(Isa::Scalar), Some(Token::SCALAR));
    }
}
