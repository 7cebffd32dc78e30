//! Fuzz target: the article-page importer (`stance import --from page`). Any text must give
//! a page or a clean `Err`; the comments it finds must form a valid reply graph (unique ids,
//! parents that exist and come first, no cycles).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stance::input::{page, CommentKey};
use stance::thread::ReplyGraph;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = page::looks_like_page(&text);
    let Ok(parsed) = page::parse(&text, "fuzz") else {
        return;
    };
    let keys: Vec<CommentKey> = parsed
        .comments
        .iter()
        .map(|c| CommentKey {
            id: c.id.as_str().into(),
            parent: c.parent.as_deref().map(Into::into),
            thread: c.thread.as_deref().map(Into::into),
        })
        .collect();
    let graph = ReplyGraph::build(&keys, |i| format!("comment {i}"));
    assert!(graph.is_ok(), "page replies do not form a reply graph");
    assert_eq!(graph.map(|g| g.missing_parents).unwrap_or(0), 0);
});
