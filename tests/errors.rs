//! Every error: the message names what is wrong, and nothing is written.

use hadamard::{Error, Kernel, LengthMismatch, Options, Parallelism};
use std::panic::{catch_unwind, AssertUnwindSafe};

const SENTINEL: f32 = -7.5;

fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("should have panicked");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Every way three lengths can disagree, including empty operands.
const MISMATCHES: [(usize, usize, usize); 7] = [
    (3, 4, 3),
    (4, 3, 3),
    (3, 3, 4),
    (2, 3, 4),
    (0, 1, 1),
    (1, 0, 0),
    (5000, 5000, 4999),
];

#[test]
fn mul_elementwise_errors_name_all_three_lengths_and_write_nothing() {
    for (la, lb, lo) in MISMATCHES {
        let (a, b) = (vec![2.0f32; la], vec![3.0f32; lb]);
        let expected = format!(
            "hadamard::mul_elementwise: operands must have equal lengths, \
             got a.len() = {la}, b.len() = {lb}, out.len() = {lo}"
        );

        let mut out = vec![SENTINEL; lo];
        let err = hadamard::try_mul_elementwise(&a, &b, &mut out).unwrap_err();
        assert_eq!(err.to_string(), expected);
        assert_eq!(err.lengths(), &[("a", la), ("b", lb), ("out", lo)]);
        assert_eq!(err.operation(), "hadamard::mul_elementwise");
        assert!(out.iter().all(|&x| x == SENTINEL), "out written on error");

        let message = panic_message(|| hadamard::mul_elementwise(&a, &b, &mut out));
        assert_eq!(message, expected);
        assert!(out.iter().all(|&x| x == SENTINEL), "out written on panic");

        for kernel in hadamard::available_kernels() {
            for p in [
                Parallelism::Sequential,
                Parallelism::Auto,
                Parallelism::Parallel,
            ] {
                let opts = Options::new().kernel(kernel).unwrap().parallelism(p);
                let err = opts.mul_elementwise(&a, &b, &mut out).unwrap_err();
                assert_eq!(err.to_string(), expected);
                assert!(
                    out.iter().all(|&x| x == SENTINEL),
                    "{kernel} {p:?} wrote on error"
                );
            }
            let err = hadamard::mul_elementwise_with(kernel, &a, &b, &mut out).unwrap_err();
            assert!(matches!(&err, Error::LengthMismatch(e) if e.to_string() == expected));
            assert!(out.iter().all(|&x| x == SENTINEL));
        }
    }
}

#[test]
fn mul_assign_errors_name_both_lengths_and_write_nothing() {
    for (lacc, lb) in [(3, 4), (4, 3), (0, 1), (1, 0), (4097, 4096)] {
        let b = vec![3.0f64; lb];
        let mut acc = vec![SENTINEL as f64; lacc];
        let expected = format!(
            "hadamard::mul_assign: operands must have equal lengths, \
             got acc.len() = {lacc}, b.len() = {lb}"
        );
        let err = hadamard::try_mul_assign(&mut acc, &b).unwrap_err();
        assert_eq!(err.to_string(), expected);
        assert_eq!(err.lengths(), &[("acc", lacc), ("b", lb)]);
        let message = panic_message(|| hadamard::mul_assign(&mut acc, &b));
        assert_eq!(message, expected);
        assert!(
            acc.iter().all(|&x| x == SENTINEL as f64),
            "acc written on error"
        );
    }
}

#[test]
fn hadamard_panics_naming_both_lengths() {
    let message = panic_message(|| {
        hadamard::hadamard(&[1.0f32, 2.0], &[1.0f32]);
    });
    assert_eq!(
        message,
        "hadamard::hadamard: operands must have equal lengths, got a.len() = 2, b.len() = 1"
    );
    let err = Options::new().hadamard(&[1.0f64], &[]).unwrap_err();
    assert_eq!(err.lengths(), &[("a", 1), ("b", 0)]);
}

#[test]
fn empty_operands_are_fine() {
    let mut out: [f32; 0] = [];
    hadamard::mul_elementwise(&[], &[], &mut out);
    hadamard::mul_assign::<f64>(&mut [], &[]);
    assert!(hadamard::hadamard::<f32>(&[], &[]).is_empty());
}

