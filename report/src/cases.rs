//! Every operation on every element type, with its operands placed at a chosen alignment:
//! what `--ops` in the report binary and the `ops` group of `benches/kernels.rs` measure,
//! each through the crate (any kernel) and as the plain loop compiled for the CPU.

use super::native::Native;
use super::streaming::Streamed;
use hadamard::half::{bf16, f16};
use hadamard::num_complex::Complex;
use hadamard::Options;

/// Deterministic, ordinary operand values for a type (no subnormals, no overflow-heavy
/// patterns that would time one path only).
trait Fill: Copy {
    fn at(i: usize) -> Self;
}

macro_rules! fill_int {
    ($($t:ty),*) => {$(
        impl Fill for $t {
            fn at(i: usize) -> $t {
                // Mixes small and large magnitudes, so saturating kernels see both.
                (i.wrapping_mul(0x9E37_79B9_7F4A_7C15_u64 as usize) >> 7) as $t
            }
        }
    )*};
}
fill_int!(u8, i8, u16, i16, u32, i32, u64, i64);

impl Fill for f32 {
    fn at(i: usize) -> f32 {
        1.0 + (i % 1021) as f32 / 1024.0
    }
}
impl Fill for f64 {
    fn at(i: usize) -> f64 {
        1.0 + (i % 1021) as f64 / 1024.0
    }
}
impl<T: Fill> Fill for Complex<T> {
    fn at(i: usize) -> Self {
        Complex::new(T::at(i), T::at(i * 5 + 1))
    }
}
impl Fill for f16 {
    fn at(i: usize) -> f16 {
        f16::from_f32(f32::at(i))
    }
}
impl Fill for bf16 {
    fn at(i: usize) -> bf16 {
        bf16::from_f32(f32::at(i))
    }
}

/// Where operands start relative to a 64-byte cache line. In cache this changes speed by
/// 2-3x: a register load or store that straddles two lines costs about two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Every operand starts on a line.
    Aligned,
    /// Every operand starts 16 bytes past a line (as `Vec`s from malloc often do).
    Same,
    /// Inputs 16, 32 (a third input 0) and the output 48 bytes past a line: what three
    /// `Vec`s from malloc usually look like, and the case no plain loop handles well.
    Different,
}

impl Align {
    pub const ALL: [Align; 3] = [Align::Aligned, Align::Same, Align::Different];

    pub fn name(self) -> &'static str {
        match self {
            Align::Aligned => "aligned",
            Align::Same => "same",
            Align::Different => "different",
        }
    }

    pub fn parse(text: &str) -> Result<Align, String> {
        Align::ALL
            .into_iter()
            .find(|a| a.name() == text)
            .ok_or_else(|| format!("{text:?} is not an alignment: aligned, same or different"))
    }

    /// Byte offset from a line of input `k` (0 = a, 1 = b, 2 = c).
    fn input(self, k: usize) -> usize {
        match self {
            Align::Aligned => 0,
            Align::Same => 16,
            Align::Different => [16, 32, 0][k],
        }
    }

    /// Byte offset from a line of the output.
    fn output(self) -> usize {
        match self {
            Align::Aligned => 0,
            Align::Same => 16,
            Align::Different => 48,
        }
    }
}

/// `len` elements starting `offset` bytes past a 64-byte line, filled once (so no page
/// fault lands in a timing).
struct Placed<T> {
    storage: Vec<T>,
    start: usize,
    len: usize,
}

impl<T: Fill> Placed<T> {
    fn new(len: usize, salt: usize, offset: usize) -> Placed<T> {
        let size = size_of::<T>();
        assert_eq!(
            offset % size,
            0,
            "offset {offset} is not whole elements of {size} bytes"
        );
        let spare = 64 / size + 1;
        let storage: Vec<T> = (0..len + 2 * spare).map(|i| T::at(i * 7 + salt)).collect();
        let misalignment = storage.as_ptr() as usize % 64;
        let start = ((64 - misalignment) % 64 + offset) / size;
        Placed {
            storage,
            start,
            len,
        }
    }
    fn get(&self) -> &[T] {
        &self.storage[self.start..self.start + self.len]
    }
    fn get_mut(&mut self) -> &mut [T] {
        &mut self.storage[self.start..self.start + self.len]
    }
}

