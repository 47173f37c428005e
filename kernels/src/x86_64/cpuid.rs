//! What the CPU says about itself through CPUID (and the OS through XGETBV), with no help
//! from `std`: the features detection needs without the `std` feature, and the data-cache
//! sizes on every OS.
//!
//! A feature is usable only when the CPU has it *and* the OS saves the registers it uses
//! on a context switch: the `ymm` state for AVX, AVX2, FMA and F16C, the `zmm` and mask
//! state as well for AVX-512 (XCR0 bits 1–2 and 5–7, read with XGETBV once CPUID says the
//! OS enabled it, OSXSAVE). `std::is_x86_feature_detected!` applies the same rules; a test
//! checks the two agree on every feature.

use core::arch::x86_64::{__cpuid_count, _xgetbv, CpuidResult};
use core::sync::atomic::{AtomicU32, Ordering};

/// CPUID leaf `leaf`, sub-leaf `sub`.
fn cpuid(leaf: u32, sub: u32) -> CpuidResult {
    // Older Rust (the crate's `rust-version`, 1.89, among them) declares the intrinsic
    // `unsafe`, newer versions safe: the block is for the former.
    #[allow(unused_unsafe)]
    // SAFETY: every x86_64 CPU has the CPUID instruction, and a leaf beyond the maximum
    // returns data (the highest basic leaf's) rather than faulting.
    unsafe {
        __cpuid_count(leaf, sub)
    }
}

fn bit(word: u32, n: u32) -> bool {
    word >> n & 1 == 1
}

/// The features of `crate::cpu::KNOWN_FEATURES` (same order) this CPU and OS support, one
/// bit each. (With `std`, detection is `std`'s and this serves the test that compares
/// the two.)
#[cfg_attr(feature = "std", allow(dead_code))]
fn detect() -> u32 {
    let max_leaf = cpuid(0, 0).eax;
    let leaf1 = cpuid(1, 0);
    let (ecx1, edx1) = (leaf1.ecx, leaf1.edx);
    let osxsave = bit(ecx1, 27);
    // SAFETY: XGETBV is available when CPUID.1:ECX.OSXSAVE[bit 27] is set (the OS has
    // enabled XSAVE and the XCR registers), which is checked first; XCR0 (index 0) is
    // readable at every privilege level then.
    let xcr0 = if osxsave { unsafe { _xgetbv(0) } } else { 0 };
    let ymm_saved = xcr0 & 0b110 == 0b110; // SSE and AVX state
    let zmm_saved = ymm_saved && xcr0 & 0b1110_0000 == 0b1110_0000; // opmask, ZMM_Hi256, Hi16_ZMM
    let avx = bit(ecx1, 28) && ymm_saved;
    let (ebx7, ecx7, edx7, eax7_1) = if max_leaf >= 7 {
        let leaf7 = cpuid(7, 0);
        let eax7_1 = if leaf7.eax >= 1 { cpuid(7, 1).eax } else { 0 };
        (leaf7.ebx, leaf7.ecx, leaf7.edx, eax7_1)
    } else {
        (0, 0, 0, 0)
    };
    let avx512f = bit(ebx7, 16) && zmm_saved;
    let flags = [
        ("sse2", bit(edx1, 26)),
        ("avx", avx),
        ("avx2", avx && bit(ebx7, 5)),
        ("fma", avx && bit(ecx1, 12)),
        ("f16c", avx && bit(ecx1, 29)),
        ("avx512f", avx512f),
        ("avx512bw", avx512f && bit(ebx7, 30)),
        ("avx512dq", avx512f && bit(ebx7, 17)),
        ("avx512vl", avx512f && bit(ebx7, 31)),
        ("avx512vbmi2", avx512f && bit(ecx7, 6)),
        ("avx512bf16", avx512f && bit(eax7_1, 5)),
        ("avx512fp16", avx512f && bit(edx7, 23)),
    ];
    let mut bits = 0;
    for (i, known) in crate::cpu::KNOWN_FEATURES.iter().enumerate() {
        let has = flags.iter().any(|&(name, has)| name == *known && has);
        bits |= (has as u32) << i;
    }
    bits
}

/// `detect()`'s bits, kept after the first call; bit 31 marks them as known.
#[cfg_attr(feature = "std", allow(dead_code))]
static DETECTED: AtomicU32 = AtomicU32::new(0);
#[cfg_attr(feature = "std", allow(dead_code))]
const KNOWN: u32 = 1 << 31;

