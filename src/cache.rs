//! The data-cache sizes, read once: they decide when an output is too large to be worth
//! caching (streaming stores), and size the report's lengths. On x86_64 the CPU says them
//! itself (CPUID, on every OS and without `std`); elsewhere Linux's sysfs does; defaults
//! fill what neither says, and [`CacheSizes::source`] tells which it was.

use hadamard_kernels::cpu;

/// Bytes of each data-cache level of the first CPU.
///
/// ```
/// let caches = hadamard::cache_sizes();
/// assert!(caches.l1 <= caches.l2 && caches.l2 <= caches.l3);
/// println!("L2: {} KiB, from {}", caches.l2 >> 10, caches.source);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheSizes {
    /// L1 data cache of one core.
    pub l1: usize,
    /// L2 cache of one core.
    pub l2: usize,
    /// Last-level cache, shared by the cores of one CCX or socket.
    pub l3: usize,
    /// Where the three numbers came from.
    pub source: CacheSource,
}

/// Where [`CacheSizes`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CacheSource {
    /// The CPU's deterministic cache parameters (CPUID leaf 4 on Intel, 0x8000_001D on
    /// AMD): x86_64, any OS, with or without `std`.
    Cpuid,
    /// The OS (Linux: `/sys/devices/system/cpu/cpu0/cache`), where CPUID gives none.
    Os,
    /// Neither said all three levels: the missing ones are defaults typical of a current
    /// desktop or server core (32 KiB, 1 MiB, 32 MiB).
    Defaults,
}

impl core::fmt::Display for CacheSource {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            CacheSource::Cpuid => "CPUID",
            CacheSource::Os => "the OS",
            CacheSource::Defaults => "defaults: neither CPUID nor the OS said",
        })
    }
}

/// The cache sizes of this machine, found at the first call (CPUID on x86_64, else Linux
/// sysfs), defaults where neither says.
pub fn cache_sizes() -> CacheSizes {
    #[cfg(feature = "std")]
    {
        static SIZES: std::sync::OnceLock<CacheSizes> = std::sync::OnceLock::new();
        *SIZES.get_or_init(CacheSizes::detect)
    }
    #[cfg(not(feature = "std"))]
    {
        // CPUID is a few hundred cycles, and only calls large enough to stream ask.
        CacheSizes::from_cpuid(cpu::cpuid_cache_sizes()).unwrap_or(DEFAULT)
    }
}

/// What a current desktop or server core has, used where nothing says.
const DEFAULT: CacheSizes = CacheSizes {
    l1: 32 << 10,
    l2: 1 << 20,
    l3: 32 << 20,
    source: CacheSource::Defaults,
};

impl CacheSizes {
    /// The sizes CPUID gave (L1d, L2, L3 if any), `None` without them.
    fn from_cpuid(sizes: Option<(usize, usize, Option<usize>)>) -> Option<CacheSizes> {
        let (l1, l2, l3) = sizes?;
        Some(
            CacheSizes {
                l1,
                l2,
                l3: l3.unwrap_or(DEFAULT.l3),
                source: if l3.is_some() {
                    CacheSource::Cpuid
                } else {
                    CacheSource::Defaults
                },
            }
            .with_l3_at_least_l2(),
        )
    }

    /// A last level reported smaller than L2 (or none) would stream outputs that fit in L2.
    fn with_l3_at_least_l2(self) -> CacheSizes {
        CacheSizes {
            l3: self.l3.max(self.l2),
            ..self
        }
    }
}

#[cfg(feature = "std")]
impl CacheSizes {
    fn detect() -> CacheSizes {
        Self::from_cpuid(cpu::cpuid_cache_sizes()).unwrap_or_else(|| {
            Self::from_tree(std::path::Path::new("/sys/devices/system/cpu/cpu0/cache"))
        })
    }

    /// The sizes a sysfs cache tree at `root` gives, the defaults where it gives none.
    fn from_tree(root: &std::path::Path) -> CacheSizes {
        read_sysfs(root).unwrap_or(DEFAULT).with_l3_at_least_l2()
    }
}

