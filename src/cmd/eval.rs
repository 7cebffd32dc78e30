//! `stance eval`: predictions against gold labels (the `labels` field of each comment).
//!
//! Prints accuracy and macro-F1 over the four stances, the majority-class baseline, per-class
//! precision/recall/F1, the confusion matrix, and precision/recall/F1 of the two built-in flags.
//! `--errors` lists every misclassified comment with its evidence: the tool for improving
//! lexicons. Exit 0 whatever the score.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::json;

use crate::cli::{EvalArgs, EvalFormatArg};
use crate::config::{scoring_lexicon, InputConfig};
use crate::error::{Error, Result};
use crate::lexicon::{Lexicon, HARM_STORY, PROFESSIONAL_VOICE};
use crate::output::rows::evidence_text;
use crate::pipeline::{self, Outcome, Sink};
use crate::score::Stance;

/// One labelled comment: gold and predicted.
#[derive(Debug, Clone)]
pub struct Judged {
    /// Comment id.
    pub id: String,
    /// Gold stance.
    pub gold: Stance,
    /// Predicted stance.
    pub predicted: Stance,
    /// Gold and predicted harm_story.
    pub harm: (bool, bool),
    /// Gold and predicted professional_voice.
    pub professional: (bool, bool),
    /// Start of the text, for the error list.
    pub snippet: String,
    /// Evidence cell.
    pub evidence: String,
}

/// Precision, recall, F1 and support of one class.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClassScore {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// Gold count.
    pub support: usize,
}

/// All the figures of an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// Labelled comments.
    pub n: usize,
    /// Stance accuracy.
    pub accuracy: f64,
    /// Mean F1 over the four stances.
    pub macro_f1: f64,
    /// Per stance, in [`Stance::ALL`] order.
    pub per_class: [ClassScore; 4],
    /// confusion[gold][predicted].
    pub confusion: [[usize; 4]; 4],
    /// The most frequent gold stance.
    pub majority: Stance,
    /// Accuracy of always predicting it.
    pub majority_accuracy: f64,
    /// Macro-F1 of always predicting it.
    pub majority_macro_f1: f64,
    /// harm_story precision/recall/F1.
    pub harm_story: ClassScore,
    /// professional_voice precision/recall/F1.
    pub professional_voice: ClassScore,
}

impl Metrics {
    /// Computes every figure from judged comments.
    pub fn compute(judged: &[Judged]) -> Metrics {
        let mut confusion = [[0usize; 4]; 4];
        for j in judged {
            confusion[j.gold as usize][j.predicted as usize] += 1;
        }
        let per_class = class_scores(&confusion);
        let n = judged.len();
        let correct: usize = (0..4).map(|i| confusion[i][i]).sum();
        let support: Vec<usize> = (0..4).map(|i| confusion[i].iter().sum()).collect();
        let majority_index = (0..4).max_by_key(|&i| (support[i], 4 - i)).unwrap_or(0);
        let mut majority_confusion = [[0usize; 4]; 4];
        for (g, &s) in support.iter().enumerate() {
            majority_confusion[g][majority_index] = s;
        }
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        Metrics {
            n,
            accuracy: ratio(correct, n),
            macro_f1: mean_f1(&per_class),
            per_class,
            confusion,
            majority: Stance::ALL[majority_index],
            majority_accuracy: ratio(support[majority_index], n),
            majority_macro_f1: mean_f1(&class_scores(&majority_confusion)),
            harm_story: binary_score(judged.iter().map(|j| j.harm)),
            professional_voice: binary_score(judged.iter().map(|j| j.professional)),
        }
    }
}

fn class_scores(confusion: &[[usize; 4]; 4]) -> [ClassScore; 4] {
    let mut out = [ClassScore::default(); 4];
    for (c, score) in out.iter_mut().enumerate() {
        let tp = confusion[c][c];
        let predicted: usize = (0..4).map(|g| confusion[g][c]).sum();
        let support: usize = confusion[c].iter().sum();
        *score = prf(tp, predicted, support);
    }
    out
}

