//! The HTML report: one self-contained page (inline CSS, inline SVG, a few lines of inline
//! JavaScript; nothing fetched from anywhere) showing a dataset's stance at a glance and every
//! comment with its evidence highlighted.
//!
//! Every piece of input text is escaped with [`Esc`]: comments are hostile input, and a
//! `<script>` in one must show as text. A Content-Security-Policy allows only the page's own
//! script (by hash), as a second lock. The page stays light at 10,000 comments: threads are
//! collapsed `<details>` and no script touches individual comments. Charts are in `chart`.

use std::fmt;
use std::io::{self, Write};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::chart;
use super::format_number;
use crate::error::{Error, Result};
use crate::score::Stance;
use crate::thread::ThreadStats;

/// Threads start open when the dataset has at most this many comments (else collapsed).
pub const OPEN_THREADS_MAX_COMMENTS: usize = 200;

/// Indentation stops growing at this reply depth (the real depth is still shown).
pub const INDENT_MAX_DEPTH: u32 = 12;

/// What the report shows, gathered by `cmd::report`.
#[derive(Debug, Clone)]
pub struct ReportData {
    /// Page title.
    pub title: String,
    /// Input names, as given.
    pub inputs: Vec<String>,
    /// Tool version.
    pub version: String,
    /// Where the lexicons came from (`built-in` or a folder).
    pub lexicon_source: String,
    /// SHA-256 of the lexicon contents (hex).
    pub lexicon_sha256: String,
    /// Flag category names, in column order.
    pub flag_names: Vec<String>,
    /// Per-thread counts, in order of first appearance.
    pub threads: Vec<ThreadStats>,
    /// Every comment, in input order.
    pub comments: Vec<ReportComment>,
    /// Comments whose parent is not in the input.
    pub missing_parents: usize,
}

/// One comment as the page shows it.
#[derive(Debug, Clone)]
pub struct ReportComment {
    /// Comment id.
    pub id: String,
    /// Author.
    pub author: Option<String>,
    /// Date as given.
    pub date: Option<String>,
    /// Index into [`ReportData::threads`].
    pub thread: u32,
    /// Index of the parent in [`ReportData::comments`], when it is in the input.
    pub parent: Option<u32>,
    /// Final stance.
    pub stance: Stance,
    /// Confidence of the stance.
    pub confidence: f64,
    /// Set flags, in [`ReportData::flag_names`] order.
    pub flags: Vec<bool>,
    /// The text.
    pub text: String,
    /// Highlights in `text`: sorted, non-overlapping, on char boundaries.
    pub marks: Vec<Mark>,
    /// Evidence not in the text (author-name matches, reply rules).
    pub notes: Vec<String>,
}

/// A highlighted span of a comment's text.
#[derive(Debug, Clone)]
pub struct Mark {
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset past the last byte.
    pub end: u32,
    /// What it counted for.
    pub kind: MarkKind,
    /// The evidence in words (shown on hover).
    pub title: String,
}

/// What a highlighted span counted for (each has its own underline style, not only a color).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// Counted for pro-boundary.
    Boundary,
    /// Counted for pro-friendship.
    Friendship,
    /// Counted for a flag category.
    Flag,
    /// Matched but not counted (e.g. negated without a pole to flip to).
    Uncounted,
    /// A hedge (takes both sides).
    Hedge,
}

impl MarkKind {
    fn class(self) -> &'static str {
        match self {
            MarkKind::Boundary => "m-b",
            MarkKind::Friendship => "m-f",
            MarkKind::Flag => "m-flag",
            MarkKind::Uncounted => "m-off",
            MarkKind::Hedge => "m-hedge",
        }
    }
}

/// HTML-escapes text for element content and quoted attribute values.
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

/// The CSS class of a stance (`s-pro-boundary`).
pub fn stance_class(stance: Stance) -> String {
    format!("s-{}", stance.label())
}

/// A shape per stance, so a badge reads without color.
pub fn stance_symbol(stance: Stance) -> &'static str {
    match stance {
        Stance::ProBoundary => "\u{25A0}",   // ■
        Stance::ProFriendship => "\u{25CF}", // ●
        Stance::Mixed => "\u{25D0}",         // ◐
        Stance::Neutral => "\u{25CB}",       // ○
    }
}

