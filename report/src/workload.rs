//! The buffers one measured point works on, and the thread setting it runs under.

use super::args::{Size, Threads};
pub use super::sample::Sample;
use hadamard::CacheSizes;
use hadamard::Parallelism;
use rayon::prelude::*;

/// Elements per operand for a named size: the three operands together fill half of the
/// cache level (so they stay in it), or 8x the L3 for DRAM (so they cannot).
pub fn elements_for(size: Size, caches: &CacheSizes, element_bytes: usize) -> usize {
    let working_set = match size {
        Size::L1 => caches.l1 / 2,
        Size::L2 => caches.l2 / 2,
        Size::L3 => caches.l3 / 2,
        Size::Dram => caches.l3 * 8,
        Size::Elements(n) => return n,
    };
    // A multiple of 64 elements: whole vectors, no tail to blur the comparison.
    (working_set / 3 / element_bytes) / 64 * 64
}

pub fn size_label(size: Size) -> String {
    match size {
        Size::L1 => "L1".into(),
        Size::L2 => "L2".into(),
        Size::L3 => "L3".into(),
        Size::Dram => "DRAM".into(),
        Size::Elements(_) => "-".into(),
    }
}

/// Three operands of `len` elements, written once so no page fault lands in a timing.
pub struct Buffers<T> {
    pub a: Vec<T>,
    pub b: Vec<T>,
    pub out: Vec<T>,
}

impl<T: Sample> Buffers<T> {
    pub fn new(len: usize) -> Buffers<T> {
        let [a, b, out] = super::sample::operands(len);
        Buffers { a, b, out }
    }

    /// `out.copy_from_slice(a)`, split across the current pool like the product is.
    pub fn copy(&mut self, parallel: bool) {
        if parallel {
            let piece = (self.a.len() / (rayon::current_num_threads() * 4)).max(4096);
            self.out
                .par_chunks_mut(piece)
                .zip(self.a.par_chunks(piece))
                .for_each(|(o, a)| o.copy_from_slice(a));
        } else {
            self.out.copy_from_slice(&self.a);
        }
    }
}

/// Runs `f` on the requested number of threads, and says which `Parallelism` the product
/// calls inside it should use.
pub fn with_threads<R: Send>(threads: Threads, f: impl FnOnce(Parallelism) -> R + Send) -> R {
    match threads {
        Threads::One => f(Parallelism::Sequential),
        Threads::All => f(Parallelism::Parallel),
        Threads::Count(1) => f(Parallelism::Sequential),
        Threads::Count(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("building a rayon pool")
            .install(|| f(Parallelism::Parallel)),
    }
}

pub fn threads_label(threads: Threads) -> String {
    match threads {
        Threads::One => "1".into(),
        Threads::All => rayon::current_num_threads().to_string(),
        Threads::Count(n) => n.to_string(),
    }
}
