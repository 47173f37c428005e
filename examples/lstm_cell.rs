//! One step of an LSTM cell over a batch, with ndarray: the gates are element-wise
//! products, which `hadamard::ndarray::HadamardExt` computes in place — the cell state
//! `c' = f ⊙ c + i ⊙ g` in one pass over four arrays (`mul_then_add_mul_assign`).
//!
//! ```text
//! i = σ(x·Wi + h·Ui + bi)   f = σ(x·Wf + h·Uf + bf)   o = σ(x·Wo + h·Uo + bo)
//! g = tanh(x·Wg + h·Ug + bg)
//! c' = f ⊙ c + i ⊙ g        h' = o ⊙ tanh(c')
//! ```
//!
//! Weights, inputs and state are made here from a seeded generator. The program checks the
//! new state against the same step written as plain loops, element by element, and prints
//! a few values.
//!
//! Run: `cargo run --release --features ndarray --example lstm_cell`

use hadamard::ndarray::HadamardExt;
use ndarray::{Array1, Array2, Axis};

const BATCH: usize = 32;
const INPUT: usize = 64;
const HIDDEN: usize = 128;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * 0.5
    }
    fn matrix(&mut self, rows: usize, cols: usize) -> Array2<f32> {
        Array2::from_shape_simple_fn((rows, cols), || self.next())
    }
}

/// One gate's pre-activation: x·W + h·U + b.
fn affine(
    x: &Array2<f32>,
    h: &Array2<f32>,
    w: &Array2<f32>,
    u: &Array2<f32>,
    b: &Array1<f32>,
) -> Array2<f32> {
    x.dot(w) + h.dot(u) + b.view().insert_axis(Axis(0))
}

fn sigmoid(z: Array2<f32>) -> Array2<f32> {
    z.mapv(|v| 1.0 / (1.0 + (-v).exp()))
}

fn main() {
    let mut rng = Rng(42);
    let x = rng.matrix(BATCH, INPUT);
    let h = rng.matrix(BATCH, HIDDEN);
    let c = rng.matrix(BATCH, HIDDEN);
    let mut weights = || {
        (
            rng.matrix(INPUT, HIDDEN),
            rng.matrix(HIDDEN, HIDDEN),
            rng.matrix(1, HIDDEN).remove_axis(Axis(0)),
        )
    };
    let (wi, ui, bi) = weights();
    let (wf, uf, bf) = weights();
    let (wo, uo, bo) = weights();
    let (wg, ug, bg) = weights();

    let i = sigmoid(affine(&x, &h, &wi, &ui, &bi));
    let f = sigmoid(affine(&x, &h, &wf, &uf, &bf));
    let o = sigmoid(affine(&x, &h, &wo, &uo, &bo));
    let g = affine(&x, &h, &wg, &ug, &bg).mapv(f32::tanh);

    // c' = c ⊙ f + i ⊙ g in place, in one pass: both products and the sum each rounded,
    // as the loop below writes it.
    let mut c_next = c.clone();
    c_next.mul_then_add_mul_assign(&f, &i, &g);
    // h' = o ⊙ tanh(c').
    let h_next = o.hadamard(&c_next.mapv(f32::tanh));

    // The same step as plain loops.
    for b in 0..BATCH {
        for k in 0..HIDDEN {
            let want_c = f[(b, k)] * c[(b, k)] + i[(b, k)] * g[(b, k)];
            assert_eq!(c_next[(b, k)], want_c, "c' at ({b}, {k})");
            assert_eq!(
                h_next[(b, k)],
                o[(b, k)] * want_c.tanh(),
                "h' at ({b}, {k})"
            );
        }
    }
    println!("LSTM step: batch {BATCH}, input {INPUT}, hidden {HIDDEN}");
    println!(
        "c[0, ..4]  = {:?}",
        c.row(0).iter().take(4).collect::<Vec<_>>()
    );
    println!(
        "c'[0, ..4] = {:?}",
        c_next.row(0).iter().take(4).collect::<Vec<_>>()
    );
    println!(
        "h'[0, ..4] = {:?}",
        h_next.row(0).iter().take(4).collect::<Vec<_>>()
    );
    println!("every element of c' and h' equals the plain-loop step");
}
