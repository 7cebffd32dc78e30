//! The reply graph, thread ids, and per-thread aggregates.
//!
//! [`ReplyGraph::build`] takes every comment's keys (id, parent, thread field) in input order,
//! checks the dataset (duplicate ids, reply cycles, missing parents) and gives each comment its
//! parent's index and its thread. It never recurses, so a 100,000-deep reply chain is fine.
//! [`ThreadStats`] counts stances and flags per thread; stats of the same thread from
//! different parts of a dataset add up with [`ThreadStats::merge`].

use std::hash::BuildHasher;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input::CommentKey;
use crate::score::Stance;

/// Marks "no parent" in [`ReplyGraph::parents`].
pub const NO_PARENT: u32 = u32::MAX;

/// One thread: its key and its root comment.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadInfo {
    /// Thread id: the `thread` field, or the id of the root of the reply chain.
    pub key: String,
    /// Index of the thread's root comment (the first comment of the thread without a parent
    /// in the thread), if any.
    pub root: Option<u32>,
}

/// Reply links and thread membership of every comment, by input index.
#[derive(Debug, Clone, Default)]
pub struct ReplyGraph {
    /// Parent index per comment, or [`NO_PARENT`].
    pub parents: Vec<u32>,
    /// Thread index per comment.
    pub threads: Vec<u32>,
    /// Threads in order of first appearance.
    pub thread_info: Vec<ThreadInfo>,
    /// Comments whose `parent` names no comment in the dataset (they start their own thread).
    pub missing_parents: usize,
    /// Comments that come before their parent in the input.
    pub forward_replies: usize,
}

/// Comment ids -> input index. Holds only the indices (the ids are kept by the caller, who
/// names the id of an index with `id_of`): 4 bytes a slot, where a map keyed by `&str` took
/// 24, and this table is most of pass 1's peak memory at a million comments (#5). Hashed with
/// foldhash seeded at random for each run (hashbrown's default hasher), so a dataset cannot be
/// built to collide: SipHash, the standard library's, was ~10% of pass 1's reading thread at a
/// million comments (#5).
struct IdIndex {
    slots: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl Default for IdIndex {
    fn default() -> IdIndex {
        IdIndex::with_capacity(0)
    }
}

impl IdIndex {
    fn with_capacity(capacity: usize) -> IdIndex {
        IdIndex {
            slots: hashbrown::HashTable::with_capacity(capacity),
            hasher: hashbrown::DefaultHashBuilder::default(),
        }
    }

    /// Indexes comment `i` under `id`; if the id is already indexed, the index it has.
    fn insert<'k>(&mut self, i: u32, id: &str, id_of: impl Fn(u32) -> &'k str) -> Option<u32> {
        let hasher = &self.hasher;
        match self.slots.entry(
            hasher.hash_one(id),
            |&j| id_of(j) == id,
            |&j| hasher.hash_one(id_of(j)),
        ) {
            hashbrown::hash_table::Entry::Occupied(first) => Some(*first.get()),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(i);
                None
            }
        }
    }

    /// The input index of the comment with id `id`.
    fn get<'k>(&self, id: &str, id_of: impl Fn(u32) -> &'k str) -> Option<u32> {
        self.slots
            .find(self.hasher.hash_one(id), |&j| id_of(j) == id)
            .copied()
    }
}

