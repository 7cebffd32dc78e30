//! Lexicon files -> one compiled matcher, built once and shared immutably by all workers.
//!
//! A lexicon folder holds one `<category>.txt` file per category and an optional `cues/`
//! folder of context words (negators, contrast words, hedges, agreement...). The two stance
//! poles (`pro_boundary`, `pro_friendship`) must exist; `harm_story` and `professional_voice`
//! are built-in flags; any other `.txt` file is a new flag category. The file format is in
//! `lexicons/README.md`.
//!
//! Every entry of every file is normalized like comment text and compiled into one automaton
//! over words (`matcher.rs`; a second, tiny one for `author:` entries).
//! [`Lexicon::tokenize`] tokenizes a comment with each word's code looked up on the way, and
//! [`Lexicon::find_matches`] walks the automaton over those tokens and returns matches on token
//! boundaries with overlaps resolved (the longest wins). What the matches mean is `score`'s
//! business, not this module's.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

mod matcher;
mod parse;

use crate::error::{Error, Location, Result};
use crate::tokenize::{tokenize_with, TokenBuffer, WordCoder};
use matcher::{Phrase, PhraseMatcher};
use parse::parse_file;

/// Name of the pro-boundary pole category (index 0).
pub const PRO_BOUNDARY: &str = "pro_boundary";
/// Name of the pro-friendship pole category (index 1).
pub const PRO_FRIENDSHIP: &str = "pro_friendship";
/// Name of the built-in harm-story flag (index 2).
pub const HARM_STORY: &str = "harm_story";
/// Name of the built-in professional-voice flag (index 3).
pub const PROFESSIONAL_VOICE: &str = "professional_voice";

/// Index of the pro-boundary category.
pub const BOUNDARY: usize = 0;
/// Index of the pro-friendship category.
pub const FRIENDSHIP: usize = 1;
/// Number of built-in categories; added flag categories follow them, sorted by name.
pub const BUILTIN_CATEGORIES: usize = 4;

/// Flag threshold used when a category file sets none (`#! threshold = N`).
pub const DEFAULT_FLAG_THRESHOLD: f64 = 2.0;

/// The default lexicon files, compiled into the binary so `stance` works from any folder.
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    (
        "pro_boundary.txt",
        include_str!("../../lexicons/pro_boundary.txt"),
    ),
    (
        "pro_friendship.txt",
        include_str!("../../lexicons/pro_friendship.txt"),
    ),
    (
        "harm_story.txt",
        include_str!("../../lexicons/harm_story.txt"),
    ),
    (
        "professional_voice.txt",
        include_str!("../../lexicons/professional_voice.txt"),
    ),
    (
        "cues/negators.txt",
        include_str!("../../lexicons/cues/negators.txt"),
    ),
    (
        "cues/not_negations.txt",
        include_str!("../../lexicons/cues/not_negations.txt"),
    ),
    (
        "cues/contrast.txt",
        include_str!("../../lexicons/cues/contrast.txt"),
    ),
    (
        "cues/concession.txt",
        include_str!("../../lexicons/cues/concession.txt"),
    ),
    (
        "cues/hedges.txt",
        include_str!("../../lexicons/cues/hedges.txt"),
    ),
    (
        "cues/agree.txt",
        include_str!("../../lexicons/cues/agree.txt"),
    ),
    (
        "cues/disagree.txt",
        include_str!("../../lexicons/cues/disagree.txt"),
    ),
    (
        "cues/desire.txt",
        include_str!("../../lexicons/cues/desire.txt"),
    ),
    ("README.md", include_str!("../../lexicons/README.md")),
];

/// Context words that change how category matches are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// Flips the pole of a match after it in the same clause (`not`, `never`, `no`).
    Negator,
    /// Looks like a negator but is not one (`not only`, `no doubt`, `nothing wrong with`).
    NotNegation,
    /// Marks the later clause as the one that counts (`but`, `however`, `yet`, `still`).
    Contrast,
    /// Opens a conceded clause that counts less (`although`, `even though`).
    Concession,
    /// Takes both sides (`it depends`, `case by case`): pushes toward `mixed`.
    Hedge,
    /// Agrees with the comment replied to (`I agree`, `so true`, `exactly`).
    Agree,
    /// Disagrees with the comment replied to (`I disagree`, `not true`).
    Disagree,
    /// Wanting or asking for something (`I wish`, `I asked if`): in a harm story, friendship
    /// that was wanted and refused is not friendship that happened.
    Desire,
}