/// Macro-F1: the mean F1 of the classes that occur in the gold labels or the predictions.
fn mean_f1(scores: &[ClassScore; 4]) -> f64 {
    let used: Vec<f64> = scores
        .iter()
        .filter(|s| s.support > 0 || s.precision > 0.0)
        .map(|s| s.f1)
        .collect();
    if used.is_empty() {
        0.0
    } else {
        used.iter().sum::<f64>() / used.len() as f64
    }
}

fn binary_score(pairs: impl Iterator<Item = (bool, bool)>) -> ClassScore {
    let (mut tp, mut predicted, mut support) = (0, 0, 0);
    for (gold, pred) in pairs {
        tp += (gold && pred) as usize;
        predicted += pred as usize;
        support += gold as usize;
    }
    prf(tp, predicted, support)
}

fn prf(tp: usize, predicted: usize, support: usize) -> ClassScore {
    let precision = if predicted == 0 {
        0.0
    } else {
        tp as f64 / predicted as f64
    };
    let recall = if support == 0 {
        0.0
    } else {
        tp as f64 / support as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    ClassScore {
        precision,
        recall,
        f1,
        support,
    }
}

/// Collects judged comments from the pipeline.
struct Judge<'a> {
    lexicon: &'a Lexicon,
    harm: Option<usize>,
    professional: Option<usize>,
    judged: Vec<Judged>,
    unlabelled: usize,
    bad_labels: Vec<String>,
}

impl Sink for Judge<'_> {
    fn accept(&mut self, outcome: &Outcome<'_>) -> Result<()> {
        let Some(labels) = &outcome.comment.labels else {
            self.unlabelled += 1;
            return Ok(());
        };
        let Some(gold) = Stance::from_label(&labels.stance) else {
            self.bad_labels
                .push(format!("{} ({})", outcome.comment.id, labels.stance));
            return Ok(());
        };
        let flag = |i: Option<usize>| i.is_some_and(|i| outcome.verdict.flags[i]);
        let snippet: String = outcome.comment.text.chars().take(90).collect();
        self.judged.push(Judged {
            id: outcome.comment.id.clone(),
            gold,
            predicted: outcome.verdict.decision.stance,
            harm: (labels.harm_story, flag(self.harm)),
            professional: (labels.professional_voice, flag(self.professional)),
            snippet: snippet.split_whitespace().collect::<Vec<_>>().join(" "),
            evidence: evidence_text(self.lexicon, outcome),
        });
        Ok(())
    }
}

/// Runs `stance eval`.
pub fn run(args: &EvalArgs) -> Result<()> {
    let lexicon = scoring_lexicon(&args.scoring)?;
    let input = InputConfig::from_args(&args.input)?;
    let mut judge = Judge {
        lexicon: &lexicon,
        harm: lexicon.category_index(HARM_STORY),
        professional: lexicon.category_index(PROFESSIONAL_VOICE),
        judged: Vec::new(),
        unlabelled: 0,
        bad_labels: Vec::new(),
    };
    pipeline::run(&input.sources, input.options, &lexicon, &mut judge)?;
    if !judge.bad_labels.is_empty() {
        super::warn(&format!(
            "{} comments have an unknown gold stance and were skipped: {}",
            judge.bad_labels.len(),
            judge.bad_labels.join(", ")
        ));
    }
    if judge.judged.is_empty() {
        return Err(Error::Usage(
            "no comment carries `labels` ({\"stance\": ..., \"harm_story\": ..., \
             \"professional_voice\": ...}); eval needs a gold file"
                .into(),
        ));
    }
    if judge.unlabelled > 0 {
        super::warn(&format!(
            "{} comments without labels were analyzed (for reply context) but not scored",
            judge.unlabelled
        ));
    }
    let metrics = Metrics::compute(&judge.judged);
    let text = match args.format {
        EvalFormatArg::Text => text_report(&metrics, &judge.judged, args.errors, &lexicon.source),
        EvalFormatArg::Json => {
            let mut s = json_report(&metrics, &judge.judged, args.errors, &lexicon.source);
            s.push('\n');
            s
        }
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).map_err(Error::Write)?;
    out.flush().map_err(Error::Write)
}

