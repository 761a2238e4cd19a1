"""``helpmate demo``: a working Northwind desk in one command.

Creates the data directory, migrates the database, seeds the demo desk when it is empty (never
twice: running again keeps what is there), then starts the web server and the worker exactly as
``helpmate serve`` does, and prints the URL and the demo sign-ins.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.urls import NoReverseMatch, reverse
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from helpmate.demo.cast import AGENTS, DEMO_PASSWORD, TEAMS
from helpmate.demo.seed import is_seeded, seed_demo
from helpmate.desk.models import OPEN_STATUSES
from helpmate.people.models import Contact
from helpmate.web.management.commands.serve import prepare_environment, public_url, start_desk


def _portal_path() -> str:
    try:
        return reverse("portal:signin")
    except NoReverseMatch:  # pragma: no cover - the portal always has a home
        return "/portal/signin/"


def _example_contacts() -> list[tuple[str, str, str]]:
    """One customer, one colleague and one supplier who have open conversations to look at."""
    found = []
    for kind in ("customer", "colleague", "supplier"):
        contact = (
            Contact.objects.filter(kind=kind, conversations__status__in=OPEN_STATUSES)
            .prefetch_related("emails")
            .order_by("pk")
            .first()
        )
        if contact is not None and contact.primary_email:
            found.append((kind, contact.name, contact.primary_email))
    return found


def sign_in_text(url: str) -> str:
    role = {"admin": "admin", "lead": "team lead", "agent": "agent"}
    lines = [
        f"Helpmate demo desk for Northwind: {url}",
        "",
        f"Agents sign in at {url} with the password {DEMO_PASSWORD!r}:",
    ]
    width = max(len(a.email) for a in AGENTS)
    for agent in AGENTS:
        teams = ", ".join(TEAMS[t][0] for t in agent.teams)
        lines.append(f"  {agent.email:<{width}}  {agent.name} ({role[agent.role]}, {teams})")
    portal = url.rstrip("/") + _portal_path()
    outbox = Path(settings.EMAIL_FILE_PATH)
    lines += [
        "",
        f"Customers, colleagues and suppliers sign in at {portal} with their email address;",
        f"the demo sends no real email: the sign-in link is written to {outbox}/. Try:",
    ]
    for kind, name, email in _example_contacts():
        lines.append(f"  {email:<{width}}  {name} ({kind})")
    lines += ["", f"Data directory: {settings.DATA_DIR} (delete it to start afresh)."]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Create (once) and start the Northwind demo desk: database, demo data, server, worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HELPMATE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("HELPMATE_PORT", 8000)))
        parser.add_argument("--workers", type=int, default=2, help="web server processes")
        parser.add_argument(
            "--seed-only", action="store_true", help="prepare the demo data, then exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console()
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        Path(settings.EMAIL_FILE_PATH).mkdir(parents=True, exist_ok=True)
        console.print(f"Data directory: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        if is_seeded():
            console.print("The desk already has data: keeping it as it is.")
        else:
            self._seed(console)
        url = public_url(options["host"], options["port"])
        if options["seed_only"]:
            console.print(sign_in_text(url), highlight=False)
            return
        prepare_environment(options["host"], options["port"], demo=True)
        code = start_desk(
            options["host"],
            options["port"],
            workers=options["workers"],
            banner=sign_in_text(url) + "\nCtrl+C stops the desk.",
        )
        raise SystemExit(code)

    def _seed(self, console: Console) -> None:
        columns = (
            TextColumn("{task.description:<14}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("People", total=None)

            def report(done: int, total: int, label: str) -> None:
                progress.update(task, completed=done, total=total, description=label)

            summary = seed_demo(progress=report)
        if summary is not None:
            console.print(
                f"Seeded the demo desk in {summary.seconds:.1f} s: {summary.teams} teams, "
                f"{summary.agents} agents, {summary.contacts} contacts, "
                f"{summary.conversations} conversations, {summary.messages} messages, "
                f"{summary.events} events."
            )
            for line in summary.features:
                console.print(f"  {line}")
