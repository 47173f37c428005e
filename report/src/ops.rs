//! `--ops`: every operation on every element type at each operand alignment (`--align`):
//! each available kernel (one thread), the default call, and the plain loop compiled with
//! the CPU's features (one thread), measured round-robin at one length; for the one-pass
//! formulas also the sequence of the crate's other calls that gives the same bits, and
//! the hand-written rayon + streaming-store loop of the formula.

use super::args::{Args, Size};
use super::cases::{cases_where, Runner};
use super::measure::{gb_per_s, interleaved_medians, Budget};
use super::native::Native;
use super::workload::elements_for;
use hadamard::{CacheSizes, Kernel, Options, Parallelism};
use std::cell::RefCell;
use std::time::Duration;

/// One row's contender.
#[derive(Clone, Copy)]
enum Who {
    Kernel(Kernel, Options),
    Default,
    Native(Native),
    Sequence,
    Streaming,
}

impl Who {
    fn name(&self) -> &'static str {
        match self {
            Who::Kernel(k, _) => k.name(),
            Who::Default => "default",
            Who::Native(n) => n.name(),
            Who::Sequence => "sequence",
            Who::Streaming => "rayon+stream",
        }
    }
}

/// Measures and prints the table.
pub fn run(args: &Args, kernels: &[Kernel], caches: &CacheSizes) {
    let budget = Budget {
        samples: args.samples,
        sample_time: Duration::from_millis(args.sample_ms),
    };
    let sizes = if args.sizes_given {
        args.sizes.clone()
    } else {
        vec![Size::L1]
    };
    let mut who: Vec<Who> = kernels
        .iter()
        .map(|&k| {
            let forced = Options::new()
                .kernel(k)
                .expect("only available kernels are measured")
                .parallelism(Parallelism::Sequential);
            Who::Kernel(k, forced)
        })
        .collect();
    who.push(Who::Default);
    who.extend(Native::available().into_iter().map(Who::Native));
    who.extend([Who::Sequence, Who::Streaming]);
    println!(
        "{:<11} {:<8} {:<9} {:<5} {:>8} {:<14} {:>8} {:>7} {:>9} {:>9} {:>7}",
        "operation",
        "type",
        "align",
        "size",
        "elements",
        "who",
        "ns/elem",
        "GB/s",
        "vs native",
        "vs scalar",
        "vs seq"
    );
    let progress = super::progress::Progress::new();
    for size in sizes {
        let label = super::workload::size_label(size);
        for &align in &args.aligns {
            // Operands of each type sized so that the operation's working set fits the level.
            let wanted = |case: &super::cases::Case| {
                let name = format!("{}/{}", case.op, case.ty);
                args.only.is_empty() || args.only.iter().any(|o| *o == case.op || *o == name)
            };
            for case in cases_where(|bytes| elements_for(size, caches, bytes), align, wanted) {
                let elements = case.len;
                progress.show(&format!("{} {} {label} {}", case.op, case.ty, align.name()));
                // The contenders this case has: the sequence and the streaming loop only
                // for the operations that have them.
                let who: Vec<Who> = who
                    .iter()
                    .copied()
                    .filter(|w| match w {
                        Who::Sequence => case.sequence,
                        Who::Streaming => case.streaming,
                        _ => true,
                    })
                    .collect();
                // One closure per contender, taking turns with the case's buffers.
                let run = RefCell::new(case.run);
                let mut fns: Vec<Box<dyn FnMut() + '_>> = who
                    .iter()
                    .map(|w| {
                        let run = &run;
                        let w = *w;
                        Box::new(move || {
                            let runner = match &w {
                                Who::Kernel(_, o) => Runner::Crate(o),
                                Who::Default => Runner::Default,
                                Who::Native(n) => Runner::Native(*n),
                                Who::Sequence => Runner::Sequence,
                                Who::Streaming => Runner::Streaming,
                            };
                            (run.borrow_mut())(runner)
                        }) as Box<dyn FnMut()>
                    })
                    .collect();
                let mut refs: Vec<&mut dyn FnMut()> = fns
                    .iter_mut()
                    .map(|f| &mut **f as &mut dyn FnMut())
                    .collect();
                let times = interleaved_medians(budget, &mut refs);
                progress.clear();
                let time_of = |pred: &dyn Fn(&Who) -> bool| {
                    who.iter()
                        .zip(&times)
                        .filter(|(w, _)| pred(w))
                        .map(|(_, &t)| t)
                        .reduce(f64::min)
                };
                let scalar = time_of(&|w| matches!(w, Who::Kernel(Kernel::Scalar, _)));
                let native = time_of(&|w| matches!(w, Who::Native(_)));
                let sequence = time_of(&|w| matches!(w, Who::Sequence));
                let ratio = |base: Option<f64>, t: f64| {
                    base.map_or("-".to_string(), |b| format!("{:.2}x", b / t))
                };
                for (w, &t) in who.iter().zip(&times) {
                    println!(
                        "{:<11} {:<8} {:<9} {:<5} {:>8} {:<14} {:>8.4} {:>7.1} {:>9} {:>9} {:>7}",
                        case.op,
                        case.ty,
                        align.name(),
                        label,
                        elements,
                        w.name(),
                        t * 1e9 / elements.max(1) as f64,
                        gb_per_s(case.bytes_per_element * elements, t),
                        ratio(native, t),
                        ratio(scalar, t),
                        ratio(sequence, t)
                    );
                }
            }
        }
    }
    for line in [
        "who: a kernel name is that kernel forced (Options::kernel), one thread; default is \
         the crate's default call (dispatch, then the split rule); native X is the plain loop \
         compiled with X's target features (what -C target-cpu=native gives)",
        "align: aligned = every operand on a 64-byte line; same = all 16 bytes past one; \
         different = inputs 16, 32 (c: 0) and out 48 bytes past one, as Vecs from malloc are",
        "ns/elem and GB/s: medians of interleaved rounds; vs native: the fastest native \
         loop's time over this row's (above 1x: faster); vs scalar and vs seq: the same \
         against the scalar kernel and the sequence",
        "sequence (the one-pass formulas): the crate's other calls giving the same bits, \
         default options — mul_then_add_mul: mul_elementwise then mul_then_add_assign; \
         then_add_mul_assign: mul_assign then mul_then_add_assign; blend: \
         mul_elementwise(1 - w, b) then mul_then_add_assign(w, a), 1 - w kept from before \
         (not timed); blend_u8 has none (two normalized products round twice); \
         rayon+stream: the formula by hand in AVX-512 with streaming stores, one piece a \
         thread",
    ] {
        println!("  {line}");
    }
}
