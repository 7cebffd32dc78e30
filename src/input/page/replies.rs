//! Rebuilds reply links of a page whose text lost the indentation (see #3).
//!
//! What the layout guarantees: top-level comments are listed oldest first, and replies are
//! listed right under their parent (after the parent's earlier replies), never before it. So:
//!
//! 1. **Cues** mark a comment as a reply, sometimes naming the parent: it opens by addressing
//!    an earlier commenter (`Hi Kris,`, `Desi, thank you`, `@name`); it quotes a sentence of an
//!    earlier comment (`"There are reasons for boundaries." Agreed!`); it opens by talking to a
//!    commenter (`I agree with you`, `your comment`); or it is the third turn of a
//!    conversation A, B, A (B answered A, and A came back to answer B).
//! 2. **Dates** pick the top-level comments among the rest: the longest run of comments in
//!    date order (a longest non-decreasing subsequence, preferring earlier dates on ties).
//!    A comment outside it is out of date order, so it is a reply listed under an older one.
//! 3. **Parent choice**: a reply's candidates are the last top-level comment and the replies
//!    listed since, dated no later than the reply. A cue's target wins; else, when the replier
//!    wrote one of the candidates, the latest candidate by someone else (a back-and-forth);
//!    else the latest candidate that speaks of "my X" where the reply says "your X"; else the
//!    top-level comment.
//!
//! Limits: a reply dated in order with the top-level comments around it and carrying no cue is
//! taken for a top-level comment; a run of replies that outnumbers the top-level comments
//! after it, all in date order, can win step 2 instead of them; a reply to a reply with no cue
//! is linked to the top-level comment; a top-level comment that greets an earlier commenter by
//! name is taken for a reply.

use crate::input::Comment;

/// What the cues say about one comment.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cue {
    /// No cue: dates decide.
    None,
    /// A reply, parent unknown.
    Reply,
    /// A reply to this comment index.
    ReplyTo(usize),
}

/// Sets `parent` on every comment of a page, in page order.
pub(super) fn link(comments: &mut [Comment]) {
    let cues = find_cues(comments);
    let top_level = top_level_by_date(comments, &cues);
    let mut root: Option<usize> = None;
    let mut block: Vec<usize> = Vec::new();
    for i in 0..comments.len() {
        let parent = match root {
            Some(r) if !top_level[i] => Some(choose_parent(comments, i, r, &block, cues[i])),
            _ => None,
        };
        if parent.is_none() {
            root = Some(i);
            block.clear();
        }
        block.push(i);
        comments[i].parent = parent.map(|p| comments[p].id.clone());
    }
}

/// The cue of every comment (the first comment is never a reply).
fn find_cues(comments: &[Comment]) -> Vec<Cue> {
    let names: Vec<Vec<String>> = comments
        .iter()
        .map(|c| name_forms(&c.author.as_deref().unwrap_or("").to_lowercase()))
        .collect();
    let mut cues = vec![Cue::None; comments.len()];
    for i in 1..comments.len() {
        if let Some(j) = addressed(comments, &names, i).or_else(|| quoted(comments, i)) {
            cues[i] = Cue::ReplyTo(j);
        } else if is_conversation_turn(comments, i) {
            if cues[i - 1] == Cue::None {
                cues[i - 1] = Cue::ReplyTo(i - 2);
            }
            cues[i] = Cue::ReplyTo(i - 1);
        } else if opens_talking_to_commenter(&comments[i].text) {
            cues[i] = Cue::Reply;
        }
    }
    cues
}