fn text_report(m: &Metrics, judged: &[Judged], errors: bool, source: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "comments: {}   lexicons: {source}", m.n);
    let _ = writeln!(s, "stance accuracy: {:.4}", m.accuracy);
    let _ = writeln!(s, "stance macro-F1: {:.4}", m.macro_f1);
    let _ = writeln!(
        s,
        "majority baseline ({}): accuracy {:.4}, macro-F1 {:.4}",
        m.majority.label(),
        m.majority_accuracy,
        m.majority_macro_f1
    );
    let _ = writeln!(
        s,
        "\n{:<16} {:>9} {:>7} {:>7} {:>8}",
        "class", "precision", "recall", "f1", "support"
    );
    for (stance, c) in Stance::ALL.iter().zip(&m.per_class) {
        let _ = writeln!(
            s,
            "{:<16} {:>9.4} {:>7.4} {:>7.4} {:>8}",
            stance.label(),
            c.precision,
            c.recall,
            c.f1,
            c.support
        );
    }
    let _ = writeln!(s, "\nconfusion (rows gold, columns predicted)");
    let _ = write!(s, "{:<16}", "");
    for stance in Stance::ALL {
        let _ = write!(s, " {:>14}", stance.label());
    }
    s.push('\n');
    for (stance, row) in Stance::ALL.iter().zip(&m.confusion) {
        let _ = write!(s, "{:<16}", stance.label());
        for n in row {
            let _ = write!(s, " {n:>14}");
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "\n{:<20} {:>9} {:>7} {:>7} {:>8}",
        "flag", "precision", "recall", "f1", "support"
    );
    for (name, c) in [
        (HARM_STORY, &m.harm_story),
        (PROFESSIONAL_VOICE, &m.professional_voice),
    ] {
        let _ = writeln!(
            s,
            "{:<20} {:>9.4} {:>7.4} {:>7.4} {:>8}",
            name, c.precision, c.recall, c.f1, c.support
        );
    }
    if errors {
        let _ = writeln!(s, "\nerrors");
        for j in judged.iter().filter(|j| is_error(j)) {
            let _ = writeln!(
                s,
                "{}: gold {}, predicted {}{}{}\n  text: {}\n  evidence: {}",
                j.id,
                j.gold.label(),
                j.predicted.label(),
                flag_error(HARM_STORY, j.harm),
                flag_error(PROFESSIONAL_VOICE, j.professional),
                j.snippet,
                if j.evidence.is_empty() {
                    "(none)"
                } else {
                    &j.evidence
                }
            );
        }
    }
    s
}

fn is_error(j: &Judged) -> bool {
    j.gold != j.predicted || j.harm.0 != j.harm.1 || j.professional.0 != j.professional.1
}

fn flag_error(name: &str, (gold, predicted): (bool, bool)) -> String {
    if gold == predicted {
        String::new()
    } else {
        format!("; {name} gold {gold}, predicted {predicted}")
    }
}

fn json_report(m: &Metrics, judged: &[Judged], errors: bool, source: &str) -> String {
    let class = |c: &ClassScore| json!({"precision": round(c.precision), "recall": round(c.recall), "f1": round(c.f1), "support": c.support});
    let mut report = json!({
        "comments": m.n,
        "lexicons": source,
        "accuracy": round(m.accuracy),
        "macro_f1": round(m.macro_f1),
        "majority_baseline": {"stance": m.majority.label(), "accuracy": round(m.majority_accuracy), "macro_f1": round(m.majority_macro_f1)},
        "per_class": Stance::ALL.iter().zip(&m.per_class).map(|(s, c)| (s.label().to_string(), class(c))).collect::<serde_json::Map<_, _>>(),
        "confusion": {
            "labels": Stance::ALL.map(|s| s.label()),
            "matrix": m.confusion,
        },
        "flags": {HARM_STORY: class(&m.harm_story), PROFESSIONAL_VOICE: class(&m.professional_voice)},
    });
    if errors {
        report["errors"] = judged
            .iter()
            .filter(|j| is_error(j))
            .map(|j| {
                json!({"id": j.id, "gold": j.gold.label(), "predicted": j.predicted.label(),
                       "harm_story": {"gold": j.harm.0, "predicted": j.harm.1},
                       "professional_voice": {"gold": j.professional.0, "predicted": j.professional.1},
                       "text": j.snippet, "evidence": j.evidence})
            })
            .collect();
    }
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

fn round(x: f64) -> f64 {
    crate::score::round4(x)
}
