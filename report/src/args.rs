//! The report binary's command line.

use super::cases::Align;
use hadamard::{Kernel, Stores};

pub const HELP: &str = "\
hadamard: report what this machine runs and how fast

USAGE: cargo run --release -- [OPTIONS]

With no options: CPU features, kernels, the selected kernel, then throughput of every
available kernel for f32 and f64 at an L1-, L2-, L3- and DRAM-sized length, on one thread
and on all threads, beside the machine's copy bandwidth, each kind of row explained
below the table. About 20 s (--samples times --sample-ms per row).

OPTIONS:
  --sizes LIST      which lengths: l1, l2, l3, dram, or element counts (4096, 64k, 16M)
                    [default: l1,l2,l3,dram]
  --types LIST      f32, f64 [default: f32,f64]
  --kernels LIST    kernel names (scalar, sse2, avx2, avx512, neon) [default: all available]
  --threads LIST    1, all, or a number of threads [default: 1,all]
  --stores LIST     auto, normal, streaming: how outputs are stored [default: auto]
                    (kernel names get a suffix: /normal, /nt for streaming)
  --samples N       samples per point; the median is reported [default: 11]
  --sample-ms MS    length of one sample in milliseconds [default: 20]
  --compare         instead of the table: hadamard against its peers (naive loop, native
                    loop, rayon, ndarray, nalgebra, faer) at 16 … 64M elements, and the
                    ratio of the default call to the fastest peer. The peers build only
                    with the compare feature:
                    cargo run --release --features compare -- --compare
  --plot FILE.svg   with --compare: also draw GB/s against length for every kernel and
                    peer, with copy bandwidth as the ceiling
  --ops             instead of the table: every operation on every element type
                    (scale, multiply-add, sums, integer wrapping and saturating,
                    normalized u8, complex, split complex, f16/bf16, widening, the
                    one-pass formulas mul_then_add_mul, then_add_mul_assign, blend,
                    blend_u8): each kernel, the default call and the plain loop
                    compiled with the CPU's features (native avx512, native avx2), one
                    thread, at an L1-sized length unless --sizes says otherwise; vs
                    native is the best plain loop's time over the row's. The formulas
                    also beside the sequence of the crate's other calls giving the
                    same bits (vs seq) and a rayon + streaming-store loop by hand
  --only LIST       with --ops or --threshold: only these operations, as op or op/type
                    (mul, mul/f32, sum/c32)
  --align LIST      with --ops: where operands start relative to a 64-byte line:
                    aligned (all on a line), same (all 16 bytes past one), different
                    (inputs 16 and 32, output 48 bytes past one) [default: all three]
  --threshold       instead of the table: the default call against pools of 1, 2, 4, …
                    threads and the whole pool, 64 KiB to 48 MiB moved, hot (back to
                    back) and cold (2 ms idle before each call), beside the thread count
                    the crate decides; operations mul, mul_assign, mul_then_add_assign,
                    sum (--only picks some); f32 and f64 (--types)
  --info            only the CPU, kernel and cache information
  --list-kernels    only the names of the kernels this CPU runs, one per line
  -h, --help        this text