/// Whether this CPU and OS support `name` (one of `KNOWN_FEATURES`), by CPUID, detected once
/// and cached (racing first calls compute the same bits).
#[cfg_attr(feature = "std", allow(dead_code))]
pub(crate) fn detected(name: &str) -> Option<bool> {
    let index = crate::cpu::KNOWN_FEATURES.iter().position(|&f| f == name)?;
    let mut bits = DETECTED.load(Ordering::Relaxed);
    if bits & KNOWN == 0 {
        bits = detect() | KNOWN;
        DETECTED.store(bits, Ordering::Relaxed);
    }
    Some(bits >> index & 1 == 1)
}

/// Bytes of the L1 data, L2 and L3 caches (L3 `None` when there is none) from the CPU's
/// deterministic cache parameters: leaf 4 (Intel) or 0x8000_001D (AMD, Hygon). `None`
/// when the CPU (or a hypervisor) gives neither.
pub fn cache_sizes() -> Option<(usize, usize, Option<usize>)> {
    let enumerate = |leaf: u32| {
        let mut sizes = [None::<usize>; 4];
        for sub in 0..16 {
            let r = cpuid(leaf, sub);
            let kind = r.eax & 0x1f; // 0 none (end), 1 data, 2 instruction, 3 unified
            if kind == 0 {
                break;
            }
            let level = (r.eax >> 5 & 0x7) as usize;
            if kind == 2 || !(1..=3).contains(&level) {
                continue;
            }
            let ways = (r.ebx >> 22) as usize + 1;
            let partitions = (r.ebx >> 12 & 0x3ff) as usize + 1;
            let line = (r.ebx & 0xfff) as usize + 1;
            let sets = r.ecx as usize + 1;
            sizes[level] = Some(ways * partitions * line * sets);
        }
        Some((sizes[1]?, sizes[2]?, sizes[3]))
    };
    let max_leaf = cpuid(0, 0).eax;
    if max_leaf >= 4 {
        if let Some(sizes) = enumerate(4) {
            return Some(sizes);
        }
    }
    let max_extended = cpuid(0x8000_0000, 0).eax;
    if max_extended >= 0x8000_001d && bit(cpuid(0x8000_0001, 0).ecx, 22) {
        return enumerate(0x8000_001d);
    }
    None
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    /// The CPUID rules give what `std`'s detection gives, feature by feature, on this CPU.
    #[test]
    fn cpuid_detection_agrees_with_std() {
        for &name in crate::cpu::KNOWN_FEATURES {
            let ours = detected(name).expect("a known feature");
            let std_says = match name {
                "sse2" => std::is_x86_feature_detected!("sse2"),
                "avx" => std::is_x86_feature_detected!("avx"),
                "avx2" => std::is_x86_feature_detected!("avx2"),
                "fma" => std::is_x86_feature_detected!("fma"),
                "f16c" => std::is_x86_feature_detected!("f16c"),
                "avx512f" => std::is_x86_feature_detected!("avx512f"),
                "avx512bw" => std::is_x86_feature_detected!("avx512bw"),
                "avx512dq" => std::is_x86_feature_detected!("avx512dq"),
                "avx512vl" => std::is_x86_feature_detected!("avx512vl"),
                "avx512vbmi2" => std::is_x86_feature_detected!("avx512vbmi2"),
                "avx512bf16" => std::is_x86_feature_detected!("avx512bf16"),
                "avx512fp16" => std::is_x86_feature_detected!("avx512fp16"),
                other => panic!("no std probe written for {other}"),
            };
            assert_eq!(
                ours, std_says,
                "{name}: CPUID says {ours}, std says {std_says}"
            );
        }
        assert_eq!(detected("not-a-feature"), None);
    }

    /// On Linux, CPUID's cache sizes are the ones the kernel reports in sysfs (which it
    /// reads from the same leaves).
    #[test]
    fn cpuid_cache_sizes_agree_with_sysfs() {
        let root = std::path::Path::new("/sys/devices/system/cpu/cpu0/cache");
        let Ok(entries) = std::fs::read_dir(root) else {
            return; // not Linux: nothing to compare with
        };
        let mut sysfs = [None::<usize>; 4];
        for entry in entries.flatten() {
            let read = |n: &str| std::fs::read_to_string(entry.path().join(n)).ok();
            let (Some(level), Some(kind), Some(size)) = (read("level"), read("type"), read("size"))
            else {
                continue;
            };
            let level: usize = level.trim().parse().unwrap();
            let kib: usize = size.trim().trim_end_matches('K').parse().unwrap();
            if kind.trim() != "Instruction" && level <= 3 {
                sysfs[level] = Some(kib << 10);
            }
        }
        let Some((l1, l2, l3)) = cache_sizes() else {
            panic!("this CPU's CPUID gives no cache sizes, sysfs gives {sysfs:?}");
        };
        assert_eq!(Some(l1), sysfs[1], "L1d");
        assert_eq!(Some(l2), sysfs[2], "L2");
        assert_eq!(l3, sysfs[3], "L3");
    }
}
