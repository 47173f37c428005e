//! The parallel path: inside pools the caller installs, nested inside parallel loops,
//! from many threads at once. Results must be the scalar products, bit for bit.

mod common;

use common::*;
use hadamard::{Options, Parallelism};
use rayon::prelude::*;

/// Large enough that the default path considers splitting on any machine (6 MiB moved).
const LEN: usize = (6 << 20) / 12 + 4099;

#[test]
fn default_path_runs_inside_installed_pools_of_any_width() {
    let mut rng = Rng::new(11);
    let a: Vec<f32> = values(&mut rng, LEN);
    let b: Vec<f32> = values(&mut rng, LEN);
    for threads in [1, 2, 3, 8] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut out = vec![0.0f32; LEN];
        pool.install(|| hadamard::mul_elementwise(&a, &b, &mut out));
        assert_products(&a, &b, &out, &format!("pool of {threads}"));
        let mut acc = a.clone();
        pool.install(|| hadamard::mul_assign(&mut acc, &b));
        assert_products(&a, &b, &acc, &format!("mul_assign in pool of {threads}"));
        let product = pool.install(|| hadamard::hadamard(&a, &b));
        assert_products(&a, &b, &product, &format!("hadamard in pool of {threads}"));
    }
}

#[test]
fn nested_inside_par_iter_with_every_parallelism() {
    let mut rng = Rng::new(12);
    let rows: Vec<(Vec<f64>, Vec<f64>)> = (0..6)
        .map(|i| {
            let len = LEN / 4 + i * 1000;
            (values(&mut rng, len), values(&mut rng, len))
        })
        .collect();
    for parallelism in [
        Parallelism::Auto,
        Parallelism::Sequential,
        Parallelism::Parallel,
    ] {
        let opts = Options::new().parallelism(parallelism);
        let products: Vec<Vec<f64>> = rows
            .par_iter()
            .map(|(a, b)| opts.hadamard(a, b).unwrap())
            .collect();
        for ((a, b), product) in rows.iter().zip(&products) {
            assert_products(a, b, product, &format!("nested {parallelism:?}"));
        }
    }
}

#[test]
fn many_os_threads_at_once_each_with_its_own_kernel() {
    let kernels = hadamard::available_kernels();
    std::thread::scope(|scope| {
        for t in 0..8 {
            let kernel = kernels[t % kernels.len()];
            scope.spawn(move || {
                let mut rng = Rng::new(100 + t as u64);
                for round in 0..20 {
                    let len = if round % 5 == 0 {
                        LEN
                    } else {
                        1 + rng.below(5000)
                    };
                    let a: Vec<f32> = values(&mut rng, len);
                    let b: Vec<f32> = values(&mut rng, len);
                    let mut out = vec![0.0f32; len];
                    let opts = Options::new().kernel(kernel).unwrap();
                    opts.mul_elementwise(&a, &b, &mut out).unwrap();
                    assert_products(&a, &b, &out, &format!("thread {t} {kernel} len {len}"));
                }
            });
        }
    });
}
