"""``helpmate token``: API tokens for agents (create, list, revoke)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpmate.people import actions
from helpmate.people.models import Agent, ApiToken


def _agent(email: str) -> Agent:
    agent = Agent.objects.select_related("user").filter(user__email__iexact=email.strip()).first()
    if agent is None:
        raise CommandError(f"No agent with the email {email!r}. `helpmate createagent` adds one.")
    if not agent.user.is_active:
        raise CommandError(f"{agent.full_name} is deactivated; reactivate them first.")
    return agent


class Command(BaseCommand):
    help = "Create, list or revoke API tokens. The raw token is printed once and never stored."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = sub.add_parser("create", help="print a new token for an agent")
        create.add_argument("--agent", required=True, help="the agent's email")
        create.add_argument("--name", default="", help="what the token is for, e.g. 'CRM sync'")
        listing = sub.add_parser("list", help="list an agent's tokens (prefixes only)")
        listing.add_argument("--agent", required=True, help="the agent's email")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("--agent", required=True, help="the agent's email")
        revoke.add_argument("--prefix", required=True, help="the first characters shown by list")

    def handle(self, *args: Any, **options: Any) -> None:
        agent = _agent(options["agent"])
        if options["action"] == "create":
            token, raw = actions.create_api_token(agent=agent, name=options["name"].strip())
            self.stderr.write(
                f"New API token for {agent.full_name} (prefix {token.prefix}). "
                "Keep it safe: it is shown only this once."
            )
            self.stdout.write(raw)
        elif options["action"] == "list":
            tokens = ApiToken.objects.filter(agent=agent).order_by("created_at")
            if not tokens:
                self.stdout.write(f"{agent.full_name} has no API tokens.")
            for token in tokens:
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                self.stdout.write(
                    f"{token.prefix}  {token.name or '-'}  created {token.created_at:%Y-%m-%d}  "
                    f"last used {used}  {state}"
                )
        else:
            prefix = options["prefix"].strip()
            matches = list(ApiToken.objects.filter(agent=agent, prefix__startswith=prefix))
            if not prefix or len(matches) != 1:
                raise CommandError(
                    f"{len(matches)} tokens of {agent.full_name} start with {prefix!r}; "
                    "give a prefix that matches exactly one (see `helpmate token list`)."
                )
            actions.revoke_api_token(token=matches[0])
            self.stdout.write(f"Revoked token {matches[0].prefix}.")
