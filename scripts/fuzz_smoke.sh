#!/usr/bin/env bash
# Short fuzz run of every cargo-fuzz target (default 20 s each), starting from the committed
# seeds in fuzz/corpus/<target>/. Fails if any target finds a crash (it is then saved under
# fuzz/artifacts/<target>/). See README "Robustness".
#
#   scripts/fuzz_smoke.sh            # every target, 20 s each
#   SECONDS_PER_TARGET=300 scripts/fuzz_smoke.sh score
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz uses nightly-only flags
# (-Zsanitizer); RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${SECONDS_PER_TARGET:-20}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi

export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
for target in "${targets[@]}"; do
    echo "== fuzz $target (${seconds}s)"
    # A scratch corpus seeded from the committed seeds, so the run does not litter the repo.
    work="$(mktemp -d)"
    cp corpus/"$target"/seed-* "$work"/ 2>/dev/null || true
    # -close_fd_mask=2: the targets print warnings (skipped lines...) to stderr; libFuzzer's
    # own report still shows. -detect_leaks=0: the pipeline's scoped reader thread frees its
    # std channel context in a thread-local destructor that can run just after the join, which
    # LeakSanitizer's per-input check reports as a leak (a race in the check, not a leak).
    status=0
    nice -n 15 cargo fuzz run -O "$target" "$work" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -close_fd_mask=2 -detect_leaks=0 -print_final_stats=1 >"$work.log" 2>&1 || status=$?
    grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)|panicked|SUMMARY|deadly|Test unit written" \
        "$work.log" || true
    rm -f "$work.log"
    rm -rf "$work"
    if [ "$status" -ne 0 ]; then
        echo "fuzz target $target failed (exit $status); see fuzz/artifacts/$target/" >&2
        exit 1
    fi
done
echo "== fuzz smoke: no crashes"
