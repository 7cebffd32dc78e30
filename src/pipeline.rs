//! The analysis pipeline shared by every command: input -> reply graph -> score -> reply
//! rules -> a [`Sink`], in input order.
//!
//! The scoring pass reads batches of records, parses and scores them in parallel (rayon, one
//! [`Scratch`] per worker), then resolves reply rules strictly in input order (a reply's rule
//! needs its parent's final stance), and hands the comments decided so far to the sink as one
//! slice, in input order, so output is the same at any thread count. The [`ReplyGraph`]
//! (threads, parents) grows with the comments scored while every reply comes after its
//! parent ([`GraphBuilder`]). Pass 1, which reads only ids and reply links, is run when that
//! stops (a reply before its parent, or to a comment not in the input, or a duplicate id:
//! missing parents, cycles and duplicates' places need the whole input), or first of all when
//! asked to count comments ([`PipelineOptions::count_first`]) or to skip bad lines. With the
//! whole graph, a reply that comes before its parent waits in a reorder buffer until the
//! parent is decided; nothing else is held but the current batch.
//!
//! Handing a slice rather than one comment at a time lets a sink do its per-comment work on
//! the rayon pool too, when the pool has nothing left to score ([`Workers`]): `analyze --level
//! comment` renders rows there then and writes them in order (#5), while sinks that keep
//! state per comment just implement [`Sink::accept`].

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::input::csv::CsvColumns;
use crate::input::{
    open_reader, Comment, CommentKey, InputFormat, InputSource, Record, RecordKey, RecordReader,
};
use crate::lexicon::{Lexicon, FRIENDSHIP};
use crate::score::{resolve, Assessment, Scorer, Scratch, Stance, Verdict};
use crate::thread::{GraphBuilder, Placed, ReplyGraph, ThreadStats};

/// Records read and scored per batch.
pub const BATCH_RECORDS: usize = 2048;

/// One comment's full result, handed to a [`Sink`] in input order.
pub struct Outcome<'a> {
    /// Position in the dataset (0-based, across all inputs).
    pub index: usize,
    /// The comment.
    pub comment: &'a Comment,
    /// Its thread id.
    pub thread: &'a str,
    /// Its parent's id when the parent is in the dataset.
    pub known_parent: Option<&'a str>,
    /// What its own words say.
    pub assessment: &'a Assessment,
    /// The final decision and flags.
    pub verdict: &'a Verdict,
}

/// Receives every comment's outcome, in input order.
pub trait Sink {
    /// Takes one outcome.
    fn accept(&mut self, outcome: &Outcome<'_>) -> Result<()>;

    /// Takes consecutive outcomes, in input order (reply rules already applied). The default
    /// calls [`Sink::accept`] for each; a sink whose per-comment work is independent (rendering
    /// a row) can hand it to the rayon workers when `workers` says they are free, and write the
    /// results in order (#5).
    fn accept_batch(&mut self, outcomes: &[Outcome<'_>], workers: Workers) -> Result<()> {
        let _ = workers;
        outcomes.iter().try_for_each(|outcome| self.accept(outcome))
    }

    /// Called once before any outcome, with the number of comments when the input was read
    /// in full first ([`PipelineOptions::count_first`]; a progress bar uses it, see #6).
    fn begin(&mut self, _comments: Option<usize>) {}
}

/// Whether the rayon workers have anything to do while a batch of outcomes is handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workers {
    /// Batches read are still being scored. Work handed to the pool now would queue behind
    /// them and hold up the emitting thread, which also reads the input: do it on this thread.
    Busy,
    /// Every batch read so far is scored: the workers would idle while this thread works.
    Free,
}

/// A sink that keeps nothing (thread-level output needs only the [`Summary`]).
pub struct NullSink;

impl Sink for NullSink {
    fn accept(&mut self, _: &Outcome<'_>) -> Result<()> {
        Ok(())
    }

