//! Reader for the plain text of an article page with reader comments (`--from page`).
//!
//! The layout is what a browser's "save as text" or a copy of the whole page gives for a
//! WordPress-style comment section (see `fixtures/goodtherapy-page.txt`):
//!
//! ```text
//! Article title
//!
//! Article paragraphs ...
//!
//!   • Author name
//!
//!     July 6th, 2013 at 4:29 AM
//!
//!     Body paragraph, indented.
//!
//!     Another paragraph.
//! ```
//!
//! A comment is a bullet line (`•`) whose next non-blank line is a date; other bullets
//! (`• Leave a Comment`) and site boilerplate (`Reply`, cookie and terms notices, footer lines
//! that are not indented) are skipped. Everything before the first comment is the article: its
//! first line becomes the title. Ids are `c1`, `c2`, ... in page order; an empty body is an
//! empty comment, never dropped.
//!
//! The page text has lost the indentation that showed who replied to whom; [`replies`]
//! rebuilds it from dates and address cues (see README "Importing comments"). This module is
//! not a general HTML or page scraper: other layouts need their own reader.

mod replies;

use std::sync::OnceLock;

use regex::Regex;

use super::Comment;
use crate::error::{Error, Location, Result};

/// What a page holds: article metadata and its comments.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// The article title (first line of the page), when there is one.
    pub title: Option<String>,
    /// The site named in a copyright line (`© Copyright 2013 GoodTherapy.org.`), when found.
    pub site: Option<String>,
    /// The comments in page order, with reconstructed `parent` links.
    pub comments: Vec<Comment>,
}

/// A comment as found on the page, before reply links are rebuilt.
#[derive(Debug, Clone)]
struct Head {
    author: String,
    date: String,
    body_start: usize,
}

/// Parses page text. `name` is used in error messages.
pub fn parse(text: &str, name: &str) -> Result<Page> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let heads = find_heads(&lines);
    let Some(first) = heads.first() else {
        return Err(Error::data(
            Location::file(name),
            "no comments found: expected bullet lines (`  • Author`) each followed by a date \
             line (`July 6th, 2013 at 4:29 AM`)",
        ));
    };
    // The bullet line is two lines above the body start at least; find it for the article end.
    let article_end = bullet_line_before(&lines, first.body_start);
    let article = &lines[..article_end];
    let mut comments = Vec::with_capacity(heads.len());
    for (i, head) in heads.iter().enumerate() {
        let end = heads.get(i + 1).map_or(lines.len(), |next| {
            bullet_line_before(&lines, next.body_start)
        });
        comments.push(Comment {
            id: format!("c{}", i + 1),
            text: body_text(&lines[head.body_start..end]),
            author: Some(head.author.clone()),
            date: Some(head.date.clone()),
            ..Comment::default()
        });
    }
    replies::link(&mut comments);
    Ok(Page {
        title: article
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .map(String::from),
        site: article.iter().find_map(|l| copyright_site(l)),
        comments,
    })
}

/// True when `text` looks like this layout: a bullet line followed by a date line.
pub fn looks_like_page(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().take(20_000).collect();
    !find_heads(&lines).is_empty()
}

/// Finds every comment head: a bullet line whose next non-blank line is a date.
fn find_heads(lines: &[&str]) -> Vec<Head> {
    let mut heads = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(author) = bullet_text(line) else {
            continue;
        };
        let Some(j) = (i + 1..lines.len()).find(|&j| !lines[j].trim().is_empty()) else {
            continue;
        };
        if let Some(date) = parse_date(lines[j].trim()) {
            heads.push(Head {
                author: author.to_string(),
                date,
                body_start: j + 1,
            });
        }
    }
    heads
}

/// The text after a bullet (`  • Name` -> `Name`), if the line is a bullet.
fn bullet_text(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix('•')?.trim();
    (!rest.is_empty()).then_some(rest)
}