GB/s counts two reads and one write per element (12 bytes for f32, 24 for f64);
copy GB/s counts one read and one write. The environment variable HADAMARD_KERNEL
forces the default path's kernel, as in any program using the crate.
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    L1,
    L2,
    L3,
    Dram,
    Elements(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Threads {
    One,
    All,
    Count(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    F32,
    F64,
}

#[derive(Clone, Debug)]
pub enum Mode {
    Table,
    Compare,
    Threshold,
    Ops,
    Info,
    ListKernels,
    Help,
}

#[derive(Clone, Debug)]
pub struct Args {
    pub mode: Mode,
    pub sizes: Vec<Size>,
    /// Whether --sizes was given (--compare has its own default lengths).
    pub sizes_given: bool,
    pub plot: Option<String>,
    pub types: Vec<Type>,
    /// `None`: every available kernel.
    pub kernels: Option<Vec<Kernel>>,
    pub threads: Vec<Threads>,
    pub stores: Vec<Stores>,
    pub samples: usize,
    pub sample_ms: u64,
    /// Where operands start relative to a cache line (`--ops`).
    pub aligns: Vec<Align>,
    /// `--ops` cases to run (`op` or `op/type`); empty: all.
    pub only: Vec<String>,
}

impl Args {
    /// Parses the command line (without the program name): `--name VALUE` or
    /// `--name=VALUE`, at most one mode; an error names the option and what is wrong.
    pub fn parse(argv: impl Iterator<Item = String>) -> Result<Args, String> {
        let mut args = Args {
            mode: Mode::Table,
            sizes: vec![Size::L1, Size::L2, Size::L3, Size::Dram],
            sizes_given: false,
            plot: None,
            types: vec![Type::F32, Type::F64],
            kernels: None,
            threads: vec![Threads::One, Threads::All],
            stores: vec![Stores::Auto],
            samples: 11,
            sample_ms: 20,
            aligns: Align::ALL.to_vec(),
            only: Vec::new(),
        };
        let mut mode: Option<(String, Mode)> = None;
        let mut help = false;
        let mut argv = argv.peekable();
        while let Some(arg) = argv.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (name, Some(value.to_string())),
                _ => (arg.as_str(), None),
            };
            let modal = match name {
                "-h" | "--help" => Some(Mode::Help),
                "--list-kernels" => Some(Mode::ListKernels),
                "--info" => Some(Mode::Info),
                "--compare" => Some(Mode::Compare),
                "--threshold" => Some(Mode::Threshold),
                "--ops" => Some(Mode::Ops),
                _ => None,
            };
            if let Some(new) = modal {
                if inline.is_some() {
                    return Err(format!("{name} takes no value; see --help"));
                }
                if matches!(new, Mode::Help) {
                    help = true;
                } else if let Some((first, _)) = &mode {
                    return Err(format!(
                        "{first} and {name} cannot be used together: each is a mode of its own"
                    ));
                } else {
                    mode = Some((name.to_string(), new));
                }
                continue;
            }
            // Taken only by a known option, so an unknown one is named as such.
            let mut inline = inline;
            let mut value = || -> Result<String, String> {
                inline
                    .take()
                    .or_else(|| argv.next_if(|next| !next.starts_with("--")))
                    .ok_or_else(|| format!("{name} needs a value; see --help"))
            };
            match name {
                "--sizes" => {
                    args.sizes = list(&value()?, parse_size_arg)?;
                    args.sizes_given = true;
                }
                "--types" => args.types = list(&value()?, parse_type)?,
                "--kernels" => {
                    args.kernels = Some(list(&value()?, |s| {
                        s.parse::<Kernel>().map_err(|e| e.to_string())
                    })?)
                }
                "--threads" => args.threads = list(&value()?, parse_threads)?,
                "--stores" => args.stores = list(&value()?, parse_stores)?,
                "--only" => args.only = list(&value()?, |s| Ok(s.to_string()))?,
                "--align" => args.aligns = list(&value()?, Align::parse)?,
                "--plot" => args.plot = Some(value()?),
                "--samples" => {
                    args.samples = number(&value()?).map_err(|e| format!("--samples: {e}"))?
                }
                "--sample-ms" => {
                    args.sample_ms =
                        number(&value()?).map_err(|e| format!("--sample-ms: {e}"))? as u64
                }
                _ => return Err(format!("unknown option {name:?}; see --help")),
            }
        }
        args.mode = match (help, mode) {
            (true, _) => Mode::Help,
            (false, Some((_, mode))) => mode,
            (false, None) => Mode::Table,
        };
        Ok(args)
    }
}

