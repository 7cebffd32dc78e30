#!/usr/bin/env bash
# Two `stance` binaries timed side by side in the same minutes (issue #5): on a shared machine
# a change shows in the two binaries' runs taken in turns, not in ratios of runs made at
# different times. Prints each binary's median wall time and CPU time (user + system).
#
# Usage: scripts/compare_builds.sh OLD_BIN NEW_BIN FILE [RUNS] [-- ANALYZE_ARGS...]
#   RUNS           runs of each binary, taken in turns (default 9)
#   ANALYZE_ARGS   arguments of `stance analyze` before FILE (default: --level comment
#                  --format jsonl)
#   OLD_ARGS, NEW_ARGS (environment) more arguments for one side only, so that one binary can
#                  be compared with itself under another option, e.g. a smaller lexicon:
#                  NEW_ARGS="--lexicons /tmp/lex400" (see scripts/cut_lexicons.sh)
#
# An older build to compare with, e.g. the last commit:
#   git worktree add /tmp/stance-old HEAD && (cd /tmp/stance-old && cargo build --release)
#   scripts/compare_builds.sh /tmp/stance-old/target/release/stance target/release/stance \
#       target/bench/corpus-100000.jsonl 15 -- --threads 2 --level comment --format jsonl
#
# Needs GNU time at /usr/bin/time (`apt-get install time`).
set -euo pipefail
if [ $# -lt 3 ]; then
    sed -n '2,19p' "$0" >&2
    exit 2
fi
old="$1" new="$2" file="$3"
shift 3
runs=9
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
    runs="$1"
    shift
fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--level comment --format jsonl)
read -r -a old_args <<<"${OLD_ARGS:-}"
read -r -a new_args <<<"${NEW_ARGS:-}"

times=$(mktemp)
trap 'rm -f "$times"' EXIT
# Turns alternate which binary goes first: on this machine the second of two back-to-back runs
# is often slower (5% with the same binary twice, session 6), so a fixed order favours one.
for turn in $(seq "$runs"); do
    order="old new"
    [ $((turn % 2)) -eq 0 ] && order="new old"
    for which in $order; do
        bin=$old extra=("${old_args[@]}")
        [ "$which" = new ] && bin=$new extra=("${new_args[@]}")
        /usr/bin/time -f "$which %e %U %S" -a -o "$times" \
            "$bin" analyze "${extra[@]}" "${args[@]}" "$file" >/dev/null
    done
done

# median COLUMN_EXPRESSION WHICH: the median of an awk expression over WHICH's runs.
median() {
    awk -v which="$2" '$1 == which {print '"$1"'}' "$times" | sort -g |
        awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}
for which in old new; do
    printf '%s: median wall %s s, median CPU %s s (%s runs)\n' "$which" \
        "$(median '$2' "$which")" "$(median '$3 + $4' "$which")" "$runs"
done
