"""``helpmate jobs``: list the periodic jobs, or run them once (for cron or a quick check)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpmate.web import schedule


class Command(BaseCommand):
    help = "List the periodic jobs the worker runs, or run them once with --once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run the jobs once now")
        parser.add_argument("names", nargs="*", help="only these jobs")

    def handle(self, *args: Any, **options: Any) -> None:
        unknown = [n for n in options["names"] if n not in schedule.JOBS]
        if unknown:
            known = ", ".join(sorted(schedule.JOBS)) or "none"
            raise CommandError(f"No job named {', '.join(unknown)}. Known jobs: {known}.")
        if not options["once"]:
            for name in sorted(schedule.JOBS):
                job = schedule.JOBS[name]
                self.stdout.write(f"{name}\tevery {job.every:.0f} s")
            return
        results = schedule.run_all_once(options["names"] or None)
        for name, ok in results.items():
            self.stdout.write(f"{name}\t{'ok' if ok else 'FAILED (see the log)'}")
        if not all(results.values()):
            raise CommandError("Some jobs failed.")