fn list<T>(text: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    text.split(',').map(|s| parse(s.trim())).collect()
}

fn number(text: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|_| format!("{text:?} is not a whole number"))
}

fn parse_size_arg(text: &str) -> Result<Size, String> {
    Ok(match text.to_ascii_lowercase().as_str() {
        "l1" => Size::L1,
        "l2" => Size::L2,
        "l3" => Size::L3,
        "dram" => Size::Dram,
        // Element counts use the same suffixes as cache sizes (k = 1024).
        other => Size::Elements(
            parse_count(other).ok_or_else(|| format!("{text:?} is not a size; see --help"))?,
        ),
    })
}

fn parse_type(text: &str) -> Result<Type, String> {
    match text {
        "f32" => Ok(Type::F32),
        "f64" => Ok(Type::F64),
        _ => Err(format!("{text:?} is not a type: f32 or f64")),
    }
}

fn parse_stores(text: &str) -> Result<Stores, String> {
    match text {
        "auto" => Ok(Stores::Auto),
        "normal" => Ok(Stores::Normal),
        "streaming" | "nt" => Ok(Stores::Streaming),
        _ => Err(format!(
            "{text:?} is not a store policy: auto, normal or streaming"
        )),
    }
}

/// The suffix a kernel's name gets in tables for a store policy.
pub fn stores_suffix(stores: Stores) -> &'static str {
    match stores {
        Stores::Normal => "/normal",
        Stores::Streaming => "/nt",
        _ => "",
    }
}

fn parse_threads(text: &str) -> Result<Threads, String> {
    match text {
        "1" => Ok(Threads::One),
        "all" => Ok(Threads::All),
        n => match number(n)? {
            0 => Err("--threads 0 makes no sense".into()),
            n => Ok(Threads::Count(n)),
        },
    }
}

/// An element count: digits with an optional binary suffix k, m or g (64k = 65536).
fn parse_count(text: &str) -> Option<usize> {
    let (digits, shift) = match text.as_bytes().last()? {
        b'k' => (&text[..text.len() - 1], 10),
        b'm' => (&text[..text.len() - 1], 20),
        b'g' => (&text[..text.len() - 1], 30),
        _ => (text, 0),
    };
    digits.parse::<usize>().ok()?.checked_mul(1 << shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Args, String> {
        Args::parse(line.split_whitespace().map(String::from))
    }

    #[test]
    fn values_come_after_a_space_or_an_equals_sign() {
        let args =
            parse("--sizes l1,64k --types=f64 --samples 3 --sample-ms=5 --threads 1,3").unwrap();
        assert_eq!(args.sizes, [Size::L1, Size::Elements(65536)]);
        assert!(args.sizes_given);
        assert_eq!(args.types, [Type::F64]);
        assert_eq!((args.samples, args.sample_ms), (3, 5));
        assert_eq!(args.threads, [Threads::One, Threads::Count(3)]);
        assert!(matches!(args.mode, Mode::Table));
        assert!(matches!(
            parse("--ops --only mul/f32").unwrap().mode,
            Mode::Ops
        ));
        assert!(matches!(parse("--info -h").unwrap().mode, Mode::Help));
    }

    #[test]
    fn mistakes_name_the_option() {
        let error = |line: &str| parse(line).err().unwrap_or_else(|| panic!("{line} parsed"));
        assert!(error("--info --compare").contains("--info and --compare cannot be used together"));
        assert!(error("--sizes").contains("--sizes needs a value"));
        assert!(error("--sizes --info").contains("--sizes needs a value"));
        assert!(error("--size l1").contains("unknown option \"--size\""));
        assert!(error("--bogus").contains("unknown option \"--bogus\""));
        assert!(error("--samples x").contains("--samples: \"x\" is not a whole number"));
        assert!(error("--info=yes").contains("--info takes no value"));
        assert!(error("--types f16").contains("\"f16\" is not a type"));
    }
}
