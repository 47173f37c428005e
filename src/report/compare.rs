//! `--compare`: hadamard and its peers at every size, in one run, with the ratio of the
//! crate's default call to the fastest peer doing the same operation.

use super::args::{Args, Size, Type};
use super::contenders::{self, Op, PeerElement};
use super::measure::{gb_per_s, median_time_per_call, Budget};
use super::plot::{Panel, Series};
use super::workload::{Buffers, Sample};
use hadamard::CacheSizes;
use std::time::Duration;

/// The lengths `--compare` sweeps when `--sizes` names none: 16 … 64M, powers of four.
pub fn default_lengths() -> Vec<usize> {
    (2..=13).map(|k| 1usize << (2 * k)).collect()
}

/// One type's measurements: per contender, GB/s at each length; and the copy ceiling.
pub struct Sweep {
    pub type_name: &'static str,
    pub lengths: Vec<usize>,
    pub names: Vec<String>,
    pub ops: Vec<Op>,
    pub is_hadamard: Vec<bool>,
    pub default: Vec<bool>,
    /// gb_s[contender][length]
    pub gb_s: Vec<Vec<f64>>,
    pub copy_gb_s: Vec<f64>,
}

pub fn run(args: &Args, caches: &CacheSizes) -> Vec<Sweep> {
    let lengths: Vec<usize> = if args.sizes_given {
        args.sizes
            .iter()
            .map(|&s| match s {
                Size::Elements(n) => n,
                other => super::workload::elements_for(other, caches, 4),
            })
            .collect()
    } else {
        default_lengths()
    };
    args.types
        .iter()
        .map(|ty| match ty {
            Type::F32 => sweep::<f32>(args, &lengths),
            Type::F64 => sweep::<f64>(args, &lengths),
        })
        .collect()
}

fn sweep<T: Sample + PeerElement>(args: &Args, lengths: &[usize]) -> Sweep {
    let budget = Budget {
        samples: args.samples,
        sample_time: Duration::from_millis(args.sample_ms),
    };
    let list = contenders::all::<T>();
    let mut gb_s = vec![Vec::new(); list.len()];
    let mut copy_gb_s = Vec::new();
    for (li, &len) in lengths.iter().enumerate() {
        let size = std::mem::size_of::<T>();
        let mut buffers = Buffers::<T>::new(len);
        let copy = |buffers: &mut Buffers<T>, parallel| {
            gb_per_s(
                2 * len * size,
                median_time_per_call(budget, || buffers.copy(parallel)),
            )
        };
        // The ceiling: the better of copying on one thread and on all.
        copy_gb_s.push(copy(&mut buffers, false).max(copy(&mut buffers, true)));
        for (ci, c) in list.iter().enumerate() {
            eprint!(
                "\r\x1b[2K[{}/{}] {} {len}: {}",
                li + 1,
                lengths.len(),
                T::NAME,
                c.name
            );
            let Buffers { a, b, out } = &mut buffers;
            if c.op == Op::InPlace {
                // Repeated in-place products grow towards inf; reset to normal values so
                // no sample runs on special values.
                out.copy_from_slice(a);
            }
            let time = median_time_per_call(budget, || (c.run)(a, b, out));
            gb_s[ci].push(gb_per_s(3 * len * size, time));
        }
    }
    eprint!("\r\x1b[2K");
    Sweep {
        type_name: T::NAME,
        lengths: lengths.to_vec(),
        names: list.iter().map(|c| c.name.clone()).collect(),
        ops: list.iter().map(|c| c.op).collect(),
        is_hadamard: list.iter().map(|c| c.is_hadamard).collect(),
        default: list.iter().map(|c| c.hadamard_default).collect(),
        gb_s,
        copy_gb_s,
    }
}

fn length_label(n: usize) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{}M", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{}K", n >> 10),
        n => n.to_string(),
    }
}

/// Every contender's GB/s at every length (12 bytes moved per f32 element, 24 per f64).
pub fn print_full(sweep: &Sweep) {
    print!("{:<48}", format!("{} GB/s", sweep.type_name));
    for &n in &sweep.lengths {
        print!("{:>7}", length_label(n));
    }
    println!();
    for (ci, name) in sweep.names.iter().enumerate() {
        print!("{:<48}", format!("{} [{}]", name, sweep.ops[ci].name()));
        for v in &sweep.gb_s[ci] {
            print!("{v:>7.1}");
        }
        println!();
    }
    print!("{:<48}", "copy (ceiling, 2 transfers/elem)");
    for v in &sweep.copy_gb_s {
        print!("{v:>7.1}");
    }
    println!("\n");
}

/// The crate's default call against the fastest peer doing the same operation.
pub fn print_ratios(sweep: &Sweep) {
    println!(
        "{:<5} {:>6} {:<10} {:>9} {:<31} {:>9} {:>7}",
        "type", "length", "operation", "hadamard", "fastest peer", "its GB/s", "ratio"
    );
    for op in [Op::Out, Op::InPlace, Op::Allocating] {
        let Some(ours) = (0..sweep.names.len()).find(|&c| sweep.default[c] && sweep.ops[c] == op)
        else {
            continue;
        };
        for (li, &n) in sweep.lengths.iter().enumerate() {
            let best = (0..sweep.names.len())
                .filter(|&c| !sweep.is_hadamard[c] && sweep.ops[c] == op)
                .max_by(|&x, &y| sweep.gb_s[x][li].total_cmp(&sweep.gb_s[y][li]));
            let Some(best) = best else { continue };
            println!(
                "{:<5} {:>6} {:<10} {:>9.1} {:<31} {:>9.1} {:>6.2}x",
                sweep.type_name,
                length_label(n),
                op.name(),
                sweep.gb_s[ours][li],
                sweep.names[best],
                sweep.gb_s[best][li],
                sweep.gb_s[ours][li] / sweep.gb_s[best][li]
            );
        }
    }
    println!();
}

/// The `out = a ⊙ b` contenders of a sweep as a plot panel.
pub fn panel(sweep: &Sweep) -> Panel {
    let series = (0..sweep.names.len())
        .filter(|&c| sweep.ops[c] == Op::Out)
        .map(|c| Series {
            name: sweep.names[c].clone(),
            values: sweep.gb_s[c].clone(),
            emphasis: sweep.default[c],
            hadamard: sweep.is_hadamard[c],
        })
        .collect();
    Panel {
        title: format!(
            "{}: out = a ⊙ b, GB/s (12 or 24 bytes moved per element)",
            sweep.type_name
        ),
        lengths: sweep.lengths.clone(),
        series,
        ceiling: sweep.copy_gb_s.clone(),
    }
}
