"""API endpoints of the promises app, mounted under /api/ by helpmate.api.api:
the commitment detector, the promise ledger (list, read) and the promise report (JSON, CSV)."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from helpmate.api.auth import current_agent
from helpmate.api.errors import invalid
from helpmate.api.pagination import PageQuery, paginate
from helpmate.api.schemas import (
    AUTH_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorBody,
    Id,
    Input,
    PageBase,
)
from helpmate.desk import selectors as desk_selectors
from helpmate.desk.models import Message
from helpmate.people.models import Contact, Team
from helpmate.promises import actions, metrics, selectors
from helpmate.promises.actions import contact_zone
from helpmate.promises.detect import MAX_TEXT, detect
from helpmate.promises.models import Promise, PromiseSource, PromiseState
from helpmate.service.calendar import calendar_for

router = Router(tags=["Promises"])

StateName = Literal[
    "open", "kept_early", "kept_on_time", "kept_late", "renegotiated", "broken", "cancelled"
]


class DetectIn(Input):
    text: Annotated[str, Field(max_length=MAX_TEXT, description="The reply as the agent wrote it")]
    conversation: Id | None = Field(
        None, description="Resolve in this conversation's customer time zone and team calendar"
    )
    now: datetime | None = Field(
        None, description="The moment the reply is written (ISO 8601 with offset); default: now"
    )
    timezone: Annotated[str, Field(max_length=64)] | None = Field(
        None, description="The customer's time zone, e.g. Europe/Lisbon (without a conversation)"
    )
    team: Id | None = Field(None, description="Whose business calendar (without a conversation)")


class CommitmentOut(Schema):
    words: str = Field(description="The deadline as written, e.g. 'by Friday'")
    start: int = Field(description="Offset of the words in the text (characters)")
    end: int = Field(description="Offset just after the words")
    promise: str = Field(description="What was promised, without the deadline")
    who: str = Field(description="'agent' (I) or 'team' (we, a colleague, 'your refund will')")
    due: datetime = Field(description="The resolved due time (ISO 8601, UTC)")


class DetectOut(Schema):
    commitments: list[CommitmentOut]


@router.post(
    "/promises/detect",
    response={200: DetectOut, **READ_ERRORS, 413: ErrorBody},
    summary="Find the time commitments in a reply",
)
def detect_commitments(request: HttpRequest, payload: DetectIn) -> dict[str, Any]:
    """The detector the composer uses. With `conversation`, deadlines are read in its
    requester's time zone and its team's business calendar; without it, give `timezone` (and
    optionally `team` and `now`). Nothing is stored."""
    if payload.conversation is not None:
        if payload.timezone is not None or payload.team is not None:
            raise invalid(
                "conversation", "Give either 'conversation' or 'timezone'/'team', not both."
            )
        conversation = desk_selectors.get_conversation(request.user, payload.conversation)
        zone = contact_zone(conversation.requester)
        cal = calendar_for(conversation.team_id)
    else:
        if not payload.timezone:
            raise invalid("timezone", "Give 'conversation', or the customer's 'timezone'.")
        try:
            zone = ZoneInfo(payload.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise invalid("timezone", f"{payload.timezone!r} is not a known time zone.") from None
        team = None
        if payload.team is not None:
            team = Team.objects.filter(pk=payload.team).first()
            if team is None:
                raise invalid("team", f"No team with id {payload.team}.", "not_found")
        cal = calendar_for(team)
    now = payload.now or timezone.now()
    if timezone.is_naive(now):
        raise invalid("now", "'now' needs a time zone offset, e.g. 2026-11-23T10:00:00+01:00.")
    found = detect(payload.text, now=now, tz=zone, cal=cal)
    return {"commitments": [c.as_dict() for c in found]}


class PromiseOut(Schema):
    id: int
    conversation: int
    made_by: int | None = Field(description="The agent who made it")
    made_to: int = Field(description="The contact it was made to")
    made_to_kind: str = Field(description="customer, colleague or supplier")
    by_team: bool
    text: str
    words: str
    source: str
    state: StateName
    due_at: datetime
    due_local: str = Field(description="The due time in the contact's time zone")
    original_due_at: datetime
    created_at: datetime
    closed_at: datetime | None
    kept_at: datetime | None
    renegotiated_from: int | None
    warned_at: datetime | None


def _promise(p: Promise) -> dict[str, Any]:
    return {
        "id": p.pk,
        "conversation": p.conversation_id,
        "made_by": p.made_by_id,
        "made_to": p.made_to_id,
        "made_to_kind": p.made_to.kind,
        "by_team": p.by_team,
        "text": p.text,
        "words": p.words,
        "source": p.source,
        "state": p.state,
        "due_at": p.due_at,
        "due_local": selectors.local_due(p).isoformat(),
        "original_due_at": p.original_due_at,
        "created_at": p.created_at,
        "closed_at": p.closed_at,
        "kept_at": p.kept_at,
        "renegotiated_from": p.renegotiated_from_id,
        "warned_at": p.warned_at,
    }


class PromisePage(PageBase):
    items: list[PromiseOut]


@router.get(
    "/promises",
    response={200: PromisePage, **READ_ERRORS},
    summary="List promises",
)
def list_promises(
    request: HttpRequest,
    page: PageQuery,
    state: StateName | None = None,
    agent: Id | None = None,
    conversation: Id | None = None,
) -> dict[str, Any]:
    """Promises in conversations you may see, soonest due first; filter by `state`, by the
    `agent` who made them, or by `conversation`."""
    rows = selectors.visible_promises(request.user).order_by("due_at", "pk")
    if state:
        rows = rows.filter(state=state)
    if agent:
        rows = rows.filter(made_by_id=agent)
    if conversation:
        rows = rows.filter(conversation_id=conversation)
    return paginate(request, rows, page).as_dict(_promise)


@router.get(
    "/promises/{promise_id}",
    response={200: PromiseOut, **READ_ERRORS},
    summary="One promise",
)
def get_promise(request: HttpRequest, promise_id: Id) -> dict[str, Any]:
    return _promise(selectors.get_promise(request.user, promise_id))


class PromiseIn(Input):
    conversation: Id
    text: Annotated[str, Field(max_length=300, description="What was promised")]
    due_at: datetime = Field(description="When it is due (ISO 8601 with offset)")
    made_to: Id | None = Field(
        None, description="A contact in the conversation (default: requester)"
    )
    by_team: bool = Field(False, description="Promised as 'we' (the team)")


class KeepIn(Input):
    message: Id | None = Field(None, description="The reply that kept it, if any")


class CancelIn(Input):
    reason: Annotated[str, Field(max_length=300)] = ""


class RenegotiateIn(Input):
    new_due_at: datetime = Field(description="The new time agreed (ISO 8601 with offset)")
    reason: Annotated[str, Field(max_length=300)] = ""


def _aware(value: datetime, field: str) -> datetime:
    if timezone.is_naive(value):
        raise invalid(field, f"'{field}' needs a time zone offset, e.g. 2026-11-27T17:00:00+01:00.")
    return value


@router.post(
    "/promises",
    response={201: PromiseOut, **WRITE_ERRORS},
    summary="Record a promise",
)
def make_promise(request: HttpRequest, payload: PromiseIn) -> Status:
    """Record a promise the calling agent made in a conversation (as the composer does)."""
    agent = current_agent(request)
    conversation = desk_selectors.get_conversation(request.user, payload.conversation)
    made_to = None
    if payload.made_to is not None:
        made_to = Contact.objects.filter(pk=payload.made_to).first()
        if made_to is None:
            raise invalid("made_to", f"No contact with id {payload.made_to}.", "not_found")
    promise = actions.make_promise(
        conversation=conversation,
        agent=agent,
        text=payload.text,
        due_at=_aware(payload.due_at, "due_at"),
        made_to=made_to,
        by_team=payload.by_team,
        source=PromiseSource.API,
    )
    return Status(201, _promise(selectors.get_promise(request.user, promise.pk)))


@router.post(
    "/promises/{promise_id}/keep",
    response={200: PromiseOut, **WRITE_ERRORS},
    summary="Record a promise as kept",
)
def keep_promise(request: HttpRequest, promise_id: Id, payload: KeepIn) -> dict[str, Any]:
    """Early, on time or late is decided from the due time (see docs/promises.md)."""
    promise = selectors.get_promise(request.user, promise_id)
    message = None
    if payload.message is not None:
        message = Message.objects.filter(
            pk=payload.message, conversation_id=promise.conversation_id
        ).first()
        if message is None:
            raise invalid("message", "No such message in this conversation.", "not_found")
    actions.keep_promise(promise=promise, actor=current_agent(request), message=message)
    return _promise(selectors.get_promise(request.user, promise_id))


@router.post(
    "/promises/{promise_id}/cancel",
    response={200: PromiseOut, **WRITE_ERRORS},
    summary="Cancel an open promise",
)
def cancel_promise(request: HttpRequest, promise_id: Id, payload: CancelIn) -> dict[str, Any]:
    promise = selectors.get_promise(request.user, promise_id)
    actions.cancel_promise(promise=promise, actor=current_agent(request), reason=payload.reason)
    return _promise(selectors.get_promise(request.user, promise_id))


@router.post(
    "/promises/{promise_id}/renegotiate",
    response={201: PromiseOut, **WRITE_ERRORS},
    summary="Agree a new time; answers the new promise",
)
def renegotiate_promise(request: HttpRequest, promise_id: Id, payload: RenegotiateIn) -> Status:
    """Before the due time the old promise becomes renegotiated; after it, broken. Either way
    the new time is a new open promise, which is answered."""
    promise = selectors.get_promise(request.user, promise_id)
    successor = actions.renegotiate_promise(
        promise=promise,
        actor=current_agent(request),
        new_due_at=_aware(payload.new_due_at, "new_due_at"),
        reason=payload.reason,
    )
    return Status(201, _promise(selectors.get_promise(request.user, successor.pk)))


class ReportQuery(Schema):
    days: int = Field(90, ge=1, le=366, description="The period: the last N days (1-366)")
    team: Id | None = Field(None, description="Only this team (leads and admins)")
    agent: Id | None = Field(None, description="Only promises made by this agent (leads, admins)")


class FiguresOut(Schema):
    label: str
    made: int
    kept_early: int
    kept_on_time: int
    kept_late: int
    renegotiated: int
    broken: int
    cancelled: int
    decided: int
    kept_rate: float | None = Field(description="Kept early or on time, % of decided")
    kept_early_rate: float | None
    kept_late_rate: float | None
    renegotiated_rate: float | None = Field(description="Renegotiated before due, % of decided")
    broken_rate: float | None
    median_margin_minutes: int | None = Field(description="Median of due - kept (positive: early)")


class ReportOut(Schema):
    start: datetime
    end: datetime
    own_only: bool = Field(description="True when the figures are only the caller's promises")
    total: FiguresOut
    by_agent: list[FiguresOut]
    by_team: list[FiguresOut]
    by_week: list[FiguresOut]


def _report(request: HttpRequest, query: ReportQuery) -> tuple[metrics.Report, bool]:
    me = current_agent(request)
    own_only = not me.is_lead
    end = timezone.now()
    report = metrics.promise_report(
        start=end - timedelta(days=query.days),
        end=end,
        team=None if own_only else query.team,
        agent=me.pk if own_only else query.agent,
    )
    return report, own_only


@router.get(
    "/reports/promises",
    response={200: ReportOut, **AUTH_ERRORS, 422: ErrorBody},
    summary="Promise figures: kept, early, renegotiated, broken, margin",
)
def promise_report(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, Any]:
    """The figures of the promise dashboard, from the event log: totals, per agent, per team
    and per week. Agents get their own promises; leads and admins everyone's."""
    report, own_only = _report(request, query)
    return {
        "start": report.start,
        "end": report.end,
        "own_only": own_only,
        "total": report.total.as_dict(),
        "by_agent": [f.as_dict() for f in report.by_agent],
        "by_team": [f.as_dict() for f in report.by_team],
        "by_week": [f.as_dict() for f in report.by_week],
    }


@router.get(
    "/reports/promises.csv",
    response={200: None, **AUTH_ERRORS, 422: ErrorBody},
    summary="Promise figures as CSV",
)
def promise_report_csv(request: HttpRequest, query: Query[ReportQuery]) -> HttpResponse:
    report, _ = _report(request, query)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="promises.csv"'
    writer = csv.writer(response)
    writer.writerow(metrics.CSV_COLUMNS)
    writer.writerows(metrics.csv_rows(report))
    return response


__all__ = ["PromiseState", "router"]
