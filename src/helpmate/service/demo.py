"""Demo data for service targets: business calendars for the Northwind teams (the warehouse team
in Rotterdam's time zone with early and late shifts, holidays and a half day), realistic targets
per team, requester kind and priority, then the due times of the seeded conversations and the
targets they have already missed. Deterministic for a given ``now``."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from helpmate.people.models import Team
from helpmate.service import actions

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
H = timedelta(hours=1)


def _holidays(year: int) -> list[tuple[date, str, list[str]]]:
    return [
        (date(year, 1, 1), "New Year's Day", []),
        (date(year, 12, 24), "Christmas Eve (half day)", ["09:00-13:00"]),
        (date(year, 12, 25), "Christmas Day", []),
        (date(year, 12, 26), "Boxing Day", []),
    ]


def seed_demo(*, now: datetime) -> str:
    from helpmate.service.models import BusinessCalendar

    if BusinessCalendar.objects.filter(name="London office").exists():
        return "service: already seeded"
    teams = {t.name: t for t in Team.objects.all()}
    london = actions.save_calendar(
        actor=None,
        name="London office",
        time_zone="Europe/London",
        hours={**{d: "08:00-18:00" for d in WEEKDAYS}, "sat": "09:00-13:00"},
        is_default=True,
    )
    finance = actions.save_calendar(
        actor=None,
        name="Finance hours",
        time_zone="Europe/London",
        hours={d: "09:00-12:30, 13:30-17:00" for d in WEEKDAYS},
    )
    rotterdam = actions.save_calendar(
        actor=None,
        name="Rotterdam warehouse",
        time_zone="Europe/Amsterdam",
        hours={d: "06:00-14:00, 14:00-22:00" for d in WEEKDAYS},
    )
    holidays = 0
    for year in (now.year - 1, now.year, now.year + 1):
        for cal in (london, finance):
            for day, name, hours in _holidays(year):
                actions.set_holiday(actor=None, calendar=cal, date=day, name=name, hours=hours)
                holidays += 1
        actions.set_holiday(
            actor=None, calendar=rotterdam, date=date(year, 4, 27), name="King's Day"
        )
        actions.set_holiday(
            actor=None, calendar=rotterdam, date=date(year, 12, 25), name="Eerste Kerstdag"
        )
        holidays += 2
    for team_name, cal in (
        ("Billing", finance),
        ("Logistics & Suppliers", rotterdam),
        ("Customer Support", london),
        ("IT Helpdesk", london),
    ):
        if team_name in teams:
            actions.set_team_calendar(actor=None, team=teams[team_name], calendar=cal)

    rows: list[dict[str, object]] = [
        {"first_response": 4 * H, "next_response": 8 * H, "resolution": 40 * H},
        {"priority": 4, "first_response": H, "next_response": 2 * H, "resolution": 8 * H},
        {"priority": 3, "first_response": 2 * H, "next_response": 4 * H, "resolution": 24 * H},
        {"requester_kind": "colleague", "first_response": 8 * H, "resolution": 24 * H},
        {"requester_kind": "supplier", "first_response": 8 * H, "resolution": 80 * H},
    ]
    support = teams.get("Customer Support")
    if support is not None:
        rows.append({"team": support, "channel": "email", "first_response": 3 * H})
    billing = teams.get("Billing")
    if billing is not None:
        rows.append(
            {"team": billing, "requester_kind": "supplier", "resolution": 16 * H}
        )  # pay a supplier's invoice within two business days
    targets = actions.replace_targets(actor=None, rows=rows)
    changed = actions.recompute_due_times()
    missed = actions.record_missed_targets(now=now, limit=10_000)
    return (
        f"service: 3 calendars ({holidays} holidays), {len(targets)} target rows, due times of "
        f"{changed} conversations, {missed} missed targets recorded"
    )
