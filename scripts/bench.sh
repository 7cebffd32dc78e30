#!/usr/bin/env bash
# Benchmark of issue #5: times `stance` against a parse-only baseline and two VADER
# implementations on generated corpora, and writes a Markdown report (see OUT). It also times
# the parse plus a bare aho-corasick scan of every lexicon phrase (`parse_only --scan`), the
# yardstick the issue names: how close `stance` comes to what scanning its lexicon alone costs.
#
# Usage: scripts/bench.sh            (REPS=3 SIZES="100000 1000000" by default)
#   REPS=N        rounds; each round runs every program once, and the median of each
#                 program's runs is reported
#   SIZES="..."   corpus sizes in comments (corpora go to target/bench/, not committed)
#   THREADS=N     worker threads for the parallel runs (default: nproc)
#   VADER_LIMIT=N comments scored by the Rust vader_sentiment crate (default 100000; it is
#                 slow, so larger corpora use their first N lines and report comments/s)
#   PY_LIMIT=N    comments scored by Python vaderSentiment (default 10000; same scaling)
#   OUT=FILE      where the tables go (default target/bench/BENCHMARKS.md; BENCHMARKS.md at the
#                 top of the project quotes a run and adds the instruction counts and history)
#
# Needs: cargo, python3 with vaderSentiment (`pip install vaderSentiment`), and GNU time at
# /usr/bin/time for peak RSS (`apt-get install time` if missing; the script tries it).
# Wall time is measured around each run with `date +%s.%N`; peak RSS is `/usr/bin/time -v`'s
# "Maximum resident set size". Outputs go to /dev/null.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${REPS:-3}"
SIZES="${SIZES:-100000 1000000}"
THREADS="${THREADS:-$(nproc)}"
VADER_LIMIT="${VADER_LIMIT:-100000}"
PY_LIMIT="${PY_LIMIT:-10000}"
OUT="${OUT:-target/bench/BENCHMARKS.md}"
DIR=target/bench
mkdir -p "$DIR"

if [ ! -x /usr/bin/time ]; then
    echo "bench: installing GNU time for peak RSS (apt-get install time)" >&2
    (apt-get install -y time || sudo apt-get install -y time) >&2
fi
python3 -c 'import vaderSentiment' 2>/dev/null || python3 -m pip install --quiet vaderSentiment

cargo build --release --quiet --bin stance --example gen_corpus --example parse_only \
    --example vader_bench
BIN=target/release
RESULTS="$DIR/results.tsv"
: >"$RESULTS"

RUNS="$DIR/runs"

# run_once NAME SIZE THREADS COMMENTS BYTES -- COMMAND...: one run; appends its wall time,
# peak RSS (KB) and CPU time to $RUNS/NAME-SIZE-THREADS.
run_once() {
    local name="$1" size="$2" threads="$3"
    shift 6
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -v -o "$DIR/time.txt" "$@" >/dev/null 2>"$DIR/stderr.txt" || {
        echo "bench: $name failed:" >&2
        cat "$DIR/stderr.txt" >&2
        exit 1
    }
    end=$(date +%s.%N)
    printf '%s %s %s\n' "$(echo "$end - $start" | bc)" \
        "$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DIR/time.txt")" \
        "$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$DIR/time.txt")" \
        >>"$RUNS/$name-$size-$threads"
}

# summarize NAME SIZE THREADS COMMENTS BYTES -- COMMAND...: the medians of that measurement's
# runs (wall time, peak RSS, CPU time), appended to $RESULTS (the command is not run).
summarize() {
    local name="$1" size="$2" threads="$3" comments="$4" bytes="$5"
    local runs="$RUNS/$name-$size-$threads" t r c
    median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
    t=$(awk '{print $1}' "$runs" | median)
    r=$(awk '{print $2}' "$runs" | median)
    c=$(awk '{print $3}' "$runs" | median)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$size" "$threads" "$comments" "$bytes" "$t" "$r" "$c" >>"$RESULTS"
    echo "bench: $name size=$size threads=$threads: ${t}s, ${r} KB peak RSS (runs: $(awk '{print $1}' "$runs" | tr '\n' ' '))" >&2
}

