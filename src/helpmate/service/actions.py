"""Every write of the service app: calendars, holidays, team calendars, targets, due times and
the record of missed targets. Keyword-only, typed, one transaction each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from helpmate.desk.actions import log_event
from helpmate.desk.models import OPEN_STATUSES, Channel, Conversation, EventType, Priority
from helpmate.people.models import Agent, ContactKind, Team
from helpmate.service import due
from helpmate.service.calendar import WEEKDAYS, CalendarError, make_calendar, parse_hours
from helpmate.service.models import (
    BusinessCalendar,
    Holiday,
    ServiceTarget,
    TargetMiss,
    TeamService,
)
from helpmate.service.targets import TARGET_NAMES


class ServiceError(ValueError):
    """A change that cannot be made, with a message fit to show."""


def _require_admin(actor: Agent | None) -> None:
    if actor is not None and not actor.is_admin:
        raise ServiceError("Only admins can change calendars and targets.")


def _clean_hours(hours: Mapping[str, Sequence[str] | str]) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for day in WEEKDAYS:
        raw = hours.get(day, [])
        items = [p for p in raw.replace(";", ",").split(",")] if isinstance(raw, str) else raw
        items = [item.strip() for item in items if item.strip()]
        try:
            parse_hours(items)
        except CalendarError as exc:
            raise ServiceError(f"{day.capitalize()}: {exc}") from exc
        cleaned[day] = items
    return cleaned


def save_calendar(
    *,
    actor: Agent | None,
    name: str,
    time_zone: str,
    hours: Mapping[str, Sequence[str] | str],
    is_default: bool = False,
    calendar: BusinessCalendar | None = None,
) -> BusinessCalendar:
    """Create or change a calendar. ``hours`` maps mon..sun to ranges ("09:00-17:00")."""
    _require_admin(actor)
    name = " ".join(name.split())
    if not name:
        raise ServiceError("Give the calendar a name.")
    cleaned = _clean_hours(hours)
    try:
        make_calendar(time_zone=time_zone.strip(), hours=cleaned, name=name)
    except CalendarError as exc:
        raise ServiceError(str(exc)) from exc
    clash = BusinessCalendar.objects.filter(name__iexact=name)
    if calendar is not None:
        clash = clash.exclude(pk=calendar.pk)
    if clash.exists():
        raise ServiceError(f"A calendar named {name!r} exists already.")
    with transaction.atomic():
        if calendar is None:
            calendar = BusinessCalendar(name=name)
        else:
            calendar = BusinessCalendar.objects.select_for_update(no_key=True).get(pk=calendar.pk)
        calendar.name = name
        calendar.time_zone = time_zone.strip()
        calendar.hours = cleaned
        calendar.is_default = is_default
        if is_default:
            BusinessCalendar.objects.filter(is_default=True).exclude(pk=calendar.pk).update(
                is_default=False
            )
        calendar.save()
    return calendar


def delete_calendar(*, actor: Agent | None, calendar: BusinessCalendar) -> None:
    _require_admin(actor)
    with transaction.atomic():
        calendar.delete()  # teams using it fall back to the default calendar


def set_holiday(
    *,
    actor: Agent | None,
    calendar: BusinessCalendar,
    date: dt.date,
    name: str,
    hours: Sequence[str] | str = (),
) -> Holiday:
    """Add or change the holiday on ``date``: closed (no hours) or a half day's ranges."""
    _require_admin(actor)
    name = " ".join(name.split())
    if not name:
        raise ServiceError("Name the holiday (e.g. Christmas Day).")
    cleaned = _clean_hours({"mon": hours})["mon"]
    with transaction.atomic():
        holiday, _ = Holiday.objects.update_or_create(
            calendar=calendar, date=date, defaults={"name": name, "hours": cleaned}
        )
    return holiday


def remove_holiday(*, actor: Agent | None, holiday: Holiday) -> None:
    _require_admin(actor)
    with transaction.atomic():
        holiday.delete()


