"""``helpmate effort rebuild``: fold the event log into the effort table, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpmate.effort.rebuild import rebuild
from helpmate.web.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Customer effort. 'rebuild' folds events that the live listener has not seen (data "
        "written by 'helpmate generate', history from before effort was installed) into the "
        "effort table; --full forgets every effort row first and folds all history again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("rebuild", help="fold the event log into the effort table")
        build.add_argument("--full", action="store_true", help="forget every row first")
        build.add_argument("--batch-size", type=int, default=500)
        build.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        kwargs = {"full": options["full"], "batch_size": options["batch_size"]}
        with progress_bar("Folding events", enabled=not options["no_progress"]) as tick:
            result = rebuild(**kwargs, progress=tick)
        self.stdout.write(
            f"Effort rebuilt for {result.conversations} conversations: {result.events} events "
            f"in {result.seconds:.1f} s ({result.events_per_second:,.0f} events/s, "
            f"{result.conversations / max(result.seconds, 1e-9):,.0f} conversations/s)."
        )
