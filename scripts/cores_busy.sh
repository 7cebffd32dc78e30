#!/usr/bin/env bash
# How many cores a `stance analyze` run keeps busy (issue #5): samples the run with `perf
# record` (cpu-clock) and counts samples per thread in its steady part (from 20% to 90% of
# the run, past the first pass and before the tail). At 2 threads, 2.0 means neither core
# ever waits; less means some thread waits for another.
#
# Usage: scripts/cores_busy.sh BIN FILE [ANALYZE_ARGS...]
#   e.g. scripts/cores_busy.sh target/release/stance target/bench/corpus-100000.jsonl \
#            --threads 2 --level comment --format jsonl
#
# Needs perf (`apt-get install linux-perf`), allowed to sample (perf_event_paranoid <= 1, or
# root).
set -euo pipefail
if [ $# -lt 2 ]; then
    sed -n '2,12p' "$0" >&2
    exit 2
fi
bin="$1" file="$2"
shift 2
data=$(mktemp)
trap 'rm -f "$data"' EXIT
rate=499
perf record -q -F "$rate" -o "$data" "$bin" analyze "$@" "$file" >/dev/null 2>&1
perf script -i "$data" -F tid,time 2>/dev/null | awk -v rate="$rate" '
    { tid[NR] = $1; t[NR] = $2 + 0 }
    END {
        first = t[1]; last = t[NR]
        from = first + 0.2 * (last - first); to = first + 0.9 * (last - first)
        for (i = 1; i <= NR; i++)
            if (t[i] >= from && t[i] <= to) { n++; per[tid[i]]++ }
        span = rate * (to - from)
        printf "run %.2f s; steady part: %.2f cores busy (per thread:", last - first, n / span
        for (k in per) if (per[k] / span >= 0.01) printf " %.2f", per[k] / span
        print ")"
    }'
