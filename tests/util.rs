//! Test helpers: a temporary work folder per test and a runner for the real binary.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The project root (fixtures live under it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Path of a bundled fixture.
pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// A temporary folder that lives as long as the test.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file (bytes or text) and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, contents).unwrap();
        path
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// A finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Asserts success and returns self.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        self
    }

    /// Parses stdout as CSV into header + records.
    pub fn csv(&self) -> Vec<std::collections::BTreeMap<String, String>> {
        parse_csv(&self.stdout)
    }

    /// Parses stdout as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }

    /// Parses stdout as JSON Lines.
    pub fn jsonl(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

/// Parses CSV text into rows keyed by column name.
pub fn parse_csv(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The CSV header of stdout.
pub fn csv_header(text: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader.headers().unwrap().iter().map(String::from).collect()
}

/// Runs `stance ARGS` with no stdin.
pub fn stance(args: &[&str]) -> Run {
    stance_in(args, None, &[])
}

/// Runs `stance ARGS` feeding `stdin`.
pub fn stance_stdin(args: &[&str], stdin: &[u8]) -> Run {
    stance_in(args, Some(stdin), &[])
}

/// Runs `stance ARGS` with optional stdin and extra environment.
pub fn stance_in(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stance"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run stance");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    Run::from(child.wait_with_output().unwrap())
}

/// Path as &str.
pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Writes `big.jsonl` with `n` one-line comments into `dir` (for broken-pipe tests).
pub fn big_jsonl(dir: &Workdir, n: usize) -> PathBuf {
    let mut big = String::new();
    for i in 0..n {
        big.push_str(&format!(
            "{{\"id\":{i},\"text\":\"We became good friends after therapy.\"}}\n"
        ));
    }
    dir.write("big.jsonl", big)
}
