"""``helpmate createagent``: add a member of staff without any prompt (scripts, containers)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from helpmate.people import actions
from helpmate.people.models import Role, Team


class Command(BaseCommand):
    help = (
        "Create an agent who can sign in to the workspace. Teams must exist already; "
        "add --create-team to create the missing ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="the address they sign in with")
        parser.add_argument("--name", required=True, help="full name, e.g. 'Maya Lindqvist'")
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--team",
            action="append",
            default=[],
            metavar="TEAM",
            help="team name (repeat for several teams)",
        )
        parser.add_argument("--role", default=Role.AGENT, choices=Role.values)
        parser.add_argument(
            "--public-name", default="", help="first name customers see (default: first word)"
        )
        parser.add_argument(
            "--languages", default="en", help="comma-separated language codes, e.g. en,de"
        )
        parser.add_argument(
            "--create-team", action="store_true", help="create teams that do not exist yet"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            password_validation.validate_password(options["password"])
        except ValidationError as exc:
            raise CommandError("The password is not accepted: " + " ".join(exc.messages)) from exc
        languages = [code.strip() for code in options["languages"].split(",") if code.strip()]
        with transaction.atomic():
            teams = self._teams(options["team"], create=options["create_team"])
            try:
                agent = actions.create_agent(
                    email=options["email"],
                    name=options["name"],
                    password=options["password"],
                    role=options["role"],
                    teams=teams,
                    public_name=options["public_name"],
                    languages=languages or ["en"],
                )
            except actions.PeopleError as exc:
                raise CommandError(str(exc)) from exc
        team_text = ", ".join(t.name for t in teams) or "no team"
        self.stdout.write(
            f"Created {agent.get_role_display().lower()} {agent.full_name} <{agent.email}> "
            f"({team_text}). They can sign in now."
        )

    def _teams(self, names: list[str], *, create: bool) -> list[Team]:
        teams: list[Team] = []
        missing: list[str] = []
        for raw in names:
            name = " ".join(raw.split())
            team = Team.objects.filter(name__iexact=name).first()
            if team is None and create:
                try:
                    team = actions.create_team(name=name)
                except actions.PeopleError as exc:
                    raise CommandError(str(exc)) from exc
                self.stdout.write(f"Created team {team.name}.")
            if team is None:
                missing.append(name)
            elif team not in teams:
                teams.append(team)
        if missing:
            existing = ", ".join(Team.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(
                f"No team called {', '.join(repr(m) for m in missing)}. Existing teams: "
                f"{existing}. Add --create-team to create it."
            )
        return teams
