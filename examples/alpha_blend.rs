//! Alpha blending of two 8-bit RGB images through a mask, with `blend_normalized_u8`:
//! `out = round((α·fg + (255−α)·bg) / 255)` in one pass, exact in integers (one rounding,
//! where two normalized products and a saturating add round twice).
//!
//! The images and the mask are made here: a colour gradient (foreground), a checkerboard
//! (background) and a soft-edged disc (alpha). The result is written as a binary PPM (any
//! image viewer opens it): the gradient inside the disc, the checkerboard outside, a soft
//! edge between. The program checks every byte against the formula written as a plain
//! loop, prints three pixels, and counts the bytes where the two-product recipe (two
//! `mul_normalized_u8` and a saturating add) would have been one off.
//!
//! Run: `cargo run --release --example alpha_blend [OUT.ppm]`

use std::io::Write;

const W: usize = 320;
const H: usize = 240;

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        std::env::temp_dir()
            .join("alpha_blend.ppm")
            .display()
            .to_string()
    });

    // RGB, row-major, 3 bytes a pixel.
    let mut fg = vec![0u8; W * H * 3];
    let mut bg = vec![0u8; W * H * 3];
    let mut alpha = vec![0u8; W * H * 3]; // the mask, repeated for the three channels
    let (cx, cy, r) = (W as f64 / 2.0, H as f64 / 2.0, H as f64 / 3.0);
    for y in 0..H {
        for x in 0..W {
            let p = (y * W + x) * 3;
            fg[p..p + 3].copy_from_slice(&[(x * 255 / W) as u8, (y * 255 / H) as u8, 160]);
            let light = ((x / 20) + (y / 20)) % 2 == 0;
            bg[p..p + 3].fill(if light { 230 } else { 40 });
            // 255 inside the disc, 0 outside, a 12-pixel ramp at the edge.
            let d = ((x as f64 - cx).powi(2) + (y as f64 - cy).powi(2)).sqrt();
            let a = ((r + 6.0 - d) / 12.0).clamp(0.0, 1.0);
            alpha[p..p + 3].fill((a * 255.0).round() as u8);
        }
    }

    // out = round((α·fg + (255 − α)·bg) / 255), one pass over the three images.
    let mut out = vec![0u8; W * H * 3];
    hadamard::blend_normalized_u8(&fg, &bg, &alpha, &mut out);

    // Every byte against the formula as a plain loop (integers, one rounding).
    let blend = |f: u8, b: u8, a: u8| {
        let (f, b, a) = (f as u32, b as u32, a as u32);
        ((2 * (a * f + (255 - a) * b) + 255) / 510) as u8
    };
    for i in 0..out.len() {
        assert_eq!(out[i], blend(fg[i], bg[i], alpha[i]), "byte {i}");
    }

    // The recipe before `blend_normalized_u8`: two normalized products, each rounded, and
    // a saturating add. It is one off wherever both roundings go the same way.
    let round = |v: u32| ((2 * v + 255) / 510) as u8;
    let two_roundings = (0..out.len())
        .filter(|&i| {
            let a = alpha[i] as u32;
            let twice = round(fg[i] as u32 * a).saturating_add(round(bg[i] as u32 * (255 - a)));
            twice != out[i]
        })
        .count();

    // Three pixels a person can check: centre (all foreground), corner (all background),
    // and one on the soft edge.
    let edge_x = (cx + r) as usize;
    for (name, x, y) in [
        ("centre", W / 2, H / 2),
        ("corner", 0, 0),
        ("edge", edge_x, H / 2),
    ] {
        let p = (y * W + x) * 3;
        println!(
            "{name:>6} ({x:3}, {y:3}): alpha {:3}, fg {:?} bg {:?} -> {:?}",
            alpha[p],
            &fg[p..p + 3],
            &bg[p..p + 3],
            &out[p..p + 3]
        );
    }
    println!(
        "every byte equals the formula's; the two-rounding recipe differs in {two_roundings} of {} bytes",
        out.len()
    );

    let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
    write!(file, "P6\n{W} {H}\n255\n")?;
    file.write_all(&out)?;
    file.flush()?;
    println!("wrote {W}x{H} blended image to {path}");
    Ok(())
}