#[test]
fn kernels_this_cpu_lacks_are_errors_listing_what_it_has() {
    let available = hadamard::available_kernels();
    let missing: Vec<Kernel> = Kernel::ALL
        .into_iter()
        .filter(|k| !available.contains(k))
        .collect();
    // On x86_64 at least NEON is missing; on aarch64 at least SSE2.
    assert!(!missing.is_empty());
    for kernel in missing {
        let err = Options::new().kernel(kernel).unwrap_err();
        assert_eq!(
            err,
            Error::KernelUnavailable {
                kernel,
                available: available.clone()
            }
        );
        let names: Vec<&str> = available.iter().map(|k| k.name()).collect();
        assert_eq!(
            err.to_string(),
            format!(
                "kernel {kernel} is not available on this CPU; available here: {}",
                names.join(", ")
            )
        );
        let mut out = [SENTINEL; 4];
        let err = hadamard::mul_elementwise_with(kernel, &[1.0; 4], &[1.0; 4], &mut out);
        assert!(matches!(err, Err(Error::KernelUnavailable { .. })));
        assert_eq!(out, [SENTINEL; 4]);
        assert!(kernel.check_available().is_err());
    }
}

#[test]
fn kernel_names_round_trip_and_unknown_names_list_the_valid_ones() {
    for kernel in Kernel::ALL {
        assert_eq!(kernel.to_string().parse::<Kernel>().unwrap(), kernel);
    }
    let names = ["scalar", "sse2", "avx2", "avx512", "neon"];
    assert_eq!(Kernel::ALL.map(|k| k.name()), names);
    for bad in ["", "AVX2", "avx", "avx-512", "sse2 "] {
        let err = bad.parse::<Kernel>().unwrap_err();
        assert_eq!(
            err,
            Error::UnknownKernel {
                name: bad.to_string()
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "unknown kernel name {bad:?}; valid names are scalar, sse2, avx2, avx512, neon"
            )
        );
    }
}

#[test]
fn errors_are_std_errors_with_the_mismatch_as_source() {
    let mismatch: LengthMismatch =
        hadamard::try_mul_elementwise(&[1.0f32], &[], &mut []).unwrap_err();
    let err: Error = mismatch.clone().into();
    let source = std::error::Error::source(&err).expect("a source");
    assert_eq!(source.to_string(), mismatch.to_string());
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(err);
    assert!(boxed.to_string().contains("a.len() = 1"));
}

/// `lengths()` compares equal to its pairs and to nothing else: another length, another
/// name, a prefix or a longer list, as a slice, an array or a reference to one.
#[test]
fn lengths_compare_equal_only_to_the_same_pairs() {
    let err = hadamard::try_mul_elementwise(&[1.0f32; 3], &[1.0; 2], &mut [0.0; 3]).unwrap_err();
    let same = [("a", 3), ("b", 2), ("out", 3)];
    assert_eq!(err.lengths(), same);
    assert_eq!(err.lengths(), &same);
    assert_eq!(err.lengths(), same[..]);
    assert_eq!(err.lengths().collect::<Vec<_>>(), same);
    assert_eq!(err.lengths().len(), 3);
    let others: [[(&str, usize); 3]; 3] = [
        [("a", 3), ("b", 3), ("out", 3)],
        [("a", 3), ("c", 2), ("out", 3)],
        [("out", 3), ("b", 2), ("a", 3)],
    ];
    for other in others {
        assert_ne!(err.lengths(), other);
        assert_ne!(err.lengths(), &other);
        assert_ne!(err.lengths(), other[..]);
    }
    assert_ne!(err.lengths(), same[..2]);
    assert_ne!(err.lengths(), [("a", 3), ("b", 2)]);
    assert_ne!(err.lengths(), &[("a", 3), ("b", 2), ("out", 3), ("x", 0)]);
    assert_ne!(
        err.lengths(),
        [("a", 3), ("b", 2), ("out", 3), ("x", 0)][..]
    );
}

/// Each wrapped error is the `source` of `Error`, so `?` into `Error` keeps the cause.
#[test]
fn shape_and_layout_errors_are_the_source_too() {
    use hadamard::{MatMut, MatRef};
    let (a, b, mut out) = ([1.0f32; 6], [1.0f32; 6], [0.0f32; 6]);
    let shape = hadamard::try_mul_matrix(
        &MatRef::new(&a, 2, 3).unwrap(),
        &MatRef::new(&b, 3, 2).unwrap(),
        &mut MatMut::new(&mut out, 2, 3).unwrap(),
    )
    .unwrap_err();
    let layout = MatRef::with_stride(&a, 3, 4, 3).unwrap_err();
    for (err, cause) in [
        (Error::from(shape.clone()), shape.to_string()),
        (Error::from(layout), layout.to_string()),
    ] {
        let source = std::error::Error::source(&err).expect("a source");
        assert_eq!(source.to_string(), cause);
        assert_eq!(err.to_string(), cause);
    }
}
