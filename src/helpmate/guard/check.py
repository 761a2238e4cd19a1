"""The guard itself: split a reply into sentences and flag the ones that push the customer away.

One function, ``check_text``, used by the composer and by ``POST /api/replies/check``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

from helpmate.guard.rules import Rule, active_rules

# A sentence ends at . ! ? (or …) followed by space, or at a line break; quoted lines ("> ...")
# are the customer's own words and are not checked.
_SENTENCE_RE = re.compile(r""".*?(?:[.!?…]+["')\]]*(?=\s|$)|\n|$)""")
# Curly quotes are read as straight ones (same length, so offsets stay right).
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
MAX_TEXT = 20_000


@dataclass
class Flag:
    sentence: str
    start: int
    end: int
    rule: str
    reason: str
    better: str
    move: str
    move_label: str
    rules: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def sentences(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, sentence) for each sentence, offsets into ``text``, whitespace trimmed."""
    for match in _SENTENCE_RE.finditer(text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        yield start, start + len(stripped), stripped


def check_text(text: str, rules: Iterable[Rule] | None = None) -> list[Flag]:
    """The sentences of ``text`` that push the customer away, in order, one flag per sentence."""
    rules = tuple(active_rules() if rules is None else rules)
    text = text[:MAX_TEXT]
    normal = text.translate(_QUOTES)
    flags = []
    for start, end, sentence in sentences(normal):
        if sentence.startswith(">"):
            continue
        hits = [rule for rule in rules if rule.matches(sentence)]
        if not hits:
            continue
        first = hits[0]
        flags.append(
            Flag(
                sentence=text[start:end],
                start=start,
                end=end,
                rule=first.id,
                reason=first.reason,
                better=first.better,
                move=first.move,
                move_label=first.move_label,
                rules=[r.id for r in hits],
            )
        )
    return flags


def normalised(sentence: str) -> str:
    """A sentence compared loosely (case, spaces, quotes) to see whether it is still there."""
    return " ".join(sentence.translate(_QUOTES).lower().split())