def set_team_calendar(
    *, actor: Agent | None, team: Team, calendar: BusinessCalendar | None
) -> TeamService:
    _require_admin(actor)
    with transaction.atomic():
        service, _ = TeamService.objects.update_or_create(
            team=team, defaults={"calendar": calendar}
        )
    return service


def save_target(
    *,
    actor: Agent | None,
    team: Team | None = None,
    requester_kind: str = "",
    channel: str = "",
    priority: int | None = None,
    first_response: timedelta | None = None,
    next_response: timedelta | None = None,
    resolution: timedelta | None = None,
) -> ServiceTarget:
    """Set the targets for one combination of criteria (empty criteria match anything); the row
    for that combination is created or replaced. Run ``recompute_due_times`` afterwards (the
    admin page and the API do) so open conversations follow."""
    _require_admin(actor)
    if requester_kind and requester_kind not in ContactKind.values:
        raise ServiceError(f"Unknown requester kind {requester_kind!r}.")
    if channel and channel not in Channel.values:
        raise ServiceError(f"Unknown channel {channel!r}.")
    if priority is not None and priority not in Priority.values:
        raise ServiceError(f"Unknown priority {priority!r}.")
    values = {
        "first_response": first_response,
        "next_response": next_response,
        "resolution": resolution,
    }
    for name, value in values.items():
        if value is not None and value <= timedelta(0):
            raise ServiceError(f"The {name.replace('_', ' ')} target must be longer than zero.")
    if all(v is None for v in values.values()):
        raise ServiceError("Set at least one of first response, next response or resolution.")
    with transaction.atomic():
        row = (
            ServiceTarget.objects.select_for_update(no_key=True)
            .filter(team=team, requester_kind=requester_kind, channel=channel, priority=priority)
            .first()
        )
        if row is None:
            row = ServiceTarget(
                team=team, requester_kind=requester_kind, channel=channel, priority=priority
            )
        for name, value in values.items():
            setattr(row, name, value)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:  # two admins at once
            raise ServiceError("These targets were just changed by someone else.") from exc
    return row


def replace_targets(
    *, actor: Agent | None, rows: Sequence[Mapping[str, object]]
) -> list[ServiceTarget]:
    """Make the target table exactly ``rows`` (each the keyword arguments of ``save_target``),
    in one transaction: rows not listed are deleted. Two rows with the same criteria are refused.
    """
    _require_admin(actor)
    seen: set[tuple[object, ...]] = set()
    for row in rows:
        key = tuple(row.get(k) for k in ("team", "requester_kind", "channel", "priority"))
        if key in seen:
            raise ServiceError("Two targets have the same team, kind, channel and priority.")
        seen.add(key)
    with transaction.atomic():
        kept = [save_target(actor=actor, **row) for row in rows]  # type: ignore[arg-type]
        ServiceTarget.objects.exclude(pk__in=[t.pk for t in kept]).delete()
    return kept


def delete_target(*, actor: Agent | None, target: ServiceTarget) -> None:
    _require_admin(actor)
    with transaction.atomic():
        target.delete()


