//! Every operation of the ndarray, nalgebra and faer integrations — free functions and
//! extension-trait methods — on every layout each library has (row- and column-major,
//! transposed, blocks of bigger matrices, stepped, reversed), inputs and output each in a
//! different one, against the element-wise definition computed here from plain Rust
//! arithmetic on a row-major copy. The sums against an exact integer sum and, for floats,
//! within the bound the docs state. Shape errors name every shape and write nothing.

#![cfg(all(feature = "ndarray", feature = "nalgebra", feature = "faer"))]

mod common;

use common::Rng;
use hadamard::num_complex::Complex;

/// A matrix as the tests think of it: `rows × cols`, row-major, no layout.
#[derive(Clone, Debug, PartialEq)]
struct Logical<T> {
    rows: usize,
    cols: usize,
    data: Vec<T>,
}

impl<T: Copy> Logical<T> {
    fn new(rows: usize, cols: usize, mut f: impl FnMut(usize, usize) -> T) -> Self {
        let mut data = Vec::with_capacity(rows * cols);
        for i in 0..rows {
            for j in 0..cols {
                data.push(f(i, j));
            }
        }
        Logical { rows, cols, data }
    }
    fn at(&self, i: usize, j: usize) -> T {
        self.data[i * self.cols + j]
    }
    fn map<const N: usize>(others: [&Self; N], f: impl Fn([T; N]) -> T) -> Self {
        let first = others[0];
        Logical::new(first.rows, first.cols, |i, j| f(others.map(|m| m.at(i, j))))
    }
}

/// The number of layouts each library offers here.
const LAYOUTS: usize = 5;

/// The shapes and the layout of each operand: every operand in every layout, together and
/// each in a different one from the others.
fn cases(operands: usize) -> Vec<((usize, usize), Vec<usize>)> {
    let mut all = Vec::new();
    // (2, 300) and (300, 2): lanes longer than the 256-element buffers, whole or gathered.
    for shape in [(1, 1), (3, 5), (17, 40), (64, 9), (2, 300), (300, 2)] {
        for k in 0..LAYOUTS {
            all.push((shape, vec![k; operands]));
            all.push((shape, (0..operands).map(|i| (k + i) % LAYOUTS).collect()));
        }
    }
    all
}

fn reals(rng: &mut Rng, (r, c): (usize, usize)) -> Logical<f64> {
    Logical::new(r, c, |_, _| rng.unit() * 8.0)
}

fn complexes(rng: &mut Rng, (r, c): (usize, usize)) -> Logical<Complex<f64>> {
    Logical::new(r, c, |_, _| {
        Complex::new(rng.unit() * 4.0, rng.unit() * 4.0)
    })
}

fn ints(rng: &mut Rng, (r, c): (usize, usize)) -> Logical<i32> {
    Logical::new(r, c, |_, _| rng.next_u64() as i32)
}

/// A bound of the form of `hadamard_sum`'s (its docs) with `m = n + 96`, far above the
/// documented `m`: these tests are about layouts; `tests/sum_order*.rs` pin the bits.
fn assert_sum_close(got: f64, terms: impl Iterator<Item = f64> + Clone, what: &str) {
    let exact: f64 = terms.clone().sum();
    let magnitude: f64 = terms.clone().map(f64::abs).sum();
    let m = (terms.count() + 32 + 64) as f64;
    let u = f64::EPSILON / 2.0;
    let bound = m * u / (1.0 - m * u) * magnitude;
    // `exact` itself is a rounded sum in index order, within the same bound.
    assert!(
        (got - exact).abs() <= 2.0 * bound,
        "{what}: {got} vs {exact} (bound {bound})"
    );
}

