//! The data-cache sizes the OS reports, to pick an L1-, L2-, L3- and DRAM-sized length.

/// Bytes of each data-cache level, per core for L1/L2 and in total for L3.
#[derive(Clone, Copy, Debug)]
pub struct CacheSizes {
    pub l1: usize,
    pub l2: usize,
    pub l3: usize,
    /// Whether the numbers came from the OS (false: the defaults below).
    pub from_os: bool,
}

/// What a current desktop or server core has, used where the OS says nothing.
const DEFAULT: CacheSizes = CacheSizes {
    l1: 32 << 10,
    l2: 1 << 20,
    l3: 32 << 20,
    from_os: false,
};

impl CacheSizes {
    pub fn detect() -> CacheSizes {
        read_sysfs().unwrap_or(DEFAULT)
    }
}

/// Linux: /sys/devices/system/cpu/cpu0/cache/index*/{level,type,size}.
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
pub fn parse_size(text: &str) -> Option<usize> {
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