/// Linux: `root/index*/{level,type,size}` (`root` is /sys/devices/system/cpu/cpu0/cache;
/// tests pass a tree of their own). `None` without levels 1 and 2.
#[cfg(feature = "std")]
fn read_sysfs(root: &std::path::Path) -> Option<CacheSizes> {
    let dir = std::fs::read_dir(root).ok()?;
    let mut sizes = [None::<usize>; 4];
    for entry in dir.flatten() {
        let path = entry.path();
        let read = |name: &str| std::fs::read_to_string(path.join(name)).ok();
        let (Some(level), Some(kind), Some(size)) = (read("level"), read("type"), read("size"))
        else {
            continue;
        };
        if kind.trim() == "Instruction" {
            continue;
        }
        let level: usize = level.trim().parse().ok()?;
        if (1..=3).contains(&level) {
            sizes[level] = parse_size(size.trim());
        }
    }
    Some(CacheSizes {
        l1: sizes[1]?,
        l2: sizes[2]?,
        l3: sizes[3].unwrap_or(DEFAULT.l3),
        source: if sizes[3].is_some() {
            CacheSource::Os
        } else {
            CacheSource::Defaults
        },
    })
}

/// "32K", "1024K", "32768K", "2M" or plain bytes.
#[cfg(feature = "std")]
pub(crate) fn parse_size(text: &str) -> Option<usize> {
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, ""),
    };
    let n: usize = digits.parse().ok()?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return None,
    };
    n.checked_mul(1 << shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_as_sysfs_writes_them() {
        assert_eq!(parse_size("32K"), Some(32 << 10));
        assert_eq!(parse_size("32768K"), Some(32 << 20));
        assert_eq!(parse_size("2M"), Some(2 << 20));
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("12 KiB"), Some(12 << 10));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("3MiB"), Some(3 << 20));
        assert_eq!(parse_size("640B"), Some(640));
        assert_eq!(parse_size("K"), None);
        assert_eq!(parse_size("3X"), None);
    }

    /// What the report prints after "from".
    #[test]
    fn each_source_says_where_the_sizes_came_from() {
        assert_eq!(CacheSource::Cpuid.to_string(), "CPUID");
        assert_eq!(CacheSource::Os.to_string(), "the OS");
        assert_eq!(
            CacheSource::Defaults.to_string(),
            "defaults: neither CPUID nor the OS said"
        );
    }

    #[test]
    fn cpuid_sizes_are_taken_and_said() {
        let got = CacheSizes::from_cpuid(Some((48 << 10, 2 << 20, Some(480 << 20)))).unwrap();
        assert_eq!(
            (got.l1, got.l2, got.l3, got.source),
            (48 << 10, 2 << 20, 480 << 20, CacheSource::Cpuid)
        );
        let no_l3 = CacheSizes::from_cpuid(Some((32 << 10, 4 << 20, None))).unwrap();
        assert_eq!(
            (no_l3.l3, no_l3.source),
            (DEFAULT.l3, CacheSource::Defaults)
        );
        let small_l3 = CacheSizes::from_cpuid(Some((32 << 10, 4 << 20, Some(2 << 20)))).unwrap();
        assert_eq!(small_l3.l3, 4 << 20, "raised to L2");
        assert_eq!(CacheSizes::from_cpuid(None), None);
    }

    /// On x86_64 the sizes come from CPUID whenever it gives them.
    #[test]
    fn x86_sizes_come_from_cpuid() {
        if let Some((l1, l2, Some(l3))) = cpu::cpuid_cache_sizes() {
            let c = cache_sizes();
            assert_eq!(
                (c.l1, c.l2, c.l3, c.source),
                (l1, l2, l3.max(l2), CacheSource::Cpuid)
            );
        }
        assert_eq!(
            cpu::cpuid_cache_sizes().is_some(),
            cfg!(target_arch = "x86_64"),
            "every x86_64 CPU this runs on describes its caches"
        );
    }

    /// A cache tree as sysfs lays it out, in a directory of its own.
    struct FakeSysfs(std::path::PathBuf);

    impl FakeSysfs {
        fn new(name: &str, levels: &[(&str, &str, &str)]) -> FakeSysfs {
            let root =
                std::env::temp_dir().join(format!("hadamard-cache-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            for (i, (level, kind, size)) in levels.iter().enumerate() {
                let dir = root.join(format!("index{i}"));
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join("level"), format!("{level}\n")).unwrap();
                std::fs::write(dir.join("type"), format!("{kind}\n")).unwrap();
                std::fs::write(dir.join("size"), format!("{size}\n")).unwrap();
            }
            std::fs::create_dir_all(&root).unwrap();
            FakeSysfs(root)
        }
    }

    impl Drop for FakeSysfs {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// What `read_sysfs` makes of a tree of `entries`: (L1, L2, L3, source).
    fn read_tree(name: &str, entries: &[(&str, &str, &str)]) -> (usize, usize, usize, CacheSource) {
        let tree = FakeSysfs::new(name, entries);
        let got = read_sysfs(&tree.0).unwrap();
        (got.l1, got.l2, got.l3, got.source)
    }

    #[test]
    fn a_full_tree_gives_each_level_and_skips_instruction_caches() {
        let entries = [
            ("1", "Data", "48K"),
            ("1", "Instruction", "64K"),
            ("2", "Unified", "2048K"),
            ("3", "Unified", "491520K"),
        ];
        let want = (48 << 10, 2 << 20, 480 << 20, CacheSource::Os);
        assert_eq!(read_tree("full", &entries), want);
    }

    #[test]
    fn without_level_3_the_default_is_used_and_said() {
        let entries = [("1", "Data", "32K"), ("2", "Unified", "1M")];
        let want = (32 << 10, 1 << 20, DEFAULT.l3, CacheSource::Defaults);
        assert_eq!(read_tree("no-l3", &entries), want);
    }

    /// The defaults are the ones the docs of `CacheSource::Defaults` give.
    #[test]
    fn defaults_are_the_documented_ones() {
        assert_eq!(
            (DEFAULT.l1, DEFAULT.l2, DEFAULT.l3),
            (32 * 1024, 1024 * 1024, 32 * 1024 * 1024)
        );
        assert_eq!(DEFAULT.source, CacheSource::Defaults);
        let none = CacheSizes::from_tree(std::path::Path::new("/nonexistent/cache"));
        assert_eq!(none, DEFAULT);
    }

    /// A last level reported smaller than L2 is raised to L2, so that outputs that fit in
    /// L2 are never streamed.
    #[test]
    fn a_last_level_below_l2_is_raised_to_it() {
        let tree = FakeSysfs::new(
            "small-l3",
            &[
                ("1", "Data", "32K"),
                ("2", "Unified", "2M"),
                ("3", "Unified", "1M"),
            ],
        );
        let got = CacheSizes::from_tree(&tree.0);
        assert_eq!(
            (got.l1, got.l2, got.l3, got.source),
            (32 << 10, 2 << 20, 2 << 20, CacheSource::Os)
        );
    }

    #[test]
    fn without_levels_1_and_2_or_the_directory_nothing_is_read() {
        let tree = FakeSysfs::new("l3-only", &[("3", "Unified", "32M")]);
        assert_eq!(read_sysfs(&tree.0), None);
        let empty = FakeSysfs::new("empty", &[]);
        assert_eq!(read_sysfs(&empty.0), None);
        assert_eq!(read_sysfs(&empty.0.join("missing")), None);
    }

    /// On Linux, where the kernel publishes the cache tree, the detected sizes are those
    /// of its levels as this test reads them itself (not the defaults).
    #[test]
    fn detected_sizes_are_the_os_ones_where_it_has_them() {
        let c = cache_sizes();
        assert!(c.l1 > 0 && c.l1 <= c.l2 && c.l2 <= c.l3, "{c:?}");
        let root = std::path::Path::new("/sys/devices/system/cpu/cpu0/cache");
        let Ok(entries) = std::fs::read_dir(root) else {
            return;
        };
        let mut data_l1 = None;
        for entry in entries.flatten() {
            let read = |n: &str| std::fs::read_to_string(entry.path().join(n)).unwrap_or_default();
            if read("level").trim() == "1" && read("type").trim() == "Data" {
                data_l1 = Some(
                    read("size")
                        .trim()
                        .trim_end_matches('K')
                        .parse::<usize>()
                        .unwrap()
                        << 10,
                );
            }
        }
        if let Some(l1) = data_l1 {
            assert_eq!(c.l1, l1, "{c:?}");
        }
    }
}
