"""``helpmate worker``: run background tasks (emails, notifications) from the database queue."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background worker. Start several on PostgreSQL to share the load."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(
            "db_worker",
            queue_name="*",
            interval=options["interval"],
            batch=options["batch"],
            reload=False,
        )