# every_program ACTION SIZE: calls ACTION (run_once or summarize) for each program timed on the
# corpus of SIZE comments, in one fixed order.
every_program() {
    local action="$1" size="$2" t
    local corpus="$DIR/corpus-$size.jsonl"
    local bytes vbytes pbytes
    bytes=$(stat -L -c %s "$corpus")
    for t in 1 "$THREADS"; do
        "$action" parse_only "$size" "$t" "$size" "$bytes" -- \
            "$BIN/examples/parse_only" "$corpus" "$t"
        [ "$t" = "$THREADS" ] && break
    done
    "$action" lexicon_scan "$size" "$THREADS" "$size" "$bytes" -- \
        "$BIN/examples/parse_only" "$corpus" "$THREADS" --scan
    for t in 1 "$THREADS"; do
        "$action" stance_comment "$size" "$t" "$size" "$bytes" -- \
            "$BIN/stance" analyze --level comment --format jsonl --threads "$t" "$corpus"
        "$action" stance_thread "$size" "$t" "$size" "$bytes" -- \
            "$BIN/stance" analyze --threads "$t" "$corpus"
        [ "$t" = "$THREADS" ] && break
    done
    vbytes=$(stat -L -c %s "$DIR/vader-sub-$size.jsonl")
    "$action" vader_crate "$size" "$THREADS" "$(wc -l <"$DIR/vader-sub-$size.jsonl")" "$vbytes" -- \
        env RAYON_NUM_THREADS="$THREADS" "$BIN/examples/vader_bench" "$DIR/vader-sub-$size.jsonl"
    pbytes=$(stat -L -c %s "$DIR/py-sub-$size.jsonl")
    "$action" vader_python "$size" "$THREADS" "$(wc -l <"$DIR/py-sub-$size.jsonl")" "$pbytes" -- \
        python3 scripts/vader_bench.py "$DIR/py-sub-$size.jsonl" all "$THREADS"
}

rm -rf "$RUNS"
mkdir -p "$RUNS"
for size in $SIZES; do
    corpus="$DIR/corpus-$size.jsonl"
    [ -s "$corpus" ] || "$BIN/examples/gen_corpus" "$size" "$corpus"
    # The baselines are slow: they score the first N lines of the corpus.
    head -n "$(( size < VADER_LIMIT ? size : VADER_LIMIT ))" "$corpus" >"$DIR/vader-sub-$size.jsonl"
    head -n "$(( size < PY_LIMIT ? size : PY_LIMIT ))" "$corpus" >"$DIR/py-sub-$size.jsonl"
    # Rounds: every program runs once per round, so the load of this shared machine, which
    # drifts over minutes, weighs on every program alike and the ratios of one run compare
    # programs timed minutes apart at most, not a whole size's measurements apart.
    for _ in $(seq "$REPS"); do
        every_program run_once "$size"
    done
    every_program summarize "$size"
done

