//! `HADAMARD_KERNEL`: read once per process, so each case runs this test binary again as
//! a child process with the variable set, and looks at how the child ended.

mod common;

use hadamard::Kernel;
use std::process::Output;

/// Runs the ignored test `child` of this binary with HADAMARD_KERNEL=value.
fn run_child(child: &str, value: &str) -> Output {
    common::run_this_test_again(child, &[("HADAMARD_KERNEL", value)], &[])
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The child half: the default path, twice, each must panic the same way.
#[test]
#[ignore = "run by the tests below in a child process with HADAMARD_KERNEL set"]
fn child_default_path_panics_on_every_call() {
    for _ in 0..2 {
        let result = std::panic::catch_unwind(|| {
            let mut out = [0.0f32; 4];
            hadamard::mul_elementwise(&[1.0; 4], &[2.0; 4], &mut out);
        });
        assert!(
            result.is_err(),
            "the default path ran despite a bad HADAMARD_KERNEL"
        );
    }
    panic!("child done: both calls panicked");
}

/// The child half: the default path runs the forced kernel and multiplies correctly.
#[test]
#[ignore = "run by the tests below in a child process with HADAMARD_KERNEL set"]
fn child_reports_selected_kernel() {
    let a: Vec<f64> = (0..1000).map(|i| i as f64 * 0.5).collect();
    let mut out = vec![0.0; a.len()];
    hadamard::mul_elementwise(&a, &a, &mut out);
    assert!(a.iter().zip(&out).all(|(x, y)| x * x == *y));
    println!("selected={}", hadamard::selected_kernel());
}

#[test]
fn unknown_name_panics_listing_the_valid_names() {
    let output = run_child("child_default_path_panics_on_every_call", "avx3");
    let err = stderr(&output);
    assert!(!output.status.success());
    assert!(
        err.contains(
            "HADAMARD_KERNEL: unknown kernel name \"avx3\"; \
             valid names are scalar, sse2, avx2, avx512, neon"
        ),
        "{err}"
    );
    assert!(err.contains("child done: both calls panicked"), "{err}");
}

#[test]
fn a_kernel_this_cpu_lacks_panics_listing_the_available_ones() {
    let available = hadamard::available_kernels();
    let missing = Kernel::ALL
        .into_iter()
        .find(|k| !available.contains(k))
        .expect("some kernel is missing on every CPU");
    let output = run_child("child_default_path_panics_on_every_call", missing.name());
    let err = stderr(&output);
    let names: Vec<&str> = available.iter().map(|k| k.name()).collect();
    assert!(
        err.contains(&format!(
            "HADAMARD_KERNEL: kernel {missing} is not available on this CPU; available here: {}",
            names.join(", ")
        )),
        "{err}"
    );
    assert!(err.contains("child done: both calls panicked"), "{err}");
}

#[test]
fn every_available_kernel_can_be_forced() {
    for kernel in hadamard::available_kernels() {
        // Surrounding white space is forgiven; case is not (names are exact).
        for value in [kernel.name().to_string(), format!(" {} ", kernel.name())] {
            let output = run_child("child_reports_selected_kernel", &value);
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(output.status.success(), "{}", stderr(&output));
            assert!(stdout.contains(&format!("selected={kernel}")), "{stdout}");
        }
    }
}

/// The documented rule, with the CPU's flags read from the kernel's `/proc/cpuinfo` where
/// there is one (so not from the crate's own detection): AVX-512 where the CPU has
/// AVX512_VBMI2 (cores that keep their clock on 512-bit code), else AVX2, else the widest.
fn expected_default() -> Kernel {
    let available = hadamard::available_kernels();
    let vbmi2 = match std::fs::read_to_string("/proc/cpuinfo") {
        Ok(info) => info
            .lines()
            .find(|l| l.starts_with("flags"))
            .is_some_and(|flags| flags.split_whitespace().any(|f| f == "avx512_vbmi2")),
        Err(_) => hadamard::avx512_runs_at_full_clock(),
    };
    if available.contains(&Kernel::Avx512) && vbmi2 {
        Kernel::Avx512
    } else if available.contains(&Kernel::Avx2) {
        Kernel::Avx2
    } else {
        *available.last().unwrap()
    }
}

#[test]
fn unset_empty_or_auto_selects_the_preferred_kernel() {
    let preferred = expected_default();
    for value in ["", "auto"] {
        let output = run_child("child_reports_selected_kernel", value);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(
            stdout.contains(&format!("selected={preferred}")),
            "{stdout}"
        );
    }
}

#[test]
fn selected_kernel_in_this_process_follows_the_environment() {
    // CI runs the suite once per kernel with HADAMARD_KERNEL set; without it, the default.
    let expected = match std::env::var("HADAMARD_KERNEL") {
        Ok(name) if !name.trim().is_empty() && name.trim() != "auto" => {
            name.trim().parse::<Kernel>().unwrap()
        }
        _ => expected_default(),
    };
    assert_eq!(hadamard::selected_kernel(), expected);
    assert_eq!(hadamard::Options::new().selected_kernel(), expected);
}

/// The child half: 32 threads released at once make the process's first calls, so they
/// race on the one-time detection and environment read; every thread must see the same
/// kernel and get the scalar products.
#[test]
#[ignore = "run by the test below in a fresh child process"]
fn child_first_calls_race_on_detection() {
    use std::sync::{Arc, Barrier};
    let barrier = Arc::new(Barrier::new(32));
    let handles: Vec<_> = (0..32)
        .map(|t| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                let a: Vec<f32> = (0..1000).map(|i| (i * (t + 1)) as f32 * 0.25).collect();
                let b: Vec<i16> = (0..1000).map(|i| (i * 7 + t) as i16).collect();
                let (mut out, mut out16) = (vec![0.0f32; 1000], vec![0i16; 1000]);
                barrier.wait();
                hadamard::mul_elementwise(&a, &a, &mut out);
                hadamard::mul_elementwise(&b, &b, &mut out16);
                let kernel = hadamard::selected_kernel();
                assert!(a.iter().zip(&out).all(|(x, y)| x * x == *y));
                assert!(b.iter().zip(&out16).all(|(x, y)| x.wrapping_mul(*x) == *y));
                kernel
            })
        })
        .collect();
    let kernels: Vec<Kernel> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(kernels.iter().all(|&k| k == kernels[0]), "{kernels:?}");
    println!("selected={}", kernels[0]);
}

