"""How well and how fast the commitment detector reads replies.

    .venv/bin/python benchmarks/promises_detector.py

Prints, for the two hand-written tables in tests/promises/test_detect_tables.py (commitments with
their expected due times, replies without any commitment) and for the agent turns and FAQ answers
of the public support datasets in ../shared/data (skipped when absent): how many were read right,
then the time per reply (median and 95th percentile) for short replies and for a long one.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.promises.test_detect_tables import (  # noqa: E402
    BERLIN,
    CAL,
    COMMITMENTS,
    NOT_COMMITMENTS,
    NOW,
    found,
)

from helpmate.promises.detect import detect  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def dataset_texts() -> list[str] | None:
    abcd, faq = DATA / "abcd" / "abcd_sample.json", DATA / "covidfaq" / "faq.json"
    if not (abcd.exists() and faq.exists()):
        return None
    texts = [t for d in json.loads(abcd.read_text()) for who, t in d["original"] if who == "agent"]
    return texts + [item["answer"] for item in json.loads(faq.read_text())]


def timing(texts: list[str], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            detect(text, now=NOW, tz=BERLIN, cal=CAL)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def main() -> None:
    right = sum(found(text) == [(words, due)] for text, words, due in COMMITMENTS)
    quiet = sum(found(text) == [] for text in NOT_COMMITMENTS)
    print("| set | replies | read right |")
    print("|---|---:|---:|")
    print(f"| commitments, with the exact words and due time | {len(COMMITMENTS)} | {right} |")
    print(f"| replies without a commitment (nothing found) | {len(NOT_COMMITMENTS)} | {quiet} |")
    texts = dataset_texts()
    if texts is None:
        print(f"| public datasets | skipped: {DATA} is absent | |")
    else:
        silent = sum(not detect(t, now=NOW, tz=BERLIN, cal=CAL) for t in texts)
        print(f"| ABCD agent turns + COVID FAQ answers (nothing found) | {len(texts)} | {silent} |")
    short = [t for t, _, _ in COMMITMENTS] + NOT_COMMITMENTS
    long_reply = " ".join(short) * 3
    median, p95 = timing(short, 20)
    long_median, long_p95 = timing([long_reply], 20)
    print()
    print("| reply | median ms | p95 ms |")
    print("|---|---:|---:|")
    print(f"| one or two sentences | {median:.2f} | {p95:.2f} |")
    print(f"| long reply ({len(long_reply):,} characters) | {long_median:.1f} | {long_p95:.1f} |")


if __name__ == "__main__":
    main()