    fn accept_batch(&mut self, _: &[Outcome<'_>], _: Workers) -> Result<()> {
        Ok(())
    }
}

/// What a run produced besides the per-comment outcomes.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Number of comments.
    pub comments: usize,
    /// Per-thread stats, in order of first appearance.
    pub threads: Vec<ThreadStats>,
    /// Comments whose parent is not in the dataset.
    pub missing_parents: usize,
}

/// Options of a pipeline run.
#[derive(Debug, Clone)]
pub struct PipelineOptions {
    /// Input shape (or auto-detection).
    pub format: InputFormat,
    /// Skip JSON Lines lines that fail to parse, with warnings, instead of failing.
    pub skip_bad_lines: bool,
    /// CSV column mapping (used when the input is CSV).
    pub columns: CsvColumns,
    /// Read the whole input once before scoring, so that [`Sink::begin`] is told the number
    /// of comments (a progress bar's length). Otherwise the reply graph is built while the
    /// comments are scored, and the input is read a second time only if a reply comes before
    /// its parent, its parent is not in the input or an id repeats (see [`run`]).
    pub count_first: bool,
}

/// Bad lines to skip with `--skip-bad-lines`, by source index and line number. Pass 1 decides
/// (with the full parse, so both passes agree); pass 2 drops exactly these. See #7.
#[derive(Debug, Default)]
struct SkippedLines {
    lines: HashSet<(usize, u64)>,
}

impl SkippedLines {
    fn contains(&self, source: usize, record: &Record) -> bool {
        record
            .line()
            .is_some_and(|line| self.lines.contains(&(source, line)))
    }
}

/// Individual warnings printed for skipped lines before only the count is given.
const SKIP_WARNINGS_SHOWN: usize = 10;

/// Runs the whole pipeline over `sources` as one dataset.
///
/// The reply graph (threads, parents) is built as comments are scored, in one pass over the
/// input, as long as every reply comes after its parent. The first reply whose parent has not
/// been seen (it comes later, or is not in the dataset), or a duplicate id, stops that: the
/// whole input is read once for its ids and reply links (pass 1, as with `count_first` or
/// `--skip-bad-lines`, where it comes first), and scoring goes on with the whole graph. The
/// outcomes are the same either way; a single pass saves reading and parsing every line a
/// second time: 5% of the instructions of a comment-level run (#5).
pub fn run(
    sources: &[InputSource],
    options: PipelineOptions,
    lexicon: &Lexicon,
    sink: &mut dyn Sink,
) -> Result<Summary> {
    let flag_count = lexicon.categories.len() - (FRIENDSHIP + 1);
    let (graph, skipped) = if options.count_first || options.skip_bad_lines {
        let (graph, skipped) = read_graph(sources, &options)?;
        sink.begin(Some(graph.len()));
        (Graph::Whole(graph), skipped)
    } else {
        sink.begin(None);
        (
            Graph::Growing(GraphBuilder::default()),
            SkippedLines::default(),
        )
    };
    let mut state = Resolver {
        lexicon,
        final_stance: Vec::new(),
        pending: VecDeque::new(),
        first_pending: 0,
        waiting: HashMap::new(),
        threads: Vec::new(),
        flag_count,
        graph,
    };
    state.grow_with_graph();
    let scorer = Scorer::new(lexicon);
    let next_index = std::thread::scope(|scope| {
        score_in_order(
            scope,
            sources,
            &options,
            &skipped,
            &scorer,
            |source, scored, workers| {
                for item in scored {
                    let (comment, assessment) = item?;
                    let index = state.first_pending + state.pending.len();
                    state.place(index, source, &comment, sources, &options)?;
                    state.push(index, comment, assessment);
                }
                state.emit_ready(sink, workers)
            },
        )
    })?;
    let graph = state.graph.get();
    if next_index != graph.len() || !state.pending.is_empty() {
        return Err(changed_between_passes(&sources[sources.len() - 1]));
    }
    Ok(Summary {
        comments: graph.len(),
        threads: state.threads,
        missing_parents: graph.missing_parents,
    })
}

/// The reply graph the resolver reads.
enum Graph {
    /// Read in full by pass 1.
    Whole(ReplyGraph),
    /// Growing with the comments scored, every reply so far after its parent.
    Growing(GraphBuilder),
}

impl Graph {
    fn get(&self) -> &ReplyGraph {
        match self {
            Graph::Whole(graph) => graph,
            Graph::Growing(builder) => builder.graph(),
        }
    }
}

/// Batches scored, with the source they came from.
type ScoredBatch = (usize, Vec<Record>, Vec<Result<(Comment, Assessment)>>);

/// Batches read but not yet emitted: while one is emitted, the next is scored and the one
/// after waits for the pool. With only two, the next batch was read after an emit ended, and
/// the pool idled for that read (#5).
const BATCHES_IN_FLIGHT: usize = 3;

/// Pass 2 driver: reads batches on this thread, scores them on the rayon pool from a helper
/// thread, and hands each scored batch to `emit` in input order, saying whether the pool is
/// still scoring. Reading and emitting (output encoding) overlap with scoring, instead of the
/// pool idling while one thread writes (#5).
/// Returns the number of comments read. A read error is returned only after every batch read
/// before it has been emitted, as a sequential loop would.
fn score_in_order<'scope, 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    sources: &'env [InputSource],
    options: &'env PipelineOptions,
    skipped: &'env SkippedLines,
    scorer: &'env Scorer<'env>,
    mut emit: impl FnMut(&InputSource, Vec<Result<(Comment, Assessment)>>, Workers) -> Result<()>,
) -> Result<usize> {
    let (to_score, unscored) = mpsc::sync_channel::<(usize, Vec<Record>)>(BATCHES_IN_FLIGHT);
    let (to_emit, scored) = mpsc::sync_channel::<ScoredBatch>(BATCHES_IN_FLIGHT);
    // Batches the helper has scored: when it has scored every batch sent, the pool has
    // nothing to do while this thread emits (see [`Workers`]).
    let scored_batches = Arc::new(AtomicUsize::new(0));
    let helper_scored = Arc::clone(&scored_batches);
    scope.spawn(move || {
        for (source, mut batch) in unscored {
            let results = score_batch(&mut batch, &sources[source], scorer);
            helper_scored.fetch_add(1, Ordering::Release);
            if to_emit.send((source, batch, results)).is_err() {
                break;
            }
        }
    });
    let mut batches = BatchReader::new(sources, options, skipped);
    let mut spare: Vec<Vec<Record>> = Vec::new();
    let (mut in_flight, mut read_error, mut comments) = (0, None, 0);
    let mut sent = 0;
    loop {
        while in_flight < BATCHES_IN_FLIGHT && read_error.is_none() {
            let mut batch = spare.pop().unwrap_or_default();
            match batches.next(&mut batch) {
                Ok(Some(source)) => {
                    comments += batch.len();
                    // The helper only stops when this side hangs up.
                    let _ = to_score.send((source, batch));
                    in_flight += 1;
                    sent += 1;
                }
                Ok(None) => break,
                Err(e) => read_error = Some(e),
            }
        }
        if in_flight == 0 {
            break;
        }
        let Ok((source, batch, results)) = scored.recv() else {
            break;
        };
        in_flight -= 1;
        spare.push(batch);
        let workers = match scored_batches.load(Ordering::Acquire) == sent {
            true => Workers::Free,
            false => Workers::Busy,
        };
        emit(&sources[source], results, workers)?;
    }
    match read_error {
        Some(e) => Err(e),
        None => Ok(comments),
    }
}

