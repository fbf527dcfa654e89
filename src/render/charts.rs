//! Simple SVG charts drawn at build time (issue 6 §3: no JavaScript needed). Each chart is an
//! inline `<svg role="img">` named by its `<title>` and described by a `<desc>` that lists every
//! value, and the page puts a data table beside it, so screen-reader users get the figures.
//! Sizes are in a fixed viewBox; CSS scales the drawing to the column width.

use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn open(id: &str, w: u32, h: u32, title: &str, desc: &str) -> String {
    format!(
        "<svg class=\"chart\" id=\"{id}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    )
}

/// Horizontal bars of shares (0–1): per item, its label on one line and under it the bar with
/// the value at its end (narrow enough to stay legible on a phone).
pub fn bars(id: &str, title: &str, desc: &str, items: &[(String, f64, String)]) -> String {
    let (w, row, bar_w) = (360u32, 46u32, 280u32);
    let h = row * items.len() as u32 + 4;
    let mut s = open(id, w, h, title, desc);
    for (i, (label, share, text)) in items.iter().enumerate() {
        let y = row * i as u32;
        let len = (share.clamp(0.0, 1.0) * f64::from(bar_w)).round() as u32;
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{ty}\" class=\"chart-label\">{label}</text>\
             <rect x=\"0\" y=\"{by}\" width=\"{bar_w}\" height=\"18\" class=\"chart-track\"/>\
             <rect x=\"0\" y=\"{by}\" width=\"{len}\" height=\"18\" class=\"chart-bar\"/>\
             <text x=\"{vx}\" y=\"{vy}\" class=\"chart-value\">{text}</text>",
            ty = y + 15,
            by = y + 22,
            vy = y + 36,
            label = esc(&truncate(label, 40)),
            vx = bar_w + 6,
            text = esc(text),
        );
    }
    s.push_str("</svg>");
    s
}

/// Vertical columns of counts with the count above each column and its label under it; a
/// label with a space is written on two lines (`Q3 2026` → `Q3` over `2026`).
pub fn columns(id: &str, title: &str, desc: &str, items: &[(String, f64, String)]) -> String {
    let (col, gap, plot_h, top, bottom) = (44u32, 12u32, 80u32, 18u32, 36u32);
    let w = (col + gap) * items.len().max(1) as u32 + gap;
    let h = top + plot_h + bottom;
    let max = items.iter().map(|i| i.1).fold(0.0, f64::max).max(1.0);
    let mut s = open(id, w, h, title, desc);
    let _ = write!(s, "<line x1=\"0\" y1=\"{y}\" x2=\"{w}\" y2=\"{y}\" class=\"chart-axis\"/>", y = top + plot_h);
    for (i, (label, value, text)) in items.iter().enumerate() {
        let x = gap + (col + gap) * i as u32;
        let bh = ((value / max) * f64::from(plot_h)).round() as u32;
        let y = top + plot_h - bh;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{col}\" height=\"{bh}\" class=\"chart-bar\"/>\
             <text x=\"{cx}\" y=\"{vy}\" text-anchor=\"middle\" class=\"chart-value\">{text}</text>\
             <text x=\"{cx}\" y=\"{ly}\" text-anchor=\"middle\" class=\"chart-label\">{l1}</text>",
            cx = x + col / 2,
            vy = y.saturating_sub(4).max(12),
            ly = top + plot_h + 16,
            text = esc(text),
            l1 = esc(label.split_once(' ').map_or(label.as_str(), |(a, _)| a)),
        );
        if let Some((_, l2)) = label.split_once(' ') {
            let _ = write!(
                s,
                "<text x=\"{cx}\" y=\"{ly}\" text-anchor=\"middle\" class=\"chart-label\">{l2}</text>",
                cx = x + col / 2,
                ly = top + plot_h + 31,
                l2 = esc(l2),
            );
        }
    }
    s.push_str("</svg>");
    s
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { format!("{}…", s.chars().take(n - 1).collect::<String>()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_named_and_escaped() {
        let svg = bars("c", "On time", "A: 50%", &[("A & B".into(), 0.5, "50%".into())]);
        assert!(svg.starts_with(
            "<svg class=\"chart\" id=\"c\" viewBox=\"0 0 360 50\" role=\"img\" aria-labelledby=\"c-t c-d\""
        ));
        assert!(svg.contains("<title id=\"c-t\">On time</title><desc id=\"c-d\">A: 50%</desc>"));
        assert!(svg.contains(">A &amp; B</text>"));
        assert!(svg.contains("width=\"140\" height=\"18\" class=\"chart-bar\""));
        let cols =
            columns("u", "Updates", "Q1: 2; Q2: 0", &[("Q1".into(), 2.0, "2".into()), ("Q2".into(), 0.0, "0".into())]);
        assert!(cols.contains("<rect x=\"12\" y=\"18\" width=\"44\" height=\"80\" class=\"chart-bar\"/>"));
        assert!(cols.contains("<rect x=\"68\" y=\"98\" width=\"44\" height=\"0\" class=\"chart-bar\"/>"));
    }
}
