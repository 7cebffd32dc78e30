//! The reply graph, thread ids, and per-thread aggregates.
//!
//! [`ReplyGraph::build`] takes every comment's keys (id, parent, thread field) in input order,
//! checks the dataset (duplicate ids, reply cycles, missing parents) and gives each comment its
//! parent's index and its thread. It never recurses, so a 100,000-deep reply chain is fine.
//! [`ThreadStats`] counts stances and flags per thread; stats of the same thread from
//! different parts of a dataset add up with [`ThreadStats::merge`].

use std::collections::HashMap;
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

/// Comment ids -> input index. Holds only the indices (the ids stay in `keys`): 4 bytes a
/// slot, where a map keyed by `&str` took 24, and this table is most of pass 1's peak memory
/// at a million comments (#5). Hashed with foldhash seeded at random for each run (hashbrown's
/// default hasher), so a dataset cannot be built to collide: SipHash, the standard library's,
/// was ~10% of pass 1's reading thread at a million comments (#5).
struct IdIndex<'k> {
    keys: &'k [CommentKey],
    slots: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl<'k> IdIndex<'k> {
    /// Indexes every id of `keys`; `duplicate(first, second)` makes the error for an id seen
    /// twice.
    fn build(
        keys: &'k [CommentKey],
        duplicate: impl Fn(usize, usize) -> Error,
    ) -> Result<IdIndex<'k>> {
        let mut index = IdIndex {
            keys,
            slots: hashbrown::HashTable::with_capacity(keys.len()),
            hasher: hashbrown::DefaultHashBuilder::default(),
        };
        for (i, key) in keys.iter().enumerate() {
            let hash = index.hasher.hash_one(&*key.id);
            let id_of = |j: &u32| &*keys[*j as usize].id;
            let hasher = &index.hasher;
            match index.slots.entry(
                hash,
                |j| id_of(j) == &*key.id,
                |j| hasher.hash_one(id_of(j)),
            ) {
                hashbrown::hash_table::Entry::Occupied(first) => {
                    return Err(duplicate(*first.get() as usize, i))
                }
                hashbrown::hash_table::Entry::Vacant(slot) => {
                    slot.insert(i as u32);
                }
            }
        }
        Ok(index)
    }

    /// The input index of the comment with id `id`.
    fn get(&self, id: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(id);
        self.slots
            .find(hash, |&j| &*self.keys[j as usize].id == id)
            .copied()
    }
}

impl ReplyGraph {
    /// Builds the graph; errors on duplicate ids and reply cycles. `place` names where the
    /// comment with a given input index is (only called to report a duplicate).
    pub fn build(keys: &[CommentKey], place: impl Fn(usize) -> String) -> Result<ReplyGraph> {
        let index = IdIndex::build(keys, |first, i| {
            Error::Dataset(format!(
                "duplicate id `{}`: {} and {}; ids must be unique across all input files",
                keys[i].id,
                place(first),
                place(i)
            ))
        })?;
        let mut graph = ReplyGraph {
            parents: Vec::with_capacity(keys.len()),
            ..ReplyGraph::default()
        };
        for (i, key) in keys.iter().enumerate() {
            let parent = match key.parent.as_deref() {
                None => NO_PARENT,
                Some(p) => match index.get(p) {
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
        // foldhash, seeded at random per run, as for [`IdIndex`] (#5).
        let mut by_key: HashMap<&str, u32, hashbrown::DefaultHashBuilder> = HashMap::default();
        self.threads = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            let thread_key: &str = key.thread.as_deref().unwrap_or(&keys[roots[i] as usize].id);
            let t = match by_key.get(thread_key) {
                Some(&t) => t,
                None => {
                    let t = self.thread_info.len() as u32;
                    by_key.insert(thread_key, t);
                    self.thread_info.push(ThreadInfo {
                        key: thread_key.to_string(),
                        root: None,
                    });
                    t
                }
            };
            self.threads.push(t);
        }
        // A thread's root: the first comment in it whose parent is not in the same thread.
        for i in 0..keys.len() {
            let t = self.threads[i] as usize;
            let parent = self.parents[i];
            let parent_outside = parent == NO_PARENT || self.threads[parent as usize] as usize != t;
            if parent_outside && self.thread_info[t].root.is_none() {
                self.thread_info[t].root = Some(i as u32);
            }
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
