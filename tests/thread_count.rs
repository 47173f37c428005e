//! How many threads a call uses: `Options::max_threads`, the environment variables
//! `HADAMARD_MAX_THREADS` and `HADAMARD_SPLIT_BYTES` (read once per process, so each case
//! runs this test binary again as a child with the variable set), and the split itself
//! from inside and outside a pool. The results are checked against products computed
//! here; the thread count is seen through `hadamard::__observe`.

mod common;

use common::*;
use hadamard::{Options, Parallelism, SplitSource};
use std::process::Output;

/// Runs the ignored test `child` of this binary with `var=value` and the other variable
/// unset.
fn run_child(child: &str, var: &str, value: &str) -> Output {
    let other = if var == "HADAMARD_MAX_THREADS" {
        "HADAMARD_SPLIT_BYTES"
    } else {
        "HADAMARD_MAX_THREADS"
    };
    run_this_test_again(child, &[(var, value)], &[other])
}

/// Asserts the child ran to its end ("child done").
#[track_caller]
fn assert_child_done(output: &Output) {
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "child failed: {err}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("child done"));
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

/// The pieces the last large call on this thread ran in.
fn pieces() -> usize {
    hadamard::__observe::large_calls().1
}

#[test]
fn max_threads_caps_a_forced_split_at_every_count() {
    let mut rng = Rng::new(21);
    let n = 300_001;
    let (a, b): (Vec<f32>, Vec<f32>) = (values(&mut rng, n), values(&mut rng, n));
    let mut out = vec![0.0f32; n];
    pool(8).install(|| {
        for cap in [1, 2, 3, 5, 8, 100] {
            out.fill(0.0);
            let opts = Options::new()
                .parallelism(Parallelism::Parallel)
                .max_threads(cap);
            opts.mul_elementwise(&a, &b, &mut out).unwrap();
            assert_eq!(pieces(), cap.min(8), "cap {cap}");
            assert_products(&a, &b, &out, &format!("cap {cap}"));
        }
        // 0 counts as 1, not as "no limit".
        let opts = Options::new()
            .parallelism(Parallelism::Parallel)
            .max_threads(0);
        assert_eq!(opts.selected_max_threads(), 1);
        opts.mul_elementwise(&a, &b, &mut out).unwrap();
        assert_eq!(pieces(), 1);
    });
}

#[test]
fn a_split_runs_from_outside_and_from_inside_a_pool() {
    let mut rng = Rng::new(22);
    let n = 200_003;
    let (a, b): (Vec<f64>, Vec<f64>) = (values(&mut rng, n), values(&mut rng, n));
    let parallel = Options::new().parallelism(Parallelism::Parallel);
    let p = pool(4);
    // From this (non-pool) thread into the pool's threads, and from one of its workers.
    let mut out = vec![0.0f64; n];
    p.install(|| parallel.mul_elementwise(&a, &b, &mut out).unwrap());
    assert_products(&a, &b, &out, "from outside");
    let inner = p.install(|| {
        let mut out = vec![0.0f64; n];
        rayon::scope(|s| {
            s.spawn(|_| parallel.mul_elementwise(&a, &b, &mut out).unwrap());
        });
        out
    });
    assert_products(&a, &b, &inner, "from a worker");
}

/// The child half: every call stays on its thread, however forced.
#[test]
#[ignore = "run by the test below in a child process with HADAMARD_MAX_THREADS=1"]
fn child_one_thread_at_most() {
    let n = 1 << 22;
    let (a, b) = (vec![1.5f32; n], vec![2.0f32; n]);
    let mut out = vec![0.0f32; n];
    pool(4).install(|| {
        for opts in [
            Options::new(),
            Options::new().parallelism(Parallelism::Parallel),
        ] {
            opts.mul_elementwise(&a, &b, &mut out).unwrap();
            assert_eq!(pieces(), 1, "{opts:?}");
        }
    });
    assert!(out.iter().all(|&x| x == 3.0));
    println!("child done");
}

#[test]
fn the_environment_caps_the_threads() {
    assert_child_done(&run_child(
        "child_one_thread_at_most",
        "HADAMARD_MAX_THREADS",
        "1",
    ));
}

/// The child half: the fixed threshold replaces the measurement.
#[test]
#[ignore = "run by the test below in a child process with HADAMARD_SPLIT_BYTES=1048576"]
fn child_fixed_threshold() {
    assert_eq!(
        hadamard::split_costs().source,
        SplitSource::Environment { bytes: 1 << 20 }
    );
    let n = (1 << 20) / 12;
    let (a, b) = (vec![1.5f32; n + 100], vec![2.0f32; n + 100]);
    let mut out = vec![0.0f32; n + 100];
    pool(4).install(|| {
        let (calls, _) = hadamard::__observe::large_calls();
        hadamard::mul_elementwise(&a[..n - 100], &b[..n - 100], &mut out[..n - 100]);
        assert_eq!(
            hadamard::__observe::large_calls().0,
            calls,
            "below: the small path"
        );
        hadamard::mul_elementwise(&a, &b, &mut out);
        assert_eq!(pieces(), 4, "from the threshold: the whole pool");

        // The one-pass formulas count five operands a element (four read, one written).
        let m = (1 << 20) / 20;
        let (x, mut y) = (vec![0.5f32; m + 100], vec![1.0f32; m + 100]);
        let (calls, _) = hadamard::__observe::large_calls();
        hadamard::mul_then_add_mul(
            &x[..m - 100],
            &x[..m - 100],
            &x[..m - 100],
            &x[..m - 100],
            &mut y[..m - 100],
        );
        hadamard::mul_then_add_mul_assign(
            &mut y[..m - 100],
            &x[..m - 100],
            &x[..m - 100],
            &x[..m - 100],
        );
        assert_eq!(
            hadamard::__observe::large_calls().0,
            calls,
            "mul_then_add_mul below: the small path"
        );
        hadamard::mul_then_add_mul(&x, &x, &x, &x, &mut y);
        assert_eq!(
            hadamard::__observe::large_calls(),
            (calls + 1, 4),
            "mul_then_add_mul from the threshold: the large path, the whole pool"
        );
        hadamard::mul_then_add_mul_assign(&mut y, &x, &x, &x);
        assert_eq!(
            hadamard::__observe::large_calls(),
            (calls + 2, 4),
            "mul_then_add_mul_assign from the threshold: the large path, the whole pool"
        );
    });
    assert!(out.iter().all(|&x| x == 3.0));
    println!("child done");
}

#[test]
fn the_environment_can_fix_the_threshold() {
    assert_child_done(&run_child(
        "child_fixed_threshold",
        "HADAMARD_SPLIT_BYTES",
        "1048576",
    ));
}

/// The child half: a large call with a bad variable.
#[test]
#[ignore = "run by the test below in a child process with a bad HADAMARD_MAX_THREADS"]
fn child_large_call() {
    let n = 1 << 22;
    let (a, b) = (vec![1.5f32; n], vec![2.0f32; n]);
    let mut out = vec![0.0f32; n];
    hadamard::mul_elementwise(&a, &b, &mut out);
}

#[test]
fn a_bad_value_is_refused_naming_the_variable() {
    for (var, value) in [
        ("HADAMARD_MAX_THREADS", "many"),
        ("HADAMARD_MAX_THREADS", "0"),
        ("HADAMARD_SPLIT_BYTES", "-5"),
    ] {
        let output = run_child("child_large_call", var, value);
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{var}={value} was accepted");
        assert!(
            err.contains(var) && err.contains("positive integer"),
            "{var}={value}: {err}"
        );
    }
}

#[test]
fn the_measured_costs_are_sane() {
    let costs = pool(2).install(hadamard::split_costs);
    if costs.source != SplitSource::Measured {
        return; // a fixed threshold in this process's environment
    }
    assert!(costs.pool_threads >= 2);
    for x in costs
        .awake_handoff_ns
        .iter()
        .chain(&costs.asleep_handoff_ns)
    {
        assert!(x.is_finite() && *x >= 0.0, "{costs:?}");
    }
    assert!(costs
        .awake_bytes_per_ns
        .iter()
        .all(|&r| r > 0.1 && r.is_finite()));
    assert!(
        costs.measured_in_ns < 2e9,
        "measuring took over 2 s (about 50 ms on a quiet machine): {costs:?}"
    );
    // A call of 16 KiB never splits; one of 16 GiB (an estimate: nothing is allocated)
    // splits over two threads asleep or awake.
    assert_eq!(costs.threads_for(16 << 10, 2, true), 1);
    assert_eq!(costs.threads_for(16 << 30, 2, false), 2);
    assert_eq!(costs.threads_for(16 << 30, 2, true), 2);
}