/// Who runs a case: the crate with some options, the crate as a user's default call, or
/// a plain loop at a feature level.
#[derive(Clone, Copy)]
pub enum Runner<'a> {
    /// Options chosen at run time (a forced kernel), passed by reference.
    Crate(&'a Options),
    /// `Options::new()` known at compile time, as the free functions (`mul_elementwise`)
    /// pass it: the small-call path then folds the option checks away, as in a user's
    /// program. Through `Crate`, the same call costs about 1 ns more at 16 elements.
    Default,
    Native(Native),
    /// The fastest sequence of the crate's other calls that gives the same bits (default
    /// options), for the operations that replace one ([`Case::sequence`]).
    Sequence,
    /// The hand-written rayon + streaming-store loop of the formula ([`Case::streaming`]).
    Streaming,
}

/// The options of [`Runner::Default`]: a constant, so that the calls see through it.
const DEFAULT: Options = Options::new();

/// One measured operation: a name, its type, bytes moved per element, and how to run it.
pub struct Case {
    pub op: &'static str,
    pub ty: &'static str,
    pub bytes_per_element: usize,
    pub len: usize,
    /// Whether `run` takes [`Runner::Sequence`]: the operation replaces a sequence of the
    /// crate's other calls that gives the same bits.
    pub sequence: bool,
    /// Whether `run` takes [`Runner::Streaming`].
    pub streaming: bool,
    pub run: Box<dyn FnMut(Runner)>,
}

/// The arm of the cases that have neither a sequence nor a streaming loop.
fn no_other(r: Runner) -> ! {
    unreachable!(
        "{} is offered only to cases that have one",
        match r {
            Runner::Sequence => "a sequence",
            _ => "a streaming loop",
        }
    )
}

/// `f` through the crate and `g` per element in the plain loop (both closures, inlined
/// into the measured call like the user's code would be, not called through pointers).
fn binary<A: Fill + 'static, B: Fill + 'static, O: Fill + 'static>(
    (op, ty): (&'static str, &'static str),
    (len, align): (usize, Align),
    f: impl Fn(&Options, &[A], &[B], &mut [O]) + 'static,
    g: impl Fn(A, B) -> O + Copy + 'static,
) -> Case {
    let a = Placed::<A>::new(len, 0, align.input(0));
    let b = Placed::<B>::new(len, 3, align.input(1));
    let mut out = Placed::<O>::new(len, 5, align.output());
    Case {
        op,
        ty,
        bytes_per_element: size_of::<A>() + size_of::<B>() + size_of::<O>(),
        len,
        sequence: false,
        streaming: false,
        run: Box::new(move |r| match r {
            Runner::Crate(o) => f(o, a.get(), b.get(), out.get_mut()),
            Runner::Default => f(&DEFAULT, a.get(), b.get(), out.get_mut()),
            Runner::Native(n) => n.zip2(a.get(), b.get(), out.get_mut(), g),
            other => no_other(other),
        }),
    }
}

/// `out = s·a` for one scalar.
fn scale<T: Fill + hadamard::Element + std::ops::Mul<Output = T>>(
    ty: &'static str,
    (len, align): (usize, Align),
    s: T,
) -> Case {
    let a = Placed::<T>::new(len, 0, align.input(0));
    let mut out = Placed::<T>::new(len, 5, align.output());
    let ones = Placed::<T>::new(len, 0, align.input(1));
    Case {
        op: "scale",
        ty,
        bytes_per_element: 2 * size_of::<T>(),
        len,
        sequence: false,
        streaming: false,
        run: Box::new(move |r| match r {
            Runner::Crate(o) => o
                .mul_scalar(a.get(), s, out.get_mut())
                .expect("equal lengths"),
            Runner::Default => DEFAULT
                .mul_scalar(a.get(), s, out.get_mut())
                .expect("equal lengths"),
            // The plain loop's `b` is never read: the closure multiplies by `s`.
            Runner::Native(n) => n.zip2(a.get(), ones.get(), out.get_mut(), move |x, _| x * s),
            other => no_other(other),
        }),
    }
}

fn split<
    T: Fill
        + hadamard::Real
        + std::ops::Mul<Output = T>
        + std::ops::Add<Output = T>
        + std::ops::Sub<Output = T>,