/// Each library: operands placed in a layout (`host`), viewed (`view`, `view_mut`), read
/// back (`read`).
macro_rules! library_tests {
    ($lib:ident, $layout:ident) => {
        mod $lib {
            use super::$layout::{host, read, view, view_mut};
            use super::*;
            use hadamard::$lib as h;
            use hadamard::$lib::HadamardExt;

            /// Runs `call` on the operands in `layouts` (inputs first, the output last), the
            /// output starting as `start`; the output read back.
            fn run<T: Copy + Default + std::fmt::Debug + PartialEq + 'static, const N: usize>(
                inputs: [&Logical<T>; N],
                start: &Logical<T>,
                layouts: &[usize],
                call: impl FnOnce([super::$layout::View<'_, T>; N], super::$layout::ViewMut<'_, T>),
            ) -> Logical<T> {
                let hosts: Vec<_> = inputs
                    .iter()
                    .zip(layouts)
                    .map(|(m, &l)| host(m, l))
                    .collect();
                let views: [_; N] = std::array::from_fn(|k| {
                    view(&hosts[k], layouts[k], inputs[k].rows, inputs[k].cols)
                });
                let out_layout = layouts[N];
                let mut out = host(start, out_layout);
                call(
                    views,
                    view_mut(&mut out, out_layout, start.rows, start.cols),
                );
                read(&out, out_layout, start.rows, start.cols)
            }

            #[test]
            fn every_operation_on_every_layout_matches_the_definition() {
                let mut rng = Rng::new(0x1a7e ^ stringify!($lib).len() as u64);
                for (shape, layouts) in cases(4) {
                    let [a, b, c, acc] = [(); 4].map(|_| reals(&mut rng, shape));
                    let s = rng.unit() * 3.0;
                    let l2 = [layouts[0], layouts[1], layouts[3]];
                    let l1 = [layouts[1], layouts[3]];
                    let l3 = [layouts[0], layouts[1], layouts[2], layouts[3]];
                    let what =
                        |op: &str| format!("{} {op} {shape:?} {layouts:?}", stringify!($lib));

                    let got = run([&a, &b], &acc, &l2, |[x, y], mut o| {
                        h::mul(&x, &y, &mut o).unwrap()
                    });
                    assert_eq!(
                        got,
                        Logical::map([&a, &b], |[p, q]| p * q),
                        "{}",
                        what("mul")
                    );
                    let got = run([&b], &acc, &l1, |[y], mut o| {
                        h::mul_assign(&mut o, &y).unwrap()
                    });
                    assert_eq!(
                        got,
                        Logical::map([&acc, &b], |[p, q]| p * q),
                        "{}",
                        what("mul_assign")
                    );
                    let got = run([&a], &acc, &l1, |[x], mut o| {
                        h::mul_scalar(&x, s, &mut o).unwrap()
                    });
                    assert_eq!(
                        got,
                        Logical::map([&a], |[p]| p * s),
                        "{}",
                        what("mul_scalar")
                    );
                    let got = run([], &acc, &l1[1..], |[], mut o| {
                        h::mul_scalar_assign(&mut o, s)
                    });
                    assert_eq!(
                        got,
                        Logical::map([&acc], |[p]| p * s),
                        "{}",
                        what("mul_scalar_assign")
                    );
                    let got = run([&a, &b, &c], &acc, &l3, |[x, y, z], mut o| {
                        h::mul_then_add(&x, &y, &z, &mut o).unwrap()
                    });
                    let want = Logical::map([&a, &b, &c], |[p, q, r]| p * q + r);
                    assert_eq!(got, want, "{}", what("mul_then_add"));
                    let got = run([&a, &b], &acc, &l2, |[x, y], mut o| {
                        h::mul_then_add_assign(&mut o, &x, &y).unwrap()
                    });
                    let want = Logical::map([&acc, &a, &b], |[r, p, q]| p * q + r);
                    assert_eq!(got, want, "{}", what("mul_then_add_assign"));
                    let got = run([&a, &b, &c], &acc, &l3, |[x, y, z], mut o| {
                        h::mul_add(&x, &y, &z, &mut o).unwrap()
                    });
                    let want = Logical::map([&a, &b, &c], |[p, q, r]| p.mul_add(q, r));
                    assert_eq!(got, want, "{}", what("mul_add"));
                    let got = run([&a, &b], &acc, &l2, |[x, y], mut o| {
                        h::mul_add_assign(&mut o, &x, &y).unwrap()
                    });
                    let want = Logical::map([&acc, &a, &b], |[r, p, q]| p.mul_add(q, r));
                    assert_eq!(got, want, "{}", what("mul_add_assign"));

                    // The sum: within the bound of its docs.
                    let hosts = [host(&a, layouts[0]), host(&b, layouts[1])];
                    let (x, y) = (
                        view(&hosts[0], layouts[0], shape.0, shape.1),
                        view(&hosts[1], layouts[1], shape.0, shape.1),
                    );
                    let terms = a.data.iter().zip(&b.data).map(|(p, q)| p * q);
                    assert_sum_close(h::dot(&x, &y).unwrap(), terms.clone(), &what("dot"));
                    assert_sum_close(x.hadamard_sum(&y), terms, &what("hadamard_sum"));
                }
            }

            #[test]
            fn two_product_formulas_on_every_layout_match_the_expression() {
                let mut rng = Rng::new(0x2b ^ stringify!($lib).len() as u64);
                for (shape, layouts) in cases(5) {
                    let [a, b, c, d, acc] = [(); 5].map(|_| reals(&mut rng, shape));
                    let w = Logical::map([&c], |[x]| x / 8.0);
                    let what =
                        |op: &str| format!("{} {op} {shape:?} {layouts:?}", stringify!($lib));
                    let got = run([&a, &b, &c, &d], &acc, &layouts, |[x, y, z, v], mut o| {
                        h::mul_then_add_mul(&x, &y, &z, &v, &mut o).unwrap()
                    });
                    let want = Logical::map([&a, &b, &c, &d], |[p, q, r, t]| p * q + r * t);
                    assert_eq!(got, want, "{}", what("mul_then_add_mul"));
                    let l4 = &layouts[1..];
                    let got = run([&a, &b, &c], &acc, l4, |[x, y, z], mut o| {
                        h::mul_then_add_mul_assign(&mut o, &x, &y, &z).unwrap()
                    });
                    let want = Logical::map([&acc, &a, &b, &c], |[r, p, q, t]| r * p + q * t);
                    assert_eq!(got, want, "{}", what("mul_then_add_mul_assign"));
                    let got = run([&a, &b, &w], &acc, l4, |[x, y, v], mut o| {
                        h::blend(&x, &y, &v, &mut o).unwrap()
                    });
                    let want = Logical::map([&a, &b, &w], |[p, q, t]| t * p + (1.0 - t) * q);
                    assert_eq!(got, want, "{}", what("blend"));

                    // The methods.
                    let hosts = [
                        host(&a, layouts[0]),
                        host(&b, layouts[1]),
                        host(&w, layouts[2]),
                    ];
                    let x = view(&hosts[0], layouts[0], shape.0, shape.1);
                    let y = view(&hosts[1], layouts[1], shape.0, shape.1);
                    let v = view(&hosts[2], layouts[2], shape.0, shape.1);
                    let got = super::$layout::owned_to_logical(&x.blend(&y, &v));
                    let want = Logical::map([&a, &b, &w], |[p, q, t]| t * p + (1.0 - t) * q);
                    assert_eq!(got, want, "{}", what("blend method"));
                    let got = run([], &acc, &layouts[3..4], |[], mut o| {
                        o.mul_then_add_mul_assign(&x, &y, &v)
                    });
                    let want = Logical::map([&acc, &a, &b, &w], |[r, p, q, t]| r * p + q * t);
                    assert_eq!(got, want, "{}", what("mul_then_add_mul_assign method"));

                    // 8-bit pixels: the blend by its definition.
                    let [fg, bg, alpha, start] = [(); 4]
                        .map(|_| Logical::new(shape.0, shape.1, |_, _| rng.next_u64() as u8));
                    let expected = Logical::map([&fg, &bg, &alpha], |[f, g, t]| {
                        let (f, g, t) = (f as f64, g as f64, t as f64);
                        ((t * f + (255.0 - t) * g) / 255.0).round() as u8
                    });
                    let got = run([&fg, &bg, &alpha], &start, l4, |[x, y, t], mut o| {
                        h::blend_normalized_u8(&x, &y, &t, &mut o).unwrap()
                    });
                    assert_eq!(got, expected, "{}", what("blend_normalized_u8"));
                    let hosts = [
                        host(&fg, layouts[0]),
                        host(&bg, layouts[1]),
                        host(&alpha, layouts[2]),
                    ];
                    let x = view(&hosts[0], layouts[0], shape.0, shape.1);
                    let y = view(&hosts[1], layouts[1], shape.0, shape.1);
                    let t = view(&hosts[2], layouts[2], shape.0, shape.1);
                    let got = super::$layout::owned_to_logical(&x.blend_normalized_u8(&y, &t));
                    assert_eq!(got, expected, "{}", what("blend_normalized_u8 method"));
                }
            }

            #[test]
            fn complex_operations_match_num_complex() {
                let mut rng = Rng::new(0xc0 ^ stringify!($lib).len() as u64);
                for (shape, layouts) in cases(3) {
                    let [a, b, acc] = [(); 3].map(|_| complexes(&mut rng, shape));
                    let what =
                        |op: &str| format!("{} {op} {shape:?} {layouts:?}", stringify!($lib));
                    let got = run([&a, &b], &acc, &layouts, |[x, y], mut o| {
                        h::mul_conj(&x, &y, &mut o).unwrap()
                    });
                    assert_eq!(
                        got,
                        Logical::map([&a, &b], |[p, q]| p * q.conj()),
                        "{}",
                        what("mul_conj")
                    );
                    let got = run([&a, &b], &acc, &layouts, |[x, y], mut o| {
                        h::mul_conj_add_assign(&mut o, &x, &y).unwrap()
                    });
                    let want = Logical::map([&acc, &a, &b], |[r, p, q]| r + p * q.conj());
                    assert_eq!(got, want, "{}", what("mul_conj_add_assign"));
                    let got = run([&a, &b], &acc, &layouts, |[x, y], mut o| {
                        h::mul(&x, &y, &mut o).unwrap()
                    });
                    assert_eq!(
                        got,
                        Logical::map([&a, &b], |[p, q]| p * q),
                        "{}",
                        what("mul c64")
                    );

                    let hosts = [host(&a, layouts[0]), host(&b, layouts[1])];
                    let (x, y) = (
                        view(&hosts[0], layouts[0], shape.0, shape.1),
                        view(&hosts[1], layouts[1], shape.0, shape.1),
                    );
                    let terms: Vec<Complex<f64>> = a
                        .data
                        .iter()
                        .zip(&b.data)
                        .map(|(p, q)| p * q.conj())
                        .collect();
                    for got in [h::dotc(&x, &y).unwrap(), x.hadamard_sum_conj(&y)] {
                        assert_sum_close(got.re, terms.iter().map(|t| t.re), &what("dotc re"));
                        assert_sum_close(got.im, terms.iter().map(|t| t.im), &what("dotc im"));
                    }
                }
            }

            #[test]
            fn integers_wrap_and_sum_exactly() {
                let mut rng = Rng::new(0x17 ^ stringify!($lib).len() as u64);
                for (shape, layouts) in cases(4) {
                    let [a, b, c, acc] = [(); 4].map(|_| ints(&mut rng, shape));
                    let l3 = [layouts[0], layouts[1], layouts[2], layouts[3]];
                    let got = run([&a, &b, &c], &acc, &l3, |[x, y, z], mut o| {
                        h::mul_then_add(&x, &y, &z, &mut o).unwrap()
                    });
                    let want =
                        Logical::map([&a, &b, &c], |[p, q, r]| p.wrapping_mul(q).wrapping_add(r));
                    assert_eq!(
                        got,
                        want,
                        "{} i32 mul_then_add {shape:?} {layouts:?}",
                        stringify!($lib)
                    );
                    let hosts = [host(&a, layouts[0]), host(&b, layouts[1])];
                    let (x, y) = (
                        view(&hosts[0], layouts[0], shape.0, shape.1),
                        view(&hosts[1], layouts[1], shape.0, shape.1),
                    );
                    let exact = a
                        .data
                        .iter()
                        .zip(&b.data)
                        .fold(0i32, |s, (p, q)| s.wrapping_add(p.wrapping_mul(*q)));
                    assert_eq!(
                        h::dot(&x, &y).unwrap(),
                        exact,
                        "{} i32 dot {shape:?} {layouts:?}",
                        stringify!($lib)
                    );
                }
            }

            #[test]
            fn methods_match_the_definition() {
                let mut rng = Rng::new(0x3e);
                for (shape, layouts) in cases(3) {
                    let [a, b, acc] = [(); 3].map(|_| reals(&mut rng, shape));
                    let s = 1.5;
                    let what =
                        |op: &str| format!("{} {op} {shape:?} {layouts:?}", stringify!($lib));
                    let hosts = [host(&a, layouts[0]), host(&b, layouts[1])];
                    let x = view(&hosts[0], layouts[0], shape.0, shape.1);
                    let y = view(&hosts[1], layouts[1], shape.0, shape.1);
                    let product = super::$layout::owned_to_logical(&x.hadamard(&y));
                    assert_eq!(
                        product,
                        Logical::map([&a, &b], |[p, q]| p * q),
                        "{}",
                        what("hadamard")
                    );

                    let l = &layouts[2..];
                    let got = run([], &acc, l, |[], mut o| o.hadamard_assign(&x));
                    assert_eq!(
                        got,
                        Logical::map([&acc, &a], |[p, q]| p * q),
                        "{}",
                        what("hadamard_assign")
                    );
                    let got = run([], &acc, l, |[], mut o| o.mul_scalar_assign(s));
                    assert_eq!(
                        got,
                        Logical::map([&acc], |[p]| p * s),
                        "{}",
                        what("mul_scalar_assign")
                    );
                    let got = run([], &acc, l, |[], mut o| o.mul_add_assign(&x, &y));
                    let want = Logical::map([&acc, &a, &b], |[r, p, q]| p.mul_add(q, r));
                    assert_eq!(got, want, "{}", what("mul_add_assign"));
                    let got = run([], &acc, l, |[], mut o| o.mul_then_add_assign(&x, &y));
                    let want = Logical::map([&acc, &a, &b], |[r, p, q]| p * q + r);
                    assert_eq!(got, want, "{}", what("mul_then_add_assign"));
                }
                let mut rng = Rng::new(0x3f);
                for (shape, layouts) in cases(3) {
                    let [a, b, acc] = [(); 3].map(|_| complexes(&mut rng, shape));
                    let what =
                        |op: &str| format!("{} {op} {shape:?} {layouts:?}", stringify!($lib));
                    let hosts = [host(&a, layouts[0]), host(&b, layouts[1])];
                    let x = view(&hosts[0], layouts[0], shape.0, shape.1);
                    let y = view(&hosts[1], layouts[1], shape.0, shape.1);
                    let product = super::$layout::owned_to_logical(&x.hadamard_conj(&y));
                    assert_eq!(
                        product,
                        Logical::map([&a, &b], |[p, q]| p * q.conj()),
                        "{}",
                        what("hadamard_conj")
                    );
                    let got = run([], &acc, &layouts[2..], |[], mut o| {
                        o.mul_conj_add_assign(&x, &y)
                    });
                    let want = Logical::map([&acc, &a, &b], |[r, p, q]| r + p * q.conj());
                    assert_eq!(got, want, "{}", what("mul_conj_add_assign"));
                }
            }

            #[test]
            fn large_strided_operands_split_across_threads() {
                // 15 MB moved (3 × 8 B × 640k), the output in each layout, one input
                // transposed or stepped: the lane path, in one piece a thread when the
                // crate's rule splits a call of that size even with the pool asleep (it
                // then must; back to back, the later calls may split anyway).
                let mut rng = Rng::new(0x1a);
                let shape = (800, 800);
                let [a, b, acc] = [(); 3].map(|_| reals(&mut rng, shape));
                let mut splits = 0;
                for out_layout in 0..LAYOUTS {
                    let layouts = [1, 3, out_layout];
                    let (calls, _) = hadamard::__observe::large_calls();
                    let got = run([&a, &b], &acc, &layouts, |[x, y], mut o| {
                        h::mul(&x, &y, &mut o).unwrap()
                    });
                    let (after, pieces) = hadamard::__observe::large_calls();
                    // Lanes across the pool: one run of lanes a thread.
                    if after == calls + 1 {
                        assert!(
                            (2..=rayon::current_num_threads()).contains(&pieces),
                            "{pieces} pieces"
                        );
                        splits += 1;
                    }
                    assert_eq!(
                        got,
                        Logical::map([&a, &b], |[p, q]| p * q),
                        "mul, out layout {out_layout}"
                    );
                    let got = run([&a, &b], &acc, &layouts, |[x, y], mut o| {
                        h::mul_add_assign(&mut o, &x, &y).unwrap()
                    });
                    let want = Logical::map([&acc, &a, &b], |[r, p, q]| p.mul_add(q, r));
                    assert_eq!(got, want, "mul_add_assign, out layout {out_layout}");
                }
                let asleep = hadamard::split_costs().threads_for(
                    3 * 8 * 640_000,
                    rayon::current_num_threads(),
                    false,
                );
                if asleep > 1 {
                    assert!(splits >= 1, "no layout split its lanes across the pool");
                }
            }

            #[test]
            fn shape_errors_name_every_shape_and_write_nothing() {
                let a = Logical::new(2, 3, |i, j| (i + j) as f64);
                let b = Logical::new(3, 2, |i, j| (i * j) as f64);
                let start = Logical::new(2, 3, |_, _| 7.0);
                let got = run([&a, &b], &start, &[0, 0, 0], |[x, y], mut o| {
                    let e = h::mul_add_assign(&mut o, &x, &y).unwrap_err();
                    let names: Vec<&str> = e.shapes().iter().map(|(n, _)| *n).collect();
                    assert_eq!(names, ["acc", "a", "b"]);
                    let message = e.to_string();
                    assert!(
                        message.starts_with(concat!(
                            "hadamard::",
                            stringify!($lib),
                            "::mul_add_assign:"
                        )),
                        "{message}"
                    );
                    let shown = |r, c| {
                        message.contains(&format!("{r}x{c}"))
                            || message.contains(&format!("[{r}, {c}]"))
                    };
                    assert!(shown(2, 3) && shown(3, 2), "{message}");
                    assert!(h::mul(&x, &y, &mut o).is_err());
                    assert!(h::dot(&x, &y).is_err());
                    let e = h::mul_then_add_mul_assign(&mut o, &x, &x, &y).unwrap_err();
                    let names: Vec<&str> = e.shapes().iter().map(|(n, _)| *n).collect();
                    assert_eq!(names, ["acc", "a", "b", "c"]);
                    assert!(h::blend(&x, &x, &y, &mut o).is_err());
                    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        o.mul_then_add_assign(&x, &y)
                    }));
                    assert!(panic.is_err(), "a method panics on a shape mismatch");
                });
                assert_eq!(got, start, "nothing written");
            }
        }
    };
}