/// Parses and scores the records of one batch in parallel, emptying it.
fn score_batch(
    batch: &mut Vec<Record>,
    source: &InputSource,
    scorer: &Scorer<'_>,
) -> Vec<Result<(Comment, Assessment)>> {
    let name = source.name.as_str();
    batch
        .par_drain(..)
        .map_init(Scratch::default, |scratch, record| {
            let comment = record.parse(name)?;
            let assessment = scorer.assess(&comment.text, comment.author.as_deref(), scratch);
            Ok((comment, assessment))
        })
        .collect()
}

/// Reads the sources one after another, in batches of [`BATCH_RECORDS`].
struct BatchReader<'a> {
    sources: &'a [InputSource],
    options: &'a PipelineOptions,
    skipped: &'a SkippedLines,
    current: usize,
    reader: Option<Box<dyn RecordReader>>,
}

impl<'a> BatchReader<'a> {
    fn new(
        sources: &'a [InputSource],
        options: &'a PipelineOptions,
        skipped: &'a SkippedLines,
    ) -> BatchReader<'a> {
        BatchReader {
            sources,
            options,
            skipped,
            current: 0,
            reader: None,
        }
    }

    /// Fills `batch` (cleared first) and returns its source index; `None` at the end.
    fn next(&mut self, batch: &mut Vec<Record>) -> Result<Option<usize>> {
        batch.clear();
        while self.current < self.sources.len() {
            let reader = match &mut self.reader {
                Some(reader) => reader,
                None => self.reader.insert(open_reader(
                    &self.sources[self.current],
                    self.options.format,
                    &self.options.columns,
                )?),
            };
            let more = reader.next_batch(batch, BATCH_RECORDS)?;
            let source = self.current;
            if !self.skipped.lines.is_empty() {
                batch.retain(|record| !self.skipped.contains(source, record));
            }
            if !more {
                self.reader = None;
                self.current += 1;
            }
            if !batch.is_empty() {
                return Ok(Some(source));
            }
        }
        Ok(None)
    }
}

