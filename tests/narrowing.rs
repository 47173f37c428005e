//! Past L1 the default path runs the 256-bit kernel for the products that narrow there
//! (`narrows_past_l1` in the kernels' tables) when its kernel is AVX-512 by preference:
//! which calls narrow and which never do (small ones, forced kernels, in-place forms, the
//! operations that keep 512 bits, streaming calls), seen through `hadamard::__observe` on
//! this thread, and the results against the element-wise definition either way.

use hadamard::num_complex::Complex;
use hadamard::{Kernel, Options, Parallelism, Stores};

/// Whether this process's default path narrows at all: AVX-512 chosen by preference, not
/// forced by `HADAMARD_KERNEL` (CI also runs the tests with each kernel forced).
fn narrowing_expected() -> bool {
    let forced = std::env::var(hadamard::KERNEL_ENV_VAR)
        .map(|v| !matches!(v.trim(), "" | "auto"))
        .unwrap_or(false);
    hadamard::selected_kernel() == Kernel::Avx512 && !forced
}

/// How many of the calls `f` makes on this thread narrowed.
fn narrowed_in(f: impl FnOnce()) -> usize {
    // The process's split costs are measured by its first large call, with calls of their
    // own that narrow too: measured before counting.
    hadamard::split_costs();
    let before = hadamard::__observe::narrowed_calls();
    f();
    hadamard::__observe::narrowed_calls() - before
}

/// Lengths whose `out = a ⊙ b` moves half of L1 and eight times L1 (in L2 on any machine
/// this crate knows, and far below the streaming threshold).
fn lengths<T>() -> (usize, usize) {
    let l1 = hadamard::cache_sizes().l1;
    let per_element = 3 * std::mem::size_of::<T>();
    let (small, large) = (l1 / 2 / per_element, 8 * l1 / per_element);
    assert!(3 * large * std::mem::size_of::<T>() < hadamard::streaming_threshold_bytes());
    (small, large)
}

fn values<T: Copy>(n: usize, f: impl Fn(usize) -> T) -> Vec<T> {
    (0..n).map(f).collect()
}

#[test]
fn products_past_l1_narrow_on_the_default_path_only() {
    let expect = usize::from(narrowing_expected());
    let (small, large) = lengths::<f32>();
    let a = values(large, |i| i as f32 * 0.37 - 11.0);
    let b = values(large, |i| 1.0 / (i as f32 + 0.5));
    let want: Vec<f32> = a.iter().zip(&b).map(|(x, y)| x * y).collect();
    let mut out = vec![0.0f32; large];

    assert_eq!(
        narrowed_in(|| hadamard::mul_elementwise(&a, &b, &mut out)),
        expect,
        "f32 product past L1"
    );
    assert_eq!(out, want);
    assert_eq!(
        narrowed_in(|| { hadamard::mul_elementwise(&a[..small], &b[..small], &mut out[..small]) }),
        0,
        "within L1 the default keeps its width"
    );
    // The line itself: a call moving exactly L1's size still fits and keeps its width.
    let l1 = hadamard::cache_sizes().l1;
    if l1.is_multiple_of(12) && l1 / 12 <= large {
        let n = l1 / 12;
        assert_eq!(
            narrowed_in(|| hadamard::mul_elementwise(&a[..n], &b[..n], &mut out[..n])),
            0,
            "a call moving exactly L1's size"
        );
        assert_eq!(
            narrowed_in(|| {
                hadamard::mul_elementwise(&a[..n + 1], &b[..n + 1], &mut out[..n + 1])
            }),
            expect,
            "one element past L1's size"
        );
    }
    // On two threads the decision is the call's, made once on the calling thread.
    let two = Options::new().parallelism(Parallelism::Parallel);
    out.fill(0.0);
    assert_eq!(
        narrowed_in(|| two.mul_elementwise(&a, &b, &mut out).unwrap()),
        expect,
        "split call"
    );
    assert_eq!(out, want);
    for kernel in hadamard::available_kernels() {
        let forced = Options::new().kernel(kernel).unwrap();
        out.fill(0.0);
        assert_eq!(
            narrowed_in(|| forced.mul_elementwise(&a, &b, &mut out).unwrap()),
            0,
            "a forced {kernel} kernel runs as forced"
        );
        assert_eq!(out, want, "{kernel}");
    }
    let streaming = Options::new().stores(Stores::Streaming);
    assert_eq!(
        narrowed_in(|| streaming.mul_elementwise(&a, &b, &mut out).unwrap()),
        0,
        "streaming calls keep the full width"
    );
    let mut acc = a.clone();
    assert_eq!(
        narrowed_in(|| hadamard::mul_assign(&mut acc, &b)),
        0,
        "in place"
    );
    assert_eq!(acc, want);
}