/// ndarray: standard and Fortran order, a transposed view, every other column, reversed rows.
mod nd_layout {
    use super::Logical;
    use ndarray::{s, Array2, ArrayView2, ArrayViewMut2, ShapeBuilder};

    pub type View<'a, T> = ArrayView2<'a, T>;
    pub type ViewMut<'a, T> = ArrayViewMut2<'a, T>;

    pub fn host<T: Copy + Default>(m: &Logical<T>, layout: usize) -> Array2<T> {
        let (r, c) = (m.rows, m.cols);
        match layout {
            0 => Array2::from_shape_fn((r, c), |(i, j)| m.at(i, j)),
            1 => Array2::from_shape_fn((r, c).f(), |(i, j)| m.at(i, j)),
            2 => Array2::from_shape_fn((c, r), |(j, i)| m.at(i, j)),
            3 => Array2::from_shape_fn((r, 2 * c), |(i, j)| {
                if j % 2 == 0 {
                    m.at(i, j / 2)
                } else {
                    T::default()
                }
            }),
            _ => Array2::from_shape_fn((r, c), |(i, j)| m.at(r - 1 - i, j)),
        }
    }

    pub fn view<T>(h: &Array2<T>, layout: usize, _r: usize, _c: usize) -> ArrayView2<'_, T> {
        match layout {
            0 | 1 => h.view(),
            2 => h.t(),
            3 => h.slice(s![.., ..;2]),
            _ => h.slice(s![..;-1, ..]),
        }
    }

    pub fn view_mut<T>(
        h: &mut Array2<T>,
        layout: usize,
        _r: usize,
        _c: usize,
    ) -> ArrayViewMut2<'_, T> {
        match layout {
            0 | 1 => h.view_mut(),
            2 => h.view_mut().reversed_axes(),
            3 => h.slice_mut(s![.., ..;2]),
            _ => h.slice_mut(s![..;-1, ..]),
        }
    }

    pub fn read<T: Copy>(h: &Array2<T>, layout: usize, r: usize, c: usize) -> Logical<T> {
        let v = view(h, layout, r, c);
        Logical::new(r, c, |i, j| v[(i, j)])
    }

    pub fn owned_to_logical<T: Copy>(m: &Array2<T>) -> Logical<T> {
        Logical::new(m.nrows(), m.ncols(), |i, j| m[(i, j)])
    }
}

