//! Reader for Reddit comment dumps (Pushshift or the Reddit API) as JSON Lines.
//!
//! Each line is one comment object; the fields used are `id` (or `name`), `body`, `author`,
//! `created_utc` (seconds since 1970, a number or a string), `parent_id` and `link_id`. The
//! thread is the submission (`link_id` without its `t3_` prefix); the parent is the `t1_`
//! comment named by `parent_id`, or none when `parent_id` is the submission (`t3_`). Bodies
//! `[deleted]` and `[removed]` are kept as they are: they are comments that were there, and
//! they carry no stance words, so they score neutral. Every other field is ignored.
//!
//! Lines are streamed like JSON Lines ([`super::json::LineReader`]) and parsed on workers
//! (`Record::RedditLine`). This is not a reader for submissions (posts) themselves.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::{Comment, RecordKey};
use crate::error::{Error, Location, Result};

/// A Unix time as Reddit dumps write it: an integer, a float, or either as a string.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum UnixTime<'a> {
    Int(i64),
    Float(f64),
    #[serde(borrow)]
    Text(Cow<'a, str>),
}

#[derive(Debug, Deserialize)]
struct RawRedditComment<'a> {
    #[serde(default, borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    body: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    author: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    created_utc: Option<UnixTime<'a>>,
    #[serde(default, borrow)]
    parent_id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    link_id: Option<Cow<'a, str>>,
}

/// Only the fields the reply graph needs; the body is skipped without allocating.
#[derive(Debug, Deserialize)]
struct RawRedditKeys<'a> {
    #[serde(default, borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(default)]
    body: Option<IgnoredAny>,
    #[serde(default, borrow)]
    parent_id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    link_id: Option<Cow<'a, str>>,
}

/// Parses one dump line in full.
pub fn parse_line(line: &str, location: &Location) -> Result<Comment> {
    let raw: RawRedditComment = serde_json::from_str(line).map_err(|e| malformed(location, &e))?;
    let id = comment_id(raw.id.as_deref(), raw.name.as_deref(), location)?;
    let Some(body) = raw.body else {
        return Err(Error::data(
            location.clone(),
            format!("Reddit comment {id} has no `body`"),
        ));
    };
    let date = match raw.created_utc {
        Some(time) => Some(iso_utc(&time, location)?),
        None => None,
    };
    Ok(Comment {
        parent: parent_comment(raw.parent_id.as_deref()),
        thread: raw
            .link_id
            .as_deref()
            .map(|l| strip_kind(l, "t3_").to_string()),
        text: body.into_owned(),
        author: raw.author.map(Cow::into_owned),
        date,
        labels: None,
        id,
    })
}

/// Parses only the keys of one dump line.
pub fn parse_line_keys<'a>(line: &'a str, location: &Location) -> Result<RecordKey<'a>> {
    let raw: RawRedditKeys = serde_json::from_str(line).map_err(|e| malformed(location, &e))?;
    let id = comment_id(raw.id.as_deref(), raw.name.as_deref(), location)?;
    if raw.body.is_none() {
        return Err(Error::data(
            location.clone(),
            format!("Reddit comment {id} has no `body`"),
        ));
    }
    let thread = raw.link_id.map(|link| match link {
        Cow::Borrowed(link) => Cow::Borrowed(strip_kind(link, "t3_")),
        Cow::Owned(link) => Cow::Owned(strip_kind(&link, "t3_").to_string()),
    });
    Ok(RecordKey {
        parent: parent_comment(raw.parent_id.as_deref()).map(String::into_boxed_str),
        thread,
        id: id.into_boxed_str(),
    })
}

/// True when a JSON object looks like a Reddit comment (`body` and `parent_id` or `link_id`).
pub fn is_reddit_object(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    map.contains_key("body") && (map.contains_key("parent_id") || map.contains_key("link_id"))
}

fn comment_id(id: Option<&str>, name: Option<&str>, location: &Location) -> Result<String> {
    match id.or(name) {
        Some(id) if !id.is_empty() => Ok(strip_kind(id, "t1_").to_string()),
        _ => Err(Error::data(
            location.clone(),
            "Reddit comment has no `id` (or `name`)",
        )),
    }
}

/// `t1_abc` -> `Some("abc")`; a submission (`t3_...`) -> `None`; an id without a kind prefix
/// is taken as a comment id.
fn parent_comment(parent_id: Option<&str>) -> Option<String> {
    let parent = parent_id?.trim();
    if parent.is_empty() || parent.starts_with("t3_") {
        return None;
    }
    Some(strip_kind(parent, "t1_").to_string())
}

fn strip_kind<'a>(id: &'a str, kind: &str) -> &'a str {
    id.strip_prefix(kind).unwrap_or(id)
}

fn malformed(location: &Location, e: &serde_json::Error) -> Error {
    let mut at = location.clone();
    at.column = Some(e.column() as u64);
    let message = e.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m);
    Error::data(at, format!("malformed JSON: {message}"))
}

/// `created_utc` -> `2013-09-24T17:46:40Z`.
fn iso_utc(time: &UnixTime, location: &Location) -> Result<String> {
    let seconds = match time {
        UnixTime::Int(s) => Some(*s),
        UnixTime::Float(f) if f.is_finite() => Some(f.floor() as i64),
        UnixTime::Float(_) => None,
        UnixTime::Text(t) => {
            let t = t.trim();
            t.parse::<i64>().ok().or_else(|| {
                t.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|f| f.floor() as i64)
            })
        }
    };
    // Years 0..=9999 only, so the text stays ISO 8601.
    const MAX_SECONDS: i64 = 253_402_300_799;
    match seconds {
        Some(s) if (-62_167_219_200..=MAX_SECONDS).contains(&s) => Ok(unix_to_iso(s)),
        _ => Err(Error::data(
            location.clone(),
            "`created_utc` is not a Unix time in seconds",
        )),
    }
}

/// Seconds since 1970-01-01T00:00:00Z -> ISO 8601 UTC text.
pub fn unix_to_iso(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// Days since 1970-01-01 -> (year, month, day) in the proleptic Gregorian calendar.
/// Howard Hinnant's `civil_from_days` (http://howardhinnant.github.io/date_algorithms.html).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of era
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year from March 1
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_become_iso() {
        assert_eq!(unix_to_iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(unix_to_iso(1_380_044_800), "2013-09-24T17:46:40Z");
        assert_eq!(unix_to_iso(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(unix_to_iso(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn prefixes_give_parent_and_thread() {
        let at = Location::line("d.jsonl", 1);
        let line = r#"{"id":"b","body":"[deleted]","author":"[deleted]","created_utc":"1380044800","parent_id":"t1_a","link_id":"t3_s"}"#;
        let c = parse_line(line, &at).unwrap();
        assert_eq!(c.parent.as_deref(), Some("a"));
        assert_eq!(c.thread.as_deref(), Some("s"));
        assert_eq!(c.text, "[deleted]");
        let top = r#"{"id":"a","body":"x","created_utc":1380044800.0,"parent_id":"t3_s","link_id":"t3_s"}"#;
        assert_eq!(parse_line(top, &at).unwrap().parent, None);
    }
}