/// The top-level comments: the longest date-ordered run among comments without a reply cue.
fn top_level_by_date(comments: &[Comment], cues: &[Cue]) -> Vec<bool> {
    let date = |i: usize| comments[i].date.as_deref().unwrap_or("");
    // Patience sorting: tails[k] ends the date-ordered run of length k + 1 with the earliest
    // last date; pred links rebuild the run.
    let mut tails: Vec<usize> = Vec::new();
    let mut pred: Vec<Option<usize>> = vec![None; comments.len()];
    for i in (0..comments.len()).filter(|&i| cues[i] == Cue::None) {
        let at = tails.partition_point(|&t| date(t) <= date(i));
        pred[i] = at.checked_sub(1).map(|k| tails[k]);
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut top = vec![false; comments.len()];
    let mut next = tails.last().copied();
    while let Some(i) = next {
        top[i] = true;
        next = pred[i];
    }
    if let Some(first) = top.first_mut() {
        *first = true;
    }
    top
}

/// Picks the parent of reply `i` among `block` (top-level comment `root` and its replies).
fn choose_parent(comments: &[Comment], i: usize, root: usize, block: &[usize], cue: Cue) -> usize {
    let reply = &comments[i];
    let candidates: Vec<usize> = block
        .iter()
        .copied()
        .filter(|&c| comments[c].date <= reply.date)
        .collect();
    if let Cue::ReplyTo(target) = cue {
        if candidates.contains(&target) {
            return target;
        }
    }
    let same_author = |c: usize| comments[c].author.is_some() && comments[c].author == reply.author;
    if candidates.iter().any(|&c| same_author(c)) {
        if let Some(&other) = candidates.iter().rev().find(|&&c| !same_author(c)) {
            return other;
        }
    }
    let yours = possessed(&reply.text, "your");
    if !yours.is_empty() {
        if let Some(&c) = candidates.iter().rev().find(|&&c| {
            !same_author(c)
                && possessed(&comments[c].text, "my")
                    .iter()
                    .any(|w| yours.contains(w))
        }) {
            return c;
        }
    }
    root
}

/// The latest earlier comment whose author the comment opens by addressing (`Hi Kris,`,
/// `Desi, thank you`), or names with `@`. `names` holds each comment's author name forms.
fn addressed(comments: &[Comment], names: &[Vec<String>], i: usize) -> Option<usize> {
    let text = comments[i].text.to_lowercase();
    let opening = strip_greeting(&text);
    let has_at = text.contains('@');
    (0..i).rev().find(|&j| {
        names[j]
            .iter()
            .any(|name| starts_with_name(opening, name) || (has_at && mentions(&text, name)))
    })
}

/// True when `text` holds `@name` not followed by a letter or digit.
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices('@').any(|(at, _)| {
        text[at + 1..]
            .strip_prefix(name)
            .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
    })
}

/// The opening of a comment without a greeting word (`hi`, `hello`, `hey`, `dear`, `@`).
fn strip_greeting(text: &str) -> &str {
    let mut rest = text.trim_start();
    for greeting in ["hi ", "hello ", "hey ", "dear "] {
        if let Some(r) = rest.strip_prefix(greeting) {
            rest = r.trim_start();
            break;
        }
    }
    rest.strip_prefix('@').unwrap_or(rest)
}

/// An author's full name and first word (`tim (a counselor)` -> `tim (a counselor)`, `tim`),
/// when at least two letters long.
fn name_forms(author: &str) -> Vec<String> {
    let mut forms = Vec::new();
    let full = author.trim();
    if full.chars().count() >= 2 {
        forms.push(full.to_string());
    }
    if let Some(first) = full.split_whitespace().next() {
        let first = first.trim_matches(|c: char| !c.is_alphanumeric());
        if first.chars().count() >= 2 && first != full {
            forms.push(first.to_string());
        }
    }
    forms
}

/// True when `opening` starts with `name` followed by punctuation (`kris,`, `desi:`).
fn starts_with_name(opening: &str, name: &str) -> bool {
    opening.strip_prefix(name).is_some_and(|rest| {
        rest.trim_start()
            .starts_with([',', ':', '!', ';', '-', '–', '—'])
    })
}

/// The latest earlier comment containing a quoted passage (3 words or more) of comment `i`.
fn quoted(comments: &[Comment], i: usize) -> Option<usize> {
    let text = &comments[i].text;
    let quotes = quoted_passages(text);
    if quotes.is_empty() {
        return None;
    }
    (0..i).rev().find(|&j| {
        let earlier = comments[j].text.to_lowercase();
        quotes.iter().any(|q| earlier.contains(q.as_str()))
    })
}

