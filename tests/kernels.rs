//! Every kernel this CPU runs, forced one at a time, against `a[i] * b[i]` in plain Rust:
//! lengths 0..=300 and larger ones, each of a, b and out starting 0..=7 elements into its
//! allocation, random values and the special values. Results must be bit-identical.

mod common;

use common::*;
use hadamard::{Kernel, Options, Parallelism, Stores};

const MAX_SWEPT_LEN: usize = 300;
const OFFSETS: usize = 8;
const LARGE_LENS: [usize; 5] = [511, 1024, 4099, 65_537, 300_007];

fn sentinel<T: TestFloat>() -> T {
    T::from_f64(-7777.25)
}

/// `out = a ⊙ b` for every length up to MAX_SWEPT_LEN and every triple of offsets, with
/// normal and with streaming stores.
fn sweep_mul<T: TestFloat>(kernel: Kernel) {
    for stores in [Stores::Normal, Stores::Streaming] {
        sweep_mul_with::<T>(kernel, sequential(kernel).stores(stores), stores);
    }
}

fn sweep_mul_with<T: TestFloat>(kernel: Kernel, opts: Options, stores: Stores) {
    let mut rng = Rng::new(0x5eed ^ kernel as u64);
    for len in 0..=MAX_SWEPT_LEN {
        let a_vals: Vec<T> = values(&mut rng, len);
        let b_vals: Vec<T> = values(&mut rng, len);
        for (oa, ob, oo) in offset_triples() {
            let a = Placed::new(&a_vals, oa, sentinel());
            let b = Placed::new(&b_vals, ob, sentinel());
            let mut out = Placed::new(&vec![T::ZERO; len], oo, sentinel());
            opts.mul_elementwise(a.slice(), b.slice(), out.slice_mut())
                .unwrap();
            let context = format!(
                "{kernel} {} {stores:?} mul len {len} offsets a {oa} b {ob} out {oo}",
                T::NAME
            );
            assert_products(a.slice(), b.slice(), out.slice(), &context);
            out.assert_guards_intact(&context);
        }
    }
}

/// `acc ⊙= b` for every length up to MAX_SWEPT_LEN and every pair of offsets, with
/// normal and with streaming stores.
fn sweep_mul_assign<T: TestFloat>(kernel: Kernel) {
    for stores in [Stores::Normal, Stores::Streaming] {
        sweep_mul_assign_with::<T>(kernel, sequential(kernel).stores(stores), stores);
    }
}

fn sweep_mul_assign_with<T: TestFloat>(kernel: Kernel, opts: Options, stores: Stores) {
    let mut rng = Rng::new(0xacc ^ kernel as u64);
    for len in 0..=MAX_SWEPT_LEN {
        let acc_vals: Vec<T> = values(&mut rng, len);
        let b_vals: Vec<T> = values(&mut rng, len);
        for oacc in 0..OFFSETS {
            for ob in 0..OFFSETS {
                let mut acc = Placed::new(&acc_vals, oacc, sentinel());
                let b = Placed::new(&b_vals, ob, sentinel());
                opts.mul_assign(acc.slice_mut(), b.slice()).unwrap();
                let context = format!(
                    "{kernel} {} {stores:?} mul_assign len {len} offsets acc {oacc} b {ob}",
                    T::NAME
                );
                assert_products(&acc_vals, b.slice(), acc.slice(), &context);
                acc.assert_guards_intact(&context);
            }
        }
    }
}

/// Every special value times every special value, at every position of a vector body and
/// of the head and tail.
fn specials_pairwise<T: TestFloat>(kernel: Kernel) {
    let specials = T::specials();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for &x in &specials {
        for &y in &specials {
            a.push(x);
            b.push(y);
        }
    }
    let opts = sequential(kernel);
    for shift in 0..OFFSETS {
        // Rotating b moves each pair to another lane and another part of the loop.
        let mut b = b.clone();
        b.rotate_left(shift);
        let mut out = vec![T::ZERO; a.len()];
        opts.mul_elementwise(&a, &b, &mut out).unwrap();
        assert_products(
            &a,
            &b,
            &out,
            &format!("{kernel} {} specials shift {shift}", T::NAME),
        );
        let hadamard = opts.hadamard(&a, &b).unwrap();
        assert_products(
            &a,
            &b,
            &hadamard,
            &format!("{kernel} {} hadamard specials", T::NAME),
        );
    }
}

