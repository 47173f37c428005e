//! The product of operands that are not slices (strided lanes, transposed views), through
//! fixed buffers on the stack: no allocation, whatever the length, and each chunk still one
//! kernel call.

use crate::element::Element;
use crate::options::Options;

/// Elements per chunk: 256 of the widest element (`Complex<f64>`, 16 bytes) make three
/// 4 KiB buffers, small for a stack and large enough that a kernel call's fixed cost is a
/// few percent of the chunk.
const CHUNK: usize = 256;

/// `out[i] = a[i] · b[i]` for three sequences of equal length, `CHUNK` elements at a time:
/// gathered into stack buffers, multiplied by `opts`'s kernel, scattered to `out`.
pub(crate) fn mul_through_buffers<'o, T: Element + 'o>(
    opts: &Options,
    mut a: impl Iterator<Item = T>,
    mut b: impl Iterator<Item = T>,
    out: impl Iterator<Item = &'o mut T>,
) {
    let mut out = out.peekable();
    let Some(&mut first) = out.peek_mut().map(|x| &mut **x) else {
        return;
    };
    let (mut x, mut y, mut z) = ([first; CHUNK], [first; CHUNK], [first; CHUNK]);
    loop {
        let mut n = 0;
        while n < CHUNK {
            match (a.next(), b.next()) {
                (Some(p), Some(q)) => (x[n], y[n]) = (p, q),
                _ => break,
            }
            n += 1;
        }
        if n == 0 {
            return;
        }
        opts.mul_elementwise(&x[..n], &y[..n], &mut z[..n])
            .expect("buffers of one length");
        // `z` first: a zip pulls from its first iterator before the second, and an
        // element pulled from `out` past the chunk would be lost.
        for (&src, dst) in z[..n].iter().zip(&mut out) {
            *dst = src;
        }
    }
}
