"""Service targets: which first-response, next-response and resolution targets apply.

Targets are rows of ``ServiceTarget`` with optional criteria (team, requester kind, channel,
priority). For each of the three targets separately, the most specific matching row that sets it
wins: a team match outweighs everything else, then the requester kind (customer, colleague,
supplier), then the channel, then the priority (team+kind+channel+priority > team+kind+channel >
... > the desk default row with no criteria). Below all rows lie the built-in defaults
(``BUILT_IN``), so every conversation has targets from the first day.

The table is small and read on every conversation save, so it is cached per process: dropped
when a target is saved here and re-read after ``CACHE_SECONDS`` (changes made by another process).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from helpmate.service.calendar import CACHE_SECONDS

TARGET_NAMES = ("first_response", "next_response", "resolution")
TARGET_LABELS = {
    "first_response": "First response",
    "next_response": "Next response",
    "resolution": "Resolution",
}


@dataclass(frozen=True)
class Targets:
    """Business-time durations; None means no target of that kind."""

    first_response: timedelta | None = None
    next_response: timedelta | None = None
    resolution: timedelta | None = None

    def get(self, name: str) -> timedelta | None:
        value: timedelta | None = getattr(self, name)
        return value


BUILT_IN = Targets(
    first_response=timedelta(hours=4),
    next_response=timedelta(hours=8),
    resolution=timedelta(hours=40),  # five business days of eight hours
)


@dataclass(frozen=True)
class _Row:
    team_id: int | None
    kind: str
    channel: str
    priority: int | None
    values: dict[str, timedelta | None]

    @property
    def weight(self) -> int:
        return (
            8 * (self.team_id is not None)
            + 4 * bool(self.kind)
            + 2 * bool(self.channel)
            + 1 * (self.priority is not None)
        )

    def matches(self, team_id: int | None, kind: str, channel: str, priority: int | None) -> bool:
        return (
            (self.team_id is None or self.team_id == team_id)
            and (not self.kind or self.kind == kind)
            and (not self.channel or self.channel == channel)
            and (self.priority is None or self.priority == priority)
        )


_lock = threading.Lock()
_rows: tuple[float, list[_Row]] | None = None
_resolved: dict[tuple[Any, ...], Targets] = {}


def invalidate_cache(*_args: Any, **_kwargs: Any) -> None:
    global _rows
    with _lock:
        _rows = None
        _resolved.clear()


def _load_rows() -> list[_Row]:
    global _rows
    now = time.monotonic()
    with _lock:
        if _rows is not None and now - _rows[0] < CACHE_SECONDS:
            return _rows[1]
    from helpmate.service.models import ServiceTarget

    rows = [
        _Row(
            team_id=t.team_id,
            kind=t.requester_kind,
            channel=t.channel,
            priority=t.priority,
            values={name: getattr(t, name) for name in TARGET_NAMES},
        )
        for t in ServiceTarget.objects.all()
    ]
    rows.sort(key=lambda r: -r.weight)
    with _lock:
        _rows = (now, rows)
        _resolved.clear()
    return rows


def targets_for(
    *, team_id: int | None, requester_kind: str, channel: str, priority: int | None
) -> Targets:
    """The targets for a conversation with these attributes (see the module docstring)."""
    rows = _load_rows()
    key = (team_id, requester_kind, channel, priority)
    with _lock:
        hit = _resolved.get(key)
    if hit is not None:
        return hit
    found: dict[str, timedelta | None] = {}
    for row in rows:  # most specific first
        if not row.matches(team_id, requester_kind, channel, priority):
            continue
        for name in TARGET_NAMES:
            if name not in found and row.values.get(name) is not None:
                found[name] = row.values[name]
    result = Targets(**{name: found.get(name, BUILT_IN.get(name)) for name in TARGET_NAMES})
    with _lock:
        if len(_resolved) > 5000:
            _resolved.clear()
        _resolved[key] = result
    return result


def format_duration(value: timedelta | None) -> str:
    """``4h``, ``1h 30m``, ``40h``; '' for None (the form and API's text form)."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h {rest}m"
    return f"{hours}h" if hours else f"{rest}m"


def parse_duration(text: str) -> timedelta | None:
    """``"4h"``, ``"90m"``, ``"1h 30m"``, ``"2.5h"`` or a bare number of minutes; '' is None.
    Raises ValueError with a message fit to show."""
    text = text.strip().lower()
    if not text:
        return None
    total = 0.0
    number = ""
    seen_unit = False
    for char in text.replace(" ", ""):
        if char.isdigit() or char == ".":
            number += char
            continue
        if char not in "hm" or not number:
            raise ValueError(f"{text!r} is not a duration like 4h, 90m or 1h 30m.")
        try:
            total += float(number) * (60 if char == "h" else 1)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a duration like 4h, 90m or 1h 30m.") from exc
        number = ""
        seen_unit = True
    if number:
        if seen_unit:
            raise ValueError(f"{text!r}: give a unit (h or m) after every number.")
        total += float(number)
    if total <= 0:
        raise ValueError("A target must be longer than zero.")
    if total > 60 * 24 * 366:
        raise ValueError("A target longer than a year is not a target.")
    return timedelta(minutes=round(total))