>(
    op: &'static str,
    ty: &'static str,
    (len, align): (usize, Align),
    conj: bool,
) -> Case {
    let planes: Vec<Placed<T>> = (0..4)
        .map(|k| Placed::new(len, k, align.input(k / 2)))
        .collect();
    let [ar, ai, br, bi]: [Placed<T>; 4] = planes.try_into().unwrap_or_else(|_| unreachable!());
    let mut re = Placed::<T>::new(len, 4, align.output());
    let mut im = Placed::<T>::new(len, 5, align.output());
    Case {
        op,
        ty,
        bytes_per_element: 6 * size_of::<T>(),
        len,
        sequence: false,
        streaming: false,
        run: Box::new(move |r| match r {
            Runner::Sequence | Runner::Streaming => no_other(r),
            Runner::Crate(_) | Runner::Default => {
                let o = match r {
                    Runner::Crate(o) => o,
                    _ => &DEFAULT,
                };
                let (a, b) = ((ar.get(), ai.get()), (br.get(), bi.get()));
                let out = (re.get_mut(), im.get_mut());
                let r = if conj {
                    o.mul_conj_split_complex(a, b, out)
                } else {
                    o.mul_split_complex(a, b, out)
                };
                r.expect("equal lengths")
            }
            Runner::Native(n) => n.split(
                (ar.get(), ai.get()),
                (br.get(), bi.get()),
                (re.get_mut(), im.get_mut()),
                move |ar, ai, br, bi| {
                    if conj {
                        (ar * br + ai * bi, ai * br - ar * bi)
                    } else {
                        (ar * br - ai * bi, ar * bi + ai * br)
                    }
                },
            ),
        }),
    }
}

/// `out = f(a, b, c)`: three inputs and the output.
fn ternary<T: Fill + 'static>(
    (op, ty): (&'static str, &'static str),
    (len, align): (usize, Align),
    f: impl Fn(&Options, &[T], &[T], &[T], &mut [T]) + 'static,
    g: impl Fn(T, T, T) -> T + Copy + 'static,
) -> Case {
    let a = Placed::<T>::new(len, 0, align.input(0));
    let b = Placed::<T>::new(len, 3, align.input(1));
    let c = Placed::<T>::new(len, 4, align.input(2));
    let mut out = Placed::<T>::new(len, 5, align.output());
    Case {
        op,
        ty,
        bytes_per_element: 4 * size_of::<T>(),
        len,
        sequence: false,
        streaming: false,
        run: Box::new(move |r| match r {
            Runner::Crate(o) => f(o, a.get(), b.get(), c.get(), out.get_mut()),
            Runner::Default => f(&DEFAULT, a.get(), b.get(), c.get(), out.get_mut()),
            Runner::Native(n) => n.zip3(a.get(), b.get(), c.get(), out.get_mut(), g),
            other => no_other(other),
        }),
    }
}

/// `acc = f(acc, a, b)` in place: two inputs and the accumulator, read and written.
fn accumulate<T: Fill + 'static>(
    (op, ty): (&'static str, &'static str),
    (len, align): (usize, Align),
    f: impl Fn(&Options, &mut [T], &[T], &[T]) + 'static,
    g: impl Fn(T, T, T) -> T + Copy + 'static,
) -> Case {
    let a = Placed::<T>::new(len, 0, align.input(0));
    let b = Placed::<T>::new(len, 3, align.input(1));
    let mut acc = Placed::<T>::new(len, 5, align.output());
    Case {
        op,
        ty,
        bytes_per_element: 4 * size_of::<T>(),
        len,
        sequence: false,
        streaming: false,
        run: Box::new(move |r| match r {
            Runner::Crate(o) => f(o, acc.get_mut(), a.get(), b.get()),
            Runner::Default => f(&DEFAULT, acc.get_mut(), a.get(), b.get()),
            Runner::Native(n) => n.accumulate(acc.get_mut(), a.get(), b.get(), g),
            other => no_other(other),
        }),
    }
}

/// `Σ f(a, b)`: two inputs read, a value returned.
fn sum<T: Fill + hadamard::Accumulate + Default + 'static>(
    ty: &'static str,
    (len, align): (usize, Align),
    g: impl Fn(T, T) -> T + Copy + 'static,
    add: impl Fn(T, T) -> T + Copy + 'static,
) -> Case {
    let a = Placed::<T>::new(len, 0, align.input(0));
    let b = Placed::<T>::new(len, 3, align.input(1));
    Case {
        op: "sum",
        ty,
        bytes_per_element: 2 * size_of::<T>(),
        len,
        sequence: false,
        streaming: false,
        run: Box::new(move |r| {
            let total = match r {
                Runner::Crate(o) => o.hadamard_sum(a.get(), b.get()).expect("equal lengths"),
                Runner::Default => DEFAULT
                    .hadamard_sum(a.get(), b.get())
                    .expect("equal lengths"),
                Runner::Native(n) => n.sum(a.get(), b.get(), g, add),
                other => no_other(other),
            };
            std::hint::black_box(total);
        }),
    }
}

