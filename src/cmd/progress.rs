//! A progress bar on stderr for long inputs, as a [`Sink`] wrapper around a command's sink.
//!
//! Shown only when stderr is a terminal and the input is long enough to wait for; never in
//! pipes, files or CI logs, where it would be noise (see #6). Not a logger: it draws and
//! clears itself, and leaves stderr as it found it.

use std::io::{self, IsTerminal};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::Result;
use crate::pipeline::{Outcome, Sink, Workers};

/// Inputs with fewer comments finish before a bar would be worth drawing.
pub const PROGRESS_MIN_COMMENTS: usize = 10_000;

/// Outcomes between two bar updates (updating per comment would cost more than scoring).
const PROGRESS_STEP_COMMENTS: u64 = 1024;

/// Wraps `inner`, moving a bar as comments are done when stderr is a terminal.
pub struct Progress<'a> {
    inner: &'a mut dyn Sink,
    bar: Option<ProgressBar>,
    done: u64,
}

impl<'a> Progress<'a> {
    /// A wrapper that draws only if stderr is a terminal (`begin` decides on the length).
    pub fn new(inner: &'a mut dyn Sink) -> Progress<'a> {
        Progress {
            inner,
            bar: None,
            done: 0,
        }
    }

    /// Counts `n` more comments done, moving the bar each time a step is crossed.
    fn advance(&mut self, n: u64) {
        let before = self.done;
        self.done += n;
        if let Some(bar) = &self.bar {
            if self.done / PROGRESS_STEP_COMMENTS != before / PROGRESS_STEP_COMMENTS {
                bar.set_position(self.done);
            }
        }
    }

    /// Clears the bar (call before printing the summary line).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Sink for Progress<'_> {
    fn begin(&mut self, comments: Option<usize>) {
        self.inner.begin(comments);
        // No count: the pipeline was not asked to count first, as [`run_pipeline`] asks when
        // stderr is a terminal.
        let Some(comments) = comments else {
            return;
        };
        if comments < PROGRESS_MIN_COMMENTS || !io::stderr().is_terminal() {
            return;
        }
        let bar = ProgressBar::with_draw_target(
            Some(comments as u64),
            ProgressDrawTarget::stderr_with_hz(4),
        );
        if let Ok(style) = ProgressStyle::with_template(
            "stance: {wide_bar} {human_pos}/{human_len} comments, {eta} left",
        ) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(250));
        self.bar = Some(bar);
    }

    fn accept(&mut self, outcome: &Outcome<'_>) -> Result<()> {
        self.inner.accept(outcome)?;
        self.advance(1);
        Ok(())
    }

    fn accept_batch(&mut self, outcomes: &[Outcome<'_>], workers: Workers) -> Result<()> {
        // Forwarded whole, so the inner sink can work on the batch in parallel (#5).
        self.inner.accept_batch(outcomes, workers)?;
        self.advance(outcomes.len() as u64);
        Ok(())
    }
}

impl Drop for Progress<'_> {
    fn drop(&mut self) {
        // On an error the bar must not stay on screen above the error message.
        self.finish();
    }
}

/// Runs the pipeline over `input` into `sink`, with a progress bar on a terminal. A bar needs
/// the number of comments before the first is scored, so on a terminal the input is counted
/// first (one more read of it); elsewhere the pipeline reads it once when it can (#5).
pub fn run_pipeline(
    input: &crate::config::InputConfig,
    lexicon: &crate::lexicon::Lexicon,
    sink: &mut dyn Sink,
) -> crate::error::Result<crate::pipeline::Summary> {
    let mut progress = Progress::new(sink);
    let mut options = input.options.clone();
    options.count_first = io::stderr().is_terminal();
    crate::pipeline::run(&input.sources, options, lexicon, &mut progress)
}