#[test]
fn which_operations_narrow() {
    let expect = usize::from(narrowing_expected());
    let (_, large) = lengths::<f64>();
    let a = values(large, |i| i as f64 * 0.25 - 3.0);
    let b = values(large, |i| 2.0 - i as f64 * 1e-3);
    let c = values(large, |i| (i % 7) as f64);
    let mut out = vec![0.0f64; large];

    assert_eq!(
        narrowed_in(|| hadamard::mul_scalar(&a, 1.5, &mut out)),
        expect
    );
    assert!(out.iter().zip(&a).all(|(o, x)| *o == x * 1.5));
    assert_eq!(
        narrowed_in(|| hadamard::mul_add(&a, &b, &c, &mut out)),
        expect
    );
    assert!((0..large).all(|i| out[i] == a[i].mul_add(b[i], c[i])));
    assert_eq!(
        narrowed_in(|| hadamard::mul_then_add(&a, &b, &c, &mut out)),
        expect
    );
    assert!((0..large).all(|i| out[i] == a[i] * b[i] + c[i]));

    let x = values(large, |i| (i as i32).wrapping_mul(2_654_435_761u32 as i32));
    let y = values(large, |i| 7 - i as i32);
    let mut z = vec![0i32; large];
    assert_eq!(
        narrowed_in(|| hadamard::mul_elementwise(&x, &y, &mut z)),
        expect,
        "i32"
    );
    assert!((0..large).all(|i| z[i] == x[i].wrapping_mul(y[i])));

    // More work per element than loads and stores: 512 bits win in L2 too.
    let p = values(large, |i| i as u64 * 0x9E37_79B9);
    let mut q = vec![0u64; large];
    assert_eq!(
        narrowed_in(|| hadamard::mul_elementwise(&p, &p, &mut q)),
        0,
        "u64"
    );
    assert!((0..large).all(|i| q[i] == p[i].wrapping_mul(p[i])));
    assert_eq!(
        narrowed_in(|| hadamard::mul_scalar(&p, 3, &mut q)),
        0,
        "u64 scaled"
    );
    assert!((0..large).all(|i| q[i] == p[i].wrapping_mul(3)));
    let r = q.clone();
    assert_eq!(
        narrowed_in(|| hadamard::mul_then_add(&p, &p, &r, &mut q)),
        0,
        "u64 multiply-add"
    );
    assert!((0..large).all(|i| q[i] == p[i].wrapping_mul(p[i]).wrapping_add(r[i])));
    let u = values(large / 2, |i| Complex::new(i as f32, 1.0 - i as f32));
    let mut w = vec![Complex::new(0.0f32, 0.0); large / 2];
    assert_eq!(
        narrowed_in(|| hadamard::mul_elementwise(&u, &u, &mut w)),
        0,
        "complex"
    );
    let bytes = values(4 * large, |i| i as u8);
    let mut product = vec![0u8; 4 * large];
    assert_eq!(
        narrowed_in(|| hadamard::mul_elementwise(&bytes, &bytes, &mut product)),
        0,
        "u8"
    );
}