/// nalgebra: column-major, a block of a bigger matrix, every other row, row-major data
/// (unit column stride), and every other column of row-major data.
mod na_layout {
    use super::Logical;
    use nalgebra::{DMatrix, Dyn, MatrixView, MatrixViewMut};

    pub type View<'a, T> = MatrixView<'a, T, Dyn, Dyn, Dyn, Dyn>;
    pub type ViewMut<'a, T> = MatrixViewMut<'a, T, Dyn, Dyn, Dyn, Dyn>;

    /// Where the element (i, j) lives in the host's buffer: offset and strides.
    fn strides(layout: usize, r: usize, c: usize) -> (usize, usize, usize, usize) {
        match layout {
            0 => (0, 1, r, r * c),
            1 => (r + 3, 1, r + 2, (r + 2) * (c + 2)),
            2 => (0, 2, 2 * r, 2 * r * c),
            3 => (0, c, 1, r * c),
            _ => (0, 2 * c, 2, 2 * r * c),
        }
    }

    pub fn host<T: Copy + Default + nalgebra::Scalar>(m: &Logical<T>, layout: usize) -> DMatrix<T> {
        let (off, rs, cs, len) = strides(layout, m.rows, m.cols);
        let mut buf = vec![T::default(); len];
        for i in 0..m.rows {
            for j in 0..m.cols {
                buf[off + i * rs + j * cs] = m.at(i, j);
            }
        }
        DMatrix::from_vec(len, 1, buf)
    }

