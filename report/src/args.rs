//! The report binary's command line.

use super::cases::Align;
use clap::{Arg, ArgAction, ArgGroup, Command};
use hadamard::{Kernel, Stores};

pub const HELP: &str = "\
hadamard: report what this machine runs and how fast

USAGE: cargo run --release -- [OPTIONS]

With no options: CPU features, kernels, the selected kernel, then throughput of every
available kernel for f32 and f64 at an L1-, L2-, L3- and DRAM-sized length, on one thread
and on all threads, beside the machine's copy bandwidth. About a minute.

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
                    ratio of the default call to the fastest peer
  --plot FILE.svg   with --compare: also draw GB/s against length for every kernel and
                    peer, with copy bandwidth as the ceiling
  --ops             instead of the table: every operation on every element type
                    (scale, multiply-add, sums, integer wrapping and saturating,
                    normalized u8, complex, split complex, f16/bf16, widening): each
                    kernel, the default call and the plain loop compiled with the CPU's
                    features (native avx512, native avx2), one thread, at an
                    L1-sized length unless --sizes says otherwise; vs native is the
                    best plain loop's time over the row's
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
    /// Parses the command line (without the program name) with clap, keeping the help
    /// text above; an error is clap's message.
    pub fn parse(argv: impl Iterator<Item = String>) -> Result<Args, String> {
        let m = command()
            .try_get_matches_from(std::iter::once("hadamard".to_string()).chain(argv))
            .map_err(|e| e.to_string())?;
        let mode = [
            ("help", Mode::Help),
            ("list-kernels", Mode::ListKernels),
            ("info", Mode::Info),
            ("compare", Mode::Compare),
            ("threshold", Mode::Threshold),
            ("ops", Mode::Ops),
        ]
        .into_iter()
        .find(|(flag, _)| m.get_flag(flag))
        .map_or(Mode::Table, |(_, mode)| mode);
        let lists = |name: &str| m.get_one::<String>(name).cloned();
        let mut args = Args {
            mode,
            sizes: vec![Size::L1, Size::L2, Size::L3, Size::Dram],
            sizes_given: false,
            plot: lists("plot"),
            types: vec![Type::F32, Type::F64],
            kernels: None,
            threads: vec![Threads::One, Threads::All],
            stores: vec![Stores::Auto],
            samples: 11,
            sample_ms: 20,
            aligns: Align::ALL.to_vec(),
            only: Vec::new(),
        };
        if let Some(v) = lists("sizes") {
            args.sizes = list(&v, parse_size_arg)?;
            args.sizes_given = true;
        }
        if let Some(v) = lists("types") {
            args.types = list(&v, parse_type)?;
        }
        if let Some(v) = lists("kernels") {
            args.kernels = Some(list(&v, |s| {
                s.parse::<Kernel>().map_err(|e| e.to_string())
            })?);
        }
        if let Some(v) = lists("threads") {
            args.threads = list(&v, parse_threads)?;
        }
        if let Some(v) = lists("stores") {
            args.stores = list(&v, parse_stores)?;
        }
        if let Some(v) = lists("only") {
            args.only = list(&v, |s| Ok(s.to_string()))?;
        }
        if let Some(v) = lists("align") {
            args.aligns = list(&v, Align::parse)?;
        }
        if let Some(&n) = m.get_one::<usize>("samples") {
            args.samples = n;
        }
        if let Some(&n) = m.get_one::<u64>("sample-ms") {
            args.sample_ms = n;
        }
        Ok(args)
    }
}

/// The options clap parses: the modes exclude each other, the lists are parsed above
/// (so their messages name the valid words), the numbers by clap.
fn command() -> Command {
    let flag = |name: &'static str| Arg::new(name).long(name).action(ArgAction::SetTrue);
    let value = |name: &'static str| Arg::new(name).long(name).value_name("LIST");
    Command::new("hadamard")
        .override_help(HELP)
        .override_usage("cargo run --release -- [OPTIONS]")
        .disable_help_flag(true)
        .args([
            flag("help").short('h'),
            flag("list-kernels"),
            flag("info"),
            flag("compare"),
            flag("threshold"),
            flag("ops"),
        ])
        .group(
            ArgGroup::new("mode")
                .args(["list-kernels", "info", "compare", "threshold", "ops"])
                .multiple(false),
        )
        .args(
            [
                "sizes", "types", "kernels", "threads", "stores", "only", "align",
            ]
            .map(value),
        )
        .arg(Arg::new("plot").long("plot").value_name("FILE.svg"))
        .arg(
            Arg::new("samples")
                .long("samples")
                .value_parser(clap::value_parser!(usize)),
        )
        .arg(
            Arg::new("sample-ms")
                .long("sample-ms")
                .value_parser(clap::value_parser!(u64)),
        )
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
