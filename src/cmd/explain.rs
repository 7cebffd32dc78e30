//! `stance explain`: why one comment got its stance.
//!
//! Shows the normalized tokens, every match with its category, weight and modifiers (negated
//! by, contrast factor, quotation, question, harm narrative), the cues found, per-category
//! scores, and the decision with its reason, including the reply rule when the comment is read
//! in its thread (`stance explain FILE --id ID`). On a terminal the matched spans are colored;
//! `--format json` gives the same with byte offsets into the original text.

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;

use anstyle::{AnsiColor, Style};
use serde_json::{json, Value};

use crate::cli::{ColorArg, ExplainArgs, ExplainFormatArg};
use crate::config::{scoring_lexicon, InputConfig};
use crate::error::{Error, Result};
use crate::input::{Comment, InputSource};
use crate::lexicon::{Lexicon, Target, BOUNDARY, FRIENDSHIP};
use crate::output::format_number;
use crate::output::rows::{describe_evidence, span_text};
use crate::pipeline::{self, Outcome, Sink};
use crate::score::{
    modifier, resolve, Assessment, Reason, ReplyRule, Scorer, Scratch, Stance, Verdict,
    HEDGED_LEAN, MIXED_LEAN, MIXED_MINOR_AT_LEAST, NEUTRAL_BELOW, REPLY_OWN_EVIDENCE_BELOW,
};
use crate::tokenize::{normalize_phrase, tokenize, TokenBuffer, IN_QUOTE, NEGATED_CONTRACTION};

/// Everything explained about one comment.
struct Explained {
    comment: Comment,
    parent: Option<(String, Stance)>,
    assessment: Assessment,
    verdict: Verdict,
    tokens: TokenBuffer,
}

/// Runs `stance explain`.
pub fn run(args: &ExplainArgs) -> Result<()> {
    let lexicon = scoring_lexicon(&args.scoring)?;
    let explained = match &args.id {
        Some(id) => explain_in_thread(args, &lexicon, id)?,
        None => explain_text(args, &lexicon)?,
    };
    let text = match args.format {
        ExplainFormatArg::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(&lexicon, &explained))
                .map_err(|e| Error::Write(e.into()))?;
            s.push('\n');
            s
        }
        ExplainFormatArg::Text => to_text(&lexicon, &explained, use_color(args.color)),
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).map_err(Error::Write)?;
    out.flush().map_err(Error::Write)
}

/// `--color auto` colors only a terminal, and never when `NO_COLOR` is set.
fn use_color(choice: ColorArg) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

fn explain_text(args: &ExplainArgs, lexicon: &Lexicon) -> Result<Explained> {
    let text = if args.target == "-" {
        let mut s = String::new();
        io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::Read {
                path: PathBuf::from("<stdin>"),
                source: e,
            })?;
        s
    } else {
        args.target.clone()
    };
    let comment = Comment {
        id: "text".into(),
        text,
        author: args.author.clone(),
        ..Comment::default()
    };
    let scorer = Scorer::new(lexicon);
    let mut scratch = Scratch::default();
    let assessment = scorer.assess(&comment.text, comment.author.as_deref(), &mut scratch);
    let verdict = resolve(lexicon, &assessment, None);
    Ok(Explained {
        tokens: scratch.tokens().clone(),
        comment,
        parent: None,
        assessment,
        verdict,
    })
}

/// Keeps the outcome of one comment (and its parent's stance) from a pipeline run.
struct Capture<'a> {
    id: &'a str,
    stances: std::collections::HashMap<String, Stance>,
    found: Option<Explained>,
}

impl Sink for Capture<'_> {
    fn accept(&mut self, outcome: &Outcome<'_>) -> Result<()> {
        if self.found.is_some() {
            return Ok(());
        }
        let c = outcome.comment;
        if c.id == self.id {
            let parent = outcome
                .known_parent
                .and_then(|p| self.stances.get(p).map(|s| (p.to_string(), *s)));
            let mut tokens = TokenBuffer::default();
            tokenize(&c.text, &mut tokens);
            self.found = Some(Explained {
                comment: c.clone(),
                parent,
                assessment: outcome.assessment.clone(),
                verdict: outcome.verdict.clone(),
                tokens,
            });
        } else {
            self.stances
                .insert(c.id.clone(), outcome.verdict.decision.stance);
        }
        Ok(())
    }
}

fn explain_in_thread(args: &ExplainArgs, lexicon: &Lexicon, id: &str) -> Result<Explained> {
    let input = InputConfig::from_args(&crate::cli::InputArgs {
        files: vec![PathBuf::from(&args.target)],
        input_format: args.input_format,
        skip_bad_lines: false,
        lossy: false,
        columns: Default::default(),
    })?;
    let mut capture = Capture {
        id,
        stances: Default::default(),
        found: None,
    };
    pipeline::run(&input.sources, input.options, lexicon, &mut capture)?;
    let source: &InputSource = &input.sources[0];
    capture
        .found
        .ok_or_else(|| Error::data(source.location(), format!("no comment with id `{id}`")))
}

