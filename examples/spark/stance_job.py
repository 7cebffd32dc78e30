#!/usr/bin/env python3
"""Run `stance` as a step of an Apache Spark job (issue #5): per-thread stance counts of a
JSON Lines dataset too big for one machine.

    python3 stance_job.py --stance /path/to/stance --input comments.jsonl \
        --output threads.jsonl [--master local[2]] [--partitions 8]

What it does:
  1. reads JSON Lines and numbers the lines (input order);
  2. gives every comment its thread key the way `stance` does: the `thread` field if present,
     otherwise the id of the root of its reply chain (computed on the driver from the
     (id, parent) pairs -- give every comment a `thread` field to skip that step on big data);
  3. repartitions by thread and sorts each partition by (thread, input order), so every
     thread's comments are in one partition, in input order (reply rules need the parent);
  4. pipes each partition through `stance analyze --format jsonl --level comment` (RDD.pipe);
  5. adds up per-thread counts (stance, flags, root comment) and writes one JSON object per
     thread, with the columns and order of `stance analyze --level thread --format jsonl`.

Requirements on the input: ids unique across the whole dataset, and a reply in the same
thread as its parent (same `thread` field, or none). The `stance` binary must exist at the
same path on every worker.
"""
import argparse
import json
import shlex
import zlib

from pyspark.sql import SparkSession

STANCES = ["pro-boundary", "pro-friendship", "mixed", "neutral"]
STANCE_COLUMNS = ["pro_boundary", "pro_friendship", "mixed", "neutral"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--stance", required=True, help="path of the stance binary")
    p.add_argument("--input", required=True, help="JSON Lines comments")
    p.add_argument("--output", required=True, help="thread table to write (JSON Lines)")
    p.add_argument("--master", default=None, help="Spark master (default: from spark-submit)")
    p.add_argument("--partitions", type=int, default=None, help="partitions (default: Spark's)")
    p.add_argument("--lexicons", default=None, help="lexicon folder passed to stance")
    return p.parse_args()


def keys_of(line):
    c = json.loads(line)
    ident = c.get("id")
    parent = c.get("parent")
    as_text = lambda v: None if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
    return as_text(ident), as_text(parent), as_text(c.get("thread"))


def chain_roots(pairs):
    """Root of every reply chain from (id, parent) pairs, without recursion (as stance does:
    a reply whose parent is not in the dataset is a root)."""
    parent_of = dict(pairs)
    roots = {}
    for start in parent_of:
        path, seen, node = [], set(), start
        while node not in roots:
            path.append(node)
            seen.add(node)
            parent = parent_of[node]
            if parent is None or parent not in parent_of:
                roots[node] = node
                break
            if parent in seen:
                raise SystemExit(f"stance_job: reply cycle through {parent}")
            node = parent
        for p in path:
            roots[p] = roots[node]
    return roots


def thread_stats(rows):
    """Per-thread counts from one partition's comment rows (all of each thread, in order)."""
    threads = {}
    for line in rows:
        r = json.loads(line)
        keys = list(r.keys())
        flags = keys[keys.index("confidence") + 1 : next(i for i, k in enumerate(keys) if k.startswith("score_"))]
        t = threads.get(r["thread"])
        if t is None:
            t = threads[r["thread"]] = {"flags": flags, "counts": [0] * 4, "flag_counts": [0] * len(flags),
                                        "comments": 0, "ids": set(), "order": []}
        t["comments"] += 1
        t["counts"][STANCES.index(r["stance"])] += 1
        for i, f in enumerate(flags):
            t["flag_counts"][i] += 1 if r[f] else 0
        t["ids"].add(r["id"])
        t["order"].append((r["id"], r["parent"], r["author"]))
    for key, t in threads.items():
        # The root: the first comment whose parent is not in the same thread.
        root = next(((i, a) for i, p, a in t["order"] if p is None or p not in t["ids"]), (None, None))
        yield key, (t["flags"], t["comments"], t["counts"], t["flag_counts"], root)


def row_of(key, stats):
    flags, comments, counts, flag_counts, (root_id, root_author) = stats
    row = {"thread": key, "root_id": root_id, "root_author": root_author, "comments": comments}
    row.update(zip(STANCE_COLUMNS, counts))
    row.update(zip(flags, flag_counts))
    best = max(counts)
    row["dominant_stance"] = STANCES[counts.index(best)] if best > 0 else None
    return row


def main():
    args = parse_args()
    builder = SparkSession.builder.appName("stance")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    lines = sc.textFile(args.input).filter(lambda l: l.strip()).zipWithIndex()
    keyed = lines.map(lambda li: (keys_of(li[0]), li[1], li[0])).cache()
    # Thread keys: the `thread` field, else the root of the reply chain (driver-side map, only
    # when some reply lacks a `thread` field).
    needs_roots = not keyed.filter(lambda k: k[0][2] is None and k[0][1] is not None).isEmpty()
    roots = {}
    if needs_roots:
        roots = chain_roots(keyed.map(lambda k: (k[0][0], k[0][1])).collect())
    roots_b = sc.broadcast(roots)

    def thread_key(k):
        ident, _, thread = k
        return thread if thread is not None else roots_b.value.get(ident, ident)

    by_thread = keyed.map(lambda k: ((thread_key(k[0]), k[1]), k[2]))
    partitions = args.partitions or sc.defaultParallelism
    ordered = by_thread.repartitionAndSortWithinPartitions(
        partitions, partitionFunc=lambda key: zlib.crc32(key[0].encode("utf-8"))
    )
    command = [args.stance, "analyze", "--format", "jsonl", "--level", "comment",
               "--input-format", "jsonl", "--threads", "1"]
    if args.lexicons:
        command += ["--lexicons", args.lexicons]
    scored = ordered.map(lambda kv: kv[1]).pipe(shlex.join(command), checkCode=True)
    stats = scored.mapPartitions(thread_stats)
    first_seen = by_thread.map(lambda kv: kv[0]).reduceByKey(min)
    rows = stats.join(first_seen).sortBy(lambda kv: kv[1][1]).map(lambda kv: row_of(kv[0], kv[1][0]))
    with open(args.output, "w", encoding="utf-8") as out:
        for row in rows.toLocalIterator():
            out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    spark.stop()


if __name__ == "__main__":
    main()
