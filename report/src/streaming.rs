//! The machine's reference out of cache for the two-product formulas: the loop a user who
//! knows the hardware writes by hand — AVX-512 registers, non-temporal stores, split across
//! the rayon pool in pieces of whole cache lines — for `a·b + c·d` and `w·a + (1 − w)·b`
//! on `f32` and `f64`. The `--ops` table measures the crate's one-pass calls against it.

use rayon::prelude::*;

/// The hand-written streaming loops of one element type (AVX-512 only: where the CPU has
/// no AVX-512 there is no such contender).
pub trait Streamed: Copy + Send + Sync + 'static {
    /// `out[i] = a[i]·b[i] + c[i]·d[i]`.
    fn mul_then_add_mul(a: &[Self], b: &[Self], c: &[Self], d: &[Self], out: &mut [Self]);
    /// `out[i] = w[i]·a[i] + (1 − w[i])·b[i]`.
    fn blend(a: &[Self], b: &[Self], w: &[Self], out: &mut [Self]);
}

/// Whether this CPU runs the loops.
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        hadamard::Kernel::Avx512.is_available()
    }
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// Pieces of `len / threads` elements rounded up to whole lines: only a piece's first line
/// may need a head.
fn piece(len: usize) -> usize {
    len.div_ceil(rayon::current_num_threads())
        .max(4096)
        .next_multiple_of(64)
}

/// `f` over matching pieces of four inputs and the output, across the pool.
fn split4<T: Sync + Send>(
    [a, b, c, d]: [&[T]; 4],
    out: &mut [T],
    f: impl Fn([&[T]; 4], &mut [T]) + Sync,
) {
    let n = piece(out.len());
    out.par_chunks_mut(n)
        .zip(a.par_chunks(n))
        .zip(b.par_chunks(n))
        .zip(c.par_chunks(n))
        .zip(d.par_chunks(n))
        .for_each(|((((o, a), b), c), d)| f([a, b, c, d], o));
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;

    /// One piece: a scalar head until `out` sits on a 64-byte line, the body in registers
    /// with streaming stores, a scalar tail, then `sfence`.
    macro_rules! formula {
        ($name:ident, $t:ident, $lanes:literal, $load:ident, $stream:ident, $set1:ident,
         |$a:ident, $b:ident, $c:ident, $d:ident, $one:ident| $scalar:expr, $vector:expr) => {
            #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
            pub fn $name(inputs: [&[$t]; 4], out: &mut [$t]) {
                let n = out.len();
                let [a, b, c, d] = inputs.map(|x| &x[..n]);
                let misaligned = out.as_ptr() as usize % 64 / size_of::<$t>();
                let head = ((64 / size_of::<$t>() - misaligned) % (64 / size_of::<$t>())).min(n);
                let $one = $set1(1.0);
                let mut i = 0;
                while i < head {
                    let ($a, $b, $c, $d) = (a[i], b[i], c[i], d[i]);
                    out[i] = $scalar;
                    i += 1;
                }
                while i + $lanes <= n {
                    // SAFETY: i + lanes <= n, so every pointer has a whole register; `out`
                    // is 64-byte aligned here (the head), as the streaming store requires.
                    unsafe {
                        let ($a, $b, $c, $d) = (
                            $load(a.as_ptr().add(i)),
                            $load(b.as_ptr().add(i)),
                            $load(c.as_ptr().add(i)),
                            $load(d.as_ptr().add(i)),
                        );
                        $stream(out.as_mut_ptr().add(i), $vector);
                    }
                    i += $lanes;
                }
                while i < n {
                    let ($a, $b, $c, $d) = (a[i], b[i], c[i], d[i]);
                    out[i] = $scalar;
                    i += 1;
                }
                _mm_sfence();
            }
        };
    }

    formula!(
        mul_then_add_mul_f32,
        f32,
        16,
        _mm512_loadu_ps,
        _mm512_stream_ps,
        _mm512_set1_ps,
        |a, b, c, d, _one| a * b + c * d,
        _mm512_add_ps(_mm512_mul_ps(a, b), _mm512_mul_ps(c, d))
    );
    formula!(
        mul_then_add_mul_f64,
        f64,
        8,
        _mm512_loadu_pd,
        _mm512_stream_pd,
        _mm512_set1_pd,
        |a, b, c, d, _one| a * b + c * d,
        _mm512_add_pd(_mm512_mul_pd(a, b), _mm512_mul_pd(c, d))
    );
    // Inputs (a, b, w, w): the fourth is not read past the head's and tail's elements.
    formula!(
        blend_f32,
        f32,
        16,
        _mm512_loadu_ps,
        _mm512_stream_ps,
        _mm512_set1_ps,
        |a, b, w, _w, one| w * a + (1.0 - w) * b,
        _mm512_add_ps(_mm512_mul_ps(w, a), _mm512_mul_ps(_mm512_sub_ps(one, w), b))
    );
    formula!(
        blend_f64,
        f64,
        8,
        _mm512_loadu_pd,
        _mm512_stream_pd,
        _mm512_set1_pd,
        |a, b, w, _w, one| w * a + (1.0 - w) * b,
        _mm512_add_pd(_mm512_mul_pd(w, a), _mm512_mul_pd(_mm512_sub_pd(one, w), b))
    );
}