impl Cue {
    /// Every cue with its file stem.
    pub const ALL: [(Cue, &'static str); 8] = [
        (Cue::Negator, "negators"),
        (Cue::NotNegation, "not_negations"),
        (Cue::Contrast, "contrast"),
        (Cue::Concession, "concession"),
        (Cue::Hedge, "hedges"),
        (Cue::Agree, "agree"),
        (Cue::Disagree, "disagree"),
        (Cue::Desire, "desire"),
    ];

    /// The cue's file stem in `cues/`.
    pub fn name(self) -> &'static str {
        Cue::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |p| p.1)
    }
}

/// What an entry is evidence for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A category (index into [`Lexicon::categories`]).
    Category(usize),
    /// A context cue.
    Cue(Cue),
}

/// One category: a stance pole or a flag.
#[derive(Debug, Clone)]
pub struct Category {
    /// Name, from the file stem (`harm_story`).
    pub name: String,
    /// Score at or above which a flag category is set (unused for the poles).
    pub threshold: f64,
    /// Number of entries loaded.
    pub entries: usize,
    /// Whether the file was present (a missing built-in flag file gives an empty category).
    pub is_present: bool,
}

/// One lexicon entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The normalized phrase as matched (words joined by single spaces, no `*`).
    pub phrase: String,
    /// What it is evidence for.
    pub target: Target,
    /// Weight (1 unless the line gives one).
    pub weight: f64,
    /// Whether the last word is a prefix (`friend*`).
    pub is_prefix: bool,
    /// Number of words.
    pub words: u32,
    /// Whether it matches the author field instead of the text (`author:` lines).
    pub is_author: bool,
    /// Whether a negated match still counts for its own pole (`#! negated = keep`).
    pub negation_keeps_pole: bool,
    /// File and line it came from.
    pub origin: Location,
}

/// A match of an entry over a tokenized text, on token boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Index into [`Lexicon::entries`].
    pub entry: u32,
    /// First token covered.
    pub first: u32,
    /// Last token covered (inclusive).
    pub last: u32,
}

/// Compiled lexicons: categories, entries and the automata over them.
#[derive(Debug)]
pub struct Lexicon {
    /// Categories in output order: the two poles, the two built-in flags, then added flags.
    pub categories: Vec<Category>,
    /// Every entry, text and author ones.
    pub entries: Vec<Entry>,
    /// Where the lexicons came from: `built-in` or the folder.
    pub source: String,
    text_matcher: PhraseMatcher,
    author_matcher: PhraseMatcher,
    /// [`overlap_group`] of every entry.
    overlap_groups: Vec<u32>,
}

/// Reusable per-worker space for [`Lexicon::find_matches`], so matching allocates nothing per
/// comment (#5).
#[derive(Debug, Default, Clone)]
pub struct MatchScratch {
    /// Tokens from which [`PhraseMatcher::find`] walks the trie.
    walk_starts: Vec<u32>,
    /// Tokens taken by kept matches while overlaps are resolved.
    taken: Vec<bool>,
    /// Sort keys of the matches being resolved (see [`SortKey`]).
    keys: Vec<u128>,
    /// Per match being resolved: whether it is kept.
    kept: Vec<bool>,
    /// Per match being resolved: its cluster (see [`Lexicon::resolve_overlaps`]).
    cluster_of: Vec<u32>,
    /// Matches per cluster.
    cluster_sizes: Vec<u32>,
    /// The cluster still open in each overlap group, while clusters are found.
    open_clusters: Vec<OpenCluster>,
    /// Indices of the matches kept so far in the cluster being resolved.
    kept_in_cluster: Vec<u32>,
}

/// The last cluster of an overlap group while [`Lexicon::resolve_overlaps`] finds clusters.
#[derive(Debug, Clone, Copy)]
struct OpenCluster {
    group: u32,
    /// The furthest last token of its matches.
    end: u32,
    id: u32,
}

