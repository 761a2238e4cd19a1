"""Agents (read only): who answers, their teams, languages and role."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from helpmate.api.auth import current_agent
from helpmate.api.pagination import PageQuery, paginate
from helpmate.api.schemas import READ_ERRORS, Id, PageBase, TeamRef, team_ref
from helpmate.people.models import Agent, Team

router = Router(tags=["agents"])


class AgentOut(Schema):
    id: int
    public_name: str = Field(description="The first name customers see")
    full_name: str
    email: str
    role: str = Field(description="agent, lead or admin")
    teams: list[TeamRef]
    languages: list[str]
    is_active: bool


class AgentPage(PageBase):
    items: list[AgentOut]


def agent_out(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.pk,
        "public_name": agent.public_name,
        "full_name": agent.full_name,
        "email": agent.user.email,
        "role": agent.role,
        "teams": [team_ref(t) for t in agent.teams.all()],
        "languages": [str(code) for code in agent.languages or []],
        "is_active": agent.user.is_active,
    }


def _agents():
    return Agent.objects.select_related("user").prefetch_related(
        Prefetch("teams", queryset=Team.objects.order_by("name"))
    )


@router.get("/agents", response={200: AgentPage, **READ_ERRORS}, summary="List agents")
def list_agents(
    request: HttpRequest,
    page: PageQuery,
    team: Id | None = None,
    include_inactive: bool = False,
) -> dict[str, Any]:
    """Active agents by name; `include_inactive=true` lists deactivated ones too."""
    rows = _agents().order_by("full_name", "pk")
    if not include_inactive:
        rows = rows.filter(user__is_active=True)
    if team is not None:
        rows = rows.filter(teams=team)
    return paginate(request, rows, page, with_count=True).as_dict(agent_out)


@router.get("/agents/me", response={200: AgentOut, **READ_ERRORS}, summary="The calling agent")
def me(request: HttpRequest) -> dict[str, Any]:
    """The agent the token (or session) belongs to."""
    return agent_out(_agents().get(pk=current_agent(request).pk))


@router.get("/agents/{agent_id}", response={200: AgentOut, **READ_ERRORS}, summary="One agent")
def get_agent(request: HttpRequest, agent_id: Id) -> dict[str, Any]:
    agent = _agents().filter(pk=agent_id).first()
    if agent is None:
        raise Http404("No such agent.")
    return agent_out(agent)
