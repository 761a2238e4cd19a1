"""Helpers shared by the workspace views."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from helpmate.desk.selectors import AgentEntry, agent_directory
from helpmate.people.models import Agent, Team, agent_of


def current_agent(request: HttpRequest) -> Agent:
    """The signed-in agent (views are wrapped in ``agent_required``)."""
    agent = agent_of(request.user)
    assert agent is not None
    return agent


@dataclass
class Directory:
    """Agents and teams for select boxes and event lines, loaded once per request.

    Agents are plain entries (names and team names, two queries for the whole directory);
    ``agent(pk)`` reads the one model object a write needs. Choices and names are built once
    per directory, however many forms use them.
    """

    agents: list[AgentEntry]
    teams: list[Team]

    @classmethod
    def load(cls) -> Directory:
        return cls(agents=agent_directory(), teams=list(Team.objects.order_by("name")))

    @cached_property
    def agent_choices(self) -> list[tuple[int, str]]:
        return [(a.pk, a.label) for a in self.agents]

    @cached_property
    def team_choices(self) -> list[tuple[int, str]]:
        return [(t.pk, t.name) for t in self.teams]

    @cached_property
    def agent_names(self) -> dict[int, str]:
        return {a.pk: a.public_name for a in self.agents}

    @cached_property
    def team_names(self) -> dict[int, str]:
        return {t.pk: t.name for t in self.teams}

    def agent(self, pk: int | None) -> Agent | None:
        """The active agent ``pk`` (with their user) if the directory lists them, else None."""
        if pk is None or pk not in self.agent_names:
            return None
        return Agent.objects.active().select_related("user").filter(pk=pk).first()

    def team(self, pk: int | None) -> Team | None:
        return next((t for t in self.teams if t.pk == pk), None)


def safe_next(request: HttpRequest, raw: str | None, fallback: str) -> str:
    """A same-site URL to go back to after a POST, else the fallback."""
    if raw and url_has_allowed_host_and_scheme(
        raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return raw
    return fallback
