//! `stance report`: the HTML page, checked without a browser (scripts/check_report.sh renders
//! it in Chromium): escaping of hostile input, self-containment, one bar per thread, every
//! comment present and nested by reply depth, provenance, determinism.

use crate::util::{fixture, p, stance, stance_stdin, Workdir};

/// The seed, relative to the project root (tests run there).
const SEED: &str = "fixtures/goodtherapy.json";

fn report(args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    stance(&all).ok().stdout
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Thread and comment counts as `analyze` sees them.
fn dataset_size(files: &[&str]) -> (usize, usize) {
    let mut threads = vec!["analyze", "--format", "jsonl"];
    threads.extend_from_slice(files);
    let mut comments = vec!["analyze", "--level", "comment", "--format", "jsonl"];
    comments.extend_from_slice(files);
    (
        stance(&threads).ok().jsonl().len(),
        stance(&comments).ok().jsonl().len(),
    )
}

#[test]
fn hostile_text_is_shown_as_text() {
    let html = report(&[p(&fixture("hostile.json"))]);
    // Only the page's own script element; the comment's script is text.
    assert_eq!(count(&html, "<script"), 1, "{html}");
    assert!(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;;"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b id=\"pwned-id\""));
    assert!(!html.contains("<div id=\"pwned"));
    // The author named like a script, in the table, the chart and the comment header.
    assert!(!html.contains("<script>document.title='pwned-author'"));
    assert!(html.contains("&lt;script&gt;document.title=&#39;pwned-author&#39;&lt;/script&gt;"));
    // Closing tags inside a comment do not close the page's elements.
    assert!(html.contains("&lt;/details&gt;&lt;/article&gt;&lt;div id=&quot;pwned-close&quot;&gt;"));
    // Every <details>/<article> opened is closed exactly once.
    assert_eq!(count(&html, "<details"), count(&html, "</details>"));
    assert_eq!(count(&html, "<article"), count(&html, "</article>"));
}

#[test]
fn the_page_is_self_contained() {
    let html = report(&[p(&fixture("goodtherapy.json")), p(&fixture("hostile.json"))]);
    let remote =
        regex::Regex::new(r#"(?i)(src|href|xlink:href|action)\s*=\s*["']?\s*(https?:)?//"#)
            .unwrap();
    assert!(remote.find(&html).is_none(), "{:?}", remote.find(&html));
    assert!(!html.contains("@import"));
    assert!(!html.contains("url(http"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
    assert!(html.starts_with("<!DOCTYPE html>"));
}

#[test]
fn one_bar_per_thread_and_every_comment() {
    let seed = SEED;
    let (threads, comments) = dataset_size(&[seed]);
    assert_eq!((threads, comments), (29, 47));
    let html = report(&[seed]);
    let start = html.find("<svg id=\"thread-bars\"").expect("thread chart");
    let end = start + html[start..].find("</svg>").unwrap();
    assert_eq!(count(&html[start..end], "<g class=\"thread-bar\""), threads);
    assert_eq!(count(&html, "<g class=\"thread-bar\""), threads);
    assert_eq!(count(&html, "<g class=\"stance-bar\""), 4);
    assert_eq!(count(&html, "<article class=\"comment"), comments);
    assert_eq!(count(&html, "<details class=\"thread\""), threads);
    assert!(html.contains(&format!("id=\"comment-count\">{comments}<")));
    assert!(html.contains(&format!("id=\"thread-count\">{threads}<")));
    // Headline: harm stories and professional voices are counted.
    assert!(html.contains("harm stories"));
    assert!(html.contains("professional voices"));
    // Evidence is highlighted in the text.
    assert!(html.contains("<mark class=\"m-b\""));
    assert!(html.contains("<mark class=\"m-f\""));
}

#[test]
fn replies_are_nested_by_depth() {
    let html = report(&[p(&fixture("hostile.json"))]);
    let depths: Vec<&str> = html
        .split("<article class=\"comment")
        .skip(1)
        .map(|s| {
            let s = &s[s.find("data-depth=\"").unwrap() + 12..];
            &s[..s.find('"').unwrap()]
        })
        .collect();
    assert_eq!(depths, ["0", "1", "2", "3"]);
}

#[test]
fn a_very_deep_reply_chain_does_not_overflow() {
    let mut lines = String::from("{\"id\":\"0\",\"text\":\"root\"}\n");
    for i in 1..20_000 {
        lines.push_str(&format!(
            "{{\"id\":\"{i}\",\"parent\":\"{}\",\"text\":\"reply\"}}\n",
            i - 1
        ));
    }
    let run = stance_stdin(&["report"], lines.as_bytes()).ok();
    assert_eq!(count(&run.stdout, "<article class=\"comment"), 20_000);
    assert!(run.stdout.contains("data-depth=\"19999\""));
    // Indentation stops growing; the depth is still shown.
    assert!(!run.stdout.contains("--d:19999"));
    assert!(run.stdout.contains("reply depth 19999"));
}

#[test]
fn provenance_names_lexicons_hash_and_version() {
    let seed = SEED;
    let builtin = report(&[seed]);
    assert!(builtin.contains("<code id=\"lexicon-source\">built-in</code>"));
    assert!(builtin.contains(&format!(
        "<span id=\"tool-version\">{}</span>",
        env!("CARGO_PKG_VERSION")
    )));
    let hash = |html: &str| {
        let at = html.find("id=\"lexicon-sha256\" title=\"").unwrap() + 27;
        html[at..at + 64].to_string()
    };
    assert!(hash(&builtin).chars().all(|c| c.is_ascii_hexdigit()));

    // The same lexicons written out give the same hash; one more entry changes it.
    let dir = Workdir::new();
    let lex = dir.path("lex");
    stance(&["lexicon", "init", p(&lex)]).ok();
    let copied = report(&["--lexicons", p(&lex), seed]);
    assert_eq!(hash(&copied), hash(&builtin));
    let extra =
        std::fs::read_to_string(lex.join("pro_boundary.txt")).unwrap() + "\nzebra crossing\n";
    std::fs::write(lex.join("pro_boundary.txt"), extra).unwrap();
    let changed = report(&["--lexicons", p(&lex), seed]);
    assert_ne!(hash(&changed), hash(&builtin));
}

#[test]
fn same_page_at_any_thread_count_and_to_a_file() {
    let seed = SEED;
    let one = report(&["-j", "1", seed]);
    let many = report(&["-j", "4", seed]);
    assert_eq!(one, many);
    let dir = Workdir::new();
    let out = dir.path("report.html");
    let run = stance(&["report", seed, "-o", p(&out)]).ok();
    assert!(run.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), one);
}

#[test]
fn title_flag_is_escaped() {
    let html = report(&["--title", "A <b>&</b> B", p(&fixture("small.json"))]);
    assert!(html.contains("<title>A &lt;b&gt;&amp;&lt;/b&gt; B</title>"));
}