/// Human name of a flag column (`harm_story` -> `harm story`).
pub fn flag_label(name: &str) -> String {
    name.replace('_', " ")
}

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Writes the whole page to `out` and flushes it.
pub fn write_report(data: &ReportData, mut out: Box<dyn Write>) -> Result<()> {
    write_page(data, &mut out)
        .and_then(|()| out.flush())
        .map_err(Error::Write)
}

fn write_page(data: &ReportData, out: &mut dyn Write) -> io::Result<()> {
    let script_hash =
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(SCRIPT.as_bytes()));
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{script_hash}'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"stance {}\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        Esc(&data.version),
        Esc(&data.title)
    )?;
    write!(out, "<header class=\"page\"><h1>{}</h1>", Esc(&data.title))?;
    write_provenance(data, out)?;
    writeln!(out, "</header>\n<main>")?;
    let totals = stance_totals(&data.threads);
    write_headline(data, &totals, out)?;
    writeln!(out, "<section id=\"charts\"><h2>Stance</h2>")?;
    chart::write_patterns(out)?;
    chart::write_legend(out)?;
    chart::write_distribution(&totals, out)?;
    chart::write_thread_bars(&data.threads, out)?;
    writeln!(out, "</section>")?;
    write_thread_table(data, out)?;
    write_comments(data, out)?;
    writeln!(out, "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>")
}

/// Comments per stance over all threads, in [`Stance::ALL`] order.
pub fn stance_totals(threads: &[ThreadStats]) -> [u64; 4] {
    let mut totals = [0u64; 4];
    for t in threads {
        for (total, n) in totals.iter_mut().zip(t.stances) {
            *total += n;
        }
    }
    totals
}

fn write_provenance(data: &ReportData, out: &mut dyn Write) -> io::Result<()> {
    write!(out, "<dl class=\"provenance\"><dt>Input</dt><dd>")?;
    for (i, name) in data.inputs.iter().enumerate() {
        let sep = if i > 0 { ", " } else { "" };
        write!(out, "{sep}<code>{}</code>", Esc(name))?;
    }
    write!(
        out,
        "</dd><dt>Lexicons</dt><dd><code id=\"lexicon-source\">{}</code>, SHA-256 \
         <code id=\"lexicon-sha256\" title=\"{}\">{}</code></dd>\
         <dt>Tool</dt><dd>stance <span id=\"tool-version\">{}</span></dd></dl>",
        Esc(&data.lexicon_source),
        Esc(&data.lexicon_sha256),
        Esc(data
            .lexicon_sha256
            .get(..16)
            .unwrap_or(&data.lexicon_sha256)),
        Esc(&data.version)
    )
}

fn percent(n: u64, total: u64) -> String {
    if total == 0 {
        "0%".to_string()
    } else {
        format!(
            "{}%",
            format_number((n as f64 * 1000.0 / total as f64).round() / 10.0)
        )
    }
}

fn write_headline(data: &ReportData, totals: &[u64; 4], out: &mut dyn Write) -> io::Result<()> {
    let comments = data.comments.len() as u64;
    writeln!(
        out,
        "<section id=\"headline\"><h2 class=\"sr\">Headline numbers</h2><ul class=\"cards\">\n\
         <li class=\"card\"><span class=\"n\" id=\"comment-count\">{comments}</span> comments</li>\n\
         <li class=\"card\"><span class=\"n\" id=\"thread-count\">{}</span> threads</li>",
        data.threads.len()
    )?;
    for (stance, n) in Stance::ALL.iter().zip(totals) {
        writeln!(
            out,
            "<li class=\"card {}\"><span class=\"n\">{}</span> <span class=\"sym\">{}</span> \
             {} <span class=\"count\">({n})</span></li>",
            stance_class(*stance),
            percent(*n, comments),
            stance_symbol(*stance),
            stance.label()
        )?;
    }
    for (f, name) in data.flag_names.iter().enumerate() {
        let n: u64 = data
            .threads
            .iter()
            .map(|t| t.flags.get(f).copied().unwrap_or(0))
            .sum();
        let label = match name.as_str() {
            crate::lexicon::HARM_STORY => "harm stories".to_string(),
            crate::lexicon::PROFESSIONAL_VOICE => "professional voices".to_string(),
            other => flag_label(other),
        };
        writeln!(
            out,
            "<li class=\"card flag-card\" data-flag=\"{}\"><span class=\"n\">{n}</span> {}</li>",
            Esc(name),
            Esc(&label)
        )?;
    }
    writeln!(out, "</ul>")?;
    if data.missing_parents > 0 {
        writeln!(
            out,
            "<p class=\"note\">{} comment(s) name a parent that is not in the input; each \
             starts its own thread.</p>",
            data.missing_parents
        )?;
    }
    writeln!(out, "</section>")
}

