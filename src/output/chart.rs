//! Inline SVG charts of the HTML report: the overall stance distribution and one stacked bar
//! per thread.
//!
//! Color is never the only cue (the page must read in grayscale and for color-blind
//! readers): each stance has a fill pattern of its own (hatching, dots, cross-hatching,
//! plain) on backgrounds of clearly different lightness, every bar carries text labels, and
//! the legend names patterns with the same symbols the badges use. Input text (thread ids,
//! authors) is escaped like everywhere else.

use std::io::{self, Write};

use super::html::{stance_symbol, Esc};
use crate::score::Stance;
use crate::thread::ThreadStats;

/// The per-thread chart shows at most this many threads (the largest); the table has all.
pub const MAX_CHART_THREADS: usize = 300;

/// Width of the label column, in SVG pixels.
const LABEL_WIDTH_PX: u32 = 190;
/// Width of the longest bar, in SVG pixels.
const BAR_WIDTH_PX: u32 = 440;
/// Room after a bar for its total.
const TAIL_WIDTH_PX: u32 = 110;
/// Height of one row.
const ROW_HEIGHT_PX: u32 = 24;
/// Height of a bar within its row.
const BAR_HEIGHT_PX: u32 = 16;
/// A segment narrower than this shows its count only on hover.
const MIN_LABELED_SEGMENT_PX: f64 = 18.0;
/// Thread labels are cut to this many characters (the full text is in the tooltip).
const LABEL_MAX_CHARS: usize = 26;

/// Pattern id of a stance's fill.
fn pattern_id(stance: Stance) -> String {
    format!("p-{}", stance.label())
}

/// The fill patterns, in a zero-size SVG; the other SVGs of the page refer to them by id.
pub fn write_patterns(out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\" focusable=\"false\"><defs>\
<pattern id=\"{}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
<rect width=\"6\" height=\"6\" fill=\"#1f4e89\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#fff\" stroke-width=\"2\"/></pattern>\
<pattern id=\"{}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
<rect width=\"6\" height=\"6\" fill=\"#f2a450\"/><circle cx=\"3\" cy=\"3\" r=\"1.4\" fill=\"#3b2200\"/></pattern>\
<pattern id=\"{}\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">\
<rect width=\"8\" height=\"8\" fill=\"#9a80c4\"/><path d=\"M0 0L8 8M8 0L0 8\" stroke=\"#2a1850\" stroke-width=\"1\"/></pattern>\
<pattern id=\"{}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
<rect width=\"6\" height=\"6\" fill=\"#e4e4e4\"/></pattern>\
</defs></svg>",
        pattern_id(Stance::ProBoundary),
        pattern_id(Stance::ProFriendship),
        pattern_id(Stance::Mixed),
        pattern_id(Stance::Neutral)
    )
}

/// The legend: a swatch of each pattern with the stance's symbol and name.
pub fn write_legend(out: &mut dyn Write) -> io::Result<()> {
    write!(out, "<ul class=\"legend\" aria-label=\"legend\">")?;
    for stance in Stance::ALL {
        write!(
            out,
            "<li><svg width=\"28\" height=\"16\" aria-hidden=\"true\"><rect x=\"0.5\" y=\"0.5\" \
             width=\"27\" height=\"15\" fill=\"url(#{})\" stroke=\"#222\"/></svg> {} {}</li>",
            pattern_id(stance),
            stance_symbol(stance),
            stance.label()
        )?;
    }
    writeln!(out, "</ul>")
}

fn percent_of(n: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        n as f64 * 100.0 / total as f64
    }
}

/// One horizontal bar per stance, its length the share of all comments.
pub fn write_distribution(totals: &[u64; 4], out: &mut dyn Write) -> io::Result<()> {
    let total: u64 = totals.iter().sum();
    let width = LABEL_WIDTH_PX + BAR_WIDTH_PX + TAIL_WIDTH_PX;
    let height = ROW_HEIGHT_PX * 4 + 8;
    writeln!(
        out,
        "<figure><figcaption>All comments by stance</figcaption>\
         <svg id=\"distribution\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-label=\"share of comments by stance\">"
    )?;
    for (row, (stance, &n)) in Stance::ALL.iter().zip(totals).enumerate() {
        let y = 4 + row as u32 * ROW_HEIGHT_PX;
        let share = percent_of(n, total);
        let w = BAR_WIDTH_PX as f64 * share / 100.0;
        writeln!(
            out,
            "<g class=\"stance-bar\" data-stance=\"{label}\"><title>{label}: {n} of {total} \
             ({share:.1}%)</title><text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{sym} {label}</text>\
             <rect x=\"{LABEL_WIDTH_PX}\" y=\"{y}\" width=\"{w:.1}\" height=\"{BAR_HEIGHT_PX}\" \
             fill=\"url(#{pid})\" stroke=\"#222\" stroke-width=\"0.5\"/>\
             <text x=\"{vx:.1}\" y=\"{ty}\">{n} ({share:.1}%)</text></g>",
            label = stance.label(),
            lx = LABEL_WIDTH_PX - 8,
            ty = y + BAR_HEIGHT_PX - 3,
            sym = stance_symbol(*stance),
            pid = pattern_id(*stance),
            vx = LABEL_WIDTH_PX as f64 + w + 6.0,
        )?;
    }
    writeln!(out, "</svg></figure>")
}

