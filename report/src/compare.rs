//! `--compare`: hadamard and its peers at every size, in one run, with the ratio of the
//! crate's default call to the fastest peer doing the same operation.

use super::args::{Args, Size, Type};
use super::contenders::{self, Op, PeerElement};
use super::measure::{gb_per_s, interleaved_medians, Budget};
use super::plot::{Panel, Series};
use super::workload::{Buffers, Sample};
use hadamard::CacheSizes;
use std::time::Duration;

/// One type's measurements: per contender, GB/s at each length; and the copy ceiling.
pub struct Sweep {
    pub type_name: &'static str,
    pub element_bytes: usize,
    pub lengths: Vec<usize>,
    pub names: Vec<String>,
    pub ops: Vec<Op>,
    pub is_hadamard: Vec<bool>,
    pub default: Vec<bool>,
    /// `gb_s[contender][length]`
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
        super::sample::sweep_lengths().collect()
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
    let progress = crate::progress::Progress::new();
    for (li, &len) in lengths.iter().enumerate() {
        progress.show(&format!(
            "[{}/{}] {} {len} elements",
            li + 1,
            lengths.len(),
            T::NAME
        ));
        let size = std::mem::size_of::<T>();
        let buffers = std::cell::RefCell::new(Buffers::<T>::new(len));
        // Copy on one thread and on all, then every contender, interleaved round by round.
        let mut copy_one = || buffers.borrow_mut().copy(false);
        let mut copy_all = || buffers.borrow_mut().copy(true);
        let mut runs: Vec<Box<dyn FnMut() + '_>> = list
            .iter()
            .map(|c| {
                let buffers = &buffers;
                Box::new(move || {
                    let mut guard = buffers.borrow_mut();
                    let Buffers { a, b, out } = &mut *guard;
                    // In-place contenders multiply the same buffer again and again; its
                    // values overflow to inf, which x86 multiplies at full speed (only
                    // subnormals are slow), so no reset is needed inside the timing.
                    (c.run)(a, b, out)
                }) as Box<dyn FnMut() + '_>
            })
            .collect();
        let mut fns: Vec<&mut dyn FnMut()> = vec![&mut copy_one, &mut copy_all];
        fns.extend(runs.iter_mut().map(|f| &mut **f as &mut dyn FnMut()));
        let medians = interleaved_medians(budget, &mut fns);
        copy_gb_s
            .push(gb_per_s(2 * len * size, medians[0]).max(gb_per_s(2 * len * size, medians[1])));
        for (ci, &seconds) in medians[2..].iter().enumerate() {
            gb_s[ci].push(gb_per_s(3 * len * size, seconds));
        }
    }
    progress.clear();
    Sweep {
        type_name: T::NAME,
        element_bytes: std::mem::size_of::<T>(),
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
    println!(
        "  ratio: hadamard's default call over the fastest peer computing the same thing \
         (out = a*b into a buffer, in place, or into a new allocation), both GB/s of 3 \
         transfers per element; above 1x hadamard is faster"
    );
    println!();
}

/// The default call against the better of the two things it chooses between: its own
/// kernel on one thread and the same kernel always split across threads.
pub fn print_self_check(sweep: &Sweep) {
    let find = |name: &str| sweep.names.iter().position(|n| n == name);
    let kernel = hadamard::selected_kernel();
    let (Some(default), Some(split), Some(one)) = (
        find("hadamard::mul_elementwise"),
        find("hadamard, always split"),
        find(&format!("hadamard {kernel}, 1 thread")),
    ) else {
        return;
    };
    println!(
        "{:<5} {:>6} {:>9} {:>12} {:>12} {:>16}",
        "type", "length", "default", "1 thread", "split", "default/best"
    );
    for (li, &n) in sweep.lengths.iter().enumerate() {
        let best = sweep.gb_s[one][li].max(sweep.gb_s[split][li]);
        println!(
            "{:<5} {:>6} {:>9.1} {:>12.1} {:>12.1} {:>15.2}x",
            sweep.type_name,
            length_label(n),
            sweep.gb_s[default][li],
            sweep.gb_s[one][li],
            sweep.gb_s[split][li],
            sweep.gb_s[default][li] / best
        );
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
            "{}: out = a ⊙ b, GB/s against length ({} bytes moved per element: a, b read, out \
             written); dashed: a copy of a into out, the faster of one thread and all",
            sweep.type_name,
            3 * sweep.element_bytes
        ),
        lengths: sweep.lengths.clone(),
        series,
        ceiling: sweep.copy_gb_s.clone(),
    }
}
