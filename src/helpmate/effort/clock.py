"""How long a wait lasted, in the business time of the team the customer was waiting on.

Uses ``helpmate.service.calendar`` (the team's opening hours and holidays) when it is
installed; without it, wall-clock time. ``Clock`` keeps one calendar per team for the life of
one fold (one event, or one batch of a rebuild).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

_calendar: Any
try:  # helpmate.service is built alongside; effort works with wall time until it is there
    from helpmate.service import calendar as _service_calendar

    _calendar = _service_calendar
except ImportError:  # pragma: no cover - depends on the service app being present
    _calendar = None


def business_time_available() -> bool:
    return _calendar is not None and hasattr(_calendar, "business_time_between")


class Clock:
    def __init__(self) -> None:
        self._calendars: dict[int | None, Any] = {}

    def _calendar_for(self, team_id: int | None) -> Any:
        if team_id not in self._calendars:
            self._calendars[team_id] = _calendar.calendar_for(team_id)
        return self._calendars[team_id]

    def seconds(self, start: datetime, end: datetime, team_id: int | None) -> int:
        """Seconds the customer waited between ``start`` and ``end`` (0 if end is not later)."""
        if end <= start:
            return 0
        if not business_time_available():
            return int((end - start).total_seconds())
        calendar = self._calendar_for(team_id)
        delta = _calendar.business_time_between(start, end, calendar)
        return max(int(delta.total_seconds()), 0)
