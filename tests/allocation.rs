//! Memory: no allocation on the single-threaded path, nor on the parallel one (rayon's
//! `join` keeps its jobs on the stack, and the crate adds nothing), whatever the length.
//!
//! A counting global allocator sees every allocation of the process, so this file holds a
//! single test: nothing else runs while it counts. Single-threaded calls are held to the
//! allocations of the calling thread, parallel calls to those of every thread.

use hadamard::{Options, Parallelism, Stores};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

/// Allocations by every thread: for the parallel path, whose workers allocate for it.
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Allocations by this thread: for the single-threaded path, so that a rayon worker
    /// still settling after an earlier parallel call is not counted against it.
    static THIS_THREAD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn count_one() {
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    // try_with: the thread may be tearing down its thread-locals.
    let _ = THIS_THREAD.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on as is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract for `realloc` is passed on as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations this thread makes during `f` (single-threaded calls).
fn allocations_during(f: impl FnOnce()) -> usize {
    let before = THIS_THREAD.with(|n| n.get());
    f();
    THIS_THREAD.with(|n| n.get()) - before
}

/// Allocations any thread makes during `f` (parallel calls).
fn all_allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

#[test]
fn allocation_is_bounded_and_does_not_grow_with_the_length() {
    let large = (20 << 20) / 12; // f32 elements: 20 MiB moved, past the small path
    let a = vec![1.5f32; large];
    let b = vec![2.0f32; large];
    let mut out = vec![0.0f32; large];

    // Warm up: the first calls resolve the kernel and start rayon's pool.
    hadamard::mul_elementwise(&a, &b, &mut out);
    hadamard::mul_elementwise(&a[..16], &b[..16], &mut out[..16]);

    // Below 64 KiB moved: the small path on every machine.
    for len in [0, 1, 16, 1000, (64 << 10) / 12 - 1] {
        let n = allocations_during(|| {
            hadamard::mul_elementwise(&a[..len], &b[..len], &mut out[..len]);
            hadamard::mul_assign(&mut out[..len], &b[..len]);
        });
        assert_eq!(
            n, 0,
            "default path below the threshold allocated {n} times at len {len}"
        );
    }

    // A length error is built without the heap (real-time callers check lengths too).
    let n = allocations_during(|| {
        for o in [
            Options::new(),
            Options::new().parallelism(Parallelism::Parallel),
        ] {
            let e = o
                .mul_elementwise(&a[..3], &b[..2], &mut out[..3])
                .unwrap_err();
            let s = o.mul_split_complex(
                (&a[..3], &a[..3]),
                (&b[..3], &b[..4]),
                out[..6].split_at_mut(3),
            );
            std::hint::black_box((e, s.unwrap_err()));
        }
    });
    assert_eq!(n, 0, "a length error allocated {n} times");

    // The integrations' strided paths: a transposed ndarray view, nalgebra views of a block
    // (one kernel call per column) and of every other row (gathered through stack buffers).
    #[cfg(feature = "ndarray")]
    {
        let x = ndarray::Array2::from_shape_fn((70, 90), |(i, j)| (i * 90 + j) as f32);
        let y = ndarray::Array2::from_shape_fn((90, 70), |(i, j)| (i + j) as f32);
        let mut z = ndarray::Array2::<f32>::zeros((70, 90));
        let o = Options::new().parallelism(Parallelism::Sequential);
        let n = allocations_during(|| o.mul_ndarray(&x.view(), &y.t(), &mut z).unwrap());
        assert_eq!(
            n, 0,
            "ndarray with a transposed operand allocated {n} times"
        );
        assert_eq!(z[(3, 5)], x[(3, 5)] * y[(5, 3)]);
    }
    #[cfg(feature = "nalgebra")]
    {
        let x = nalgebra::DMatrix::from_fn(70, 90, |i, j| (i * 90 + j) as f32);
        let y = nalgebra::DMatrix::from_fn(100, 100, |i, j| (i + j) as f32);
        let mut z = nalgebra::DMatrix::<f32>::zeros(70, 90);
        let o = Options::new().parallelism(Parallelism::Sequential);
        let block = y.view((5, 7), (70, 90));
        let n = allocations_during(|| o.mul_nalgebra(&x, &block, &mut z).unwrap());
        assert_eq!(n, 0, "nalgebra with a block view allocated {n} times");
        assert_eq!(z[(3, 5)], x[(3, 5)] * y[(8, 12)]);
        // Every other row: row stride 2, so no column is a slice and each is gathered.
        let tall = nalgebra::DMatrix::from_fn(140, 90, |i, j| (i * 3 + j) as f32);
        let stepped = tall.view_with_steps((0, 0), (70, 90), (1, 0));
        let n = allocations_during(|| o.mul_nalgebra(&x, &stepped, &mut z).unwrap());
        assert_eq!(n, 0, "nalgebra with a row-strided view allocated {n} times");
        assert_eq!(z[(3, 5)], x[(3, 5)] * tall[(6, 5)]);
    }
    #[cfg(feature = "faer")]
    {
        // A transposed operand (columns gathered) and a reversed output (negative stride),
        // through the free functions the other operations share.
        let x = faer::Mat::<f32>::from_fn(70, 90, |i, j| (i * 90 + j) as f32);
        let y = faer::Mat::<f32>::from_fn(90, 70, |i, j| (i + j) as f32);
        let mut z = faer::Mat::<f32>::zeros(70, 90);
        let o = Options::new().parallelism(Parallelism::Sequential);
        let n = allocations_during(|| o.mul_faer(&x, &y.transpose(), &mut z).unwrap());
        assert_eq!(n, 0, "faer with a transposed operand allocated {n} times");
        assert_eq!(z[(3, 5)], x[(3, 5)] * y[(5, 3)]);
        let n = allocations_during(|| {
            hadamard::faer::mul_add_assign(&mut z.as_mut().reverse_rows_mut(), &x, &x).unwrap()
        });
        assert_eq!(
            n, 0,
            "faer multiply-add into a reversed view allocated {n} times"
        );
    }

    // Every other operation below the threshold, on every element family.
    every_operation_allocates_nothing_below_the_threshold();

    let sequential = Options::new().parallelism(Parallelism::Sequential);
    for stores in [Stores::Normal, Stores::Streaming] {
        let opts = sequential.stores(stores);
        let n = allocations_during(|| opts.mul_elementwise(&a, &b, &mut out).unwrap());
        assert_eq!(n, 0, "sequential {stores:?} call allocated {n} times");
    }

    let n = allocations_during(|| {
        let product = hadamard::Options::new()
            .parallelism(Parallelism::Sequential)
            .hadamard(&a[..1000], &b[..1000])
            .unwrap();
        assert_eq!(product.len(), 1000);
    });
    assert_eq!(
        n, 1,
        "the allocating form allocates its result and nothing else"
    );

    // The parallel path: the calling thread hands each other thread one job (rayon's
    // `spawn` boxes it), keeps the list of pieces the threads claim, and a split sum two
    // lists of its runs; nothing grows with the length. Rayon's workers now and then allocate for themselves (measured: one
    // allocation in one of eight calls, at whichever operation happens to run then), so
    // each operation is called 8 times: the fewest allocations of a call must be at most
    // one a thread plus two, the same at two lengths 16x apart, and the most at most two
    // more, for every family that splits.
    let threads = rayon::current_num_threads();
    let mut fewest_at = Vec::new();
    let split = Options::new().parallelism(Parallelism::Parallel);
    let of_8 = |f: &mut dyn FnMut()| {
        let counts: Vec<usize> = (0..8).map(|_| all_allocations_during(&mut *f)).collect();
        (*counts.iter().min().unwrap(), *counts.iter().max().unwrap())
    };
    for len in [large / 16, large] {
        let (a, b) = (&a[..len], &b[..len]);
        let (re, im) = out[..len].split_at_mut(len / 2);
        let h = len / 2;
        let counts = [
            (
                "mul",
                of_8(&mut || {
                    split
                        .mul_elementwise(&a[..h], &b[..h], &mut re[..h])
                        .unwrap()
                }),
            ),
            (
                "mul_then_add",
                of_8(&mut || {
                    split
                        .mul_then_add(&a[..h], &b[..h], &a[..h], &mut re[..h])
                        .unwrap()
                }),
            ),
            (
                "scale",
                of_8(&mut || split.mul_scalar(&a[..h], 2.0, &mut im[..h]).unwrap()),
            ),
            (
                "sum",
                of_8(&mut || {
                    std::hint::black_box(split.hadamard_sum(a, b).unwrap());
                }),
            ),
            (
                "split complex",
                of_8(&mut || {
                    split
                        .mul_split_complex(
                            (&a[..h], &b[..h]),
                            (&b[..h], &a[..h]),
                            (&mut re[..h], &mut im[..h]),
                        )
                        .unwrap()
                }),
            ),
        ];
        eprintln!("allocations per parallel call at len {len} (fewest, most of 8): {counts:?}");
        for (op, (fewest, most)) in counts {
            assert!(
                fewest <= threads + 2 && most <= fewest + 2,
                "parallel {op} at len {len}: {fewest} to {most} allocations per call"
            );
            fewest_at.push((op, len, fewest));
        }
    }
    let per_op = |op: &str| -> Vec<usize> {
        fewest_at
            .iter()
            .filter(|(o, _, _)| *o == op)
            .map(|&(_, _, n)| n)
            .collect()
    };
    for op in ["mul", "mul_then_add", "scale", "sum", "split complex"] {
        let counts = per_op(op);
        assert!(
            counts.windows(2).all(|w| w[0] == w[1]),
            "parallel {op}: the fewest allocations grew with the length: {counts:?}"
        );
    }
}

/// The other operations: none allocates on the single-threaded path (errors aside).
fn every_operation_allocates_nothing_below_the_threshold() {
    use hadamard::half::f16;
    use hadamard::num_complex::Complex;
    use hadamard::{MatMut, MatRef};
    let n = 4096;
    let (x, y, mut z) = (vec![1.25f64; n], vec![0.5f64; n], vec![0.0f64; n]);
    let (p, q, mut r) = (vec![3u8; n], vec![7u8; n], vec![0u8; n]);
    let (c, mut cz) = (
        vec![Complex::new(1.0f32, 2.0); n],
        vec![Complex::new(0.0f32, 0.0); n],
    );
    let (h, mut wide) = (vec![f16::from_f32(1.5); n], vec![0.0f32; n]);
    let (ar, ai) = (vec![1.0f32; n], vec![2.0f32; n]);
    let (mut re, mut im) = (vec![0.0f32; n], vec![0.0f32; n]);
    // Warm up every kernel table entry used below (nothing is lazily allocated, but make
    // sure of it being the steady state that is measured).
    for kernel in hadamard::available_kernels() {
        let o = Options::new()
            .kernel(kernel)
            .unwrap()
            .parallelism(Parallelism::Sequential);
        let count = allocations_during(|| {
            o.mul_scalar(&x, 2.0, &mut z).unwrap();
            o.mul_scalar_assign(&mut z, 0.5);
            o.mul_then_add(&x, &y, &x, &mut z).unwrap();
            o.mul_then_add_assign(&mut z, &x, &y).unwrap();
            o.mul_add(&x, &y, &x, &mut z).unwrap();
            o.mul_add_assign(&mut z, &x, &y).unwrap();
            std::hint::black_box(o.hadamard_sum(&x, &y).unwrap());
            o.mul_elementwise_saturating(&p, &q, &mut r).unwrap();
            o.mul_normalized_u8(&p, &q, &mut r).unwrap();
            o.mul_elementwise(&c, &c, &mut cz).unwrap();
            o.mul_conj_elementwise(&c, &c, &mut cz).unwrap();
            o.mul_conj_add_assign(&mut cz, &c, &c).unwrap();
            std::hint::black_box(o.hadamard_sum_conj(&c, &c).unwrap());
            o.mul_elementwise_widen(&h, &h, &mut wide).unwrap();
            o.mul_split_complex((&ar, &ai), (&ar, &ai), (&mut re, &mut im))
                .unwrap();
            let (ma, mut mo) = (
                MatRef::new(&y, 64, 64).unwrap(),
                MatMut::new(&mut z, 64, 64).unwrap(),
            );
            o.mul_matrix(&ma, &ma, &mut mo).unwrap();
            o.scale_rows(&ma, &y[..64], &mut mo).unwrap();
            o.scale_cols(&ma, &y[..64], &mut mo).unwrap();
        });
        assert_eq!(
            count, 0,
            "{kernel}: an operation allocated {count} times below the threshold"
        );
    }
}