python3 - "$RESULTS" "$OUT" "$THREADS" "$REPS" "$VADER_LIMIT" "$PY_LIMIT" <<'PY'
import sys, platform, subprocess
results, out, threads, reps, vlimit, plimit = sys.argv[1:7]
rows = [l.rstrip("\n").split("\t") for l in open(results)]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
label = {
    "stance_comment": "`stance analyze --level comment --format jsonl`",
    "stance_thread": "`stance analyze` (thread CSV)",
    "parse_only": "parse only (serde_json, `examples/parse_only.rs`)",
    "lexicon_scan": "parse + bare scan of every lexicon phrase (aho-corasick DFA, `parse_only --scan`)",
    "vader_crate": "Rust `vader_sentiment` crate (`examples/vader_bench.rs`)",
    "vader_python": "Python `vaderSentiment` (`scripts/vader_bench.py`)",
}
rate = {}
lines = [
    "# Benchmarks",
    "",
    f"Made by `scripts/bench.sh` on {nproc} cores ({cpu}), {platform.system()}; "
    f"median of {reps} runs each, taken in rounds (each round runs every program once, so "
    "load that drifts over minutes weighs on all alike). "
    "Corpora from `cargo run --release --example gen_corpus -- N OUT` "
    "(seed sentences, threads of ~20, ~10% replies). The Rust VADER crate scores the first "
    f"{vlimit} comments and Python VADER the first {plimit} (in {threads} processes); their "
    "comments/s come from those subsets. Wall time includes start-up and reading the file; "
    "output goes to /dev/null. The machine is shared with other jobs, so wall times are noisy; "
    "CPU s (user + system, from `/usr/bin/time -v`) is steadier. Ratios below use wall time. "
    "Parse-only with more than 1 thread reads lines on one thread and parses them on a pool of "
    "that many, as `stance` reads them.",
    "",
    "| corpus | program | threads | comments timed | median s | comments/s | MB/s | peak RSS MB | CPU s | comments per CPU s |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
]
for name, size, t, n, nbytes, secs, rss, cpu in rows:
    secs = float(secs); n = int(n); nbytes = int(nbytes); cpu = float(cpu)
    cps = n / secs
    rate[(name, size, t)] = cps
    lines.append(f"| {int(size):,} | {label[name]} | {t} | {n:,} | {secs:.2f} | {cps:,.0f} | "
                 f"{nbytes / secs / 1e6:.1f} | {int(rss) / 1024:.0f} | {cpu:.2f} | "
                 f"{f'{n / cpu:,.0f}' if cpu > 0 else '-'} |")
lines += ["", "## Floors of issue #5", "",
          "| corpus | ratio | threads | value | floor | met |", "|---|---|---:|---:|---:|:---:|"]
for size in dict.fromkeys(r[1] for r in rows):
    sc = rate.get(("stance_comment", size, threads))
    checks = []
    if ("vader_crate", size, threads) in rate:
        checks.append(("stance comment / vader crate throughput", threads,
                       sc / rate[("vader_crate", size, threads)], 10, True))
    if ("vader_python", size, threads) in rate:
        checks.append(("stance comment / Python VADER throughput", threads,
                       sc / rate[("vader_python", size, threads)], 200, True))
    p = rate[("parse_only", size, "1")]
    s1 = rate.get(("stance_comment", size, "1"))
    if s1:
        checks.append(("stance comment time / parse-only time", "1 vs 1", p / s1, 8, False))
    checks.append((f"stance comment time / parse-only time", f"{threads} vs 1", p / sc, 8, False))
    p_same = rate.get(("parse_only", size, threads))
    if p_same and threads != "1":
        checks.append((f"stance comment time / parse-only time", f"{threads} vs {threads}",
                       p_same / sc, 8, False))
    for name, t, value, floor, higher in checks:
        ok = value >= floor if higher else value <= floor
        bound = f">= {floor}" if higher else f"<= {floor}"
        lines.append(f"| {int(size):,} | {name} | {t} | {value:.1f}x | {bound} | {'yes' if ok else 'NO'} |")
    scan = rate.get(("lexicon_scan", size, threads))
    if scan:
        # A yardstick, not a floor: issue #5's goal is that the lexicon scan sets the speed.
        lines.append(f"| {int(size):,} | stance comment time / (parse + bare lexicon scan) time | "
                     f"{threads} vs {threads} | {scan / sc:.2f}x | (yardstick) | - |")
    rss = [r for r in rows if r[0] == "stance_thread" and r[1] == size and r[2] == threads]
    if rss:
        mb = int(rss[0][6]) / 1024
        lines.append(f"| {int(size):,} | peak RSS, thread level | {threads} | {mb:.0f} MB | < 200 MB | {'yes' if mb < 200 else 'NO'} |")
lines += ["", "Rerun with `scripts/bench.sh` (see its header for REPS, SIZES, THREADS, VADER_LIMIT, PY_LIMIT).", ""]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY
