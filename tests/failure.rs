//! Failure behavior (#7): an output file is replaced only by a finished run, a full disk is a
//! clear error (exit 1), a closed stdout is a quiet success, in every output format.

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::process::{Command, Stdio};

use crate::util::{fixture, p, stance, Workdir};

fn leftover_temp_files(dir: &Workdir) -> Vec<String> {
    fs::read_dir(dir.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".stance-"))
        .collect()
}

/// 3,000 good comments, then one that only the full parse rejects (so rows were already
/// written to the temporary file when the run fails), then more good ones.
fn fails_late(dir: &Workdir) -> std::path::PathBuf {
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!("{{\"id\":{i},\"text\":\"We stayed friends.\"}}\n"));
    }
    text.push_str("{\"id\":\"late\",\"text\":\"x\",\"author\":5}\n");
    text.push_str("{\"id\":\"after\",\"text\":\"x\"}\n");
    dir.write("late.jsonl", text)
}

#[test]
fn a_failed_run_leaves_the_previous_output_untouched_and_no_temp_file() {
    let dir = Workdir::new();
    let out = dir.path("out.csv");
    let out_s = p(&out).to_string();
    let small = fixture("small.json");
    stance(&["analyze", "--level", "comment", p(&small), "-o", &out_s]).ok();
    let good = fs::read(&out).unwrap();
    assert!(!good.is_empty());
    let late = fails_late(&dir);
    let early = dir.write("early.jsonl", "{\"id\":1,\"text\":\"x\"}\nnot json\n");
    for input in [&late, &early] {
        for level in ["comment", "thread"] {
            let run = stance(&["analyze", "--level", level, p(input), "-o", &out_s]);
            assert_eq!(run.code, 1, "{}", run.stderr);
            assert!(run.stderr.contains(".jsonl:"), "{}", run.stderr);
            assert_eq!(fs::read(&out).unwrap(), good, "{level} {}", input.display());
            assert_eq!(leftover_temp_files(&dir), Vec::<String>::new());
        }
    }
    // A good run replaces it, readable by others (not the temporary file's 0600).
    stance(&["analyze", p(&small), "-o", &out_s]).ok();
    assert_ne!(fs::read(&out).unwrap(), good);
    assert_eq!(leftover_temp_files(&dir), Vec::<String>::new());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }
}

#[test]
fn output_paths_that_cannot_be_written_are_clear_errors() {
    let dir = Workdir::new();
    let small = fixture("small.json");
    let run = stance(&["analyze", p(&small), "-o", p(&dir.path("no/such/out.csv"))]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("No such file or directory"),
        "{}",
        run.stderr
    );
    fs::create_dir(dir.path("taken")).unwrap();
    let run = stance(&["analyze", p(&small), "-o", p(&dir.path("taken"))]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("taken: "), "{}", run.stderr);
    assert_eq!(leftover_temp_files(&dir), Vec::<String>::new());
}

/// Runs `stance ARGS` with stdout on /dev/full.
fn to_dev_full(args: &[&str]) -> (i32, String) {
    let full = OpenOptions::new().write(true).open("/dev/full").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_full_disk_is_a_clear_error() {
    if File::open("/dev/full").is_err() {
        return; // not Linux
    }
    let seed = fixture("goodtherapy.json");
    let seed = p(&seed);
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for level in ["thread", "comment"] {
        for format in ["csv", "json", "jsonl"] {
            runs.push(vec!["analyze", "--level", level, "-f", format, seed]);
        }
    }
    runs.push(vec!["eval", seed]);
    runs.push(vec!["eval", "-f", "json", "--errors", seed]);
    runs.push(vec!["lexicon", "check"]);
    for args in runs {
        let (code, stderr) = to_dev_full(&args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains("No space left on device"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_closed_stdout_is_a_quiet_success_in_every_format() {
    let dir = Workdir::new();
    let input = crate::util::big_jsonl(&dir, 20_000);
    for level in ["comment", "thread"] {
        for format in ["csv", "json", "jsonl"] {
            let mut child = Command::new(env!("CARGO_BIN_EXE_stance"))
                .args(["analyze", "--level", level, "-f", format, p(&input)])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdout = child.stdout.take().unwrap();
            let mut first = [0u8; 10];
            stdout.read_exact(&mut first).unwrap();
            drop(stdout);
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(0), "{level} {format}: {stderr}");
            assert!(stderr.is_empty(), "{level} {format}: {stderr}");
        }
    }
}

#[test]
fn lexicons_flag_pointing_at_a_file_is_a_usage_error() {
    let small = fixture("small.json");
    let run = stance(&["analyze", "--lexicons", p(&small), p(&small)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is not a folder"), "{}", run.stderr);
    // Pole files present but empty: valid, every comment neutral.
    let dir = Workdir::new();
    dir.write("lex/pro_boundary.txt", "");
    dir.write("lex/pro_friendship.txt", "# nothing yet\n");
    let rows = stance(&["analyze", "--lexicons", p(&dir.path("lex")), p(&small)])
        .ok()
        .csv();
    assert!(
        rows.iter().all(|r| r["dominant_stance"] == "neutral"),
        "{rows:?}"
    );
}