impl ReplyGraph {
    /// Builds the graph; errors on duplicate ids and reply cycles. `place` names where the
    /// comment with a given input index is (only called to report a duplicate).
    pub fn build(keys: &[CommentKey], place: impl Fn(usize) -> String) -> Result<ReplyGraph> {
        let id_of = |j: u32| &*keys[j as usize].id;
        let mut index = IdIndex::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            if let Some(first) = index.insert(i as u32, &key.id, id_of) {
                return Err(Error::Dataset(format!(
                    "duplicate id `{}`: {} and {}; ids must be unique across all input files",
                    key.id,
                    place(first as usize),
                    place(i)
                )));
            }
        }
        let mut graph = ReplyGraph {
            parents: Vec::with_capacity(keys.len()),
            ..ReplyGraph::default()
        };
        for (i, key) in keys.iter().enumerate() {
            let parent = match key.parent.as_deref() {
                None => NO_PARENT,
                Some(p) => match index.get(p, id_of) {
                    Some(j) => {
                        if j as usize > i {
                            graph.forward_replies += 1;
                        }
                        j
                    }
                    None => {
                        graph.missing_parents += 1;
                        NO_PARENT
                    }
                },
            };
            graph.parents.push(parent);
        }
        let roots = find_roots(&graph.parents, keys)?;
        graph.assign_threads(keys, &roots);
        Ok(graph)
    }

    fn assign_threads(&mut self, keys: &[CommentKey], roots: &[u32]) {
        let mut by_key = IdIndex::with_capacity(0);
        self.threads = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            let thread_key: &str = key.thread.as_deref().unwrap_or(&keys[roots[i] as usize].id);
            let t = self.thread_named(thread_key, &mut by_key);
            self.threads.push(t);
        }
        for i in 0..keys.len() {
            self.note_root(i);
        }
    }

    /// The index of the thread named `key`, added (in order of first appearance) if new.
    fn thread_named(&mut self, key: &str, by_key: &mut IdIndex) -> u32 {
        let t = self.thread_info.len() as u32;
        let info = &self.thread_info;
        match by_key.insert(t, key, |j| &info[j as usize].key) {
            Some(known) => known,
            None => {
                self.thread_info.push(ThreadInfo {
                    key: key.to_string(),
                    root: None,
                });
                t
            }
        }
    }

    /// Makes comment `i` its thread's root if it is the first comment of the thread whose
    /// parent is not in the same thread (the parent's thread must be assigned).
    fn note_root(&mut self, i: usize) {
        let t = self.threads[i] as usize;
        let parent = self.parents[i];
        let parent_outside = parent == NO_PARENT || self.threads[parent as usize] as usize != t;
        if parent_outside && self.thread_info[t].root.is_none() {
            self.thread_info[t].root = Some(i as u32);
        }
    }

    /// Number of comments.
    pub fn len(&self) -> usize {
        self.parents.len()
    }

    /// True when there are no comments.
    pub fn is_empty(&self) -> bool {
        self.parents.is_empty()
    }

    /// The parent index of comment `i`, if it has a known parent.
    pub fn parent(&self, i: usize) -> Option<usize> {
        let p = self.parents[i];
        (p != NO_PARENT).then_some(p as usize)
    }
}

/// The root of every comment's reply chain, following parents iteratively; a cycle is an
/// error naming its ids.
fn find_roots(parents: &[u32], keys: &[CommentKey]) -> Result<Vec<u32>> {
    const UNSEEN: u32 = u32::MAX;
    const IN_PROGRESS: u32 = u32::MAX - 1;
    let mut root = vec![UNSEEN; parents.len()];
    let mut path = Vec::new();
    for start in 0..parents.len() {
        let mut i = start;
        path.clear();
        while root[i] == UNSEEN {
            root[i] = IN_PROGRESS;
            path.push(i);
            if parents[i] == NO_PARENT {
                root[i] = i as u32;
                break;
            }
            i = parents[i] as usize;
        }
        if root[i] == IN_PROGRESS {
            let at = path.iter().position(|&p| p == i).unwrap_or(0);
            let ids: Vec<&str> = path[at..].iter().map(|&p| &*keys[p].id).collect();
            return Err(Error::Dataset(format!(
                "reply cycle: {} -> {} (each replies to the next); fix the `parent` fields",
                ids.join(" -> "),
                ids[0]
            )));
        }
        let r = root[i];
        for &p in &path {
            root[p] = r;
        }
    }
    Ok(root)
}