fn write_thread_table(data: &ReportData, out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        "<section id=\"threads\"><h2>Threads</h2><p class=\"hint\">Click a column heading to \
         sort; click a thread to see its comments.</p>\n<div class=\"scroll\">\
         <table class=\"sortable\" id=\"thread-table\"><thead><tr>\
         <th data-type=\"text\"><button type=\"button\">thread</button></th>\
         <th data-type=\"text\"><button type=\"button\">root author</button></th>\
         <th data-type=\"num\"><button type=\"button\">comments</button></th>"
    )?;
    for stance in Stance::ALL {
        write!(
            out,
            "<th data-type=\"num\"><button type=\"button\">{}</button></th>",
            stance.label()
        )?;
    }
    for name in &data.flag_names {
        write!(
            out,
            "<th data-type=\"num\"><button type=\"button\">{}</button></th>",
            Esc(&flag_label(name))
        )?;
    }
    writeln!(
        out,
        "<th data-type=\"text\"><button type=\"button\">dominant</button></th></tr></thead><tbody>"
    )?;
    for (i, t) in data.threads.iter().enumerate() {
        write!(
            out,
            "<tr><td><a href=\"#t-{i}\">{}</a></td><td>{}</td><td>{}</td>",
            Esc(&t.thread),
            Esc(t.root_author.as_deref().unwrap_or("")),
            t.comments
        )?;
        for n in t.stances.iter().chain(&t.flags) {
            write!(out, "<td>{n}</td>")?;
        }
        match t.dominant() {
            Some(s) => writeln!(
                out,
                "<td><span class=\"badge {}\">{} {}</span></td></tr>",
                stance_class(s),
                stance_symbol(s),
                s.label()
            )?,
            None => writeln!(out, "<td></td></tr>")?,
        }
    }
    writeln!(out, "</tbody></table></div></section>")
}

/// Comment indexes of each thread in reply order (a parent before its replies, siblings in
/// input order), each with its reply depth. Iterative: deep reply chains cannot overflow.
pub fn thread_order(data: &ReportData) -> Vec<Vec<(u32, u32)>> {
    let n = data.comments.len();
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut roots: Vec<Vec<u32>> = vec![Vec::new(); data.threads.len()];
    for (i, c) in data.comments.iter().enumerate() {
        match c.parent {
            // A parent in another (explicitly named) thread does not nest here.
            Some(p) if data.comments[p as usize].thread == c.thread && p as usize != i => {
                children[p as usize].push(i as u32);
            }
            _ => {
                if let Some(r) = roots.get_mut(c.thread as usize) {
                    r.push(i as u32);
                }
            }
        }
    }
    let mut seen = vec![false; n];
    let mut stack: Vec<(u32, u32)> = Vec::new();
    roots
        .iter()
        .map(|thread_roots| {
            let mut order = Vec::new();
            stack.extend(thread_roots.iter().rev().map(|&r| (r, 0)));
            while let Some((i, depth)) = stack.pop() {
                if std::mem::replace(&mut seen[i as usize], true) {
                    continue;
                }
                order.push((i, depth));
                stack.extend(children[i as usize].iter().rev().map(|&c| (c, depth + 1)));
            }
            order
        })
        .collect()
}

