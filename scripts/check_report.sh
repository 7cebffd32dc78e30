#!/usr/bin/env bash
# Browser test of `stance report` (issue #6): renders a report of the seed plus a hostile
# fixture in headless Chromium (Debian's package, installed with apt-get if missing) and checks
# the DOM after scripts ran:
#   - the page's own script ran (so an injected one would have had its chance);
#   - the per-thread chart is an SVG with one bar per thread;
#   - the number of comments in the DOM matches the input;
#   - the `<script>`, `<img onerror>` and markup injected in fixtures/hostile.json did nothing
#     (title unchanged, no injected element) and show as text;
#   - the threads table sorts (clicking `comments` twice puts the largest thread first);
#   - nothing is loaded from the network (no http(s) src/href).
# Also saves a screenshot to target/report-check.png. Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/chromium.sh

ensure_chromium
cargo build --quiet
bin=target/debug/stance
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CHROMIUM_LOG="$work/chromium.log"

inputs=(fixtures/goodtherapy.json fixtures/hostile.json)
title="stance report check"
"$bin" report --title "$title" "${inputs[@]}" -o "$work/report.html"
want_comments=$("$bin" analyze --level comment --format jsonl "${inputs[@]}" | wc -l)
want_threads=$("$bin" analyze --format jsonl "${inputs[@]}" | wc -l)

headless_chromium --virtual-time-budget=3000 --dump-dom "file://$work/report.html" \
    > "$work/dom.html"
mkdir -p target
headless_chromium --window-size=1280,2200 --virtual-time-budget=3000 \
    --screenshot="$PWD/target/report-check.png" "file://$work/report.html" >/dev/null

# Sorting: a copy of the page (CSP removed, so a test script may run) clicks the `comments`
# heading twice; the largest thread must then come first.
sed -e 's|<meta http-equiv="Content-Security-Policy"[^>]*>||' \
    -e 's|</body>|<script>for (const i of [0, 1]) document.querySelectorAll("#thread-table th button")[2].click();</script></body>|' \
    "$work/report.html" > "$work/sorted.html"
headless_chromium --virtual-time-budget=3000 --dump-dom "file://$work/sorted.html" \
    > "$work/sorted-dom.html"
first_count=$(grep -o '<tr><td><a href="#t-[0-9]*">[^<]*</a></td><td>[^<]*</td><td>[0-9]*' \
    "$work/sorted-dom.html" | head -1 | sed 's/.*>//' || true)
max_count=$("$bin" analyze --format jsonl "${inputs[@]}" | grep -o '"comments":[0-9]*' \
    | cut -d: -f2 | sort -n | tail -1)

failures=0
check() { # check NAME GOT WANT
    if [ "$2" == "$3" ]; then
        echo "ok   $1 ($2)"
    else
        echo "FAIL $1: got $2, want $3"
        failures=$((failures + 1))
    fi
}
count() { grep -o -- "$1" "$2" | wc -l; }

dom="$work/dom.html"
[ -s "$dom" ] || { echo "FAIL chromium produced no DOM"; cat "$CHROMIUM_LOG" >&2; exit 1; }
# Only the thread chart's SVG, from its opening tag to its closing tag.
sed -n '/<svg id="thread-bars"/,/<\/svg>/p' "$dom" > "$work/bars.svg"

check "page script ran" "$(count 'data-js="ready"' "$dom")" 1
check "thread chart svg present" "$(count '<svg id="thread-bars"' "$dom")" 1
check "one bar per thread" "$(count '<g class="thread-bar"' "$work/bars.svg")" "$want_threads"
check "comments in DOM" "$(count '<article class="comment' "$dom")" "$want_comments"
check "comment count shown" "$(count "id=\"comment-count\">$want_comments<" "$dom")" 1
check "title unchanged" "$(count "<title>$title</title>" "$dom")" 1
check "injected elements absent" \
    "$(count '<[a-z]* id="pwned' "$dom")" 0
check "no <img> anywhere" "$(count '<img' "$dom")" 0
check "injected script shown as text" \
    "$(count '&lt;script&gt;document.title=.pwned.;' "$dom")" 1
check "table sorts by comments" "$first_count" "$max_count"
check "no network src/href" "$(grep -Eoi '(src|href)="https?:' "$dom" | wc -l)" 0

if [ "$failures" -gt 0 ]; then
    echo "check_report: $failures check(s) failed; DOM kept in target/report-check-dom.html"
    cp "$dom" target/report-check-dom.html
    exit 1
fi
echo "check_report: all checks passed; screenshot: target/report-check.png"
