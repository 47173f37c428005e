//! The machine's reference in cache: each operation as the plain loop a user would write,
//! compiled with the CPU's features (`#[target_feature]`, what `-C target-cpu=native`
//! gives), so the compiler vectorises it as well as it can for this CPU. The report and
//! the benches measure every kernel against the best of these on the same operands.

/// A feature level the plain loops are compiled for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Native {
    /// AVX-512 F/BW/DQ/VL with AVX2, FMA and F16C.
    Avx512,
    /// AVX2, FMA and F16C.
    Avx2,
}

impl Native {
    /// The levels this CPU runs, widest first.
    pub fn available() -> Vec<Native> {
        #[cfg(target_arch = "x86_64")]
        {
            use hadamard::Kernel;
            let mut levels = Vec::new();
            if Kernel::Avx512.is_available() {
                levels.push(Native::Avx512);
            }
            if Kernel::Avx2.is_available() {
                levels.push(Native::Avx2);
            }
            levels
        }
        #[cfg(not(target_arch = "x86_64"))]
        Vec::new()
    }

    pub fn name(self) -> &'static str {
        match self {
            Native::Avx512 => "native avx512",
            Native::Avx2 => "native avx2",
        }
    }

    /// `out[i] = f(a[i], b[i])`.
    pub fn zip2<A: Copy, B: Copy, O>(self, a: &[A], b: &[B], out: &mut [O], f: impl Fn(A, B) -> O) {
        let body = move || {
            for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                *o = f(x, y);
            }
        };
        self.run(body)
    }

    /// `out[i] = f(a[i], b[i], c[i])`.
    pub fn zip3<T: Copy>(self, a: &[T], b: &[T], c: &[T], out: &mut [T], f: impl Fn(T, T, T) -> T) {
        let body = move || {
            for (((o, &x), &y), &z) in out.iter_mut().zip(a).zip(b).zip(c) {
                *o = f(x, y, z);
            }
        };
        self.run(body)
    }

    /// `out[i] = f(a[i], b[i], c[i], d[i])`.
    pub fn zip4<T: Copy>(
        self,
        [a, b, c, d]: [&[T]; 4],
        out: &mut [T],
        f: impl Fn(T, T, T, T) -> T,
    ) {
        let body = move || {
            let n = out.len();
            let (a, b, c, d) = (&a[..n], &b[..n], &c[..n], &d[..n]);
            for i in 0..n {
                out[i] = f(a[i], b[i], c[i], d[i]);
            }
        };
        self.run(body)
    }

    /// `acc[i] = f(acc[i], a[i], b[i], c[i])`.
    pub fn accumulate3<T: Copy>(
        self,
        acc: &mut [T],
        [a, b, c]: [&[T]; 3],
        f: impl Fn(T, T, T, T) -> T,
    ) {
        let body = move || {
            let n = acc.len();
            let (a, b, c) = (&a[..n], &b[..n], &c[..n]);
            for i in 0..n {
                acc[i] = f(acc[i], a[i], b[i], c[i]);
            }
        };
        self.run(body)
    }

    /// `acc[i] = f(acc[i], a[i], b[i])`.
    pub fn accumulate<T: Copy>(self, acc: &mut [T], a: &[T], b: &[T], f: impl Fn(T, T, T) -> T) {
        let body = move || {
            for ((o, &x), &y) in acc.iter_mut().zip(a).zip(b) {
                *o = f(*o, x, y);
            }
        };
        self.run(body)
    }

    /// The complex product over split planes: `(re, im)[i] = f(ar[i], ai[i], br[i], bi[i])`.
    pub fn split<T: Copy>(
        self,
        (ar, ai): (&[T], &[T]),
        (br, bi): (&[T], &[T]),
        (re, im): (&mut [T], &mut [T]),
        f: impl Fn(T, T, T, T) -> (T, T),
    ) {
        let body = move || {
            let n = ar.len();
            let (ai, br, bi, re, im) = (&ai[..n], &br[..n], &bi[..n], &mut re[..n], &mut im[..n]);
            for i in 0..n {
                (re[i], im[i]) = f(ar[i], ai[i], br[i], bi[i]);
            }
        };
        self.run(body)
    }

    /// `Σ f(a[i], b[i])` with 32 independent accumulators (a float sum in one accumulator
    /// cannot be vectorised: its order of additions is fixed).
    pub fn sum<T: Copy + Default>(
        self,
        a: &[T],
        b: &[T],
        f: impl Fn(T, T) -> T,
        add: impl Fn(T, T) -> T,
    ) -> T {
        let body = move || {
            let mut acc = [T::default(); 32];
            let (ac, bc) = (a.chunks_exact(32), b.chunks_exact(32));
            let (ar, br) = (ac.remainder(), bc.remainder());
            for (x, y) in ac.zip(bc) {
                for k in 0..32 {
                    acc[k] = add(acc[k], f(x[k], y[k]));
                }
            }
            let mut total = T::default();
            for (&x, &y) in ar.iter().zip(br) {
                total = add(total, f(x, y));
            }
            acc.into_iter().fold(total, &add)
        };
        self.run(body)
    }

    /// Runs `body` inlined into a function compiled for this level.
    #[inline(always)]
    fn run<R>(self, body: impl FnOnce() -> R) -> R {
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: a `Native` exists only for levels `available()` found on this CPU.
            unsafe {
                match self {
                    Native::Avx512 => with_avx512(body),
                    Native::Avx2 => with_avx2(body),
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let _ = self;
            body()
        }
    }
}

// `body` is inlined here and takes these features, as a loop in a crate built with
// `-C target-cpu=native` would.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma,f16c")]
fn with_avx512<R>(body: impl FnOnce() -> R) -> R {
    body()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,f16c")]
fn with_avx2<R>(body: impl FnOnce() -> R) -> R {
    body()
}
