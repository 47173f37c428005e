//! `hadamard`: the crate's report binary (`cargo run --release` at the top of the workspace). What this CPU has, which
//! kernel the crate picks, and how fast each kernel multiplies at each cache level, beside
//! the machine's copy bandwidth. `--help` lists the options.

use hadamard::CacheSizes;
use hadamard_report as report;
use report::args::{Args, Mode, Type};

fn main() {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("hadamard: {message}");
            std::process::exit(2);
        }
    };
    match args.mode {
        Mode::Help => return print!("{}", report::args::HELP),
        Mode::ListKernels => {
            for kernel in hadamard::available_kernels() {
                println!("{kernel}");
            }
            return;
        }
        _ => {}
    }
    #[cfg(not(feature = "compare"))]
    if let Mode::Compare = args.mode {
        eprintln!(
            "hadamard: --compare measures ndarray, nalgebra and faer, which a plain build \
             leaves out (they would triple its build time); run it with the peers built in:\n\
             \n    cargo run --release --features compare -- --compare"
        );
        std::process::exit(2);
    }
    let caches = hadamard::cache_sizes();
    print_info(&caches);
    match args.mode {
        Mode::Info | Mode::Help | Mode::ListKernels => {}
        #[cfg(feature = "compare")]
        Mode::Compare => compare(&args, &caches),
        #[cfg(not(feature = "compare"))]
        Mode::Compare => unreachable!("refused above"),
        Mode::Threshold => {
            for ty in &args.types {
                match ty {
                    Type::F32 => report::threshold::run::<f32>(&args),
                    Type::F64 => report::threshold::run::<f64>(&args),
                }
            }
        }
        Mode::Ops => report::ops::run(&args, &chosen_kernels(&args), &caches),
        Mode::Table => {
            let rows = report::table::run(&args, &chosen_kernels(&args), &caches);
            report::table::print(&rows);
        }
    }
}

/// The kernels --kernels names (each checked to be available), or every available one.
fn chosen_kernels(args: &Args) -> Vec<hadamard::Kernel> {
    match &args.kernels {
        None => hadamard::available_kernels(),
        Some(asked) => {
            for k in asked {
                if let Err(e) = k.check_available() {
                    eprintln!("hadamard: {e}");
                    std::process::exit(2);
                }
            }
            asked.clone()
        }
    }
}

fn print_info(caches: &CacheSizes) {
    println!("hadamard {} report", env!("CARGO_PKG_VERSION"));
    println!(
        "built for:          {} with target features {}",
        env!("HADAMARD_BUILD_TARGET"),
        env!("HADAMARD_BUILD_TARGET_FEATURES")
    );
    let (has, lacks): (Vec<_>, Vec<_>) = hadamard::cpu_features()
        .into_iter()
        .partition(|&(_, on)| on);
    let names = |v: Vec<(&str, bool)>| v.into_iter().map(|(n, _)| n).collect::<Vec<_>>().join(" ");
    println!("CPU features found: {}", names(has));
    println!("CPU features absent: {}", names(lacks));
    let kernels: Vec<String> = hadamard::available_kernels()
        .iter()
        .map(|k| k.to_string())
        .collect();
    println!("kernels available:  {}", kernels.join(", "));
    let forced = std::env::var(hadamard::KERNEL_ENV_VAR).ok();
    println!(
        "kernel selected:    {} ({})",
        hadamard::selected_kernel(),
        match forced {
            Some(v) => format!("{}={v}", hadamard::KERNEL_ENV_VAR),
            None => format!(
                "first available in Kernel::PREFERENCE; {} unset",
                hadamard::KERNEL_ENV_VAR
            ),
        }
    );
    println!(
        "data caches:        L1 {} KiB, L2 {} KiB per core, L3 {} KiB (from {})",
        caches.l1 >> 10,
        caches.l2 >> 10,
        caches.l3 >> 10,
        caches.source
    );
    println!(
        "threads:            {} (rayon; set RAYON_NUM_THREADS to change)",
        rayon::current_num_threads()
    );
    print_split_decision();
    println!();
}

/// What this process decided about splitting calls across threads, and why.
fn print_split_decision() {
    let costs = hadamard::split_costs();
    let all = rayon::current_num_threads();
    println!("split costs:        {costs}");
    let cap = std::env::var(hadamard::MAX_THREADS_ENV_VAR).ok();
    println!(
        "threads per call:   as many as pay for themselves (estimate within {} of one \
         thread's time awake, {} asleep; {})",
        hadamard::SPLIT_MARGIN[0],
        hadamard::SPLIT_MARGIN[1],
        match cap {
            Some(v) => format!("{}={v}", hadamard::MAX_THREADS_ENV_VAR),
            None => format!("{} unset", hadamard::MAX_THREADS_ENV_VAR),
        }
    );
    let sizes: Vec<usize> = (16..=26).step_by(1).map(|k| 1usize << k).collect();
    let row = |awake: bool| {
        sizes
            .iter()
            .map(|&b| format!("{:>5}", costs.threads_for(b, all, awake)))
            .collect::<Vec<_>>()
            .join("")
    };
    let heads: Vec<String> = sizes
        .iter()
        .map(|&b| {
            if b >= 1 << 20 {
                format!("{:>4}M", b >> 20)
            } else {
                format!("{:>4}K", b >> 10)
            }
        })
        .collect();
    println!("  bytes moved:      {}", heads.join(""));
    println!("  threads, awake:   {}", row(true));
    println!("  threads, asleep:  {}", row(false));
}

#[cfg(feature = "compare")]
fn compare(args: &Args, caches: &CacheSizes) {
    let sweeps = report::compare::run(args, caches);
    for sweep in &sweeps {
        report::compare::print_full(sweep);
    }
    println!("The default call against the fastest peer doing the same operation:");
    for sweep in &sweeps {
        report::compare::print_ratios(sweep);
    }
    println!(
        "The default call against its own choices (kernel {} on one thread, always split):",
        hadamard::selected_kernel()
    );
    for sweep in &sweeps {
        report::compare::print_self_check(sweep);
    }
    if let Some(path) = &args.plot {
        let panels: Vec<_> = sweeps.iter().map(report::compare::panel).collect();
        let caption = format!(
            "hadamard {}: cargo run --release --features compare -- --compare --plot FILE.svg; {} threads; medians of {} samples",
            env!("CARGO_PKG_VERSION"),
            rayon::current_num_threads(),
            args.samples
        );
        if let Err(e) = std::fs::write(path, report::plot::svg(&panels, &caption)) {
            eprintln!("hadamard: writing {path}: {e}");
            std::process::exit(1);
        }
        eprintln!("plot written to {path}");
    }
}
