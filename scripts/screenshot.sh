#!/usr/bin/env bash
# Renders `stance report` of some comment files in headless Chromium and saves a PNG for people
# to look at. Usage: scripts/screenshot.sh [OUT.png] [FILE...]
# Defaults: target/report.png of fixtures/goodtherapy.json. Installs Debian's chromium if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/chromium.sh

out=${1:-target/report.png}
shift || true
inputs=("$@")
[ ${#inputs[@]} -gt 0 ] || inputs=(fixtures/goodtherapy.json)

ensure_chromium
cargo build --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/debug/stance report "${inputs[@]}" -o "$work/report.html"
mkdir -p "$(dirname "$out")"
out_abs="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
headless_chromium --window-size=1280,2200 --virtual-time-budget=2000 \
    --screenshot="$out_abs" "file://$work/report.html" >/dev/null
echo "stance: wrote $out" >&2
