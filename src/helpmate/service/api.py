"""API endpoints of the service app, mounted under /api/ by helpmate.api.api: service targets
(admins), one conversation's due times, and target attainment (JSON and CSV)."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from helpmate.api.auth import current_agent
from helpmate.api.errors import ApiError, invalid
from helpmate.api.schemas import AUTH_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorBody, Id, Input
from helpmate.desk.selectors import get_conversation
from helpmate.people.models import Agent, Team
from helpmate.service import actions, due, metrics, selectors
from helpmate.service.actions import ServiceError
from helpmate.service.calendar import calendar_for
from helpmate.service.tasks import recompute_after_commit

router = Router(tags=["Service"])

Minutes = Annotated[int, Field(ge=1, le=60 * 24 * 366)]


class TargetRow(Schema):
    team: Id | None = Field(None, description="Team id; empty: any team")
    requester_kind: str = Field("", description="customer, colleague, supplier; empty: anyone")
    channel: str = Field("", description="portal, email, api, phone, chat, internal; empty: any")
    priority: int | None = Field(None, description="1 low .. 4 urgent; empty: any priority")
    first_response_minutes: Minutes | None = Field(None, description="Business minutes")
    next_response_minutes: Minutes | None = None
    resolution_minutes: Minutes | None = None


class TargetRowIn(Input, TargetRow):
    pass


class TargetsIn(Input):
    targets: list[TargetRowIn] = Field(max_length=500)


class TargetsOut(Schema):
    targets: list[TargetRow]
    built_in: TargetRow = Field(description="What applies where no row sets a target")


def _require_admin(request: HttpRequest) -> Agent:
    agent = current_agent(request)
    if not agent.is_admin:
        raise ApiError(403, "Only admins can read and change service targets.")
    return agent


def _targets_out() -> dict[str, Any]:
    from helpmate.service.targets import BUILT_IN

    return {
        "targets": [selectors.target_as_dict(t) for t in selectors.targets()],
        "built_in": {
            "first_response_minutes": _minutes(BUILT_IN.first_response),
            "next_response_minutes": _minutes(BUILT_IN.next_response),
            "resolution_minutes": _minutes(BUILT_IN.resolution),
        },
    }


def _minutes(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds() // 60)


@router.get(
    "/service/targets",
    response={200: TargetsOut, **AUTH_ERRORS},
    summary="Service targets (admins)",
)
def get_targets(request: HttpRequest) -> dict[str, Any]:
    """Every target row. For each of first response, next response and resolution, the most
    specific matching row that sets it applies (team > requester kind > channel > priority)."""
    _require_admin(request)
    return _targets_out()


@router.put(
    "/service/targets",
    response={200: TargetsOut, **WRITE_ERRORS},
    summary="Replace the service targets (admins)",
)
def put_targets(request: HttpRequest, payload: TargetsIn) -> dict[str, Any]:
    """Replace the whole target table with `targets` (rows not listed are removed), then
    recompute the due times of open conversations in the background."""
    agent = _require_admin(request)
    teams = set(Team.objects.values_list("pk", flat=True))
    rows = []
    for index, row in enumerate(payload.targets):
        if row.team is not None and row.team not in teams:
            raise invalid(["targets", index, "team"], f"No team with id {row.team}.")
        rows.append(
            {
                "team": Team(pk=row.team) if row.team else None,
                "requester_kind": row.requester_kind,
                "channel": row.channel,
                "priority": row.priority,
                "first_response": _delta(row.first_response_minutes),
                "next_response": _delta(row.next_response_minutes),
                "resolution": _delta(row.resolution_minutes),
            }
        )
    try:
        actions.replace_targets(actor=agent, rows=rows)
    except ServiceError as exc:
        raise ApiError(422, str(exc)) from exc
    recompute_after_commit()
    return _targets_out()


def _delta(minutes: int | None) -> timedelta | None:
    return None if minutes is None else timedelta(minutes=minutes)


class DueOut(Schema):
    conversation: int
    first_response_due_at: datetime | None
    next_response_due_at: datetime | None
    resolution_due_at: datetime | None
    due_at: datetime | None = Field(description="The earliest pending one; null when none")
    overdue: bool
    targets: dict[str, int | None] = Field(description="Target name -> business minutes")
    calendar: str
    time_zone: str


@router.get(
    "/conversations/{conversation_id}/due",
    response={200: DueOut, **READ_ERRORS},
    summary="A conversation's due times",
)
def conversation_due(request: HttpRequest, conversation_id: Id) -> dict[str, Any]:
    """The service-target due times the conversation carries, the targets that apply to it and
    the business calendar they are counted in."""
    conv = get_conversation(request.user, conversation_id)
    targets = due.targets_of(conv)
    cal = calendar_for(conv.team_id)
    return {
        "conversation": conv.pk,
        "first_response_due_at": conv.first_response_due_at,
        "next_response_due_at": conv.next_response_due_at,
        "resolution_due_at": conv.resolution_due_at,
        "due_at": conv.due_at,
        "overdue": conv.due_at is not None and conv.due_at <= timezone.now(),
        "targets": {
            "first_response": _minutes(targets.first_response),
            "next_response": _minutes(targets.next_response),
            "resolution": _minutes(targets.resolution),
        },
        "calendar": cal.name,
        "time_zone": cal.tz.key,
    }


class ReportQuery(Schema):
    days: int = Field(30, ge=1, le=731, description="The last N days (ignored with start/end)")
    start: datetime | None = Field(None, description="Start of the period (ISO 8601)")
    end: datetime | None = Field(None, description="End of the period, excluded (ISO 8601)")
    team: Id | None = None
    agent: Id | None = None


class AttainmentOut(Schema):
    met: int
    missed: int
    pending: int
    total: int
    rate: float | None = Field(description="met / (met + missed), 0..1; null when none decided")


class ReportRowOut(Schema):
    key: int | str | None
    label: str
    first_response: AttainmentOut
    next_response: AttainmentOut
    resolution: AttainmentOut


class ReportOut(Schema):
    start: datetime
    end: datetime
    bucket: str = Field(description="day or week: what each row of `periods` covers")
    overall: ReportRowOut
    teams: list[ReportRowOut]
    agents: list[ReportRowOut]
    periods: list[ReportRowOut]


def _report(request: HttpRequest, query: ReportQuery) -> metrics.AttainmentReport:
    current_agent(request)
    end = query.end or timezone.now()
    start = query.start or end - timedelta(days=query.days)
    for name, value in (("start", start), ("end", end)):
        if value.tzinfo is None:
            raise ApiError(422, f"Give {name} with a UTC offset, e.g. 2026-11-01T00:00:00Z.")
    if end <= start:
        raise ApiError(422, "The end must come after the start.")
    if end - start > timedelta(days=731):
        raise ApiError(422, "Ask for two years at most.")
    return metrics.attainment(start=start, end=end, team=query.team, agent=query.agent)


@router.get(
    "/reports/targets",
    response={200: ReportOut, **AUTH_ERRORS, 422: ErrorBody},
    summary="Service-target attainment",
)
def targets_report(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, Any]:
    """First-response, next-response and resolution target attainment for the conversations
    created in the period, from the event log: overall, per team, per agent and per day or
    week. `rate` is met / (met + missed); pending ones are not yet decided."""
    return _report(request, query).as_dict()


@router.get(
    "/reports/targets.csv",
    response={200: None, **AUTH_ERRORS, 422: ErrorBody},
    summary="Service-target attainment as CSV",
)
def targets_report_csv(request: HttpRequest, query: Query[ReportQuery]) -> HttpResponse:
    report = _report(request, query)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="service-targets.csv"'
    csv.writer(response).writerows(metrics.csv_rows(report))
    return response
