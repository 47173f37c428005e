//! Everything `--compare` and `benches/peers.rs` measure, written once: hadamard's calls
//! and kernels, and the peers a user would otherwise reach for, each as a plain function.
//!
//! Shared by the report binary and the criterion bench `benches/peers.rs`.

#[cfg(target_arch = "x86_64")]
use hadamard::Kernel;
use hadamard::{Options, Parallelism};
use rayon::prelude::*;

/// What a contender computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `out = a ⊙ b` into an existing buffer.
    Out,
    /// `acc ⊙= b` in place (`out` is `acc`; `a` is unused).
    InPlace,
    /// A new vector holding `a ⊙ b` (allocation and page faults included).
    Allocating,
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::Out => "out = a*b",
            Op::InPlace => "acc *= b",
            Op::Allocating => "new = a*b",
        }
    }
}

/// A contender's call: `(a, b, out)`; in-place contenders use `out` as `acc`.
pub type Run<T> = Box<dyn Fn(&[T], &[T], &mut [T]) + Sync>;

/// One way of computing a product, on `T`.
pub struct Contender<T> {
    pub name: String,
    pub op: Op,
    /// Whether it is the crate's default path (what `--compare` ranks against peers).
    pub hadamard_default: bool,
    /// Whether it is one of the crate's calls (kernels and default) rather than a peer.
    pub is_hadamard: bool,
    pub run: Run<T>,
}

/// The element types the peers all support.
pub trait PeerElement:
    hadamard::Element
    + ndarray::LinalgScalar
    + nalgebra::Scalar
    + nalgebra::ClosedMulAssign
    + faer::traits::ComplexField
    + std::ops::Mul<Output = Self>
    + std::ops::MulAssign
    + Default
{
    /// `out = a ⊙ b` in a loop compiled with every feature this CPU has.
    fn native_loop(a: &[Self], b: &[Self], out: &mut [Self]);
    /// `out = a ⊙ b` by hand with non-temporal stores (the out-of-cache reference): the
    /// output aligned to a line by a scalar head, the widest registers, a fence at the end.
    fn streaming_loop(a: &[Self], b: &[Self], out: &mut [Self]);
}

macro_rules! peer_element {
    ($t:ident) => {
        impl PeerElement for $t {
            fn native_loop(a: &[$t], b: &[$t], out: &mut [$t]) {
                #[cfg(target_arch = "x86_64")]
                {
                    if Kernel::Avx512.is_available() {
                        // SAFETY: the CPU has AVX-512 F/BW/DQ/VL, checked just above.
                        return unsafe { native_avx512::$t(a, b, out) };
                    }
                    if Kernel::Avx2.is_available() {
                        // SAFETY: the CPU has AVX2, FMA and F16C, checked just above.
                        return unsafe { native_avx2::$t(a, b, out) };
                    }
                }
                naive_loop(a, b, out)
            }

            fn streaming_loop(a: &[$t], b: &[$t], out: &mut [$t]) {
                #[cfg(target_arch = "x86_64")]
                {
                    if Kernel::Avx512.is_available() {
                        // SAFETY: the CPU has AVX-512 F/BW/DQ/VL, checked just above.
                        return unsafe { streaming_avx512::$t(a, b, out) };
                    }
                }
                naive_loop(a, b, out)
            }
        }
    };
}

/// The streaming-store loop a user would write with `std::arch`.
#[cfg(target_arch = "x86_64")]
mod streaming_avx512 {
    use std::arch::x86_64::*;