/// A lexicon file's text, with the name used in messages.
struct SourceFile {
    name: String,
    text: String,
}

impl Lexicon {
    /// The lexicons compiled into the binary.
    pub fn builtin() -> Lexicon {
        let files = DEFAULT_FILES
            .iter()
            .filter(|(name, _)| name.ends_with(".txt"))
            .map(|(name, text)| {
                (
                    name.to_string(),
                    SourceFile {
                        name: format!("<built-in>/{name}"),
                        text: text.to_string(),
                    },
                )
            })
            .collect();
        Lexicon::compile(files, "built-in".to_string())
            .expect("the built-in lexicons are valid (checked by tests)")
    }

    /// Loads every `.txt` file of `dir` (and `dir/cues/`, falling back to the built-in cues).
    pub fn load_dir(dir: &Path) -> Result<Lexicon> {
        let meta = fs::metadata(dir).map_err(|e| {
            Error::lexicon(
                Location::file(dir.display().to_string()),
                format!("cannot open lexicon folder: {e}"),
            )
        })?;
        if !meta.is_dir() {
            return Err(Error::lexicon(
                Location::file(dir.display().to_string()),
                "is not a folder; --lexicons takes a folder of <category>.txt files",
            ));
        }
        let mut files = HashMap::new();
        for (rel, path) in list_txt(dir)? {
            files.insert(rel, read_source(&path)?);
        }
        let cues = dir.join("cues");
        if cues.is_dir() {
            for (rel, path) in list_txt(&cues)? {
                files.insert(format!("cues/{rel}"), read_source(&path)?);
            }
        }
        Lexicon::from_files(files, &dir.display().to_string())
    }