/// The reason for the final decision, in words, with the numbers that decided it.
fn reason_text(lexicon: &Lexicon, e: &Explained) -> String {
    let a = &e.assessment;
    let (b, f) = (a.scores[BOUNDARY].max(0.0), a.scores[FRIENDSHIP].max(0.0));
    let total = b + f;
    let lean = if total > 0.0 { (b - f) / total } else { 0.0 };
    let names = (
        &lexicon.categories[BOUNDARY].name,
        &lexicon.categories[FRIENDSHIP].name,
    );
    let d = e.verdict.decision;
    match d.reason {
        Reason::TooLittleEvidence => format!(
            "pole evidence {} (both poles together) is below {}",
            format_number(total),
            format_number(NEUTRAL_BELOW)
        ),
        Reason::BothPoles => format!(
            "both poles reach {} ({} {} vs {} {}) and lean {} is within ±{}",
            format_number(MIXED_MINOR_AT_LEAST),
            names.0,
            format_number(b),
            names.1,
            format_number(f),
            format_number(lean),
            format_number(MIXED_LEAN)
        ),
        Reason::Hedged => format!(
            "a hedge, evidence both ways ({} {} vs {} {}) and lean {} within ±{}",
            names.0,
            format_number(b),
            names.1,
            format_number(f),
            format_number(lean),
            format_number(HEDGED_LEAN)
        ),
        Reason::Lean => format!(
            "{} {} vs {} {}: lean {} (positive is pro-boundary)",
            names.0,
            format_number(b),
            names.1,
            format_number(f),
            format_number(lean)
        ),
        Reason::Reply => {
            let (parent, stance) = e
                .parent
                .as_ref()
                .map_or(("?".to_string(), "?"), |(p, s)| (p.clone(), s.label()));
            let verb = match e.verdict.reply {
                Some(ReplyRule::Disagrees) => "disagrees with",
                _ => "agrees with",
            };
            format!(
                "reply rule: own pole evidence {} is below {} and the reply {verb} {parent} ({stance})",
                format_number(total),
                format_number(REPLY_OWN_EVIDENCE_BELOW)
            )
        }
    }
}

fn to_text(lexicon: &Lexicon, e: &Explained, color: bool) -> String {
    let mut s = String::new();
    s.push_str(&format!("id:       {}\n", e.comment.id));
    if let Some(author) = &e.comment.author {
        s.push_str(&format!("author:   {author}\n"));
    }
    s.push_str(&format!("text:     {}\n", highlighted(lexicon, e, color)));
    s.push_str(&format!(
        "tokens:   {}\n",
        normalize_phrase(&e.comment.text)
    ));
    s.push_str("matches:\n");
    if e.assessment.evidence.is_empty() {
        s.push_str("  (none)\n");
    }
    for ev in &e.assessment.evidence {
        let entry = &lexicon.entries[ev.entry as usize];
        let source = if ev.modifiers & modifier::AUTHOR != 0 {
            e.comment.author.as_deref().unwrap_or("")
        } else {
            &e.comment.text
        };
        let mut line = String::new();
        describe_evidence(lexicon, ev, source, &mut line);
        s.push_str(&format!(
            "  {line}\n      entry `{}{}` weight {} x factor {} ({}:{})\n",
            entry.phrase,
            if entry.is_prefix { "*" } else { "" },
            format_number(entry.weight),
            format_number(ev.factor),
            entry.origin.file,
            entry.origin.line.unwrap_or(0)
        ));
    }
    if !e.assessment.cues.is_empty() {
        s.push_str("cues:\n");
        for hit in &e.assessment.cues {
            s.push_str(&format!(
                "  {}: {}\n",
                hit.cue.name(),
                span_text(&e.comment.text, hit.start, hit.end)
            ));
        }
    }
    s.push_str("scores:\n");
    for (i, c) in lexicon.categories.iter().enumerate() {
        let flag = if i > FRIENDSHIP {
            format!(
                "  (flag {}, threshold {})",
                e.verdict.flags[i],
                format_number(c.threshold)
            )
        } else {
            String::new()
        };
        s.push_str(&format!(
            "  {:<22} {}{flag}\n",
            c.name,
            format_number(e.assessment.scores[i])
        ));
    }
    let d = e.verdict.decision;
    if e.verdict.reply.is_some() {
        s.push_str(&format!(
            "own words: {} (confidence {})\n",
            e.assessment.own.stance.label(),
            format_number(e.assessment.own.confidence)
        ));
    }
    s.push_str(&format!(
        "decision: {} (confidence {})\n  because {}\n",
        d.stance.label(),
        format_number(d.confidence),
        reason_text(lexicon, e)
    ));
    s
}

