"""The commitment detector: time commitments in a reply, each resolved to a due time.

One piece of code for the composer (suggestions while the agent types) and the API
(``POST /api/promises/detect``)::

    detect("Thanks Carla! I'll call you back by Friday.", now=now, tz=ZoneInfo("Europe/Lisbon"),
           cal=calendar_for(team))
    -> [Commitment(words="by Friday", start=27, end=36, promise="call you back", who="agent",
                   due=datetime(...Friday 17:00 team time...))]

How it reads a reply: quoted material is blanked out (``text.mask``); the rest is split into
sentences and clauses; questions are skipped; a clause must hold a promising cue on our side
(``cues``) and a deadline after it, or a deadline that opens the clause ("Tomorrow I'll ...");
the deadline words (``timewords``) are resolved in the customer's time zone and the team's
business calendar (``resolve``). Deadlines in the past are not promises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from helpmate.promises.detect import cues as cue_rules
from helpmate.promises.detect import text as text_rules
from helpmate.promises.detect.resolve import Resolver
from helpmate.promises.detect.timewords import TimeWords, find_time_words
from helpmate.service.calendar import Cal

__all__ = ["MAX_TEXT", "Commitment", "detect"]

MAX_TEXT = 20_000  # longer replies are read up to here
_LEAD_IN = re.compile(r"^(?:(?:and|so|ok|okay|then|also|great|sure|right|thanks)[,!]?\s+)*$", re.I)
_JOINERS = re.compile(r"^(?:\s|,|and\b|then\b|also\b|&)+|(?:\s|,|and|then|&)+$", re.I)


@dataclass(frozen=True)
class Commitment:
    words: str  # the deadline words as written ("by Friday")
    start: int  # their span in the reply text
    end: int
    promise: str  # what was promised, without the deadline ("call you back")
    who: str  # "agent" (I) or "team" (we, a colleague, "your refund will ...")
    due: datetime  # aware, UTC

    def as_dict(self) -> dict[str, object]:
        return {
            "words": self.words,
            "start": self.start,
            "end": self.end,
            "promise": self.promise,
            "who": self.who,
            "due": self.due.isoformat(),
        }


def detect(text: str, *, now: datetime, tz: ZoneInfo, cal: Cal) -> list[Commitment]:
    """Every time commitment in ``text`` (a reply being written), oldest words first."""
    text = text[:MAX_TEXT]
    masked = text_rules.mask(text)
    resolver = Resolver(now=now, tz=tz, cal=cal)
    found: list[Commitment] = []
    for sentence in text_rules.sentences(masked):
        if text_rules.ends_with_question(masked, sentence):
            continue
        for clause in text_rules.clauses(masked, sentence):
            found.extend(_in_clause(text, masked, clause.start, clause.end, resolver))
    return found


def _in_clause(
    text: str, masked: str, start: int, end: int, resolver: Resolver
) -> list[Commitment]:
    clause = masked[start:end]
    cues = cue_rules.find_cues(clause)
    if not cues:
        return []
    matched: list[tuple[TimeWords, cue_rules.Cue, datetime]] = []
    for words in find_time_words(clause):
        owner = _cue_for(clause, words, cues)
        if owner is None:
            continue
        due = resolver.resolve(words)
        if due is not None:
            matched.append((words, owner, due))
    original = text[start:end]
    out: list[Commitment] = []
    for index, (words, owner, due) in enumerate(matched):
        later = [w for w, c, _ in matched[index + 1 :] if c is owner]
        earlier = [w for w, c, _ in matched[:index] if c is owner and w.end > owner.action]
        if owner.action > words.start:  # the deadline opens the clause
            body = original[owner.action :]
        else:
            body_start = earlier[-1].end if earlier else owner.action
            next_cues = [c.start for c in cues if c.start >= words.end]
            tail_end = min([len(original), *next_cues, *(w.start for w in later)])
            tail = original[words.end : tail_end] if not later else ""
            body = original[body_start : words.start] + " " + tail
        out.append(
            Commitment(
                words=original[words.start : words.end],
                start=start + words.start,
                end=start + words.end,
                promise=_tidy(body),
                who=owner.who,
                due=due,
            )
        )
    return out


def _cue_for(clause: str, words: TimeWords, cues: list[cue_rules.Cue]) -> cue_rules.Cue | None:
    """The cue a deadline belongs to: the nearest one before it, or the first one when the
    deadline opens the clause ("Tomorrow morning I'll call you")."""
    before = [c for c in cues if c.start <= words.start]
    if before:
        return before[-1]
    if _LEAD_IN.match(clause[: words.start]):
        gap = clause[words.end : cues[0].start]
        if re.fullmatch(r"[\s,]*", gap):
            return cues[0]
    return None


def _tidy(body: str) -> str:
    body = cue_rules.COURTESY.sub(" ", body)
    body = re.sub(r"\s+", " ", body).strip(" ,.;:!-")
    body = _JOINERS.sub("", body).strip(" ,.;:!-")
    return body[:300]