    /// Compiles lexicon files given as text, keyed by their name in a lexicon folder
    /// (`pro_boundary.txt`, `cues/negators.txt`...), exactly as [`Lexicon::load_dir`] would;
    /// `folder` names them in messages. For tests and fuzzing without files.
    pub fn from_texts<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
        folder: &str,
    ) -> Result<Lexicon> {
        let files = files
            .into_iter()
            .map(|(name, text)| {
                let source = SourceFile {
                    name: format!("{folder}/{name}"),
                    text: text.to_string(),
                };
                (name.to_string(), source)
            })
            .collect();
        Lexicon::from_files(files, folder)
    }

    fn from_files(mut files: HashMap<String, SourceFile>, folder: &str) -> Result<Lexicon> {
        for pole in [PRO_BOUNDARY, PRO_FRIENDSHIP] {
            if !files.contains_key(&format!("{pole}.txt")) {
                return Err(Error::lexicon(
                    Location::file(folder.to_string()),
                    format!(
                        "no {pole}.txt: a lexicon folder needs both pole files \
                         (pro_boundary.txt, pro_friendship.txt); \
                         `stance lexicon init DIR` writes the defaults to start from"
                    ),
                ));
            }
        }
        for (name, text) in DEFAULT_FILES {
            if name.starts_with("cues/") && !files.contains_key(*name) {
                files.insert(
                    name.to_string(),
                    SourceFile {
                        name: format!("<built-in>/{name}"),
                        text: text.to_string(),
                    },
                );
            }
        }
        Lexicon::compile(files, folder.to_string())
    }

    fn compile(files: HashMap<String, SourceFile>, source: String) -> Result<Lexicon> {
        let mut names: Vec<String> = files
            .keys()
            .filter(|k| !k.starts_with("cues/"))
            .map(|k| k.trim_end_matches(".txt").to_string())
            .collect();
        names.sort_by_key(|n| (builtin_rank(n), n.clone()));
        for builtin in [HARM_STORY, PROFESSIONAL_VOICE] {
            if !names.iter().any(|n| n == builtin) {
                names.push(builtin.to_string());
            }
        }
        names.sort_by_key(|n| (builtin_rank(n), n.clone()));
        let mut categories = Vec::new();
        let mut entries = Vec::new();
        for (index, name) in names.iter().enumerate() {
            let mut category = Category {
                name: name.clone(),
                threshold: DEFAULT_FLAG_THRESHOLD,
                entries: 0,
                is_present: false,
            };
            if let Some(file) = files.get(&format!("{name}.txt")) {
                category.is_present = true;
                let parsed = parse_file(file, Target::Category(index))?;
                category.threshold = parsed.threshold.unwrap_or(DEFAULT_FLAG_THRESHOLD);
                category.entries = parsed.entries.len();
                entries.extend(parsed.entries);
            }
            categories.push(category);
        }
        for (cue, stem) in Cue::ALL {
            if let Some(file) = files.get(&format!("cues/{stem}.txt")) {
                entries.extend(parse_file(file, Target::Cue(cue))?.entries);
            }
        }
        let text_matcher = compile_phrases(&entries, false);
        let author_matcher = compile_phrases(&entries, true);
        let overlap_groups = entries.iter().map(|e| overlap_group(e.target)).collect();
        Ok(Lexicon {
            categories,
            entries,
            source,
            text_matcher,
            author_matcher,
            overlap_groups,
        })
    }

    /// Index of the category called `name`.
    pub fn category_index(&self, name: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.name == name)
    }

    /// Number of entries for `cue`.
    pub fn cue_entries(&self, cue: Cue) -> usize {
        self.entries
            .iter()
            .filter(|e| e.target == Target::Cue(cue))
            .count()
    }

    /// Tokenizes comment text into `buf` for [`Lexicon::find_matches`]: each token carries the
    /// code of its word among the text entries' words.
    pub fn tokenize(&self, text: &str, buf: &mut TokenBuffer) {
        tokenize_with(text, buf, &self.text_matcher);
    }

    /// The coder [`Lexicon::tokenize`] gives text words their codes with, for programs that
    /// look words up as the tokenizer does (the lower bound in `examples/stage_times.rs`).
    pub fn text_coder(&self) -> &impl WordCoder {
        &self.text_matcher
    }

    /// Tokenizes an author field into `buf` for [`Lexicon::find_author_matches`].
    pub fn tokenize_author(&self, author: &str, buf: &mut TokenBuffer) {
        tokenize_with(author, buf, &self.author_matcher);
    }

    /// Finds text matches over `buf`, tokenized by [`Lexicon::tokenize`] (on token
    /// boundaries, overlaps resolved), into `out`.
    pub fn find_matches(
        &self,
        buf: &TokenBuffer,
        scratch: &mut MatchScratch,
        out: &mut Vec<Match>,
    ) {
        self.find_with(&self.text_matcher, buf, scratch, out);
    }

    /// Finds `author:` matches over an author field tokenized by [`Lexicon::tokenize_author`]
    /// into `out`.
    pub fn find_author_matches(
        &self,
        buf: &TokenBuffer,
        scratch: &mut MatchScratch,
        out: &mut Vec<Match>,
    ) {
        self.find_with(&self.author_matcher, buf, scratch, out);
    }

    fn find_with(
        &self,
        matcher: &PhraseMatcher,
        buf: &TokenBuffer,
        scratch: &mut MatchScratch,
        out: &mut Vec<Match>,
    ) {
        out.clear();
        matcher.find(&buf.tokens, &mut scratch.walk_starts, |m| {
            out.push(Match {
                entry: m.id,
                first: m.first,
                last: m.last,
            })
        });
        self.resolve_overlaps(out, scratch);
    }

    /// Within each overlap group, keeps the longest match (then the earliest); matches of
    /// different groups never compete (see [`overlap_group`]).
    fn resolve_overlaps(&self, matches: &mut Vec<Match>, scratch: &mut MatchScratch) {
        // Nothing competes with a lone match (#5).
        if matches.len() <= 1 {
            return;
        }
        // [`PhraseMatcher::find`] reports matches by first token, then last, then entry: the
        // order this returns them in. So the kept ones are marked and taken in place, and only
        // the order of competition is sorted; a second sort, back to this order, was half the
        // cost here (#5). Within one span, matches come by entry, so a match's index stands
        // for its entry in the sort key.
        debug_assert!(matches
            .windows(2)
            .all(|w| SortKey::by_position(&w[0]) < SortKey::by_position(&w[1])));
        // Clusters: matches of one group joined by shared tokens, directly or through others.
        // A match competes only within its cluster, so a match alone in its cluster is kept
        // and only clusters of two or more are sorted: sorting every match was ~3% of a run,
        // in mispredicted branches more than instructions (#5). Matches come by first token,
        // so one joins its group's open cluster iff it starts at or before that cluster's
        // furthest end.
        let (open, cluster_of, sizes) = (
            &mut scratch.open_clusters,
            &mut scratch.cluster_of,
            &mut scratch.cluster_sizes,
        );
        open.clear();
        cluster_of.clear();
        sizes.clear();
        for m in matches.iter() {
            let group = self.overlap_groups[m.entry as usize];
            // A handful of groups: a short list beats a map.
            let cluster = match open.iter_mut().find(|c| c.group == group) {
                Some(c) if m.first <= c.end => {
                    c.end = c.end.max(m.last);
                    c.id
                }
                found => {
                    let id = sizes.len() as u32;
                    sizes.push(0);
                    let start = OpenCluster {
                        group,
                        end: m.last,
                        id,
                    };
                    match found {
                        Some(c) => *c = start,
                        None => open.push(start),
                    }
                    id
                }
            };
            sizes[cluster as usize] += 1;
            cluster_of.push(cluster);
        }
        if sizes.len() == matches.len() {
            return;
        }
        let kept = &mut scratch.kept;
        kept.clear();
        kept.extend(cluster_of.iter().map(|&c| sizes[c as usize] == 1));
        // Sorted as packed integers: a sort comparing tuples that it built, with a table
        // lookup, at every comparison was ~3% of a run (#5).
        let keys = &mut scratch.keys;
        keys.clear();
        keys.extend(
            matches
                .iter()
                .zip(cluster_of.iter())
                .zip(0..)
                .filter(|((_, &c), _)| sizes[c as usize] > 1)
                .map(|((m, &c), index)| SortKey::by_cluster(c, m, index)),
        );
        keys.sort_unstable();
        // Tokens covered by the kept matches of the current cluster: a clash check reads only
        // the match's own tokens, so a 20 MB comment with a million matches stays linear (#7),
        // and nothing is allocated per comment (#5).
        let tokens = matches
            .iter()
            .map(|m| m.last as usize + 1)
            .max()
            .unwrap_or(0);
        let taken = &mut scratch.taken;
        taken.clear();
        taken.resize(tokens, false);
        let kept_in_cluster = &mut scratch.kept_in_cluster;
        kept_in_cluster.clear();
        let mut current_cluster = None;
        for &key in keys.iter() {
            let (cluster, index) = SortKey::cluster_and_index(key);
            if current_cluster != Some(cluster) {
                current_cluster = Some(cluster);
                for &k in kept_in_cluster.iter() {
                    let k = &matches[k as usize];
                    taken[k.first as usize..=k.last as usize].fill(false);
                }
                kept_in_cluster.clear();
            }
            let m = &matches[index as usize];
            let span = m.first as usize..=m.last as usize;
            if !taken[span.clone()].contains(&true) {
                taken[span].fill(true);
                kept[index as usize] = true;
                kept_in_cluster.push(index);
            }
        }
        let mut is_kept = kept.iter();
        matches.retain(|_| is_kept.next() == Some(&true));
    }
}