    pub fn view<T: nalgebra::Scalar>(
        h: &DMatrix<T>,
        layout: usize,
        r: usize,
        c: usize,
    ) -> View<'_, T> {
        let (off, rs, cs, _) = strides(layout, r, c);
        MatrixView::from_slice_with_strides_generic(
            &h.as_slice()[off..],
            Dyn(r),
            Dyn(c),
            Dyn(rs),
            Dyn(cs),
        )
    }

    pub fn view_mut<T: nalgebra::Scalar>(
        h: &mut DMatrix<T>,
        layout: usize,
        r: usize,
        c: usize,
    ) -> ViewMut<'_, T> {
        let (off, rs, cs, _) = strides(layout, r, c);
        MatrixViewMut::from_slice_with_strides_generic(
            &mut h.as_mut_slice()[off..],
            Dyn(r),
            Dyn(c),
            Dyn(rs),
            Dyn(cs),
        )
    }

    pub fn read<T: Copy + nalgebra::Scalar>(
        h: &DMatrix<T>,
        layout: usize,
        r: usize,
        c: usize,
    ) -> Logical<T> {
        let v = view(h, layout, r, c);
        Logical::new(r, c, |i, j| v[(i, j)])
    }

    pub fn owned_to_logical<T: Copy + nalgebra::Scalar>(m: &DMatrix<T>) -> Logical<T> {
        Logical::new(m.nrows(), m.ncols(), |i, j| m[(i, j)])
    }
}