fn changed_between_passes(source: &InputSource) -> Error {
    Error::data(
        source.location(),
        "the input changed while it was being read (it was read twice); do not write to it \
         during analysis",
    )
}

/// Pass 1: ids and reply links of every comment, in input order, and the bad lines to skip.
fn read_graph(
    sources: &[InputSource],
    options: &PipelineOptions,
) -> Result<(ReplyGraph, SkippedLines)> {
    let mut keys: Vec<CommentKey> = Vec::new();
    // (source, line) per comment, to name both places of a duplicate id. Kept small: one per
    // comment of the dataset (peak memory, #5); a line past u32::MAX is named by ordinal.
    let mut places: Vec<(u32, u32)> = Vec::new();
    // Consecutive comments of one thread share its id (one allocation per run, not per
    // comment: #5).
    let mut last_thread: Option<Arc<str>> = None;
    let mut skipped = SkippedLines::default();
    let nothing_skipped = SkippedLines::default();
    let mut reader = BatchReader::new(sources, options, &nothing_skipped);
    let mut batch = Vec::with_capacity(BATCH_RECORDS);
    let mut next_batch = Vec::with_capacity(BATCH_RECORDS);
    let mut source = reader.next(&mut batch)?;
    while let Some(s) = source {
        // This batch's keys are parsed on the pool while this thread reads the next one:
        // reading was half of pass 1 (#5). Reading and dropping stay on this thread, which
        // keeps the allocator from holding memory freed across threads (peak RSS, #5).
        let mut parsed = Vec::new();
        let mut next = Ok(None);
        let name = sources[s].name.as_str();
        rayon::in_place_scope(|scope| {
            scope.spawn(|_| {
                parsed = if options.skip_bad_lines {
                    // The full parse, not the keys-only one: a line that fails only the full
                    // parse (say `"author": 5`) must be skipped here too, or pass 2 would
                    // disagree.
                    batch.par_iter().map(|r| full_keys(r, name)).collect()
                } else {
                    batch
                        .par_iter()
                        .map(|r| r.keys(name))
                        .collect::<Vec<Result<RecordKey>>>()
                };
            });
            next = reader.next(&mut next_batch);
        });
        for (record, key) in batch.iter().zip(parsed) {
            let line = record.line();
            match (key, line) {
                (Ok(key), _) => {
                    let thread = match (key.thread, &last_thread) {
                        (Some(t), Some(last)) if *t == **last => Some(last.clone()),
                        (Some(t), _) => {
                            let t: Arc<str> = t.into();
                            last_thread = Some(t.clone());
                            Some(t)
                        }
                        (None, _) => None,
                    };
                    keys.push(CommentKey {
                        id: key.id,
                        parent: key.parent,
                        thread,
                    });
                    let line = u32::try_from(line.unwrap_or(0)).unwrap_or(0);
                    places.push((s as u32, line));
                }
                (Err(e), Some(line)) if options.skip_bad_lines => {
                    if skipped.lines.len() < SKIP_WARNINGS_SHOWN {
                        crate::cmd::warn(&format!("skipping bad line: {e}"));
                    }
                    skipped.lines.insert((s, line));
                }
                (Err(e), _) => return Err(e),
            }
        }
        std::mem::swap(&mut batch, &mut next_batch);
        source = next?;
    }
    warn_skipped(skipped.lines.len(), keys.len());
    let graph = ReplyGraph::build(&keys, |i| {
        let (s, line) = places[i];
        let name = &sources[s as usize].name;
        if line > 0 {
            format!("{name}:{line}")
        } else {
            // Only for an error message: count this source's comments up to `i`.
            let ordinal = places[..=i].iter().filter(|p| p.0 == s).count();
            format!("{name} comment #{ordinal}")
        }
    })?;
    Ok((graph, skipped))
}