/// The orders of [`Lexicon::resolve_overlaps`] as integers, each field in 32 bits.
struct SortKey;

impl SortKey {
    /// Cluster, then longest first, then earliest, then `index` (the match's place in
    /// [`PhraseMatcher::find`] order, which within one span is by entry).
    fn by_cluster(cluster: u32, m: &Match, index: u32) -> u128 {
        let shorter = u32::MAX - (m.last - m.first);
        (u128::from(cluster) << 96)
            | (u128::from(shorter) << 64)
            | (u128::from(m.first) << 32)
            | u128::from(index)
    }

    /// The cluster and match index of a [`SortKey::by_cluster`] key.
    fn cluster_and_index(key: u128) -> (u32, u32) {
        ((key >> 96) as u32, key as u32)
    }

    /// First token, then last, then entry: the order of [`PhraseMatcher::find`].
    fn by_position(m: &Match) -> u128 {
        (u128::from(m.first) << 64) | (u128::from(m.last) << 32) | u128::from(m.entry)
    }
}

/// Matches of one group compete for words; matches of different groups do not. The poles form
/// one group (they compete for the same words), each flag category its own, and the cues four:
/// contrast, hedge and desire words are read alongside the rest ("I understand, but" is a
/// hedge and a contrast); negators, not-negations and reply cues compete.
fn overlap_group(target: Target) -> u32 {
    match target {
        Target::Category(c) if c <= FRIENDSHIP => 0,
        Target::Category(c) => c as u32,
        Target::Cue(Cue::Contrast | Cue::Concession) => u32::MAX - 1,
        Target::Cue(Cue::Hedge) => u32::MAX - 2,
        Target::Cue(Cue::Desire) => u32::MAX - 3,
        Target::Cue(_) => u32::MAX,
    }
}

