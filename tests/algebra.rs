//! The seed's algebra of ⊙, on every kernel: commutative and with ones as identity and
//! zeros absorbing (exactly, since each element is one IEEE product), associative and
//! distributive over + (within a few ulps, since those compare different roundings).

mod common;

use approx::assert_relative_eq;
use common::*;
use hadamard::Kernel;

const LEN: usize = 1000;

/// Moderate finite values: products and sums of three stay far from overflow and
/// underflow, so the associativity and distributivity bounds below are relative ones.
fn moderate<T: TestFloat>(rng: &mut Rng) -> Vec<T> {
    (0..LEN).map(|_| T::from_f64(rng.unit() * 64.0)).collect()
}

fn product<T: TestFloat>(kernel: Kernel, a: &[T], b: &[T]) -> Vec<T> {
    sequential(kernel).hadamard(a, b).unwrap()
}

fn commutative<T: TestFloat>(kernel: Kernel) {
    let mut rng = Rng::new(1);
    // Any values, specials included: a⊙b and b⊙a are the same IEEE products.
    let a: Vec<T> = values(&mut rng, LEN);
    let b: Vec<T> = values(&mut rng, LEN);
    // Each against the IEEE products computed here, not one against the other: a bug
    // symmetric in a and b would pass a comparison of the crate with itself.
    let (ab, ba) = (product(kernel, &a, &b), product(kernel, &b, &a));
    assert_products(&a, &b, &ab, &format!("{kernel}: a⊙b"));
    assert_products(&b, &a, &ba, &format!("{kernel}: b⊙a"));
}

fn ones_are_the_identity<T: TestFloat>(kernel: Kernel) {
    let mut rng = Rng::new(2);
    let a: Vec<T> = values(&mut rng, LEN);
    let ones = vec![T::ONE; LEN];
    let got = product(kernel, &a, &ones);
    for i in 0..LEN {
        // x * 1 is x exactly, NaN payloads aside.
        assert!(
            same_result(got[i], a[i]),
            "{kernel}: a⊙J != a at {i}: {:?}",
            a[i]
        );
    }
}

fn zeros_absorb<T: TestFloat>(kernel: Kernel) {
    let mut rng = Rng::new(3);
    let a: Vec<T> = moderate(&mut rng); // finite: inf * 0 is NaN, not 0
    let zeros = vec![T::ZERO; LEN];
    for got in [product(kernel, &a, &zeros), product(kernel, &zeros, &a)] {
        assert!(got.iter().all(|&x| x == T::ZERO), "{kernel}: a⊙0 != 0");
    }
}

fn associative<T: TestFloat>(kernel: Kernel, max_relative: f64) {
    let mut rng = Rng::new(4);
    let (a, b, c): (Vec<T>, Vec<T>, Vec<T>) =
        (moderate(&mut rng), moderate(&mut rng), moderate(&mut rng));
    let left = product(kernel, &product(kernel, &a, &b), &c);
    let right = product(kernel, &a, &product(kernel, &b, &c));
    for i in 0..LEN {
        // Each side rounds twice: they differ by at most about two units in the last place.
        assert_relative_eq!(
            left[i].to_f64(),
            right[i].to_f64(),
            max_relative = max_relative
        );
    }
}

fn distributive<T: TestFloat>(kernel: Kernel, epsilon: f64) {
    let mut rng = Rng::new(5);
    let (a, b, c): (Vec<T>, Vec<T>, Vec<T>) =
        (moderate(&mut rng), moderate(&mut rng), moderate(&mut rng));
    let b_plus_c: Vec<T> = b.iter().zip(&c).map(|(&x, &y)| x + y).collect();
    let left = product(kernel, &a, &b_plus_c);
    let (ab, ac) = (product(kernel, &a, &b), product(kernel, &a, &c));
    for i in 0..LEN {
        let right = ab[i] + ac[i];
        // Cancellation in b + c makes a relative bound meaningless; the error is bounded
        // by a few ulps of the magnitudes involved, |a|·(|b| + |c|).
        let scale = a[i].to_f64().abs() * (b[i].to_f64().abs() + c[i].to_f64().abs());
        assert_relative_eq!(
            left[i].to_f64(),
            right.to_f64(),
            epsilon = epsilon * scale.max(f64::MIN_POSITIVE)
        );
    }
}

/// For diagonal matrices the matrix product and the Hadamard product coincide; checked on
/// the full n×n storage with a plain triple-loop matrix product.
fn diagonal_matrices<T: TestFloat>(kernel: Kernel) {
    let n = 17;
    let mut rng = Rng::new(6);
    let diagonal = |rng: &mut Rng| -> Vec<T> {
        let mut m = vec![T::ZERO; n * n];
        for i in 0..n {
            m[i * n + i] = T::from_f64(rng.unit() * 10.0);
        }
        m
    };
    let (d1, d2) = (diagonal(&mut rng), diagonal(&mut rng));
    let mut matmul = vec![T::ZERO; n * n];
    for i in 0..n {
        for j in 0..n {
            let mut sum = T::ZERO;
            for k in 0..n {
                sum = sum + d1[i * n + k] * d2[k * n + j];
            }
            matmul[i * n + j] = sum;
        }
    }
    let hadamard = product(kernel, &d1, &d2);
    // Off the diagonal both are +0; on it both are the one product d1ᵢᵢ·d2ᵢᵢ (+ exact zeros).
    assert_eq!(hadamard, matmul, "{kernel}: D1·D2 != D1⊙D2");
}

macro_rules! algebra_tests {
    ($($test:ident => $body:expr),* $(,)?) => {$(
        #[test]
        fn $test() {
            for kernel in kernels_under_test() {
                $body(kernel);
            }
        }
    )*};
}

algebra_tests! {
    commutative_f32 => commutative::<f32>,
    commutative_f64 => commutative::<f64>,
    identity_f32 => ones_are_the_identity::<f32>,
    identity_f64 => ones_are_the_identity::<f64>,
    zero_f32 => zeros_absorb::<f32>,
    zero_f64 => zeros_absorb::<f64>,
    associative_f32 => |k| associative::<f32>(k, 4.0 * f32::EPSILON as f64),
    associative_f64 => |k| associative::<f64>(k, 4.0 * f64::EPSILON),
    distributive_f32 => |k| distributive::<f32>(k, 4.0 * f32::EPSILON as f64),
    distributive_f64 => |k| distributive::<f64>(k, 4.0 * f64::EPSILON),
    diagonal_f32 => diagonal_matrices::<f32>,
    diagonal_f64 => diagonal_matrices::<f64>,
}
