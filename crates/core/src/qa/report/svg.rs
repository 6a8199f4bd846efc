//! The timing chart: one horizontal bar per (account, loop), split into its
//! steps, each step a colour (legend below), failed steps outlined in red.
//! Hand-written SVG: no dependency, opens in any browser and renders on
//! GitHub next to the Markdown.
//!
//! Invariant: the bar scale is the slowest loop, so bars compare across
//! accounts and loops; all text is XML-escaped.

use std::fmt::Write;

use crate::markup::escape;
use crate::qa::result::{Outcome, RunReport};

const PALETTE: [&str; 8] = [
    "#635bff", "#00a3e0", "#2bb673", "#f5a623", "#9b59b6", "#e67e22", "#1abc9c", "#7f8c8d",
];
const LABEL_W: f64 = 190.0;
const BAR_W: f64 = 560.0;
const ROW_H: f64 = 20.0;
const TOP: f64 = 46.0;

pub fn render(r: &RunReport) -> String {
    let rows = r.iterations.len().max(1) as f64;
    let legend_rows = r.step_labels.len().div_ceil(3) as f64;
    let width = LABEL_W + BAR_W + 90.0;
    let height = TOP + rows * ROW_H + 34.0 + legend_rows * 18.0 + 10.0;
    let max = r
        .iterations
        .iter()
        .map(|i| i.steps.iter().map(|s| s.duration_ms).sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let scale = BAR_W / max;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">"
    );
    let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
    let _ = writeln!(
        s,
        "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">{} — step timings per loop and account</text>",
        escape(&r.flow)
    );
    for (tick, frac) in [(0.0, 0.0), (max / 2.0, 0.5), (max, 1.0)] {
        let x = LABEL_W + BAR_W * frac;
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#e3e8ee\"/><text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"#697386\">{} ms</text>",
            TOP - 8.0,
            TOP + rows * ROW_H,
            TOP - 12.0,
            tick.round()
        );
    }
    for (row, it) in r.iterations.iter().enumerate() {
        let y = TOP + row as f64 * ROW_H;
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{} · loop {}</text>",
            LABEL_W - 8.0,
            y + 14.0,
            escape(&it.account),
            it.loop_index
        );
        let mut x = LABEL_W;
        for st in &it.steps {
            let w = (st.duration_ms as f64 * scale).max(if st.outcome == Outcome::Skipped {
                0.0
            } else {
                1.0
            });
            let color = PALETTE[(st.index - 1) % PALETTE.len()];
            let stroke = if st.outcome == Outcome::Failed {
                " stroke=\"#df1b41\" stroke-width=\"2\""
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{color}\"{stroke}><title>{}. {}: {} ms ({})</title></rect>",
                y + 3.0,
                ROW_H - 6.0,
                st.index,
                escape(&st.label),
                st.duration_ms,
                st.outcome.as_str()
            );
            x += w;
        }
        let total: u64 = it.steps.iter().map(|s| s.duration_ms).sum();
        let mark = if it.failed() { " ✗" } else { "" };
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#3c4257\">{total} ms{mark}</text>",
            x + 6.0,
            y + 14.0
        );
    }
    let ly = TOP + rows * ROW_H + 24.0;
    for (i, label) in r.step_labels.iter().enumerate() {
        let (col, line) = ((i % 3) as f64, (i / 3) as f64);
        let x = 10.0 + col * 250.0;
        let y = ly + line * 18.0;
        let _ = writeln!(
            s,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}. {}</text>",
            y - 10.0,
            PALETTE[i % PALETTE.len()],
            x + 17.0,
            y,
            i + 1,
            escape(label)
        );
    }
    s.push_str("</svg>\n");
    s
}
