//! Matrix views and n-dimensional arrays of shapes, strides and slice lengths chosen by
//! the fuzzer (huge and overflowing ones included): a view either is refused with a
//! `LayoutError` or every operation on it gives the element-wise definition and writes
//! nothing outside it; mismatched shapes give a `ShapeMismatch` and write nothing.

#![no_main]

mod input;

use hadamard::{MatMut, MatRef, Options};
use input::Bytes;
use libfuzzer_sys::fuzz_target;

/// A dimension: mostly small, sometimes huge (to hit the overflow checks).
fn dim(b: &mut Bytes) -> usize {
    match b.byte() % 8 {
        0 => b.u64() as usize,
        1 => usize::MAX - b.below(4),
        _ => b.below(24),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let (rows, cols, stride) = (dim(&mut b), dim(&mut b), dim(&mut b));
    let len = b.below(600);
    let a: Vec<i32> = (0..len).map(|i| i as i32 * 3 - 7).collect();
    let c: Vec<i32> = (0..len).map(|i| 11 - i as i32).collect();
    let view = MatRef::with_stride(&a, rows, cols, stride);
    let needed = (rows > 0 && cols > 0)
        .then(|| {
            (rows - 1)
                .checked_mul(stride)
                .and_then(|n| n.checked_add(cols))
        })
        .unwrap_or(Some(0));
    // The view exists exactly when the documented conditions hold.
    let valid = (rows <= 1 || stride >= cols) && needed.is_some_and(|n| n <= len);
    assert_eq!(
        view.is_ok(),
        valid,
        "rows {rows} cols {cols} stride {stride} len {len}"
    );
    let Ok(va) = view else { return };
    let vc = MatRef::with_stride(&c, rows, cols, stride).unwrap();
    let opts = Options::new().kernel(b.kernel()).unwrap();
    let mut out = vec![i32::MIN; len];
    let mut vo = MatMut::with_stride(&mut out, rows, cols, stride).unwrap();
    opts.mul_matrix(&va, &vc, &mut vo).unwrap();
    // Empty views may have any number of rows; the scaling vectors need one per row.
    if rows.saturating_mul(cols) == 0 && rows > len {
        return;
    }
    let d_rows: Vec<i32> = (0..rows).map(|i| i as i32 - 2).collect();
    let mut scaled = vec![i32::MIN; len];
    opts.scale_rows(
        &va,
        &d_rows,
        &mut MatMut::with_stride(&mut scaled, rows, cols, stride).unwrap(),
    )
    .unwrap();
    let mut inside = vec![false; len];
    for i in 0..rows {
        for j in 0..cols {
            let k = i * stride + j;
            inside[k] = true;
            assert_eq!(out[k], a[k].wrapping_mul(c[k]));
            assert_eq!(scaled[k], a[k].wrapping_mul(d_rows[i]));
        }
    }
    for k in 0..len {
        if !inside[k] {
            assert_eq!(
                (out[k], scaled[k]),
                (i32::MIN, i32::MIN),
                "wrote outside the view at {k}"
            );
        }
    }
    // A mismatched shape: an error, nothing written.
    if rows > 0 && cols > 0 {
        let mut untouched = vec![5i32; len];
        let small = MatRef::with_stride(&c, rows - 1, cols, stride).unwrap();
        let mut vo = MatMut::with_stride(&mut untouched, rows, cols, stride).unwrap();
        assert!(opts.mul_matrix(&va, &small, &mut vo).is_err());
        let d_bad = vec![1i32; cols + 1];
        assert!(opts.scale_cols(&va, &d_bad, &mut vo).is_err());
        assert!(untouched.iter().all(|&x| x == 5));
    }
});
