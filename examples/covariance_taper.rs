//! Covariance tapering (localization), with nalgebra: a sample covariance from fewer
//! samples than variables is singular and full of spurious long-range correlation; its
//! Schur (Hadamard) product with a compactly supported correlation matrix keeps the short
//! range, zeroes the rest, and — by the Schur product theorem, a positive definite taper
//! times a positive semi-definite matrix with a positive diagonal — is positive definite.
//!
//! The samples are made here (a smooth random field on a line of `P` points, `N < P`
//! draws). The program shows the Cholesky factorization failing on the sample covariance
//! and succeeding on the tapered one, and checks the taper against the definition.
//!
//! Run: `cargo run --release --features nalgebra --example covariance_taper`

use hadamard::nalgebra::HadamardExt;
use nalgebra::DMatrix;

const P: usize = 60; // variables (points on a line)
const N: usize = 20; // samples, fewer than variables
const RANGE: f64 = 8.0; // the taper's support, in points

struct Rng(u64);
impl Rng {
    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let mut uniform = || {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1);
            ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let (u, v) = (uniform(), uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// Wendland's compactly supported function ψ₃,₁ (positive definite in up to 3 dimensions):
/// (1 − r)⁴ (4r + 1) for r < 1, 0 beyond.
fn wendland(distance: f64) -> f64 {
    let r = distance / RANGE;
    if r >= 1.0 {
        0.0
    } else {
        (1.0 - r).powi(4) * (4.0 * r + 1.0)
    }
}

fn main() {
    let mut rng = Rng(7);
    // Each sample: white noise smoothed along the line (a moving average), so neighbours
    // correlate and distant points do not.
    let mut samples = DMatrix::<f64>::zeros(P, N);
    for s in 0..N {
        let noise: Vec<f64> = (0..P + 6).map(|_| rng.normal()).collect();
        for i in 0..P {
            samples[(i, s)] = noise[i..i + 7].iter().sum::<f64>() / 7f64.sqrt();
        }
    }
    let mean = samples.column_mean();
    let centred = DMatrix::from_fn(P, N, |i, s| samples[(i, s)] - mean[i]);
    let covariance = &centred * centred.transpose() / (N as f64 - 1.0);
    let taper = DMatrix::from_fn(P, P, |i, j| wendland((i as f64 - j as f64).abs()));

    let tapered = covariance.hadamard(&taper);
    for i in 0..P {
        for j in 0..P {
            assert_eq!(
                tapered[(i, j)],
                covariance[(i, j)] * taper[(i, j)],
                "({i}, {j})"
            );
        }
    }

    let raw = covariance.clone().cholesky();
    let localized = tapered.clone().cholesky();
    let far = (0..P)
        .flat_map(|i| (0..P).map(move |j| (i, j)))
        .filter(|&(i, j)| (i as f64 - j as f64).abs() >= RANGE);
    let spurious = far
        .clone()
        .map(|(i, j)| covariance[(i, j)].abs())
        .fold(0.0, f64::max);
    let kept = far.map(|(i, j)| tapered[(i, j)].abs()).fold(0.0, f64::max);
    println!(
        "{P} variables, {N} samples: sample covariance of rank ≤ {}",
        N - 1
    );
    println!(
        "largest |covariance| beyond {RANGE} points: {spurious:.3} before the taper, {kept} after"
    );
    println!(
        "Cholesky of the sample covariance: {}",
        if raw.is_some() {
            "succeeded"
        } else {
            "failed (singular)"
        }
    );
    let factor =
        localized.expect("the Schur product theorem: the tapered covariance is positive definite");
    let smallest = factor
        .l()
        .diagonal()
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    println!("Cholesky of the tapered covariance: succeeded (smallest pivot {smallest:.4})");
    let rebuilt = factor.l() * factor.l().transpose();
    assert!((rebuilt - &tapered).abs().max() < 1e-10);
    assert!(
        raw.is_none(),
        "a covariance of {N} samples in {P} variables is singular"
    );
}
