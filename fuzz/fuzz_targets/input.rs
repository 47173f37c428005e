//! Turning the fuzzer's bytes into operands: a cursor that hands out small numbers and
//! values of any element type, never failing (it returns zeros once the bytes run out).

pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        let x = u16::from_le_bytes([self.byte(), self.byte()]) as usize;
        x % n
    }

    pub fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.byte();
        }
        u64::from_le_bytes(b)
    }

    /// Any value: a bit pattern as often as not (NaNs, infinities and subnormals
    /// included), else a small whole number so products stay in range too.
    pub fn bits(&mut self) -> u64 {
        if self.byte() & 1 == 0 {
            self.u64()
        } else {
            (self.byte() as i8) as i64 as u64
        }
    }

    pub fn kernel(&mut self) -> hadamard::Kernel {
        let available = hadamard::available_kernels();
        available[self.below(available.len())]
    }
}
