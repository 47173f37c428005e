//! Causal attention weights: scores scaled per key (a learned temperature per column,
//! `scale_cols`), turned into probabilities row by row, then masked so a query never sees a
//! later key (`mul_assign` by a 0/1 mask) and renormalized.
//!
//! The scores, scales and mask are made here. The program checks that every row sums to 1,
//! that nothing above the diagonal survives, and that the weights equal a plain-loop
//! computation; it prints the first rows.
//!
//! Run: `cargo run --release --example attention_mask`

use hadamard::{MatMut, MatRef};

const SEQ: usize = 12;

fn main() -> Result<(), hadamard::LayoutError> {
    // Scores q·kᵀ of a small sequence (row = query, column = key), row-major.
    let scores: Vec<f32> = (0..SEQ * SEQ)
        .map(|n| {
            let (q, k) = (n / SEQ, n % SEQ);
            ((q * 7 + k * 3) % 11) as f32 / 4.0 - 1.0
        })
        .collect();
    // One scale per key: 1/√d times a per-key temperature.
    let scales: Vec<f32> = (0..SEQ).map(|k| 0.5 + 0.05 * k as f32).collect();
    // The causal mask: key k is visible to query q when k ≤ q.
    let mask: Vec<f32> = (0..SEQ * SEQ)
        .map(|n| if n % SEQ <= n / SEQ { 1.0 } else { 0.0 })
        .collect();

    let mut weights = vec![0.0f32; SEQ * SEQ];
    hadamard::scale_cols(
        &MatRef::new(&scores, SEQ, SEQ)?,
        &scales,
        &mut MatMut::new(&mut weights, SEQ, SEQ)?,
    );
    softmax_rows(&mut weights);
    hadamard::mul_assign(&mut weights, &mask);
    normalize_rows(&mut weights);

    // The same as plain loops.
    for q in 0..SEQ {
        let logits: Vec<f32> = (0..SEQ).map(|k| scores[q * SEQ + k] * scales[k]).collect();
        let mut p = logits.clone();
        softmax_rows(&mut p);
        let kept: Vec<f32> = (0..SEQ).map(|k| p[k] * mask[q * SEQ + k]).collect();
        let mut want = kept.clone();
        normalize_rows(&mut want);
        assert_eq!(&weights[q * SEQ..(q + 1) * SEQ], &want[..], "row {q}");
        let sum: f32 = weights[q * SEQ..(q + 1) * SEQ].iter().sum();
        assert!((sum - 1.0).abs() < 1e-5, "row {q} sums to {sum}");
        assert!(weights[q * SEQ + q + 1..(q + 1) * SEQ]
            .iter()
            .all(|&w| w == 0.0));
    }
    for q in 0..4 {
        let row: Vec<String> = weights[q * SEQ..q * SEQ + 6]
            .iter()
            .map(|w| format!("{w:.3}"))
            .collect();
        println!("query {q}: {} ...", row.join(" "));
    }
    println!("every row sums to 1, nothing above the diagonal, equal to the plain loops");
    Ok(())
}

/// Softmax of each row of length `SEQ` (the length of `m` says how many rows).
fn softmax_rows(m: &mut [f32]) {
    for row in m.chunks_mut(SEQ) {
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        row.iter_mut().for_each(|v| *v = (*v - max).exp());
        normalize_rows(row);
    }
}

/// Each row divided by its sum.
fn normalize_rows(m: &mut [f32]) {
    for row in m.chunks_mut(SEQ) {
        let sum: f32 = row.iter().sum();
        row.iter_mut().for_each(|v| *v /= sum);
    }
}
