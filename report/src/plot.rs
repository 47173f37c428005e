//! A dependency-free SVG line chart: GB/s against length on a log axis, one line per
//! contender, the copy bandwidth as a dashed ceiling.

use std::fmt::Write;

pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
    /// Drawn thick: the crate's default call.
    pub emphasis: bool,
    /// Drawn solid (the crate's calls) or dotted (peers).
    pub hadamard: bool,
}

pub struct Panel {
    pub title: String,
    pub lengths: Vec<usize>,
    pub series: Vec<Series>,
    pub ceiling: Vec<f64>,
}

const WIDTH: f64 = 980.0;
const PANEL_HEIGHT: f64 = 460.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 300.0; // room for the legend
const TOP: f64 = 40.0;
const BOTTOM: f64 = 50.0;
const COLORS: [&str; 12] = [
    "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#ff7f0e", "#7f7f7f", "#393b79", "#637939",
];

/// Renders the panels one above the other.
pub fn svg(panels: &[Panel], caption: &str) -> String {
    let height = PANEL_HEIGHT * panels.len() as f64 + 30.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    for (i, panel) in panels.iter().enumerate() {
        draw_panel(&mut s, panel, PANEL_HEIGHT * i as f64);
    }
    let _ = writeln!(
        s,
        r##"<text x="{LEFT}" y="{}" fill="#555">{}</text>"##,
        height - 10.0,
        escape(caption)
    );
    s.push_str("</svg>\n");
    s
}

fn draw_panel(s: &mut String, panel: &Panel, y0: f64) {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = PANEL_HEIGHT - TOP - BOTTOM;
    let n = panel.lengths.len().max(2);
    let (lo, hi) = (
        (panel.lengths[0] as f64).log2(),
        (panel.lengths[n.min(panel.lengths.len()) - 1] as f64)
            .log2()
            .max(1.0),
    );
    let x = |len: usize| LEFT + plot_w * ((len as f64).log2() - lo) / (hi - lo).max(1e-9);
    let max = panel
        .series
        .iter()
        .flat_map(|se| se.values.iter())
        .chain(&panel.ceiling)
        .fold(1.0f64, |m, &v| m.max(v));
    let y_max = nice_ceiling(max);
    let y = |v: f64| y0 + TOP + plot_h * (1.0 - v / y_max);

    let _ = writeln!(
        s,
        r#"<text x="{LEFT}" y="{}" font-size="14" font-weight="bold">{}</text>"#,
        y0 + 22.0,
        escape(&panel.title)
    );
    // Grid and axes.
    for k in 0..=5 {
        let v = y_max * k as f64 / 5.0;
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{v:.0}</text>"##,
            LEFT + plot_w,
            y(v),
            y(v),
            LEFT - 6.0,
            y(v) + 4.0
        );
    }
    for &len in &panel.lengths {
        let _ = writeln!(
            s,
            r##"<line x1="{0:.1}" x2="{0:.1}" y1="{1:.1}" y2="{2:.1}" stroke="#eee"/><text x="{0:.1}" y="{3:.1}" text-anchor="middle">{4}</text>"##,
            x(len),
            y0 + TOP,
            y0 + TOP + plot_h,
            y0 + TOP + plot_h + 16.0,
            label(len)
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">elements per operand (log scale)</text>"#,
        LEFT + plot_w / 2.0,
        y0 + PANEL_HEIGHT - 12.0
    );
    // Ceiling.
    let _ = writeln!(
        s,
        r##"<polyline fill="none" stroke="#000" stroke-width="1.5" stroke-dasharray="6 4" points="{}"/>"##,
        points(&panel.lengths, &panel.ceiling, &x, &y)
    );
    legend(s, 0, "copy bandwidth (ceiling)", "#000", "6 4", 1.5, y0);
    for (i, se) in panel.series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let width = if se.emphasis { 3.5 } else { 1.5 };
        let dash = if se.hadamard { "none" } else { "2 3" };
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="{color}" stroke-width="{width}" stroke-dasharray="{dash}" points="{}"/>"#,
            points(&panel.lengths, &se.values, &x, &y)
        );
        legend(s, i + 1, &se.name, color, dash, width, y0);
    }
}

fn legend(s: &mut String, row: usize, name: &str, color: &str, dash: &str, width: f64, y0: f64) {
    let lx = WIDTH - RIGHT + 20.0;
    let ly = y0 + TOP + 10.0 + 18.0 * row as f64;
    let _ = writeln!(
        s,
        r#"<line x1="{lx}" x2="{}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="{width}" stroke-dasharray="{dash}"/><text x="{}" y="{}">{}</text>"#,
        lx + 28.0,
        lx + 34.0,
        ly + 4.0,
        escape(name)
    );
}

fn points(
    lengths: &[usize],
    values: &[f64],
    x: &impl Fn(usize) -> f64,
    y: &impl Fn(f64) -> f64,
) -> String {
    lengths
        .iter()
        .zip(values)
        .map(|(&n, &v)| format!("{:.1},{:.1}", x(n), y(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn nice_ceiling(max: f64) -> f64 {
    let step = 10f64.powf(max.log10().floor());
    (max / step).ceil() * step
}

fn label(n: usize) -> String {
    match n {
        n if n >= 1 << 20 => format!("{}M", n >> 20),
        n if n >= 1 << 10 => format!("{}K", n >> 10),
        n => n.to_string(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