/// `piece` (an AVX-512 loop) over matching pieces of the operands across the pool.
fn on_the_pool<T: Sync + Send>(
    inputs: [&[T]; 4],
    out: &mut [T],
    piece: unsafe fn([&[T]; 4], &mut [T]),
) {
    assert!(available(), "the streaming loops need AVX-512");
    // SAFETY: the CPU has AVX-512 (asserted above), all `piece` needs.
    split4(inputs, out, |inputs, o| unsafe { piece(inputs, o) });
}

macro_rules! streamed {
    ($t:ident, $mul:ident, $blend:ident) => {
        impl Streamed for $t {
            fn mul_then_add_mul(a: &[$t], b: &[$t], c: &[$t], d: &[$t], out: &mut [$t]) {
                #[cfg(target_arch = "x86_64")]
                on_the_pool([a, b, c, d], out, avx512::$mul);
            }

            fn blend(a: &[$t], b: &[$t], w: &[$t], out: &mut [$t]) {
                #[cfg(target_arch = "x86_64")]
                on_the_pool([a, b, w, w], out, avx512::$blend);
            }
        }
    };
}
streamed!(f32, mul_then_add_mul_f32, blend_f32);
streamed!(f64, mul_then_add_mul_f64, blend_f64);

#[cfg(test)]
mod tests {
    use super::*;

    /// The loops compute their formulas (they are a reference: a wrong one would make a
    /// speed figure meaningless), at lengths with a head, a body and a tail.
    #[test]
    fn the_loops_give_the_plain_expressions() {
        if !available() {
            return;
        }
        for n in [0, 1, 17, 1000, 100_003] {
            let v = |k: usize| -> Vec<f64> {
                (0..n).map(|i| ((i * 7 + k) % 13) as f64 * 0.37).collect()
            };
            let (a, b, c, d) = (v(0), v(1), v(2), v(3));
            let mut out = vec![0.0; n];
            f64::mul_then_add_mul(&a, &b, &c, &d, &mut out);
            assert!((0..n).all(|i| out[i] == a[i] * b[i] + c[i] * d[i]));
            let w: Vec<f64> = c.iter().map(|x| x / 5.0).collect();
            f64::blend(&a, &b, &w, &mut out);
            assert!((0..n).all(|i| out[i] == w[i] * a[i] + (1.0 - w[i]) * b[i]));
            let f = |x: &Vec<f64>| -> Vec<f32> { x.iter().map(|&y| y as f32).collect() };
            let (a, b, c, d) = (f(&a), f(&b), f(&c), f(&d));
            let mut out = vec![0.0f32; n];
            f32::mul_then_add_mul(&a, &b, &c, &d, &mut out);
            assert!((0..n).all(|i| out[i] == a[i] * b[i] + c[i] * d[i]));
        }
    }
}
