#!/usr/bin/env bash
# Tests the Spark recipe (issue #5): runs examples/spark/stance_job.py with pyspark in local
# mode on the seed (as JSON Lines, no `thread` field: thread keys come from reply chains) and
# on a 100k-comment generated corpus (with `thread` fields), and checks each result equals a
# single `stance analyze --level thread --format jsonl` run, row for row.
#
# Needs Java 17+ and Python 3; installs pyspark with pip if it is missing.
# Usage: examples/spark/test_spark.sh [N_COMMENTS]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-100000}"
WORK="target/spark-test"
mkdir -p "$WORK"
python3 -c 'import pyspark' 2>/dev/null || python3 -m pip install --quiet pyspark
cargo build --release --quiet --bin stance --example gen_corpus
STANCE="$PWD/target/release/stance"
export PYSPARK_PYTHON="${PYSPARK_PYTHON:-python3}"

python3 - fixtures/goodtherapy.json "$WORK/seed.jsonl" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for c in doc["comments"]:
        out.write(json.dumps(c, ensure_ascii=False) + "\n")
PY
target/release/examples/gen_corpus "$N" "$WORK/corpus.jsonl"

check() {
    local name="$1" input="$2"
    local start end
    start=$(date +%s.%N)
    python3 examples/spark/stance_job.py --stance "$STANCE" --master "local[2]" \
        --partitions 4 --input "$input" --output "$WORK/$name.spark.jsonl" 2>"$WORK/$name.spark.log"
    end=$(date +%s.%N)
    "$STANCE" analyze --level thread --format jsonl "$input" >"$WORK/$name.single.jsonl" 2>/dev/null
    python3 - "$WORK/$name.spark.jsonl" "$WORK/$name.single.jsonl" <<'PY'
import json, sys
spark = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
single = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
if spark != single:
    diff = next((i for i, (a, b) in enumerate(zip(spark, single)) if a != b), min(len(spark), len(single)))
    sys.exit(f"MISMATCH at row {diff}: {len(spark)} vs {len(single)} rows\n"
             f"spark:  {spark[diff] if diff < len(spark) else None}\n"
             f"single: {single[diff] if diff < len(single) else None}")
print(f"ok: {len(single)} threads equal")
PY
    printf '%s: spark job %.1f s\n' "$name" "$(echo "$end - $start" | bc)"
}

check seed "$WORK/seed.jsonl"
check corpus "$WORK/corpus.jsonl"
