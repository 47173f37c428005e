//! The report as a log sees it (stderr and stdout not terminals): no progress line drawn
//! with carriage returns and escape codes, and a legend line for every kind of row.

use std::process::Command;

fn report(args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hadamard"))
        .args(args)
        .output()
        .expect("the report runs");
    assert!(out.status.success(), "{:?}", out);
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_log_gets_no_progress_line_and_every_row_explained() {
    let quick = ["--samples", "1", "--sample-ms", "1", "--types", "f32"];
    let (stdout, stderr) = report(
        &[
            &quick[..],
            &[
                "--sizes",
                "l1",
                "--kernels",
                "scalar",
                "--stores",
                "auto,nt",
            ],
        ]
        .concat(),
    );
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        assert!(
            !text.contains('\r') && !text.contains('\x1b'),
            "{name} has terminal control characters: {text:?}"
        );
    }
    assert!(stderr.is_empty(), "stderr: {stderr:?}");
    assert!(stdout.contains(" scalar/nt "), "{stdout}");
    for kind in [
        "GB/s:",
        "L1 and L2 rows:",
        "threads 1:",
        "threads ",
        "kernel/nt:",
        "kernel: ",
    ] {
        assert!(
            stdout.contains(&format!("  {kind}")),
            "no legend for {kind:?}:\n{stdout}"
        );
    }
    let (ops, ops_err) =
        report(&[&quick[..], &["--ops", "--only", "mul/f32", "--sizes", "1k"]].concat());
    assert!(ops_err.is_empty() && !ops.contains('\r'), "{ops_err:?}");
    for kind in ["who:", "align:", "ns/elem and GB/s:"] {
        assert!(
            ops.contains(&format!("  {kind}")),
            "no legend for {kind:?}:\n{ops}"
        );
    }
}