/// A hand-written `out = f(a, b, c, d)` (the streaming loops).
type FourInputs<T> = fn(&[T], &[T], &[T], &[T], &mut [T]);
/// A hand-written `out = f(a, b, c)`.
type ThreeInputs<T> = fn(&[T], &[T], &[T], &mut [T]);

/// `out = a·b + c·d`: the one-pass call, the plain loop, the sequence of the crate's
/// calls with the same bits (`mul_elementwise` then `mul_then_add_assign`: 7 elements of
/// traffic per element where one pass needs 5) and, for `f32`/`f64`, the streaming loop.
fn two_products<T: Fill + hadamard::Accumulate + Default>(
    ty: &'static str,
    (len, align): (usize, Align),
    g: impl Fn(T, T, T, T) -> T + Copy + 'static,
    streaming: Option<FourInputs<T>>,
) -> Case {
    let [a, b, c, d] = [0, 1, 2, 3].map(|k| Placed::<T>::new(len, 3 * k, align.input(k.min(2))));
    let mut out = Placed::<T>::new(len, 5, align.output());
    Case {
        op: "mul_then_add_mul",
        ty,
        bytes_per_element: 5 * size_of::<T>(),
        len,
        sequence: true,
        streaming: streaming.is_some() && super::streaming::available(),
        run: Box::new(move |r| {
            let (x, o) = ([a.get(), b.get(), c.get(), d.get()], out.get_mut());
            let done = match r {
                Runner::Crate(opts) => opts.mul_then_add_mul(x[0], x[1], x[2], x[3], o),
                Runner::Default => DEFAULT.mul_then_add_mul(x[0], x[1], x[2], x[3], o),
                Runner::Native(n) => {
                    n.zip4(x, o, g);
                    Ok(())
                }
                Runner::Sequence => DEFAULT
                    .mul_elementwise(x[0], x[1], o)
                    .and_then(|()| DEFAULT.mul_then_add_assign(o, x[2], x[3])),
                Runner::Streaming => {
                    let streaming = streaming.expect("offered only with one");
                    streaming(x[0], x[1], x[2], x[3], o);
                    Ok(())
                }
            };
            done.expect("equal lengths")
        }),
    }
}

/// `acc = acc·a + b·c` in place (the LSTM cell state): the sequence is `mul_assign` then
/// `mul_then_add_assign` (3 + 4 elements of traffic per element; one pass moves 5).
fn two_products_in_place<T: Fill + hadamard::Accumulate + Default>(
    ty: &'static str,
    (len, align): (usize, Align),
    g: impl Fn(T, T, T, T) -> T + Copy + 'static,
) -> Case {
    let [a, b, c] = [0, 1, 2].map(|k| Placed::<T>::new(len, 3 * k, align.input(k)));
    let mut acc = Placed::<T>::new(len, 5, align.output());
    Case {
        op: "then_add_mul_assign",
        ty,
        bytes_per_element: 5 * size_of::<T>(),
        len,
        sequence: true,
        streaming: false,
        run: Box::new(move |r| {
            let (x, o) = ([a.get(), b.get(), c.get()], acc.get_mut());
            let done = match r {
                Runner::Crate(opts) => opts.mul_then_add_mul_assign(o, x[0], x[1], x[2]),
                Runner::Default => DEFAULT.mul_then_add_mul_assign(o, x[0], x[1], x[2]),
                Runner::Native(n) => {
                    n.accumulate3(o, x, g);
                    Ok(())
                }
                Runner::Sequence => DEFAULT
                    .mul_assign(o, x[0])
                    .and_then(|()| DEFAULT.mul_then_add_assign(o, x[1], x[2])),
                Runner::Streaming => no_other(r),
            };
            done.expect("equal lengths")
        }),
    }
}

