"""Teams (read only), with their members."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from helpmate.api.pagination import PageQuery, paginate
from helpmate.api.schemas import READ_ERRORS, AgentRef, Id, PageBase, agent_ref
from helpmate.people.models import Agent, Team

router = Router(tags=["teams"])


class TeamOut(Schema):
    id: int
    name: str
    description: str
    email: str
    agents: list[AgentRef]


class TeamPage(PageBase):
    items: list[TeamOut]


def team_out(team: Team) -> dict[str, Any]:
    return {
        "id": team.pk,
        "name": team.name,
        "description": team.description,
        "email": team.email,
        "agents": [agent_ref(a) for a in team.agents.all()],
    }


def _teams():
    members = Agent.objects.active().order_by("full_name")
    return Team.objects.prefetch_related(Prefetch("agents", queryset=members))


@router.get("/teams", response={200: TeamPage, **READ_ERRORS}, summary="List teams")
def list_teams(request: HttpRequest, page: PageQuery) -> dict[str, Any]:
    """Teams by name, with their active members."""
    rows = _teams().order_by("name", "pk")
    return paginate(request, rows, page, with_count=True).as_dict(team_out)


@router.get("/teams/{team_id}", response={200: TeamOut, **READ_ERRORS}, summary="One team")
def get_team(request: HttpRequest, team_id: Id) -> dict[str, Any]:
    team = _teams().filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team.")
    return team_out(team)
