"""Print the guard's figures: how the rules do on the test tables and on real support text,
and how fast a reply is checked.

    .venv/bin/python -m helpmate.guard.measure

Uses the sentence tables in ``helpmate.guard.sentences`` and the public datasets under
``../shared/data`` (HELPMATE_DATA_DIR); each part is skipped with a notice when absent.
"""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _tables() -> tuple[list[str], list[str]]:
    from helpmate.guard.sentences import HELPFUL, PUSHING_AWAY

    return list(PUSHING_AWAY), list(HELPFUL)


def _data_dir() -> Path:
    return Path(os.environ.get("HELPMATE_DATA_DIR", str(ROOT.parent / "shared" / "data")))


def _real_replies() -> list[str] | None:
    data = _data_dir()
    abcd, faq = data / "abcd" / "abcd_sample.json", data / "covidfaq" / "faq.json"
    if not (abcd.exists() and faq.exists()):
        return None
    dialogues = json.loads(abcd.read_text(encoding="utf-8"))
    lines = [text for d in dialogues for who, text in d["original"] if who == "agent"]
    return lines + [item["answer"] for item in json.loads(faq.read_text(encoding="utf-8"))]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpmate.settings")
    import django

    django.setup()
    from helpmate.guard.check import check_text, sentences
    from helpmate.guard.rules import active_rules

    print(f"rules in force: {len(active_rules())}")
    print(f"{'set':<34} {'sentences':>9} {'flagged':>8} {'rate':>7}")
    tables = _tables()
    for name, rows in (
        ("pushing away (must be flagged)", tables[0]),
        ("helpful (must not)", tables[1]),
    ):
        flagged = sum(1 for s in rows if check_text(s))
        print(f"{name:<34} {len(rows):>9} {flagged:>8} {flagged / len(rows):>7.1%}")
    real = _real_replies()
    if real is None:
        print("real replies: datasets not found under ../shared/data (abcd, covidfaq)")
    else:
        count = sum(1 for text in real for _ in sentences(text))
        flagged = sum(len(check_text(text)) for text in real)
        print(
            f"{'real agent replies + FAQ answers':<34} {count:>9} {flagged:>8} "
            f"{flagged / count:>7.1%}"
        )
    banking = _data_dir() / "banking77" / "train.csv"
    if banking.exists():
        with banking.open(encoding="utf-8") as f:
            texts = [row["text"] for row in csv.DictReader(f)]
        flagged = sum(len(check_text(text)) for text in texts)
        print(
            f"{'customer messages (banking77)':<34} {len(texts):>9} {flagged:>8} "
            f"{flagged / len(texts):>7.1%}  (not replies: how broad the rules are)"
        )
    reply = (
        "Hi Carla,\n\nThanks for the photos. I'm sorry the lamp arrived broken. I've refunded the "
        "shipping and a new one leaves today; you'll have the tracking link by email tonight. "
        "Please contact billing if the refund is not there by Friday.\n\nMaya"
    )
    runs = 2000
    started = time.perf_counter()
    for _ in range(runs):
        check_text(reply)
    per = (time.perf_counter() - started) / runs
    print(f"check of a 6-sentence reply: {per * 1e6:.0f} µs ({1 / per:,.0f} replies/s, one core)")


if __name__ == "__main__":
    main()
