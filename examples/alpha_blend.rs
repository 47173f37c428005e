//! Alpha blending of two 8-bit RGB images through a mask, with `mul_normalized_u8`:
//! `out = fg·α/255 + bg·(255−α)/255`, each product rounded to nearest as image tools do.
//!
//! The images and the mask are made here: a colour gradient (foreground), a checkerboard
//! (background) and a soft-edged disc (alpha). The result is written as a binary PPM (any
//! image viewer opens it): the gradient inside the disc, the checkerboard outside, a soft
//! edge between. The program checks three pixels against the formula and prints them.
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

    // out = fg·α + bg·(255 − α), both products normalized; they add up to at most 255 + 1
    // rounding, so the sum saturates instead of wrapping.
    let inverse: Vec<u8> = alpha.iter().map(|&a| 255 - a).collect();
    let mut front = vec![0u8; W * H * 3];
    let mut back = vec![0u8; W * H * 3];
    hadamard::mul_normalized_u8(&fg, &alpha, &mut front);
    hadamard::mul_normalized_u8(&bg, &inverse, &mut back);
    let out: Vec<u8> = front
        .iter()
        .zip(&back)
        .map(|(&f, &b)| f.saturating_add(b))
        .collect();

    // Three pixels a person can check: centre (all foreground), corner (all background),
    // and one on the soft edge.
    let round = |v: u32| ((2 * v + 255) / 510) as u8;
    let edge_x = (cx + r) as usize;
    for (name, x, y) in [
        ("centre", W / 2, H / 2),
        ("corner", 0, 0),
        ("edge", edge_x, H / 2),
    ] {
        let p = (y * W + x) * 3;
        let a = alpha[p] as u32;
        let want: Vec<u8> = (0..3)
            .map(|c| {
                let f = round(fg[p + c] as u32 * a);
                let b = round(bg[p + c] as u32 * (255 - a));
                f.saturating_add(b)
            })
            .collect();
        assert_eq!(&out[p..p + 3], &want[..], "{name} pixel");
        println!(
            "{name:>6} ({x:3}, {y:3}): alpha {a:3}, fg {:?} bg {:?} -> {:?}",
            &fg[p..p + 3],
            &bg[p..p + 3],
            &out[p..p + 3]
        );
    }

    let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
    write!(file, "P6\n{W} {H}\n255\n")?;
    file.write_all(&out)?;
    file.flush()?;
    println!("wrote {W}x{H} blended image to {path}");
    Ok(())
}