fn write_comments(data: &ReportData, out: &mut dyn Write) -> io::Result<()> {
    let open = if data.comments.len() <= OPEN_THREADS_MAX_COMMENTS {
        " open"
    } else {
        ""
    };
    writeln!(
        out,
        "<section id=\"comments\"><h2>Comments by thread</h2>\
         <p class=\"hint\"><button type=\"button\" id=\"expand-all\">Expand all</button> \
         <button type=\"button\" id=\"collapse-all\">Collapse all</button> Highlights: \
         <mark class=\"m-b\">pro-boundary</mark> <mark class=\"m-f\">pro-friendship</mark> \
         <mark class=\"m-flag\">flag</mark> <mark class=\"m-hedge\">hedge</mark> \
         <mark class=\"m-off\">not counted</mark> (hover for why)</p>"
    )?;
    for (t, order) in thread_order(data).iter().enumerate() {
        let stats = &data.threads[t];
        write!(
            out,
            "<details class=\"thread\" id=\"t-{t}\"{open}><summary>Thread <b>{}</b> \
             <span class=\"by\">{}</span> \u{b7} {} comment{}",
            Esc(&stats.thread),
            Esc(stats.root_author.as_deref().unwrap_or("")),
            stats.comments,
            if stats.comments == 1 { "" } else { "s" }
        )?;
        if let Some(s) = stats.dominant() {
            write!(out, " \u{b7} mostly {}", s.label())?;
        }
        writeln!(out, "</summary>")?;
        for &(i, depth) in order {
            write_comment(data, &data.comments[i as usize], depth, out)?;
        }
        writeln!(out, "</details>")?;
    }
    writeln!(out, "</section>")
}

fn write_comment(
    data: &ReportData,
    c: &ReportComment,
    depth: u32,
    out: &mut dyn Write,
) -> io::Result<()> {
    write!(
        out,
        "<article class=\"comment {}\" data-depth=\"{depth}\" style=\"--d:{}\">\
         <header><span class=\"badge {}\">{} {}</span> <b class=\"author\">{}</b>",
        stance_class(c.stance),
        depth.min(INDENT_MAX_DEPTH),
        stance_class(c.stance),
        stance_symbol(c.stance),
        c.stance.label(),
        Esc(c.author.as_deref().unwrap_or("(anonymous)"))
    )?;
    if let Some(date) = &c.date {
        write!(out, " <time>{}</time>", Esc(date))?;
    }
    write!(
        out,
        " <span class=\"cid\">#{}</span> <span class=\"conf\">confidence {}</span>",
        Esc(&c.id),
        format_number((c.confidence * 100.0).round() / 100.0)
    )?;
    if depth > 0 {
        write!(out, " <span class=\"depth\">reply depth {depth}</span>")?;
    }
    for (name, _) in data.flag_names.iter().zip(&c.flags).filter(|(_, &set)| set) {
        write!(
            out,
            " <span class=\"flag\">\u{2691} {}</span>",
            Esc(&flag_label(name))
        )?;
    }
    write!(out, "</header><div class=\"text\">")?;
    write_marked_text(&c.text, &c.marks, out)?;
    write!(out, "</div>")?;
    if !c.notes.is_empty() {
        write!(out, "<ul class=\"notes\">")?;
        for note in &c.notes {
            write!(out, "<li>{}</li>", Esc(note))?;
        }
        write!(out, "</ul>")?;
    }
    writeln!(out, "</article>")
}

/// Writes `text` escaped, with each mark wrapped in `<mark>` (marks sorted, disjoint; one
/// that is out of order or off a char boundary is skipped rather than trusted).
pub fn write_marked_text(text: &str, marks: &[Mark], out: &mut dyn Write) -> io::Result<()> {
    let mut at = 0usize;
    for m in marks {
        let (start, end) = (m.start as usize, m.end as usize);
        let (Some(before), Some(inside)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        write!(
            out,
            "{}<mark class=\"{}\" title=\"{}\">{}</mark>",
            Esc(before),
            m.kind.class(),
            Esc(&m.title),
            Esc(inside)
        )?;
        at = end;
    }
    write!(out, "{}", Esc(text.get(at..).unwrap_or("")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character() {
        let s = Esc("<script>alert('x' & \"y\")</script>").to_string();
        assert_eq!(
            s,
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;"
        );
    }

    #[test]
    fn marks_wrap_spans_and_escape_inside_and_out() {
        let text = "a <b> friend & more";
        let marks = vec![Mark {
            start: 6,
            end: 12,
            kind: MarkKind::Friendship,
            title: "why \"so\"".into(),
        }];
        let mut out = Vec::new();
        write_marked_text(text, &marks, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a &lt;b&gt; <mark class=\"m-f\" title=\"why &quot;so&quot;\">friend</mark> &amp; more"
        );
    }

    #[test]
    fn marks_off_char_boundaries_are_skipped() {
        let text = "é friend";
        let marks = vec![Mark {
            start: 1,
            end: 3,
            kind: MarkKind::Boundary,
            title: String::new(),
        }];
        let mut out = Vec::new();
        write_marked_text(text, &marks, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "é friend");
    }
}
