//! Finding the delay between two noisy recordings of one signal by cross-correlation in the
//! frequency domain: `corr = IFFT(FFT(y) ⊙ conj(FFT(x)))`, whose peak sits at the delay.
//! The product is `mul_conj_elementwise`, one pass with no conjugated temporary.
//!
//! The signal (a chirp plus random bursts), the planted delay and the noise are made here;
//! the program prints the planted and the found delay and fails if they differ.
//!
//! Run: `cargo run --release --example cross_correlation`

use hadamard::num_complex::Complex;
use rustfft::FftPlanner;

const N: usize = 1 << 14;
const DELAY: usize = 1234;

/// A small seeded generator, so every run sees the same noise.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

fn main() {
    let mut rng = Rng(0x5eed);
    let source: Vec<f64> = (0..N)
        .map(|t| {
            let s = t as f64 / N as f64;
            (2.0 * std::f64::consts::PI * (40.0 + 400.0 * s) * s).sin() + 0.5 * rng.next()
        })
        .collect();
    // x hears the source, y hears it DELAY samples later (circularly), both with their own
    // noise as loud as the signal.
    let x: Vec<Complex<f32>> = (0..N)
        .map(|t| Complex::new((source[t] + rng.next()) as f32, 0.0))
        .collect();
    let y: Vec<Complex<f32>> = (0..N)
        .map(|t| Complex::new((source[(t + N - DELAY) % N] + rng.next()) as f32, 0.0))
        .collect();

    let mut planner = FftPlanner::<f32>::new();
    let (forward, inverse) = (planner.plan_fft_forward(N), planner.plan_fft_inverse(N));
    let (mut fx, mut fy) = (x.clone(), y.clone());
    forward.process(&mut fx);
    forward.process(&mut fy);

    // The cross-spectrum: FFT(y) ⊙ conj(FFT(x)).
    let mut cross = vec![Complex::new(0.0f32, 0.0); N];
    hadamard::mul_conj_elementwise(&fy, &fx, &mut cross);
    inverse.process(&mut cross);

    let (found, peak) = cross
        .iter()
        .enumerate()
        .map(|(lag, c)| (lag, c.re))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("N > 0");
    let mean = cross.iter().map(|c| c.re.abs()).sum::<f32>() / N as f32;
    println!(
        "planted delay {DELAY}, found {found} (peak {:.0}x the mean |correlation|)",
        peak / mean
    );

    // The same cross-correlation at the peak, computed directly in the time domain.
    let direct: f64 = (0..N)
        .map(|t| y[(t + found) % N].re as f64 * x[t].re as f64)
        .sum();
    println!(
        "direct Σ y[t+{found}]·x[t] = {direct:.1}, via FFT {:.1}",
        peak / N as f32
    );
    assert_eq!(found, DELAY, "the correlation peak is at the planted delay");
    assert!(((peak / N as f32) as f64 - direct).abs() < 1e-3 * direct.abs());
}
