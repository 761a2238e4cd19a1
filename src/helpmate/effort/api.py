"""API endpoints of the effort app, mounted under /api/ by helpmate.api.api.

The same figures as the radar pages, with the same rule for who sees what
(``helpmate.effort.selectors.scope_for``): leads and admins every team and agent, an agent their
own teams and themselves. One conversation's effort follows the conversation's visibility (404).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from helpmate.api.errors import ApiError
from helpmate.api.pagination import PageQuery, paginate
from helpmate.api.schemas import READ_ERRORS, Id, PageBase
from helpmate.desk import selectors as desk_selectors
from helpmate.effort import selectors
from helpmate.effort.models import ConversationEffort
from helpmate.effort.timeline import ongoing_wait, score_parts, steps_of
from helpmate.people.models import agent_of

router = Router(tags=["Effort"])


class StepOut(Schema):
    number: int
    via: str = Field(description="Opened, Assigned or Handed over")
    start: datetime
    end: datetime | None
    team_id: int | None
    team: str
    owner_id: int | None
    owner: str
    wait_seconds: int = Field(description="Business seconds the customer waited in this step")
    waiting_now: bool


class ScorePart(Schema):
    part: str
    points: float
    cap: float


class EffortOut(Schema):
    conversation_id: int
    score: int = Field(description="Effort points, 0 (effortless) to 100 (a maze)")
    score_parts: list[ScorePart]
    wait_seconds: int = Field(description="Business seconds waited on us (waits that ended)")
    waiting_now_seconds: int = Field(description="The wait still running, 0 if none")
    longest_wait_seconds: int
    waits: int
    handoffs: int
    teams_touched: list[int]
    time_to_owner_seconds: int | None
    customer_messages: int
    agent_replies: int
    reopenings: int
    repeat_of: int | None = Field(description="The earlier similar conversation this repeats")
    repeat_contacts: int = Field(description="Later similar conversations within 7 days")
    first_contact_resolution: bool
    status: str
    resolved_at: datetime | None
    ces_score: int | None
    ces_comment: str
    ces_answered_at: datetime | None
    steps: list[StepOut]


class FiguresOut(Schema):
    label: str
    key: Any = Field(None, description="Week start, team id or agent id")
    conversations: int
    score: float | None
    handoffs: float | None
    wait_hours: float | None
    longest_hours: float | None
    repeat_pct: float | None
    fcr_pct: float | None
    ces: float | None
    ces_answers: int
    reopenings: int


class MazeOut(Schema):
    conversation_id: int
    subject: str
    score: int
    handoffs: int
    wait_seconds: int
    team_id: int | None
    owner_id: int | None


class ReportOut(Schema):
    start: date
    end: date
    team_id: int | None
    agent_id: int | None
    total: FiguresOut
    weeks: list[FiguresOut]
    teams: list[FiguresOut]
    agents: list[FiguresOut]
    worst_mazes: list[MazeOut]


class ReportQuery(Schema):
    team: int | None = Field(None, ge=1, description="Only this team")
    agent: int | None = Field(None, ge=1, description="Only conversations this agent owned")
    start: date | None = Field(None, description="First day (default: 12 weeks ago, a Monday)")
    end: date | None = Field(None, description="Last day (default: today)")


class CesAnswerOut(Schema):
    conversation_id: int
    subject: str
    score: int
    comment: str
    answered_at: datetime
    team_id: int | None
    owner_id: int | None


class CesAnswerPage(PageBase):
    items: list[CesAnswerOut]


def _effort(row: ConversationEffort) -> dict[str, Any]:
    return {
        "conversation_id": row.conversation_id,
        "score": row.score,
        "score_parts": [
            {"part": label, "points": points, "cap": cap} for label, points, cap in score_parts(row)
        ],
        "wait_seconds": row.wait_seconds,
        "waiting_now_seconds": ongoing_wait(row),
        "longest_wait_seconds": row.longest_wait_seconds,
        "waits": row.waits,
        "handoffs": row.handoffs,
        "teams_touched": row.teams_touched,
        "time_to_owner_seconds": row.time_to_owner_seconds,
        "customer_messages": row.customer_messages,
        "agent_replies": row.agent_replies,
        "reopenings": row.reopenings,
        "repeat_of": row.repeat_of_id,
        "repeat_contacts": row.repeat_contacts,
        "first_contact_resolution": row.fcr,
        "status": row.status,
        "resolved_at": row.resolved_at,
        "ces_score": row.ces_score,
        "ces_comment": row.ces_comment,
        "ces_answered_at": row.ces_answered_at,
        "steps": [s.__dict__ for s in steps_of(row)],
    }


@router.get(
    "/conversations/{conversation_id}/effort",
    response={200: EffortOut, **READ_ERRORS},
    summary="The effort one conversation asked of its customer",
)
def conversation_effort(request: HttpRequest, conversation_id: Id) -> dict[str, Any]:
    """All effort metrics, the score with its parts, and the timeline of who had it when and
    how long the customer waited at each step."""
    conversation = desk_selectors.get_conversation(request.user, conversation_id)
    row = ConversationEffort.objects.filter(pk=conversation.pk).first()
    if row is None:
        raise ApiError(404, "No effort measured for this conversation yet (run the rebuild).")
    return _effort(row)


def _filters(request: HttpRequest, query: ReportQuery) -> tuple[selectors.Scope, selectors.Filters]:
    agent = agent_of(request.user)
    assert agent is not None  # the API authenticates agents only
    scope = selectors.scope_for(agent)
    default_start, default_end = selectors.default_period()
    start, end = query.start or default_start, query.end or default_end
    if end < start:
        raise ApiError(422, "end comes before start.")
    if (end - start).days > selectors.MAX_DAYS:
        raise ApiError(422, f"Choose a period of at most {selectors.MAX_DAYS} days.")
    teams = {t.pk: t for t in scope.teams}
    agents = {a.pk: a for a in scope.agents}
    if query.team is not None and query.team not in teams:
        raise ApiError(403, "You can see the effort figures of your own teams only.")
    if query.agent is not None and query.agent not in agents:
        raise ApiError(403, "You can see your own effort figures only; team leads see everyone's.")
    filters = selectors.Filters(
        start=start,
        end=end,
        team=teams.get(query.team or 0),
        agent=agents.get(query.agent or 0),
    )
    return scope, filters


@router.get(
    "/reports/effort",
    response={200: ReportOut, **READ_ERRORS},
    summary="The effort radar's figures: weekly trends, per team, per agent, worst mazes",
)
def effort_report(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, Any]:
    """Conversations resolved in the period (by week of resolution, team and owner at
    resolution), and the conversations of the last seven days that asked the most."""
    scope, filters = _filters(request, query)
    rows = selectors.resolved_rows(scope, filters)
    return {
        "start": filters.start,
        "end": filters.end,
        "team_id": filters.team.pk if filters.team else None,
        "agent_id": filters.agent.pk if filters.agent else None,
        "total": selectors.total(rows).__dict__,
        "weeks": [w.__dict__ for w in selectors.weekly(rows, filters)],
        "teams": [t.__dict__ for t in selectors.by_team(rows, scope)],
        "agents": [a.__dict__ for a in selectors.by_agent(rows, scope)],
        "worst_mazes": [
            {
                "conversation_id": m.conversation_id,
                "subject": m.conversation.subject,
                "score": m.score,
                "handoffs": m.handoffs,
                "wait_seconds": m.wait_seconds,
                "team_id": m.team_id,
                "owner_id": m.owner_id,
            }
            for m in selectors.worst_mazes(scope, filters)
        ],
    }


@router.get(
    "/effort/ces-answers",
    response={200: CesAnswerPage, **READ_ERRORS},
    summary="Customer Effort Score answers, newest first",
)
def ces_answers(request: HttpRequest, query: Query[ReportQuery], page: PageQuery) -> dict[str, Any]:
    """Answers given in the period (1 = very difficult .. 7 = very easy) with their comments."""
    scope, filters = _filters(request, query)
    rows = selectors.ces_answers(scope, filters)
    return paginate(request, rows, page, with_count=True).as_dict(
        lambda row: {
            "conversation_id": row.conversation_id,
            "subject": row.conversation.subject,
            "score": row.ces_score,
            "comment": row.ces_comment,
            "answered_at": row.ces_answered_at,
            "team_id": row.team_id,
            "owner_id": row.owner_id,
        }
    )
