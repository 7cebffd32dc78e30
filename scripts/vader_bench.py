#!/usr/bin/env python3
"""Baseline for scripts/bench.sh (issue #5): VADER in Python (pip install vaderSentiment).

Usage: vader_bench.py FILE.jsonl [LIMIT] [PROCESSES]

Scores the `text` of the first LIMIT comments (default: all) with vaderSentiment's
SentimentIntensityAnalyzer, in PROCESSES worker processes (default: 1), so that it can run at
the same parallelism as `stance --threads N`. Prints the count and the compound sum; timing is
done by the caller.
"""
import json
import sys
from multiprocessing import Pool

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

_ANALYZER = None


def _score(text):
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = SentimentIntensityAnalyzer()
    return _ANALYZER.polarity_scores(text)["compound"]


def main():
    path = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "all" else None
    processes = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            texts.append(json.loads(line)["text"])
            if limit is not None and len(texts) >= limit:
                break
    if processes > 1:
        with Pool(processes) as pool:
            scores = pool.map(_score, texts, chunksize=256)
    else:
        scores = [_score(t) for t in texts]
    print(f"{len(texts)} comments, compound sum {sum(scores):.4f}")


if __name__ == "__main__":
    main()