/// Index of the last bullet line before `body_start` (the head's own bullet).
fn bullet_line_before(lines: &[&str], body_start: usize) -> usize {
    (0..body_start)
        .rev()
        .find(|&i| bullet_text(lines[i]).is_some())
        .unwrap_or(0)
}

/// Joins body lines: lines of a paragraph with `\n`, paragraphs with a blank line. Stops at
/// the page footer (a non-indented line) or a stray bullet; skips boilerplate lines.
fn body_text(lines: &[&str]) -> String {
    let mut paragraphs: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if !indented || bullet_text(line).is_some() {
            break; // footer ("Leave a Comment", terms notice) or a non-comment bullet
        }
        if is_boilerplate(trimmed) {
            continue;
        }
        current.push(trimmed);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
        .iter()
        .map(|p| p.join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Site chrome that can sit inside a comment block: reply links, cookie and terms notices.
fn is_boilerplate(line: &str) -> bool {
    const EXACT: &[&str] = &[
        "reply",
        "leave a comment",
        "leave a reply",
        "cancel reply",
        "log in to reply",
        "report comment",
    ];
    const PREFIXES: &[&str] = &[
        "by commenting you",
        "this site uses cookies",
        "we use cookies",
        "this website uses cookies",
        "your email address will not be published",
        "* indicates required field",
    ];
    let lower = line.to_lowercase();
    EXACT.contains(&lower.as_str()) || PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// `© Copyright 2013 GoodTherapy.org. All rights reserved.` -> `GoodTherapy.org`.
fn copyright_site(line: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)copyright\s+(?:©\s*)?\d{4}\s+([A-Za-z0-9][\w.-]*[A-Za-z0-9])")
            .unwrap_or_else(|e| panic!("built-in regex: {e}"))
    });
    re.captures(line).map(|c| c[1].to_string())
}

/// `July 6th, 2013 at 4:29 AM` -> `2013-07-06T04:29:00`. Also accepts `July 6, 2013 4:29 pm`.
pub fn parse_date(line: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}),?\s+(?:at\s+)?(\d{1,2}):(\d{2})\s*([ap])\.?m\.?$",
        )
        .unwrap_or_else(|e| panic!("built-in regex: {e}"))
    });
    let c = re.captures(line)?;
    let month = month_number(&c[1])?;
    let day: u32 = c[2].parse().ok()?;
    let year: u32 = c[3].parse().ok()?;
    let mut hour: u32 = c[4].parse().ok()?;
    let minute: u32 = c[5].parse().ok()?;
    if !(1..=31).contains(&day) || !(1..=12).contains(&hour) || minute > 59 {
        return None;
    }
    let pm = c[6].eq_ignore_ascii_case("p");
    hour = match (hour, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    };
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:00"
    ))
}

/// `July` or `Jul` -> 7.
fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = name.to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&lower) || (lower == "sept" && *m == "september"))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_iso() {
        assert_eq!(
            parse_date("July 6th, 2013 at 4:29 AM").as_deref(),
            Some("2013-07-06T04:29:00")
        );
        assert_eq!(
            parse_date("June 2nd, 2016 at 12:21 PM").as_deref(),
            Some("2016-06-02T12:21:00")
        );
        assert_eq!(
            parse_date("Jan 1, 2020 12:05 am").as_deref(),
            Some("2020-01-01T00:05:00")
        );
        assert_eq!(parse_date("Leave a Comment"), None);
    }

    #[test]
    fn boilerplate_bullets_are_not_comments() {
        let page = "Title\n\nText.\n\n  • Leave a Comment\n  • Ann\n\n    May 1st, 2020 at 1:00 PM\n\n    Hi.\n\n    Reply\n\nLeave a Comment\n";
        let parsed = parse(page, "p.txt").unwrap();
        assert_eq!(parsed.title.as_deref(), Some("Title"));
        assert_eq!(parsed.comments.len(), 1);
        assert_eq!(parsed.comments[0].text, "Hi.");
        assert_eq!(parsed.comments[0].author.as_deref(), Some("Ann"));
    }
}