/// faer: column-major, a transposed matrix (row-major), a block of a bigger matrix,
/// reversed rows (negative row stride), reversed columns of a transposed matrix.
mod fa_layout {
    use super::Logical;
    use faer::{Mat, MatMut, MatRef};

    pub type View<'a, T> = MatRef<'a, T>;
    pub type ViewMut<'a, T> = MatMut<'a, T>;

    pub fn host<T: Copy + Default>(m: &Logical<T>, layout: usize) -> Mat<T> {
        let (r, c) = (m.rows, m.cols);
        match layout {
            0 => Mat::from_fn(r, c, |i, j| m.at(i, j)),
            1 => Mat::from_fn(c, r, |j, i| m.at(i, j)),
            2 => Mat::from_fn(r + 3, c + 2, |i, j| {
                if (2..r + 2).contains(&i) && (1..c + 1).contains(&j) {
                    m.at(i - 2, j - 1)
                } else {
                    T::default()
                }
            }),
            3 => Mat::from_fn(r, c, |i, j| m.at(r - 1 - i, j)),
            _ => Mat::from_fn(c, r, |j, i| m.at(i, c - 1 - j)),
        }
    }

    pub fn view<T>(h: &Mat<T>, layout: usize, r: usize, c: usize) -> MatRef<'_, T> {
        let v = h.as_ref();
        match layout {
            0 => v,
            1 => v.transpose(),
            2 => v.submatrix(2, 1, r, c),
            3 => v.reverse_rows(),
            _ => v.transpose().reverse_cols(),
        }
    }

    pub fn view_mut<T>(h: &mut Mat<T>, layout: usize, r: usize, c: usize) -> MatMut<'_, T> {
        let v = h.as_mut();
        match layout {
            0 => v,
            1 => v.transpose_mut(),
            2 => v.submatrix_mut(2, 1, r, c),
            3 => v.reverse_rows_mut(),
            _ => v.transpose_mut().reverse_cols_mut(),
        }
    }

    pub fn read<T: Copy>(h: &Mat<T>, layout: usize, r: usize, c: usize) -> Logical<T> {
        let v = view(h, layout, r, c);
        Logical::new(r, c, |i, j| v[(i, j)])
    }

    pub fn owned_to_logical<T: Copy>(m: &Mat<T>) -> Logical<T> {
        Logical::new(m.nrows(), m.ncols(), |i, j| m[(i, j)])
    }
}

library_tests!(ndarray, nd_layout);
library_tests!(nalgebra, na_layout);
library_tests!(faer, fa_layout);
