#!/usr/bin/env bash
# Instruction counts for issue #5: the same programs as scripts/bench.sh, on one thread, under
# valgrind (callgrind), so the ratios do not depend on what else the machine is doing. Wall time
# (scripts/bench.sh) is what users feel; instructions are what our code decides, and they are
# steady on a shared machine. Mispredicted branches per comment come from cachegrind's branch
# simulator (start-up, measured on an empty file, subtracted): on this project they decided as
# much of the time as instructions did (#5). Python VADER gets no such count (too slow there).
#
# Usage: scripts/bench_instructions.sh        (N=5000 comments, PY_N=200 for Python VADER)
#   N=...      comments taken from the 100k corpus for the Rust programs
#   PY_N=...   comments for Python VADER (it is ~100x slower under valgrind)
#
# Needs valgrind (`apt-get install valgrind`; the script tries) and the corpus of scripts/bench.sh
# (generated here if missing). Prints Markdown tables of instructions and mispredicted branches
# per comment, and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-5000}"
PY_N="${PY_N:-200}"
DIR=target/bench
mkdir -p "$DIR"
if ! command -v valgrind >/dev/null; then
    echo "bench_instructions: installing valgrind" >&2
    (apt-get install -y valgrind || sudo apt-get install -y valgrind) >&2
fi
python3 -c 'import vaderSentiment' 2>/dev/null || python3 -m pip install --quiet vaderSentiment
# The interpreter itself, not a version manager's shell shim (valgrind would time the shim).
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
cargo build --release --quiet --bin stance --example gen_corpus --example parse_only \
    --example vader_bench
BIN=target/release
corpus="$DIR/corpus-100000.jsonl"
[ -s "$corpus" ] || "$BIN/examples/gen_corpus" 100000 "$corpus"
head -n "$N" "$corpus" >"$DIR/instr-sub.jsonl"
head -n "$PY_N" "$corpus" >"$DIR/instr-py.jsonl"

# instructions COMMAND...: total instructions executed (all threads), from callgrind.
instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        awk '/Collected :/ {print $NF}'
}

# mispredicts COMMAND...: conditional and indirect branches mispredicted (all threads), from
# cachegrind's branch simulator.
mispredicts() {
    valgrind --tool=cachegrind --branch-sim=yes --cache-sim=no --cachegrind-out-file=/dev/null \
        "$@" 2>&1 >/dev/null | awk '/Mispredicts:/ {gsub(",", "", $3); print $3}'
}

parse=$(instructions "$BIN/examples/parse_only" "$DIR/instr-sub.jsonl")
comment=$(instructions "$BIN/stance" analyze --threads 1 --level comment --format jsonl \
    "$DIR/instr-sub.jsonl")
thread=$(instructions "$BIN/stance" analyze --threads 1 "$DIR/instr-sub.jsonl")
vader=$(RAYON_NUM_THREADS=1 instructions "$BIN/examples/vader_bench" "$DIR/instr-sub.jsonl")
python=$(instructions "$PYTHON" scripts/vader_bench.py "$DIR/instr-py.jsonl" all 1)
# Python's start-up (interpreter, imports, lexicon load) is counted once and is large next to
# PY_N comments; measure it with no comments and subtract it.
: >"$DIR/instr-empty.jsonl"
python_start=$(instructions "$PYTHON" scripts/vader_bench.py "$DIR/instr-empty.jsonl" all 1)
# The yardstick of #5: parsing plus a bare automaton scan of every lexicon phrase, against
# stance, both without their start-up (building the automaton, compiling the lexicons).
scan=$(instructions "$BIN/examples/parse_only" "$DIR/instr-sub.jsonl" 1 --scan)
scan_start=$(instructions "$BIN/examples/parse_only" "$DIR/instr-empty.jsonl" 1 --scan)
comment_start=$(instructions "$BIN/stance" analyze --threads 1 --level comment --format jsonl \
    "$DIR/instr-empty.jsonl")

# Mispredicts on the same comments and on the empty file (start-up), for the Rust programs.
empty="$DIR/instr-empty.jsonl"
miss=()
for input in "$DIR/instr-sub.jsonl" "$empty"; do
    miss+=("$(mispredicts "$BIN/examples/parse_only" "$input")")
    miss+=("$(mispredicts "$BIN/stance" analyze --threads 1 --level comment --format jsonl "$input")")
    miss+=("$(mispredicts "$BIN/stance" analyze --threads 1 "$input")")
    miss+=("$(RAYON_NUM_THREADS=1 mispredicts "$BIN/examples/vader_bench" "$input")")
done

python3 - "$N" "$PY_N" "$parse" "$comment" "$thread" "$vader" "$python" "$python_start" \
    "$scan" "$scan_start" "$comment_start" "${miss[@]}" <<'PY'
import sys
n, py_n, parse, comment, thread, vader, python, python_start = map(int, sys.argv[1:9])
scan, scan_start, comment_start = map(int, sys.argv[9:12])
missed, missed_at_start = list(map(int, sys.argv[12:16])), list(map(int, sys.argv[16:20]))
per = {
    "parse only (`examples/parse_only.rs`)": parse / n,
    "`stance analyze --level comment --format jsonl`": comment / n,
    "`stance analyze` (thread CSV)": thread / n,
    "Rust `vader_sentiment` crate (`examples/vader_bench.rs`)": vader / n,
    "Python `vaderSentiment`, start-up subtracted": (python - python_start) / py_n,
}
print(f"Instructions per comment (callgrind, 1 thread; {n:,} comments, {py_n:,} for Python)\n")
print("| program | instructions per comment |")
print("|---|---:|")
for name, value in per.items():
    print(f"| {name} | {value:,.0f} |")
c = comment / n
print()
print("| ratio | value | floor of #5 (in time) |")
print("|---|---:|---:|")
print(f"| stance comment / parse only | {c / (parse / n):.1f}x | <= 8 |")
print(f"| vader crate / stance comment | {(vader / n) / c:.1f}x | >= 10 |")
print(f"| Python VADER / stance comment | {((python - python_start) / py_n) / c:.1f}x | >= 200 |")
bare = (scan - scan_start) / n
own = (comment - comment_start) / n
print()
print("Yardstick of #5, start-up subtracted from both: parse + bare scan of every lexicon phrase "
      f"(`parse_only --scan`) {bare:,.0f} instructions per comment; stance at comment level "
      f"{own:,.0f}, {own / bare:.2f}x that.")
print()
print(f"Mispredicted branches per comment (cachegrind, 1 thread; {n:,} comments, start-up subtracted)\n")
print("| program | mispredicted branches per comment |")
print("|---|---:|")
for name, total, start in zip(list(per)[:4], missed, missed_at_start):
    print(f"| {name} | {(total - start) / n:,.0f} |")
PY