def recompute_due_times(
    *,
    conversation_ids: Iterable[int] | None = None,
    only_missing: bool = False,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the due times of the given conversations (default: every open one, plus any
    closed one still carrying a due time; ``only_missing``: the open ones without any, such as
    rows written by ``helpmate generate``). Each batch is locked and written in one transaction.
    Returns how many conversations changed; ``progress(done, total)`` follows each batch."""
    if conversation_ids is not None:
        ids = sorted(set(conversation_ids))
    else:
        open_rows = Conversation.objects.filter(status__in=OPEN_STATUSES)
        if only_missing:
            open_rows = open_rows.filter(due_at__isnull=True)
        ids = list(open_rows.order_by("pk").values_list("pk", flat=True))
        if not only_missing:
            ids += list(
                Conversation.objects.exclude(status__in=OPEN_STATUSES)
                .filter(due_at__isnull=False)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
    from helpmate.people.models import Contact

    changed = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        with transaction.atomic():
            rows = list(
                Conversation.objects.select_for_update(no_key=True)
                .filter(pk__in=chunk)
                .order_by("pk")
            )
            kinds = dict(
                Contact.objects.filter(pk__in={r.requester_id for r in rows}).values_list(
                    "pk", "kind"
                )
            )
            dirty = [c for c in rows if due.apply(c, kind=kinds.get(c.requester_id, "customer"))]
            _write_due_times(dirty)
            changed += len(dirty)
        if progress is not None:
            progress(min(start + batch_size, len(ids)), len(ids))
    return changed


def _write_due_times(rows: list[Conversation]) -> None:
    """Write the due fields of ``rows`` (already locked). PostgreSQL: one UPDATE ... FROM
    VALUES per batch; SQLite: one small UPDATE per row. Both measured faster than
    ``bulk_update`` (a CASE per field), see docs/service-targets.md."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        for conv in rows:
            Conversation.objects.filter(pk=conv.pk).update(
                **{name: getattr(conv, name) for name in due.DUE_FIELDS}
            )
        return
    table = Conversation._meta.db_table
    columns = ", ".join(f"{name} = v.{name}" for name in due.DUE_FIELDS)
    values = ", ".join(
        ["(%s, %s::timestamptz, %s::timestamptz, %s::timestamptz, %s::timestamptz)"] * len(rows)
    )
    params: list[Any] = []
    for conv in rows:
        params.append(conv.pk)
        params.extend(getattr(conv, name) for name in due.DUE_FIELDS)
    names = ", ".join(due.DUE_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS c SET {columns} FROM (VALUES {values}) AS v(id, {names}) "  # noqa: S608
            "WHERE c.id = v.id",
            params,
        )


def record_missed_targets(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Write a TARGET_MISSED event for every pending target whose due time has passed, once per
    target and due time (a later due time, after a reopening, can be missed again); the event is
    dated at the due time. Returns how many were recorded.

    Safe to run twice at once: conversations are locked in batches (skipping ones another
    worker holds) before the recorded misses are checked, and a unique row per conversation,
    target and due time backs that up. One transaction per batch of 100 conversations."""
    now = now or timezone.now()
    unrecorded = Q()
    for name in TARGET_NAMES:
        field = f"{name}_due_at"
        recorded = TargetMiss.objects.filter(
            conversation=OuterRef("pk"), target=name, due_at=OuterRef(field)
        )
        unrecorded |= Q(~Exists(recorded), **{f"{field}__lte": now})
    # Walks the due_at index over the overdue conversations and keeps those with a miss not yet
    # recorded (the anti-join uses TargetMiss's unique index).
    candidates = list(
        Conversation.objects.filter(due_at__lte=now, status__in=OPEN_STATUSES)
        .filter(unrecorded)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    count = 0
    for start in range(0, len(candidates), 100):
        count += _record_batch(sorted(candidates[start : start + 100]), now)
    return count


def _record_batch(ids: list[int], now: datetime) -> int:
    with transaction.atomic():
        convs = list(
            Conversation.objects.select_for_update(no_key=True, skip_locked=True)
            .filter(pk__in=ids, status__in=OPEN_STATUSES)
            .order_by("pk")
        )
        seen = set(
            TargetMiss.objects.filter(conversation__in=convs).values_list(
                "conversation_id", "target", "due_at"
            )
        )
        misses = []
        for conv in convs:
            for name in TARGET_NAMES:
                at = getattr(conv, f"{name}_due_at")
                if at is not None and at <= now and (conv.pk, name, at) not in seen:
                    misses.append((conv, name, at))
        TargetMiss.objects.bulk_create(
            [
                TargetMiss(conversation=conv, target=name, due_at=at, recorded_at=now)
                for conv, name, at in misses
            ]
        )
        for conv, name, at in misses:
            log_event(
                conv,
                EventType.TARGET_MISSED,
                None,
                at,
                target=name,
                due_at=at.isoformat(),
                team=conv.team_id,
                owner=conv.owner_id,
            )
    return len(misses)
