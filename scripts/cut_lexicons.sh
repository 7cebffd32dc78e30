#!/usr/bin/env bash
# Writes the built-in lexicons to DIR with each category file cut to its first N entries
# (directives such as `#! threshold` kept; cue files whole), for timing `stance` with a
# smaller lexicon (issue #5: does the lexicon's size set the speed?). With the default 100,
# the four categories hold about 400 phrases, the size issue #5's yardstick names.
#
# Usage, from the top of the project: scripts/cut_lexicons.sh DIR [N] [STANCE_BIN]
#   (DIR must not exist; STANCE_BIN defaults to target/release/stance)
#   then, e.g.:
#   NEW_ARGS="--lexicons DIR" scripts/compare_builds.sh target/release/stance \
#       target/release/stance target/bench/corpus-100000.jsonl 11 -- --threads 2 \
#       --level comment --format jsonl
set -euo pipefail
if [ $# -lt 1 ]; then
    sed -n '2,12p' "$0" >&2
    exit 2
fi
dir="$1" entries="${2:-100}" bin="${3:-target/release/stance}"
"$bin" lexicon init "$dir" >/dev/null
for file in "$dir"/*.txt; do
    # Directives, then the first N entries (lines that are neither blank nor a comment).
    cut=$(awk -v n="$entries" '
        /^#!/ { print; next }
        /^[[:space:]]*(#|$)/ { next }
        kept < n { print; kept++ }' "$file")
    printf '%s\n' "$cut" >"$file"
done
"$bin" lexicon check "$dir" >&2