#[test]
fn child_process_first_calls_race_and_agree() {
    let preferred = expected_default();
    for (value, want) in [
        ("", preferred),
        ("scalar", Kernel::Scalar),
        ("auto", preferred),
    ] {
        let output = run_child("child_first_calls_race_on_detection", value);
        let out = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "HADAMARD_KERNEL={value:?}: {}",
            stderr(&output)
        );
        assert!(
            out.contains(&format!("selected={want}")),
            "HADAMARD_KERNEL={value:?}: {out}"
        );
    }
}

/// Which kernel the default path really runs, seen from outside. Every kernel gives a
/// product's and a sum's bits alike, so the crate's test hook names the kernel the last
/// sum of 64 KiB or more on this thread ran: the free function and the default `Options`
/// (5 MiB read, in a pool of two; whether they split is the machine's measured rule's
/// call, which the hook does not depend on), must run the selected kernel, and a forced
/// kernel must show as itself (so the hook cannot just echo the selection).
#[test]
fn default_path_runs_the_selected_kernel() {
    let a: Vec<f32> = (0..700_001u32).map(|i| (i % 1000) as f32 * 0.001).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let selected = hadamard::selected_kernel();
    pool.install(|| {
        for kernel in hadamard::available_kernels() {
            let forced = hadamard::Options::new().kernel(kernel).unwrap();
            forced
                .parallelism(hadamard::Parallelism::Parallel)
                .hadamard_sum(&a, &a)
                .unwrap();
            assert_eq!(hadamard::__observe::take_large_sum_kernel(), Some(kernel));
        }
        // Twice: the first call may resolve the kernel, the second reads the cached choice.
        for call in 0..2 {
            hadamard::hadamard_sum(&a, &a);
            let default = hadamard::__observe::take_large_sum_kernel();
            assert_eq!(default, Some(selected), "call {call}: the free function");
            hadamard::Options::new().hadamard_sum(&a, &a).unwrap();
            let options = hadamard::__observe::take_large_sum_kernel();
            assert_eq!(options, Some(selected), "call {call}: default Options");
        }
    });
}
