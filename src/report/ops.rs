//! `--ops`: every operation on every element type, each available kernel against the
//! scalar kernel, measured round-robin on one thread at one length.

use super::args::{Args, Size};
use super::cases::cases;
use super::measure::{gb_per_s, interleaved_medians, Budget};
use super::workload::elements_for;
use hadamard::{CacheSizes, Kernel, Options, Parallelism};
use std::cell::RefCell;
use std::time::Duration;

/// Measures and prints the table.
pub fn run(args: &Args, kernels: &[Kernel], caches: &CacheSizes) {
    let budget = Budget {
        samples: args.samples,
        sample_time: Duration::from_millis(args.sample_ms),
    };
    let sizes = if args.sizes_given {
        args.sizes.clone()
    } else {
        vec![Size::L2]
    };
    let options: Vec<Options> = kernels
        .iter()
        .map(|&k| {
            Options::new()
                .kernel(k)
                .expect("only available kernels are measured")
                .parallelism(Parallelism::Sequential)
        })
        .collect();
    println!(
        "{:<11} {:<8} {:<5} {:>9} {:<8} {:>9} {:>8} {:>10}",
        "operation", "type", "size", "elements", "kernel", "ns/elem", "GB/s", "vs scalar"
    );
    for size in sizes {
        let label = super::workload::size_label(size);
        // Operands of each type sized so that the operation's working set fits the level.
        for case in cases(|bytes| elements_for(size, caches, bytes)) {
            let elements = case.len;
            eprint!("\r\x1b[2K{} {} {label}", case.op, case.ty);
            // One closure per kernel, taking turns with the case's buffers.
            let run = RefCell::new(case.run);
            let mut fns: Vec<Box<dyn FnMut() + '_>> = options
                .iter()
                .map(|o| Box::new(|| (run.borrow_mut())(o)) as Box<dyn FnMut()>)
                .collect();
            let mut refs: Vec<&mut dyn FnMut()> = fns
                .iter_mut()
                .map(|f| &mut **f as &mut dyn FnMut())
                .collect();
            let times = interleaved_medians(budget, &mut refs);
            let scalar = kernels
                .iter()
                .position(|&k| k == Kernel::Scalar)
                .map(|i| times[i]);
            eprint!("\r\x1b[2K");
            for (k, t) in kernels.iter().zip(&times) {
                let ratio = scalar.map_or("-".to_string(), |s| format!("{:.2}x", s / t));
                println!(
                    "{:<11} {:<8} {:<5} {:>9} {:<8} {:>9.4} {:>8.1} {:>10}",
                    case.op,
                    case.ty,
                    label,
                    elements,
                    k.name(),
                    t * 1e9 / elements.max(1) as f64,
                    gb_per_s(case.bytes_per_element * elements, *t),
                    ratio
                );
            }
        }
    }
}