/// Builds a [`ReplyGraph`] one comment at a time, in input order, while the comments are
/// scored. When every reply comes after its parent (the usual order of a dump, and of every
/// thread a `replies` tree or an importer writes), this gives [`ReplyGraph::build`]'s graph
/// without a first pass over the input (#5). What only the whole input can tell, it leaves to
/// [`ReplyGraph::build`]: a reply whose parent has not been seen yet (it comes later, or is
/// not in the dataset), and a duplicate id (named with both places, which only pass 1 keeps).
/// [`GraphBuilder::add`] says when the caller must build the whole graph instead.
#[derive(Default)]
pub struct GraphBuilder {
    graph: ReplyGraph,
    /// Every id so far, end to end (one allocation for all, not one per id), and where each
    /// ends: 4 bytes a comment, with the other per-comment vectors the graph's memory (#5).
    ids: String,
    id_ends: Vec<u32>,
    by_id: IdIndex,
    threads_by_key: IdIndex,
    /// The root of each comment's reply chain.
    roots: Vec<u32>,
}

/// Id `j` of ids stored end to end in `ids`, id `k` ending at `ends[k]`.
fn nth_id<'a>(ids: &'a str, ends: &[u32], j: usize) -> &'a str {
    let end = |k: usize| ends[k] as usize;
    &ids[j.checked_sub(1).map_or(0, end)..end(j)]
}

/// What [`GraphBuilder::add`] did with a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// The comment is in the graph.
    Added,
    /// Only the whole input's graph can place it: its parent has not been seen, or its id
    /// has (or the ids outgrow 4 GiB). Nothing was added.
    NeedsWholeGraph,
}

impl GraphBuilder {
    /// Adds the next comment of the input.
    pub fn add(&mut self, id: &str, parent: Option<&str>, thread: Option<&str>) -> Placed {
        let i = self.graph.len();
        let Ok(end) = u32::try_from(self.ids.len() + id.len()) else {
            return Placed::NeedsWholeGraph;
        };
        let (ids, ends) = (&self.ids, &self.id_ends);
        let id_of = |j: u32| nth_id(ids, ends, j as usize);
        let parent = match parent {
            None => NO_PARENT,
            Some(p) => match self.by_id.get(p, id_of) {
                Some(j) => j,
                None => return Placed::NeedsWholeGraph,
            },
        };
        if self.by_id.insert(i as u32, id, id_of).is_some() {
            return Placed::NeedsWholeGraph;
        }
        self.ids.push_str(id);
        self.id_ends.push(end);
        let root = match parent {
            NO_PARENT => i as u32,
            p => self.roots[p as usize],
        };
        self.roots.push(root);
        self.graph.parents.push(parent);
        let root_id = nth_id(&self.ids, &self.id_ends, root as usize);
        let t = self
            .graph
            .thread_named(thread.unwrap_or(root_id), &mut self.threads_by_key);
        self.graph.threads.push(t);
        self.graph.note_root(i);
        Placed::Added
    }

    /// The graph of the comments added so far.
    pub fn graph(&self) -> &ReplyGraph {
        &self.graph
    }

    /// The graph of the comments added so far, without the ids index.
    pub fn into_graph(self) -> ReplyGraph {
        self.graph
    }
}

/// Per-thread counts of comments by stance and flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ThreadStats {
    /// Thread id.
    pub thread: String,
    /// Id of the thread's root comment.
    pub root_id: Option<String>,
    /// Author of the root comment.
    pub root_author: Option<String>,
    /// Number of comments.
    pub comments: u64,
    /// Count per stance, in [`Stance::ALL`] order.
    pub stances: [u64; 4],
    /// Count per flag category, in lexicon order (flags only).
    pub flags: Vec<u64>,
}

impl ThreadStats {
    /// Empty stats for a thread with `flags` flag categories.
    pub fn new(thread: String, flags: usize) -> ThreadStats {
        ThreadStats {
            thread,
            flags: vec![0; flags],
            ..ThreadStats::default()
        }
    }

    /// Counts one comment.
    pub fn add(&mut self, stance: Stance, flags: impl Iterator<Item = bool>) {
        self.comments += 1;
        self.stances[stance as usize] += 1;
        for (count, set) in self.flags.iter_mut().zip(flags) {
            *count += set as u64;
        }
    }

    /// Adds another part's stats of the same thread.
    pub fn merge(&mut self, other: &ThreadStats) {
        self.comments += other.comments;
        for (a, b) in self.stances.iter_mut().zip(other.stances) {
            *a += b;
        }
        for (a, b) in self.flags.iter_mut().zip(&other.flags) {
            *a += b;
        }
        if self.root_id.is_none() {
            self.root_id.clone_from(&other.root_id);
            self.root_author.clone_from(&other.root_author);
        }
    }