/// The keys of a record, from its full parse (`--skip-bad-lines`).
fn full_keys<'a>(record: &'a Record, source: &str) -> Result<RecordKey<'a>> {
    let comment = record.parse_ref(source)?;
    Ok(RecordKey {
        id: comment.id.into_boxed_str(),
        parent: comment.parent.map(String::into_boxed_str),
        thread: comment.thread.map(std::borrow::Cow::Owned),
    })
}

/// The count of skipped lines, once, after the individual warnings.
fn warn_skipped(skipped: usize, kept: usize) {
    if skipped == 0 {
        return;
    }
    let more = skipped.saturating_sub(SKIP_WARNINGS_SHOWN);
    let shown = if more > 0 {
        format!(" ({more} not shown)")
    } else {
        String::new()
    };
    crate::cmd::warn(&format!(
        "skipped {skipped} bad line{}{shown}; {kept} comment{} read",
        if skipped == 1 { "" } else { "s" },
        if kept == 1 { "" } else { "s" },
    ));
}

/// A comment scored but not yet handed to the sink.
struct Pending {
    comment: Comment,
    assessment: Assessment,
    verdict: Option<Verdict>,
}

/// Applies reply rules in dependency order and emits in input order.
struct Resolver<'a> {
    lexicon: &'a Lexicon,
    graph: Graph,
    /// Per comment of the graph, once decided.
    final_stance: Vec<Option<Stance>>,
    pending: VecDeque<Pending>,
    first_pending: usize,
    /// Parent index -> replies that came before it and wait for its decision.
    waiting: HashMap<usize, Vec<usize>>,
    /// Per thread of the graph.
    threads: Vec<ThreadStats>,
    flag_count: usize,
}