/// Large lengths, on one thread and split across threads, for every entry point.
fn large<T: TestFloat>(kernel: Kernel) {
    let mut rng = Rng::new(0x1a7e ^ kernel as u64);
    for len in LARGE_LENS {
        let a_vals: Vec<T> = values(&mut rng, len);
        let b_vals: Vec<T> = values(&mut rng, len);
        for (parallelism, stores) in [
            (Parallelism::Sequential, Stores::Auto),
            (Parallelism::Auto, Stores::Auto),
            (Parallelism::Parallel, Stores::Auto),
            (Parallelism::Sequential, Stores::Streaming),
            (Parallelism::Parallel, Stores::Streaming),
        ] {
            let opts = sequential(kernel).parallelism(parallelism).stores(stores);
            for (oa, ob, oo) in [(0, 0, 0), (1, 2, 3), (7, 7, 7), (4, 0, 5)] {
                let context = format!(
                    "{kernel} {} len {len} {parallelism:?} {stores:?} offsets {oa} {ob} {oo}",
                    T::NAME
                );
                let a = Placed::new(&a_vals, oa, sentinel());
                let b = Placed::new(&b_vals, ob, sentinel());
                let mut out = Placed::new(&vec![T::ZERO; len], oo, sentinel());
                opts.mul_elementwise(a.slice(), b.slice(), out.slice_mut())
                    .unwrap();
                assert_products(a.slice(), b.slice(), out.slice(), &context);
                out.assert_guards_intact(&context);

                let mut acc = Placed::new(&a_vals, oo, sentinel());
                opts.mul_assign(acc.slice_mut(), b.slice()).unwrap();
                assert_products(&a_vals, b.slice(), acc.slice(), &context);
                acc.assert_guards_intact(&context);
            }
            let product = opts.hadamard(&a_vals, &b_vals).unwrap();
            assert_products(
                &a_vals,
                &b_vals,
                &product,
                &format!("{kernel} {parallelism:?} {stores:?} hadamard"),
            );
        }
    }
}

fn offset_triples() -> impl Iterator<Item = (usize, usize, usize)> {
    (0..OFFSETS).flat_map(|a| (0..OFFSETS).flat_map(move |b| (0..OFFSETS).map(move |o| (a, b, o))))
}

macro_rules! per_kernel_tests {
    ($($test:ident => $body:ident::<$t:ty>),* $(,)?) => {$(
        #[test]
        fn $test() {
            for kernel in kernels_under_test() {
                $body::<$t>(kernel);
            }
        }
    )*};
}

per_kernel_tests! {
    sweep_mul_f32 => sweep_mul::<f32>,
    sweep_mul_f64 => sweep_mul::<f64>,
    sweep_mul_assign_f32 => sweep_mul_assign::<f32>,
    sweep_mul_assign_f64 => sweep_mul_assign::<f64>,
    specials_pairwise_f32 => specials_pairwise::<f32>,
    specials_pairwise_f64 => specials_pairwise::<f64>,
    large_f32 => large::<f32>,
    large_f64 => large::<f64>,
}

#[test]
fn this_x86_64_machine_runs_every_x86_kernel_it_has() {
    // Guards against a detection bug quietly shrinking what the sweeps above cover.
    #[cfg(target_arch = "x86_64")]
    {
        let kernels = hadamard::available_kernels();
        assert!(kernels.starts_with(&[Kernel::Scalar, Kernel::Sse2]));
        // The flags the operating system reports (Linux lists a feature only where it also
        // saves its registers), not the crate's own detection: a bug there must not be
        // checked against itself. Elsewhere, the crate's detection is all there is.
        let flags: Option<Vec<String>> =
            std::fs::read_to_string("/proc/cpuinfo")
                .ok()
                .and_then(|info| {
                    info.lines()
                        .find(|l| l.starts_with("flags"))
                        .map(|l| l.split_whitespace().map(str::to_string).collect())
                });
        let has = |f: &str| match &flags {
            Some(flags) => flags.iter().any(|x| x == f),
            None => hadamard::cpu_features()
                .into_iter()
                .any(|(n, on)| n == f && on),
        };
        assert_eq!(
            kernels.contains(&Kernel::Avx2),
            has("avx2") && has("fma") && has("f16c")
        );
        assert_eq!(
            kernels.contains(&Kernel::Avx512),
            ["avx512f", "avx512bw", "avx512dq", "avx512vl"]
                .into_iter()
                .all(&has)
        );
        assert!(!kernels.contains(&Kernel::Neon));
    }
}

/// `cpu_features()` (what the report prints and bug reports quote) against the flags the
/// OS lists, where Linux lists them: every name there, each with the OS's answer (cpuinfo
/// spells `avx512vbmi2` as `avx512_vbmi2`), and every feature a kernel needs among them.
#[test]
fn cpu_features_agree_with_the_operating_system() {
    let features = hadamard::cpu_features();
    for kernel in Kernel::ALL {
        for needed in kernel.target_features() {
            assert!(
                features.iter().any(|&(name, _)| name == needed),
                "{kernel} needs {needed}, which cpu_features() does not list: {features:?}"
            );
        }
    }
    let Some(flags) = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                // x86 Linux says "flags", aarch64 "Features" (under qemu-user the file is the
                // host's, so an aarch64 build finds no "Features" line and skips).
                .find(|l| {
                    l.starts_with(if cfg!(target_arch = "aarch64") {
                        "Features"
                    } else {
                        "flags"
                    })
                })
                .map(|l| l.replace('_', ""))
        })
    else {
        eprintln!("no /proc/cpuinfo: nothing independent to compare with");
        return;
    };
    let os: Vec<&str> = flags.split_whitespace().collect();
    for &(name, has) in &features {
        // aarch64 Linux says "asimd" for NEON and "fphp"/"asimdhp" for fp16.
        let os_has = match name {
            "neon" if cfg!(target_arch = "aarch64") => os.contains(&"asimd"),
            "fp16" if cfg!(target_arch = "aarch64") => os.contains(&"fphp"),
            _ => os.contains(&name),
        };
        assert_eq!(
            has, os_has,
            "{name}: crate says {has}, /proc/cpuinfo {os_has}"
        );
    }
}
