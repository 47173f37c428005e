//! `HADAMARD_KERNEL`: read once per process, so each case runs this test binary again as
//! a child process with the variable set, and looks at how the child ended.

use hadamard::Kernel;
use std::process::{Command, Output};

/// Runs the ignored test `child` of this binary with HADAMARD_KERNEL=value.
fn run_child(child: &str, value: &str) -> Output {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            child,
            "--nocapture",
            "--test-threads=1",
        ])
        .env("HADAMARD_KERNEL", value)
        .output()
        .expect("running the test binary again")
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

/// The default rule, stated independently of the implementation: AVX2 wherever the CPU has
/// it (measured fastest for this product), otherwise the widest kernel available.
fn expected_default() -> Kernel {
    let available = hadamard::available_kernels();
    if available.contains(&Kernel::Avx2) {
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
