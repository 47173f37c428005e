//! The data-cache sizes the OS reports, read once: they decide when an output is too
//! large to be worth caching (streaming stores), and size the report's lengths.

/// Bytes of each data-cache level of the first CPU, as the OS reports them.
///
/// ```
/// let caches = hadamard::cache_sizes();
/// assert!(caches.l1 <= caches.l2 && caches.l2 <= caches.l3);
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
    /// Whether the numbers came from the OS; when false they are defaults typical of a
    /// current desktop or server core (32 KiB, 1 MiB, 32 MiB).
    pub from_os: bool,
}

/// The cache sizes of this machine, read from the OS at the first call (Linux: sysfs),
/// defaults where it says nothing (and always without the `std` feature).
pub fn cache_sizes() -> CacheSizes {
    #[cfg(feature = "std")]
    {
        static SIZES: std::sync::OnceLock<CacheSizes> = std::sync::OnceLock::new();
        *SIZES.get_or_init(CacheSizes::detect)
    }
    #[cfg(not(feature = "std"))]
    {
        DEFAULT
    }
}

/// What a current desktop or server core has, used where the OS says nothing.
const DEFAULT: CacheSizes = CacheSizes {
    l1: 32 << 10,
    l2: 1 << 20,
    l3: 32 << 20,
    from_os: false,
};

#[cfg(feature = "std")]
impl CacheSizes {
    fn detect() -> CacheSizes {
        let sizes = read_sysfs().unwrap_or(DEFAULT);
        // A report of L3 < L2 (or none) would stream outputs that fit in L2.
        CacheSizes {
            l3: sizes.l3.max(sizes.l2),
            ..sizes
        }
    }
}

/// Linux: /sys/devices/system/cpu/cpu0/cache/index*/{level,type,size}.
#[cfg(feature = "std")]
fn read_sysfs() -> Option<CacheSizes> {
    let dir = std::fs::read_dir("/sys/devices/system/cpu/cpu0/cache").ok()?;
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
        from_os: true,
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
        assert_eq!(parse_size("K"), None);
        assert_eq!(parse_size("3X"), None);
    }

    #[test]
    fn detected_sizes_are_ordered() {
        let c = cache_sizes();
        assert!(c.l1 > 0 && c.l1 <= c.l2 && c.l2 <= c.l3, "{c:?}");
    }
}