/// The phrases of the text (or `author:`) entries, compiled.
fn compile_phrases(entries: &[Entry], author: bool) -> PhraseMatcher {
    let phrases: Vec<Phrase<'_>> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_author == author)
        .map(|(i, e)| Phrase {
            text: &e.phrase,
            is_prefix: e.is_prefix,
            id: i as u32,
        })
        .collect();
    PhraseMatcher::build(&phrases)
}

/// Built-in categories come first, in a fixed order; added ones after, by name.
fn builtin_rank(name: &str) -> usize {
    [PRO_BOUNDARY, PRO_FRIENDSHIP, HARM_STORY, PROFESSIONAL_VOICE]
        .iter()
        .position(|b| *b == name)
        .unwrap_or(BUILTIN_CATEGORIES)
}

/// The `.txt` files directly in `dir`, as (file name, path), sorted by name.
fn list_txt(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let read_error = |e| Error::Read {
        path: dir.to_path_buf(),
        source: e,
    };
    let mut found = Vec::new();
    for item in fs::read_dir(dir).map_err(read_error)? {
        let path = item.map_err(read_error)?.path();
        let is_txt = path.extension().is_some_and(|e| e == "txt");
        if is_txt && path.is_file() {
            if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                found.push((name.to_string(), path.clone()));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn read_source(path: &Path) -> Result<SourceFile> {
    let name = path.display().to_string();
    let bytes = fs::read(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        Error::lexicon(Location::line(name.clone(), line), "invalid UTF-8")
    })?;
    Ok(SourceFile { name, text })
}

/// Writes the default lexicon files into `dir` (created if needed) for a user to edit.
/// Refuses to overwrite existing files.
pub fn write_defaults(dir: &Path) -> Result<Vec<PathBuf>> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |e| Error::Read { path, source: e }
    };
    for (name, _) in DEFAULT_FILES {
        let path = dir.join(name);
        if path.exists() {
            return Err(Error::Usage(format!(
                "{} already exists; `lexicon init` never overwrites (pick an empty folder)",
                path.display()
            )));
        }
    }
    let mut written = Vec::new();
    for (name, text) in DEFAULT_FILES {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        fs::write(&path, text).map_err(io_error(&path))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::parse::parse_entry;
    use super::*;

    fn entry(line: &str) -> Result<Entry> {
        parse_entry(line, Target::Category(0), Location::line("t.txt", 1))
    }

    #[test]
    fn entries_parse_with_weights_and_wildcards() {
        let e = entry("Can’t be FRIENDS | 2.5").unwrap();
        assert_eq!(e.phrase, "can't be friends");
        assert_eq!(e.weight, 2.5);
        let e = entry("friend*").unwrap();
        assert!(e.is_prefix);
        assert_eq!(e.phrase, "friend");
        assert!(entry("*").is_err());
        assert!(entry("123").is_err());
        assert!(entry("friends | lots").is_err());
        assert!(entry("fri*nd").is_err());
    }

    #[test]
    fn builtin_lexicon_compiles() {
        let lexicon = Lexicon::builtin();
        assert_eq!(lexicon.categories[BOUNDARY].name, PRO_BOUNDARY);
        assert_eq!(lexicon.categories[FRIENDSHIP].name, PRO_FRIENDSHIP);
        assert!(lexicon.categories.iter().all(|c| c.entries > 0));
    }

    #[test]
    fn lexicons_compile_from_texts_like_folders() {
        let files = [
            ("pro_boundary.txt", "boundaries\n"),
            ("pro_friendship.txt", "friends\n"),
        ];
        let lexicon = Lexicon::from_texts(files, "mem").unwrap();
        assert_eq!(lexicon.categories[BOUNDARY].entries, 1);
        let err = Lexicon::from_texts([("pro_boundary.txt", "x\n")], "mem").unwrap_err();
        assert!(
            err.to_string().starts_with("mem: no pro_friendship.txt"),
            "{err}"
        );
        let bad = [("pro_boundary.txt", "ok\n*\n"), ("pro_friendship.txt", "")];
        let err = Lexicon::from_texts(bad, "mem").unwrap_err().to_string();
        assert!(err.starts_with("mem/pro_boundary.txt:2:"), "{err}");
    }

    #[test]
    fn many_overlapping_matches_resolve_in_near_linear_time() {
        // 200,000 pole matches in one comment: quadratic overlap resolution took minutes.
        let lexicon = Lexicon::builtin();
        let text = "we stayed friends and boundaries matter. ".repeat(50_000);
        let mut buf = TokenBuffer::default();
        lexicon.tokenize(&text, &mut buf);
        let mut matches = Vec::new();
        let started = std::time::Instant::now();
        lexicon.find_matches(&buf, &mut MatchScratch::default(), &mut matches);
        assert!(matches.len() >= 100_000);
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn longest_match_wins_and_boundaries_hold() {
        let lexicon = Lexicon::builtin();
        let mut buf = TokenBuffer::default();
        lexicon.tokenize("We became good friends.", &mut buf);
        let mut out = Vec::new();
        lexicon.find_matches(&buf, &mut MatchScratch::default(), &mut out);
        let poles: Vec<_> = out
            .iter()
            .filter(|m| {
                matches!(lexicon.entries[m.entry as usize].target, Target::Category(c) if c <= 1)
            })
            .collect();
        assert_eq!(poles.len(), 1, "{out:?}");
    }

    /// What [`Lexicon::resolve_overlaps`] decides, the plain way: every match of every group,
    /// longest first, then earliest, then by entry, kept when no kept match of its group
    /// shares a token.
    fn resolved_plainly(lexicon: &Lexicon, matches: &[Match]) -> Vec<Match> {
        let mut order: Vec<&Match> = matches.iter().collect();
        let group = |m: &Match| lexicon.overlap_groups[m.entry as usize];
        order.sort_by_key(|m| {
            (
                group(m),
                std::cmp::Reverse(m.last - m.first),
                m.first,
                m.entry,
            )
        });
        let mut kept: Vec<Match> = Vec::new();
        for m in order {
            let clashes = kept
                .iter()
                .any(|k| group(k) == group(m) && k.first <= m.last && m.first <= k.last);
            if !clashes {
                kept.push(*m);
            }
        }
        kept.sort_by_key(|m| (m.first, m.last, m.entry));
        kept
    }

    #[test]
    fn overlaps_resolve_by_cluster_as_they_do_all_at_once() {
        let lexicon = Lexicon::builtin();
        let entries = lexicon.entries.len() as u64;
        let mut rng = crate::test_rng::XorShift::new(0x9e37_79b9_7f4a_7c15);
        let mut scratch = MatchScratch::default();
        for _ in 0..20_000 {
            // Few entries and short texts, so that matches share tokens and groups often.
            let picked: Vec<u32> = (0..4).map(|_| (rng.next() % entries) as u32).collect();
            let tokens = 2 + rng.next() % 12;
            let mut matches: Vec<Match> = (0..rng.next() % 16)
                .map(|_| {
                    let first = (rng.next() % tokens) as u32;
                    let last = first + (rng.next() % 4) as u32;
                    let entry = picked[(rng.next() % 4) as usize];
                    Match { entry, first, last }
                })
                .collect();
            // The order and uniqueness that the trie walk gives.
            matches.sort_by_key(|m| (m.first, m.last, m.entry));
            matches.dedup();
            let expected = resolved_plainly(&lexicon, &matches);
            lexicon.resolve_overlaps(&mut matches, &mut scratch);
            assert_eq!(matches, expected);
        }
    }
}
