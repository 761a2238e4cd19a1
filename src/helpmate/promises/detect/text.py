"""Preparing a reply for the detector: hide what the agent did not write, split into clauses.

``mask(text)`` returns a string of the same length (so every offset still points into the
original) in which quoted material is blanked out: lines starting with ">", everything from an
"On ... wrote:" line or an "Original Message" marker onwards, and words in quotation marks. Curly
apostrophes become straight ones and "a.m."/"p.m." lose their dots so that sentences split cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_QUOTE_TAIL = re.compile(
    r"^(?:on\s.{0,200}\swrote:|-{2,}\s*original message\s*-{2,}|from:\s.+\nsent:\s)",
    re.I | re.M,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.M)
_IN_QUOTES = re.compile(
    r"\"[^\"\n]{1,300}\"|\u201c[^\u201d\n]{1,300}\u201d|(?<!\w)'[^'\n]{8,300}'(?!\w)"
)
_AMPM = re.compile(r"\b([ap])\.m\.", re.I)
# Sentence ends: . ! ? followed by space or end; blank lines and list bullets also end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*(?:\s+|$)|\n\s*\n|\n\s*(?=[-*\u2022]\s)|\n(?=\S)")
_ABBREVIATIONS = re.compile(r"\b(?:mr|mrs|ms|dr|st|no|approx|e\.g|i\.e|etc|vs|inc|ltd)\.$", re.I)
# Clause breaks inside a sentence: a commitment and its deadline must share a clause.
_CLAUSE_BREAK = re.compile(
    r";|:\s|,?\s+but\s+|,?\s+however\b|,?\s+although\s+|,?\s+though\s+|\s+\u2014\s+|\s+-\s+"
)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def mask(text: str) -> str:
    masked = text.replace("\u2019", "'").replace("\u2018", "'")
    tail = _QUOTE_TAIL.search(masked)
    if tail:
        masked = masked[: tail.start()] + _blank_text(masked[tail.start() :])
    masked = _QUOTED_LINE.sub(_blank, masked)
    masked = _IN_QUOTES.sub(_blank, masked)
    masked = _AMPM.sub(lambda m: m.group(1) + "m  ", masked)
    assert len(masked) == len(text)
    return masked


def _blank_text(part: str) -> str:
    return re.sub(r"[^\n]", " ", part)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentences(masked: str) -> Iterator[Span]:
    """Sentence spans of the masked text (abbreviations like "Mr." do not end one)."""
    start = 0
    for match in _SENTENCE_END.finditer(masked):
        if match.start() <= start:
            continue
        piece = masked[start : match.start()]
        if _ABBREVIATIONS.search(piece):
            continue
        yield from _trimmed(masked, start, match.start())
        start = match.end()
    yield from _trimmed(masked, start, len(masked))


def _trimmed(masked: str, start: int, end: int) -> Iterator[Span]:
    piece = masked[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    yield Span(start + lead, start + lead + len(stripped))


def clauses(masked: str, sentence: Span) -> list[Span]:
    out: list[Span] = []
    start = sentence.start
    for match in _CLAUSE_BREAK.finditer(masked, sentence.start, sentence.end):
        out.extend(_trimmed(masked, start, match.start()))
        start = match.end()
    out.extend(_trimmed(masked, start, sentence.end))
    return out


def ends_with_question(masked: str, sentence: Span) -> bool:
    return masked[sentence.start : sentence.end].rstrip(" \"')]").endswith("?")
