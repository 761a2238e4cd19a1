"""Helpers shared by the workspace views."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from helpmate.desk.selectors import agents_for_choice
from helpmate.people.models import Agent, Team, agent_of


def current_agent(request: HttpRequest) -> Agent:
    """The signed-in agent (views are wrapped in ``agent_required``)."""
    agent = agent_of(request.user)
    assert agent is not None
    return agent


@dataclass
class Directory:
    """Agents and teams for select boxes and event lines, loaded once per request."""

    agents: list[Agent]
    teams: list[Team]

    @classmethod
    def load(cls) -> Directory:
        return cls(agents=list(agents_for_choice()), teams=list(Team.objects.order_by("name")))

    @property
    def agent_choices(self) -> list[tuple[int, str]]:
        return [(a.pk, agent_label(a)) for a in self.agents]

    @property
    def team_choices(self) -> list[tuple[int, str]]:
        return [(t.pk, t.name) for t in self.teams]

    @property
    def agent_names(self) -> dict[int, str]:
        return {a.pk: a.public_name for a in self.agents}

    @property
    def team_names(self) -> dict[int, str]:
        return {t.pk: t.name for t in self.teams}

    def agent(self, pk: int | None) -> Agent | None:
        return next((a for a in self.agents if a.pk == pk), None)

    def team(self, pk: int | None) -> Team | None:
        return next((t for t in self.teams if t.pk == pk), None)


def agent_label(agent: Agent) -> str:
    teams = ", ".join(t.name for t in agent.teams.all())
    return f"{agent.full_name} ({teams})" if teams else agent.full_name


def safe_next(request: HttpRequest, raw: str | None, fallback: str) -> str:
    """A same-site URL to go back to after a POST, else the fallback."""
    if raw and url_has_allowed_host_and_scheme(
        raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return raw
    return fallback