    macro_rules! streaming {
        ($t:ident, $lanes:literal, $load:ident, $mul:ident, $stream:ident) => {
            #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
            pub fn $t(a: &[$t], b: &[$t], out: &mut [$t]) {
                let n = out.len().min(a.len()).min(b.len());
                let misaligned = out.as_ptr() as usize % 64 / size_of::<$t>();
                let head = ((64 / size_of::<$t>() - misaligned) % (64 / size_of::<$t>())).min(n);
                let mut i = 0;
                while i < head {
                    out[i] = a[i] * b[i];
                    i += 1;
                }
                while i + $lanes <= n {
                    // SAFETY: i + lanes <= n, so every pointer has a whole register; `out`
                    // is 64-byte aligned here (the head), as the streaming store requires.
                    unsafe {
                        let x = $load(a.as_ptr().add(i));
                        let y = $load(b.as_ptr().add(i));
                        $stream(out.as_mut_ptr().add(i), $mul(x, y));
                    }
                    i += $lanes;
                }
                while i < n {
                    out[i] = a[i] * b[i];
                    i += 1;
                }
                _mm_sfence();
            }
        };
    }
    streaming!(f32, 16, _mm512_loadu_ps, _mm512_mul_ps, _mm512_stream_ps);
    streaming!(f64, 8, _mm512_loadu_pd, _mm512_mul_pd, _mm512_stream_pd);
}
peer_element!(f32);
peer_element!(f64);

/// The loop every user writes first.
pub fn naive_loop<T: PeerElement>(a: &[T], b: &[T], out: &mut [T]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = x * y;
    }
}

fn naive_in_place<T: PeerElement>(acc: &mut [T], b: &[T]) {
    for (o, &y) in acc.iter_mut().zip(b) {
        *o *= y;
    }
}

/// The naive loop, as the compiler vectorises it when told the CPU's features: what a
/// user gets from `-C target-cpu=native`, without runtime dispatch.
macro_rules! native_module {
    ($name:ident, $features:literal) => {
        #[cfg(target_arch = "x86_64")]
        mod $name {
            #[target_feature(enable = $features)]
            pub fn f32(a: &[f32], b: &[f32], out: &mut [f32]) {
                for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                    *o = x * y;
                }
            }

            #[target_feature(enable = $features)]
            pub fn f64(a: &[f64], b: &[f64], out: &mut [f64]) {
                for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                    *o = x * y;
                }
            }
        }
    };
}
native_module!(native_avx512, "avx2,fma,avx512f,avx512bw,avx512dq,avx512vl");
native_module!(native_avx2, "avx2,fma");

/// Pieces of `len / threads` elements: the split a user writes with `par_chunks`.
fn rayon_chunk(len: usize) -> usize {
    len.div_ceil(rayon::current_num_threads()).max(1024)
}

fn contender<T>(
    name: impl Into<String>,
    op: Op,
    run: impl Fn(&[T], &[T], &mut [T]) + Sync + 'static,
) -> Contender<T> {
    Contender {
        name: name.into(),
        op,
        hadamard_default: false,
        is_hadamard: false,
        run: Box::new(run),
    }
}

fn ours<T>(contender: Contender<T>, default: bool) -> Contender<T> {
    Contender {
        hadamard_default: default,
        is_hadamard: true,
        ..contender
    }
}