/// Indexes of the threads the chart shows: the largest first (ties in input order).
pub fn chart_threads(threads: &[ThreadStats]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..threads.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(threads[i].comments));
    order.truncate(MAX_CHART_THREADS);
    order
}

fn short_label(text: &str) -> String {
    if text.chars().count() <= LABEL_MAX_CHARS {
        text.to_string()
    } else {
        let cut: String = text.chars().take(LABEL_MAX_CHARS - 1).collect();
        format!("{cut}\u{2026}")
    }
}

/// One stacked bar per thread (segments in stance order), lengths on a common scale.
pub fn write_thread_bars(threads: &[ThreadStats], out: &mut dyn Write) -> io::Result<()> {
    let shown = chart_threads(threads);
    let max = shown
        .iter()
        .map(|&i| threads[i].comments)
        .max()
        .unwrap_or(1)
        .max(1);
    let width = LABEL_WIDTH_PX + BAR_WIDTH_PX + TAIL_WIDTH_PX;
    let height = ROW_HEIGHT_PX * shown.len() as u32 + 8;
    let caption = if shown.len() < threads.len() {
        format!(
            "Comments per thread by stance: the {} largest of {} threads",
            shown.len(),
            threads.len()
        )
    } else {
        "Comments per thread by stance, largest first".to_string()
    };
    writeln!(
        out,
        "<figure><figcaption>{caption}</figcaption><div class=\"scroll\">\
         <svg id=\"thread-bars\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-label=\"{caption}\">"
    )?;
    let scale = BAR_WIDTH_PX as f64 / max as f64;
    for (row, &t) in shown.iter().enumerate() {
        write_thread_bar(t, &threads[t], 4 + row as u32 * ROW_HEIGHT_PX, scale, out)?;
    }
    writeln!(out, "</svg></div></figure>")
}

fn write_thread_bar(
    index: usize,
    stats: &ThreadStats,
    y: u32,
    scale: f64,
    out: &mut dyn Write,
) -> io::Result<()> {
    let author = stats.root_author.as_deref().unwrap_or("");
    let full = if author.is_empty() {
        stats.thread.clone()
    } else {
        format!("{} ({author})", stats.thread)
    };
    let counts: Vec<String> = Stance::ALL
        .iter()
        .zip(stats.stances)
        .map(|(s, n)| format!("{n} {}", s.label()))
        .collect();
    let ty = y + BAR_HEIGHT_PX - 3;
    write!(
        out,
        "<g class=\"thread-bar\" data-thread=\"{}\" data-comments=\"{}\"><title>{}: {}</title>\
         <a href=\"#t-{index}\"><text x=\"{}\" y=\"{ty}\" text-anchor=\"end\">{}</text></a>",
        Esc(&stats.thread),
        stats.comments,
        Esc(&full),
        counts.join(", "),
        LABEL_WIDTH_PX - 8,
        Esc(&short_label(&full))
    )?;
    let mut x = LABEL_WIDTH_PX as f64;
    for (stance, n) in Stance::ALL.iter().zip(stats.stances) {
        if n == 0 {
            continue;
        }
        let w = n as f64 * scale;
        write!(
            out,
            "<rect class=\"seg\" data-stance=\"{}\" x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" \
             height=\"{BAR_HEIGHT_PX}\" fill=\"url(#{})\" stroke=\"#222\" stroke-width=\"0.5\"/>",
            stance.label(),
            pattern_id(*stance)
        )?;
        if w >= MIN_LABELED_SEGMENT_PX {
            write!(
                out,
                "<text class=\"seg-n\" x=\"{:.1}\" y=\"{ty}\" text-anchor=\"middle\">{n}</text>",
                x + w / 2.0
            )?;
        }
        x += w;
    }
    writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{ty}\">{}</text></g>",
        x + 6.0,
        stats.comments
    )
}