/// Passages between quote marks (`“…”` or `"…"`), lower-cased, trimmed of punctuation, with
/// at least three words.
fn quoted_passages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [('“', '”'), ('"', '"')] {
        let mut rest = text;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len_utf8()..];
            let Some(end) = after.find(close) else {
                break;
            };
            let passage = after[..end]
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            if passage.split_whitespace().count() >= 3 {
                out.push(passage);
            }
            rest = &after[end + close.len_utf8()..];
        }
    }
    out
}

/// Comment `i` is the third turn of A, B, A (dated in that order): A came back to answer B.
fn is_conversation_turn(comments: &[Comment], i: usize) -> bool {
    if i < 2 {
        return false;
    }
    let (a, b, c) = (&comments[i - 2], &comments[i - 1], &comments[i]);
    a.author.is_some()
        && a.author == c.author
        && b.author != c.author
        && a.date <= b.date
        && b.date <= c.date
}

/// True when the first sentence talks to a commenter (`I agree with you`, `your comment`).
fn opens_talking_to_commenter(text: &str) -> bool {
    const OPENERS: &[&str] = &[
        "i agree with you",
        "i totally agree with you",
        "i completely agree with you",
        "i feel like you",
        "i feel the same",
        "same here",
        "well said",
    ];
    const PHRASES: &[&str] = &["your comment", "your post", "your reply", "your answer"];
    let lower = text.trim_start().to_lowercase();
    let first_sentence = lower
        .split_inclusive(['.', '!', '?', '\n'])
        .next()
        .unwrap_or("");
    OPENERS.iter().any(|o| lower.starts_with(o))
        || PHRASES.iter().any(|p| first_sentence.contains(p))
}

/// Words that follow `owner` (`your therapist` -> `therapist`), lower-cased, minus `own`.
fn possessed(text: &str, owner: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<String> = words
        .windows(2)
        .filter(|w| w[0] == owner && w[1] != "own")
        .map(|w| w[1].to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: &str, author: &str, date: &str, text: &str) -> Comment {
        Comment {
            id: id.into(),
            author: Some(author.into()),
            date: Some(date.into()),
            text: text.into(),
            ..Comment::default()
        }
    }

    fn parents(comments: &[Comment]) -> Vec<Option<&str>> {
        comments.iter().map(|c| c.parent.as_deref()).collect()
    }

    #[test]
    fn out_of_order_dates_make_replies() {
        let mut c = vec![
            comment("c1", "Ann", "2020-01-01", "First."),
            comment("c2", "Bob", "2021-05-01", "Late reply."),
            comment("c3", "Cy", "2020-01-02", "Second."),
        ];
        link(&mut c);
        assert_eq!(parents(&c), vec![None, Some("c1"), None]);
    }

    #[test]
    fn greeting_a_name_picks_the_parent() {
        let mut c = vec![
            comment("c1", "Ann", "2020-01-01", "First."),
            comment("c2", "Bob", "2020-03-01", "A reply."),
            comment("c3", "Cy", "2020-02-01", "Hi Ann, thanks."),
            comment("c4", "Di", "2020-01-05", "Second."),
        ];
        link(&mut c);
        assert_eq!(parents(&c), vec![None, Some("c1"), Some("c1"), None]);
    }

    #[test]
    fn mentions_need_a_word_boundary() {
        assert!(mentions("thanks @ann!", "ann"));
        assert!(!mentions("thanks @anna", "ann"));
        assert!(!mentions("ann is right", "ann"));
    }

    #[test]
    fn quotes_and_possessives() {
        assert_eq!(
            quoted_passages("“There are reasons for boundaries.” Agreed!"),
            vec!["there are reasons for boundaries".to_string()]
        );
        assert_eq!(
            possessed("Your therapist and your own life", "your"),
            vec!["therapist"]
        );
    }
}