/// The text with matched spans colored by what they counted for (and underlined negators).
fn highlighted(lexicon: &Lexicon, e: &Explained, color: bool) -> String {
    let text = &e.comment.text;
    if !color {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let mut spans: Vec<(usize, usize, Style)> = Vec::new();
    for ev in &e.assessment.evidence {
        if ev.modifiers & modifier::AUTHOR != 0 {
            continue;
        }
        let color = match ev.counts_for {
            Some(BOUNDARY) => AnsiColor::Blue,
            Some(FRIENDSHIP) => AnsiColor::Green,
            Some(_) => AnsiColor::Magenta,
            None => AnsiColor::BrightBlack,
        };
        let style = Style::new().bold().fg_color(Some(color.into()));
        if let Some(n) = ev.negator_start {
            spans.push((n as usize, ev.start as usize, Style::new().underline()));
        }
        spans.push((ev.start as usize, ev.end as usize, style));
    }
    let _ = lexicon;
    spans.sort_by_key(|s| s.0);
    let mut out = String::new();
    let mut at = 0;
    for (start, end, style) in spans {
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&format!(
            "{}{}{}",
            style.render(),
            &text[start..end],
            style.render_reset()
        ));
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn to_json(lexicon: &Lexicon, e: &Explained) -> Value {
    let text = &e.comment.text;
    let tokens: Vec<Value> = e
        .tokens
        .tokens
        .iter()
        .map(|t| {
            json!({
                "text": &text[t.start as usize..t.end as usize],
                "normalized": t.normalized(text),
                "start": t.start, "end": t.end,
                "sentence": t.sentence, "clause": t.clause,
                "in_quote": t.has(IN_QUOTE),
                "negated_contraction": t.has(NEGATED_CONTRACTION),
            })
        })
        .collect();
    let matches: Vec<Value> = e
        .assessment
        .evidence
        .iter()
        .map(|ev| {
            let entry = &lexicon.entries[ev.entry as usize];
            let category = match entry.target {
                Target::Category(c) => lexicon.categories[c].name.clone(),
                Target::Cue(c) => c.name().to_string(),
            };
            let is_author = ev.modifiers & modifier::AUTHOR != 0;
            let source = if is_author {
                e.comment.author.as_deref().unwrap_or("")
            } else {
                text
            };
            json!({
                "category": category,
                "counts_for": ev.counts_for.map(|c| lexicon.categories[c].name.clone()),
                "entry": format!("{}{}", entry.phrase, if entry.is_prefix { "*" } else { "" }),
                "entry_origin": entry.origin.to_string(),
                "matched": span_text(source, ev.start, ev.end),
                "field": if is_author { "author" } else { "text" },
                "start": ev.start, "end": ev.end,
                "negated_by": ev.negator_start.map(|n| json!({
                    "start": n,
                    "text": span_text(source, n, ev.start).split(' ').next().unwrap_or("").to_string(),
                })),
                "weight": entry.weight,
                "factor": crate::score::round4(ev.factor),
                "value": crate::score::round4(ev.value),
                "modifiers": modifier_names(ev.modifiers),
            })
        })
        .collect();
    let cues: Vec<Value> = e
        .assessment
        .cues
        .iter()
        .map(|h| json!({"cue": h.cue.name(), "text": span_text(text, h.start, h.end), "start": h.start, "end": h.end}))
        .collect();
    let scores: serde_json::Map<String, Value> = lexicon
        .categories
        .iter()
        .zip(&e.assessment.scores)
        .map(|(c, s)| (c.name.clone(), json!(crate::score::round4(*s))))
        .collect();
    let flags: serde_json::Map<String, Value> = lexicon
        .categories
        .iter()
        .zip(&e.verdict.flags)
        .skip(FRIENDSHIP + 1)
        .map(|(c, f)| (c.name.clone(), json!(f)))
        .collect();
    json!({
        "id": e.comment.id,
        "author": e.comment.author,
        "text": text,
        "tokens": tokens,
        "matches": matches,
        "cues": cues,
        "scores": scores,
        "flags": flags,
        "own_decision": {"stance": e.assessment.own.stance.label(), "confidence": e.assessment.own.confidence},
        "reply": e.verdict.reply.map(|r| json!({
            "rule": match r { ReplyRule::Agrees => "agrees", ReplyRule::Disagrees => "disagrees" },
            "parent": e.parent.as_ref().map(|p| p.0.clone()),
            "parent_stance": e.parent.as_ref().map(|p| p.1.label()),
        })),
        "decision": {
            "stance": e.verdict.decision.stance.label(),
            "confidence": e.verdict.decision.confidence,
            "reason": reason_text(lexicon, e),
        },
    })
}

fn modifier_names(bits: u16) -> Vec<&'static str> {
    [
        (modifier::NEGATED, "negated"),
        (modifier::AFTER_CONTRAST, "after_contrast"),
        (modifier::BEFORE_CONTRAST, "before_contrast"),
        (modifier::CONCEDED, "conceded"),
        (modifier::QUOTED, "quoted"),
        (modifier::QUOTE_ENDORSED, "quote_endorsed"),
        (modifier::QUOTE_ATTACKED, "quote_attacked"),
        (modifier::QUESTION, "question"),
        (modifier::AUTHOR, "author"),
        (modifier::HARM_NARRATIVE, "harm_narrative"),
    ]
    .into_iter()
    .filter(|(bit, _)| bits & bit != 0)
    .map(|(_, name)| name)
    .collect()
}