impl Resolver<'_> {
    /// Puts comment `index`, read from `source`, in the graph: checks that the whole graph has
    /// it, or adds it to the growing one. A comment the growing graph cannot place (a reply whose
    /// parent has not been seen, a duplicate id) switches to the whole graph, read by pass 1
    /// now, which also reports what is wrong with the dataset (see [`run`]).
    fn place(
        &mut self,
        index: usize,
        source: &InputSource,
        comment: &Comment,
        sources: &[InputSource],
        options: &PipelineOptions,
    ) -> Result<()> {
        let Graph::Growing(builder) = &mut self.graph else {
            if index >= self.graph.get().len() {
                return Err(changed_between_passes(source));
            }
            return Ok(());
        };
        let placed = builder.add(
            &comment.id,
            comment.parent.as_deref(),
            comment.thread.as_deref(),
        );
        if placed == Placed::NeedsWholeGraph {
            let so_far = std::mem::take(builder).into_graph();
            self.graph = Graph::Whole(read_graph(sources, options)?.0);
            let whole = self.graph.get();
            // The comments placed so far were placed exactly as pass 1 places them; if not,
            // the input changed under us.
            let agrees = whole.len() > index
                && whole.parents[..index] == so_far.parents[..]
                && whole.threads[..index] == so_far.threads[..];
            if !agrees {
                return Err(changed_between_passes(source));
            }
        }
        self.grow_with_graph();
        Ok(())
    }

    /// Thread stats and stance slots for the threads and comments the graph has gained.
    fn grow_with_graph(&mut self) {
        let graph = self.graph.get();
        for info in &graph.thread_info[self.threads.len()..] {
            self.threads
                .push(ThreadStats::new(info.key.clone(), self.flag_count));
        }
        self.final_stance.resize(graph.len(), None);
    }

    fn push(&mut self, index: usize, comment: Comment, assessment: Assessment) {
        self.pending.push_back(Pending {
            comment,
            assessment,
            verdict: None,
        });
        match self.graph.get().parent(index) {
            Some(p) if self.final_stance[p].is_none() => {
                self.waiting.entry(p).or_default().push(index);
            }
            _ => self.decide_with_waiters(index),
        }
    }

    /// Decides `index` (its parent is decided), then every reply that waited on it.
    fn decide_with_waiters(&mut self, index: usize) {
        // Nearly always no reply waits: no work list and no map lookup then (#5).
        if self.waiting.is_empty() {
            self.decide(index);
            return;
        }
        let mut work = vec![index];
        while let Some(i) = work.pop() {
            self.decide(i);
            if let Some(children) = self.waiting.remove(&i) {
                work.extend(children);
            }
        }
    }

    /// Applies the reply rules to `index`, whose parent is decided.
    fn decide(&mut self, index: usize) {
        let parent_stance = self
            .graph
            .get()
            .parent(index)
            .and_then(|p| self.final_stance[p]);
        let slot = &mut self.pending[index - self.first_pending];
        let verdict = resolve(self.lexicon, &slot.assessment, parent_stance);
        self.final_stance[index] = Some(verdict.decision.stance);
        slot.verdict = Some(verdict);
    }

    /// Hands every decided comment at the front of the buffer to the sink, as one slice.
    fn emit_ready(&mut self, sink: &mut dyn Sink, workers: Workers) -> Result<()> {
        let ready = self
            .pending
            .iter()
            .take_while(|p| p.verdict.is_some())
            .count();
        if ready == 0 {
            return Ok(());
        }
        let first = self.first_pending;
        let graph = self.graph.get();
        let mut outcomes = Vec::with_capacity(ready);
        for (index, done) in (first..).zip(self.pending.iter().take(ready)) {
            let Some(verdict) = done.verdict.as_ref() else {
                continue;
            };
            let t = graph.threads[index] as usize;
            let stats = &mut self.threads[t];
            stats.add(
                verdict.decision.stance,
                verdict.flags.iter().skip(FRIENDSHIP + 1).copied(),
            );
            if graph.thread_info[t].root == Some(index as u32) {
                stats.root_id = Some(done.comment.id.clone());
                stats.root_author.clone_from(&done.comment.author);
            }
            outcomes.push(Outcome {
                index,
                comment: &done.comment,
                thread: &graph.thread_info[t].key,
                known_parent: graph.parent(index).and(done.comment.parent.as_deref()),
                assessment: &done.assessment,
                verdict,
            });
        }
        sink.accept_batch(&outcomes, workers)?;
        drop(outcomes);
        self.pending.drain(..ready);
        self.first_pending += ready;
        Ok(())
    }
}