    /// The stance most comments take; ties go to the earlier stance in
    /// `pro-boundary, pro-friendship, mixed, neutral` order; none for an empty thread.
    pub fn dominant(&self) -> Option<Stance> {
        let best = *self.stances.iter().max()?;
        (best > 0).then(|| Stance::ALL[self.stances.iter().position(|&c| c == best).unwrap_or(0)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, parent: Option<&str>) -> CommentKey {
        CommentKey {
            id: id.into(),
            parent: parent.map(Into::into),
            thread: None,
        }
    }

    fn place(i: usize) -> String {
        format!("t:{}", i + 1)
    }

    #[test]
    fn threads_follow_reply_chains() {
        let keys = vec![
            key("a", None),
            key("b", Some("a")),
            key("c", None),
            key("d", Some("b")),
            key("e", Some("zz")),
        ];
        let g = ReplyGraph::build(&keys, place).unwrap();
        assert_eq!(g.threads, vec![0, 0, 1, 0, 2]);
        assert_eq!(g.missing_parents, 1);
        assert_eq!(g.thread_info[0].key, "a");
    }

    #[test]
    fn cycles_and_duplicates_are_errors() {
        let keys = vec![key("a", Some("b")), key("b", Some("a"))];
        let err = ReplyGraph::build(&keys, place).unwrap_err().to_string();
        assert!(
            err.contains("reply cycle") && err.contains("a") && err.contains("b"),
            "{err}"
        );
        let keys = vec![key("a", None), key("a", None)];
        let err = ReplyGraph::build(&keys, place).unwrap_err().to_string();
        assert!(err.contains("duplicate id `a`: t:1 and t:2"), "{err}");
    }

    /// The keys added one by one to a [`GraphBuilder`], or the index of the first one it
    /// leaves to the whole graph.
    fn grown(keys: &[CommentKey]) -> std::result::Result<ReplyGraph, usize> {
        let mut builder = GraphBuilder::default();
        for (i, key) in keys.iter().enumerate() {
            let placed = builder.add(&key.id, key.parent.as_deref(), key.thread.as_deref());
            if placed == Placed::NeedsWholeGraph {
                return Err(i);
            }
        }
        Ok(builder.into_graph())
    }

    #[test]
    fn grown_graphs_equal_built_ones_while_replies_follow_parents() {
        let mut keys = vec![
            key("a", None),
            key("b", Some("a")),
            key("c", None),
            key("d", Some("b")),
            key("e", Some("c")),
        ];
        keys[2].thread = Some("a".into());
        keys[4].thread = Some("own".into());
        let built = ReplyGraph::build(&keys, place).unwrap();
        let one_by_one = grown(&keys).unwrap();
        assert_eq!(one_by_one.parents, built.parents);
        assert_eq!(one_by_one.threads, built.threads);
        assert_eq!(one_by_one.thread_info, built.thread_info);
        assert_eq!(built.threads, vec![0, 0, 0, 0, 1]);
        // A reply before its parent, to no comment, or a second use of an id: only the
        // whole input tells which.
        assert_eq!(
            grown(&[key("b", Some("a")), key("a", None)]).unwrap_err(),
            0
        );
        assert_eq!(
            grown(&[key("a", None), key("b", Some("zz"))]).unwrap_err(),
            1
        );
        let twice = [key("a", None), key("b", Some("a")), key("a", None)];
        assert_eq!(grown(&twice).unwrap_err(), 2);
    }

    #[test]
    fn deep_chains_do_not_recurse() {
        let n = 200_000;
        let keys: Vec<CommentKey> = (0..n)
            .map(|i| CommentKey {
                id: i.to_string().into(),
                parent: (i > 0).then(|| (i - 1).to_string().into()),
                thread: None,
            })
            .collect();
        let g = ReplyGraph::build(&keys, place).unwrap();
        assert_eq!(g.thread_info.len(), 1);
    }
}
