"""``helpmate worker``: run background tasks from the database queue, and the periodic jobs."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from helpmate.web import schedule


class Command(BaseCommand):
    help = "Run the background worker. Start several on PostgreSQL to share the load."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument(
            "--no-jobs",
            action="store_true",
            help="do not run the periodic jobs (mail polling, outbox retries, warnings)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if options["batch"]:
            if not options["no_jobs"]:
                schedule.run_all_once()
        elif not options["no_jobs"]:
            names = ", ".join(sorted(schedule.JOBS)) or "none"
            self.stdout.write(f"Periodic jobs: {names}")
            schedule.start_thread(stop)
        try:
            call_command(
                "db_worker",
                queue_name="*",
                interval=options["interval"],
                batch=options["batch"],
                reload=False,
            )
        finally:
            stop.set()