/// `out = w·a + (1 − w)·b`. The sequence is the fastest the crate's other calls allow with
/// the same bits: `(1 − w)` kept from earlier (not timed), `mul_elementwise((1 − w), b)`,
/// then `mul_then_add_assign(out, w, a)`: 7 elements of traffic where one pass needs 4.
fn blend<T>(ty: &'static str, (len, align): (usize, Align), streaming: ThreeInputs<T>) -> Case
where
    T: Fill + hadamard::Real + From<f32>,
    T: std::ops::Mul<Output = T> + std::ops::Add<Output = T> + std::ops::Sub<Output = T>,
{
    let [a, b] = [0, 1].map(|k| Placed::<T>::new(len, 3 * k, align.input(k)));
    // Weights in [0, 1).
    let mut w = Placed::<T>::new(len, 4, align.input(2));
    for x in w.get_mut() {
        *x = *x - T::from(1.0);
    }
    let mut one_minus_w = Placed::<T>::new(len, 4, align.input(2));
    for (y, &x) in one_minus_w.get_mut().iter_mut().zip(w.get()) {
        *y = T::from(1.0) - x;
    }
    let mut out = Placed::<T>::new(len, 5, align.output());
    Case {
        op: "blend",
        ty,
        bytes_per_element: 4 * size_of::<T>(),
        len,
        sequence: true,
        streaming: super::streaming::available(),
        run: Box::new(move |r| {
            let (x, y, w, o) = (a.get(), b.get(), w.get(), out.get_mut());
            let done = match r {
                Runner::Crate(opts) => opts.blend(x, y, w, o),
                Runner::Default => DEFAULT.blend(x, y, w, o),
                Runner::Native(n) => {
                    n.zip3(x, y, w, o, |p, q, t| t * p + (T::from(1.0) - t) * q);
                    Ok(())
                }
                Runner::Sequence => DEFAULT
                    .mul_elementwise(one_minus_w.get(), y, o)
                    .and_then(|()| DEFAULT.mul_then_add_assign(o, w, x)),
                Runner::Streaming => {
                    streaming(x, y, w, o);
                    Ok(())
                }
            };
            done.expect("equal lengths")
        }),
    }
}

/// `out = round((α·fg + (255 − α)·bg) / 255)`. No sequence of the crate's other calls
/// gives these bits (two `mul_normalized_u8` round twice), so there is none to measure.
fn blend_u8((len, align): (usize, Align)) -> Case {
    let [fg, bg, alpha] = [0, 1, 2].map(|k| Placed::<u8>::new(len, 3 * k, align.input(k)));
    let mut out = Placed::<u8>::new(len, 5, align.output());
    Case {
        op: "blend_u8",
        ty: "u8",
        bytes_per_element: 4,
        len,
        sequence: false,
        streaming: false,
        run: Box::new(move |r| {
            let (f, b, t, o) = (fg.get(), bg.get(), alpha.get(), out.get_mut());
            let done = match r {
                Runner::Crate(opts) => opts.blend_normalized_u8(f, b, t, o),
                Runner::Default => DEFAULT.blend_normalized_u8(f, b, t, o),
                // The formula as a user writes it in integers.
                Runner::Native(n) => {
                    n.zip3(f, b, t, o, |f, b, t| {
                        let (f, b, t) = (u32::from(f), u32::from(b), u32::from(t));
                        ((2 * (t * f + (255 - t) * b) + 255) / 510) as u8
                    });
                    Ok(())
                }
                other => no_other(other),
            };
            done.expect("equal lengths")
        }),
    }
}

macro_rules! mul {
    ($t:ty, $name:literal, $at:expr) => {
        binary::<$t, $t, $t>(
            ("mul", $name),
            $at,
            |o, a, b, out| o.mul_elementwise(a, b, out).expect("equal lengths"),
            |x, y| x * y,
        )
    };
    (wrapping $t:ty, $name:literal, $at:expr) => {
        binary::<$t, $t, $t>(
            ("mul", $name),
            $at,
            |o, a, b, out| o.mul_elementwise(a, b, out).expect("equal lengths"),
            <$t>::wrapping_mul,
        )
    };
}
/// `out = a·b + c` wrapping, for an integer type.
macro_rules! then_add_wrapping {
    ($t:ty, $name:literal, $at:expr) => {
        ternary::<$t>(
            ("mul_then_add", $name),
            $at,
            |o, a, b, c, out| o.mul_then_add(a, b, c, out).expect("equal lengths"),
            |x, y, z| x.wrapping_mul(y).wrapping_add(z),
        )
    };
}
macro_rules! saturating {
    ($t:ty, $name:literal, $at:expr) => {
        binary::<$t, $t, $t>(
            ("saturating", $name),
            $at,
            |o, a, b, out| {
                o.mul_elementwise_saturating(a, b, out)
                    .expect("equal lengths")
            },
            <$t>::saturating_mul,
        )
    };
}

/// Every operation and type, with operands of `len(element bytes)` elements placed as
/// `align` says.
pub fn cases(len: impl Fn(usize) -> usize, align: Align) -> Vec<Case> {
    makers(&len, align).iter().map(|make| make()).collect()
}

/// The cases `keep` accepts (it sees each case's `op` and `ty`), and only those built at
/// their length: every case's operands are allocated when it is built, and all of them at
/// 64M elements would not fit in memory together.
pub fn cases_where(
    len: impl Fn(usize) -> usize,
    align: Align,
    keep: impl Fn(&Case) -> bool,
) -> Vec<Case> {
    let names = cases(|_| 0, align);
    makers(&len, align)
        .iter()
        .zip(&names)
        .filter(|(_, named)| keep(named))
        .map(|(make, _)| make())
        .collect()
}

/// One builder per case, in the order of the tables.
fn makers<'a>(len: &'a dyn Fn(usize) -> usize, align: Align) -> Vec<Box<dyn Fn() -> Case + 'a>> {
    let at = move |bytes: usize| (len(bytes), align);
    vec![
        Box::new(move || scale::<f32>("f32", at(4), 1.5)),
        Box::new(move || scale::<u8>("u8", at(1), 3)),
        Box::new(move || scale::<f64>("f64", at(8), 1.5)),
        Box::new(move || scale::<i16>("i16", at(2), 3)),
        Box::new(move || scale::<i32>("i32", at(4), 3)),
        Box::new(move || scale::<i64>("i64", at(8), 3)),
        Box::new(move || {
            ternary::<f32>(
                ("mul_then_add", "f32"),
                at(4),
                |o, a, b, c, out| o.mul_then_add(a, b, c, out).expect("equal lengths"),
                |x, y, z| x * y + z,
            )
        }),
        Box::new(move || {
            ternary::<f64>(
                ("mul_then_add", "f64"),
                at(8),
                |o, a, b, c, out| o.mul_then_add(a, b, c, out).expect("equal lengths"),
                |x, y, z| x * y + z,
            )
        }),
        Box::new(move || {
            accumulate::<f32>(
                ("then_add_assign", "f32"),
                at(4),
                |o, acc, a, b| o.mul_then_add_assign(acc, a, b).expect("equal lengths"),
                |acc, x, y| x * y + acc,
            )
        }),
        Box::new(move || {
            ternary::<f32>(
                ("mul_add", "f32"),
                at(4),
                |o, a, b, c, out| o.mul_add(a, b, c, out).expect("equal lengths"),
                f32::mul_add,
            )
        }),
        Box::new(move || {
            ternary::<f64>(
                ("mul_add", "f64"),
                at(8),
                |o, a, b, c, out| o.mul_add(a, b, c, out).expect("equal lengths"),
                f64::mul_add,
            )
        }),
        Box::new(move || then_add_wrapping!(i32, "i32", at(4))),
        Box::new(move || then_add_wrapping!(u8, "u8", at(1))),
        Box::new(move || then_add_wrapping!(i16, "i16", at(2))),
        Box::new(move || then_add_wrapping!(i64, "i64", at(8))),
        Box::new(move || {
            accumulate::<f64>(
                ("then_add_assign", "f64"),
                at(8),
                |o, acc, a, b| o.mul_then_add_assign(acc, a, b).expect("equal lengths"),
                |acc, x, y| x * y + acc,
            )
        }),
        Box::new(move || {
            accumulate::<Complex<f32>>(
                ("conj_add", "c32"),
                at(8),
                |o, acc, a, b| o.mul_conj_add_assign(acc, a, b).expect("equal lengths"),
                |acc, x, y| acc + x * y.conj(),
            )
        }),
        Box::new(move || {
            two_products::<f32>(
                "f32",
                at(4),
                |a, b, c, d| a * b + c * d,
                Some(<f32 as Streamed>::mul_then_add_mul),
            )
        }),
        Box::new(move || {
            two_products::<f64>(
                "f64",
                at(8),
                |a, b, c, d| a * b + c * d,
                Some(<f64 as Streamed>::mul_then_add_mul),
            )
        }),
        Box::new(move || {
            two_products::<i32>(
                "i32",
                at(4),
                |a, b, c, d| a.wrapping_mul(b).wrapping_add(c.wrapping_mul(d)),
                None,
            )
        }),
        Box::new(move || {
            two_products::<Complex<f32>>("c32", at(8), |a, b, c, d| a * b + c * d, None)
        }),
        Box::new(move || {
            two_products_in_place::<f32>("f32", at(4), |acc, a, b, c| acc * a + b * c)
        }),
        Box::new(move || {
            two_products_in_place::<f64>("f64", at(8), |acc, a, b, c| acc * a + b * c)
        }),
        Box::new(move || blend::<f32>("f32", at(4), <f32 as Streamed>::blend)),
        Box::new(move || blend::<f64>("f64", at(8), <f64 as Streamed>::blend)),
        Box::new(move || blend_u8(at(1))),
        Box::new(move || sum::<f32>("f32", at(4), |x, y| x * y, |x, y| x + y)),
        Box::new(move || sum::<f64>("f64", at(8), |x, y| x * y, |x, y| x + y)),
        Box::new(move || sum::<i16>("i16", at(2), i16::wrapping_mul, i16::wrapping_add)),
        Box::new(move || sum::<Complex<f32>>("c32", at(8), |x, y| x * y, |x, y| x + y)),
        Box::new(move || mul!(f32, "f32", at(4))),
        Box::new(move || mul!(f64, "f64", at(8))),
        Box::new(move || mul!(wrapping u8, "u8/i8", at(1))),
        Box::new(move || mul!(wrapping u16, "u16/i16", at(2))),
        Box::new(move || mul!(wrapping u32, "u32/i32", at(4))),
        Box::new(move || mul!(wrapping u64, "u64/i64", at(8))),
        Box::new(move || saturating!(u8, "u8", at(1))),
        Box::new(move || saturating!(i8, "i8", at(1))),
        Box::new(move || saturating!(u16, "u16", at(2))),
        Box::new(move || saturating!(i16, "i16", at(2))),
        Box::new(move || saturating!(u32, "u32", at(4))),
        Box::new(move || saturating!(i32, "i32", at(4))),
        Box::new(move || saturating!(u64, "u64", at(8))),
        Box::new(move || saturating!(i64, "i64", at(8))),
        Box::new(move || {
            binary::<u8, u8, u8>(
                ("normalized", "u8"),
                at(1),
                |o, a, b, out| o.mul_normalized_u8(a, b, out).expect("equal lengths"),
                // round(a·b / 255), the way a user would write it in integers.
                |x, y| ((2 * u32::from(x) * u32::from(y) + 255) / 510) as u8,
            )
        }),
        Box::new(move || mul!(Complex<f32>, "c32", at(8))),
        Box::new(move || mul!(Complex<f64>, "c64", at(16))),
        Box::new(move || {
            binary::<Complex<f32>, Complex<f32>, Complex<f32>>(
                ("conj", "c32"),
                at(8),
                |o, a, b, out| o.mul_conj_elementwise(a, b, out).expect("equal lengths"),
                |x, y| x * y.conj(),
            )
        }),
        Box::new(move || {
            binary::<Complex<f64>, Complex<f64>, Complex<f64>>(
                ("conj", "c64"),
                at(16),
                |o, a, b, out| o.mul_conj_elementwise(a, b, out).expect("equal lengths"),
                |x, y| x * y.conj(),
            )
        }),
        Box::new(move || split::<f32>("split", "f32", at(4), false)),
        Box::new(move || split::<f64>("split", "f64", at(8), false)),
        Box::new(move || split::<f32>("split conj", "f32", at(4), true)),
        Box::new(move || mul!(f16, "f16", at(2))),
        Box::new(move || mul!(bf16, "bf16", at(2))),
        Box::new(move || {
            binary::<f16, f16, f32>(
                ("widen", "f16"),
                at(2),
                |o, a, b, out| o.mul_elementwise_widen(a, b, out).expect("equal lengths"),
                |x, y| x.to_f32() * y.to_f32(),
            )
        }),
        Box::new(move || {
            binary::<bf16, bf16, f32>(
                ("widen", "bf16"),
                at(2),
                |o, a, b, out| o.mul_elementwise_widen(a, b, out).expect("equal lengths"),
                |x, y| x.to_f32() * y.to_f32(),
            )
        }),
    ]
}