/// Every contender, hadamard's first.
pub fn all<T: PeerElement>() -> Vec<Contender<T>> {
    let mut list = vec![
        ours(
            contender("hadamard::mul_elementwise", Op::Out, |a, b, out| {
                hadamard::mul_elementwise(a, b, out)
            }),
            true,
        ),
        ours(
            contender("hadamard::mul_assign", Op::InPlace, |_, b, acc| {
                hadamard::mul_assign(acc, b)
            }),
            true,
        ),
        ours(
            contender("hadamard::hadamard", Op::Allocating, |a, b, _| {
                std::hint::black_box(hadamard::hadamard(a, b));
            }),
            true,
        ),
    ];
    // The default kernel always split: with the one-thread line of the same kernel, the
    // two things the default path chooses between.
    let split = Options::new().parallelism(Parallelism::Parallel);
    list.push(ours(
        contender("hadamard, always split", Op::Out, move |a, b, out| {
            split.mul_elementwise(a, b, out).unwrap()
        }),
        false,
    ));
    for kernel in hadamard::available_kernels() {
        let opts = Options::new()
            .kernel(kernel)
            .expect("available")
            .parallelism(Parallelism::Sequential);
        list.push(ours(
            contender(
                format!("hadamard {kernel}, 1 thread"),
                Op::Out,
                move |a, b, out| opts.mul_elementwise(a, b, out).unwrap(),
            ),
            false,
        ));
    }
    list.extend([
        contender("naive zip loop", Op::Out, naive_loop::<T>),
        contender("loop, native features", Op::Out, T::native_loop),
        contender(
            "rayon par_chunks loop",
            Op::Out,
            |a: &[T], b: &[T], out: &mut [T]| {
                let chunk = rayon_chunk(out.len());
                out.par_chunks_mut(chunk)
                    .zip(a.par_chunks(chunk))
                    .zip(b.par_chunks(chunk))
                    .for_each(|((o, a), b)| naive_loop(a, b, o));
            },
        ),
        contender(
            "rayon + streaming stores",
            Op::Out,
            |a: &[T], b: &[T], out: &mut [T]| {
                // Pieces whose lengths are whole lines, so only the first needs a head.
                let chunk = rayon_chunk(out.len()).next_multiple_of(64);
                out.par_chunks_mut(chunk)
                    .zip(a.par_chunks(chunk))
                    .zip(b.par_chunks(chunk))
                    .for_each(|((o, a), b)| T::streaming_loop(a, b, o));
            },
        ),
        contender(
            "ndarray Zip::for_each",
            Op::Out,
            |a: &[T], b: &[T], out: &mut [T]| {
                let (a, b) = (ndarray::ArrayView1::from(a), ndarray::ArrayView1::from(b));
                ndarray::Zip::from(ndarray::ArrayViewMut1::from(out))
                    .and(&a)
                    .and(&b)
                    .for_each(|o, &x, &y| *o = x * y);
            },
        ),
        contender(
            "ndarray Zip::par_for_each",
            Op::Out,
            |a: &[T], b: &[T], out: &mut [T]| {
                let (a, b) = (ndarray::ArrayView1::from(a), ndarray::ArrayView1::from(b));
                ndarray::Zip::from(ndarray::ArrayViewMut1::from(out))
                    .and(&a)
                    .and(&b)
                    .par_for_each(|o, &x, &y| *o = x * y);
            },
        ),
        contender("faer zip!", Op::Out, |a: &[T], b: &[T], out: &mut [T]| {
            let a = faer::ColRef::from_slice(a);
            let b = faer::ColRef::from_slice(b);
            let out = faer::ColMut::from_slice_mut(out);
            faer::zip!(out, a, b).for_each(|faer::unzip!(o, x, y)| *o = *x * *y);
        }),
        contender(
            "naive in-place loop",
            Op::InPlace,
            |_, b: &[T], acc: &mut [T]| naive_in_place(acc, b),
        ),
        contender(
            "rayon par_chunks in place",
            Op::InPlace,
            |_, b: &[T], acc: &mut [T]| {
                let chunk = rayon_chunk(acc.len());
                acc.par_chunks_mut(chunk)
                    .zip(b.par_chunks(chunk))
                    .for_each(|(o, b)| naive_in_place(o, b));
            },
        ),
        contender(
            "ndarray Zip in place",
            Op::InPlace,
            |_, b: &[T], acc: &mut [T]| {
                let b = ndarray::ArrayView1::from(b);
                ndarray::Zip::from(ndarray::ArrayViewMut1::from(acc))
                    .and(&b)
                    .for_each(|o, &y| *o *= y);
            },
        ),
        contender(
            "nalgebra component_mul_assign",
            Op::InPlace,
            |_, b: &[T], acc: &mut [T]| {
                let n = acc.len();
                let b = nalgebra::DVectorView::from_slice(b, n);
                let mut acc = nalgebra::DVectorViewMut::from_slice(acc, n);
                acc.component_mul_assign(&b);
            },
        ),
        contender(
            "naive collect",
            Op::Allocating,
            |a: &[T], b: &[T], _: &mut [T]| {
                let v: Vec<T> = a.iter().zip(b).map(|(&x, &y)| x * y).collect();
                std::hint::black_box(v);
            },
        ),
        contender(
            "nalgebra component_mul",
            Op::Allocating,
            |a: &[T], b: &[T], _: &mut [T]| {
                let n = a.len();
                let a = nalgebra::DVectorView::from_slice(a, n);
                let b = nalgebra::DVectorView::from_slice(b, n);
                std::hint::black_box(a.component_mul(&b));
            },
        ),
    ]);
    list
}
