"""``helpmate generate``: bulk synthetic conversations for benchmarks (see desk/bulk.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpmate.desk.bulk import generate
from helpmate.web.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Add synthetic conversations, messages, events and contacts in bulk, for benchmarks. "
        "Bypasses the actions for speed (the one documented exception): use it on benchmark "
        "or test databases, never on a real desk."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--conversations", type=int, required=True)
        parser.add_argument(
            "--messages-per-conversation",
            type=int,
            default=5,
            help="average thread length (threads vary from 1 to twice this; a few have 30+)",
        )
        parser.add_argument(
            "--contacts", type=int, default=None, help="default: one per 8 conversations"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed (same seed, same data)"
        )
        parser.add_argument("--years", type=float, default=2.0, help="spread over this many years")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        total = options["conversations"]
        if total < 1:
            raise CommandError("--conversations must be at least 1.")
        if options["messages_per_conversation"] < 1:
            raise CommandError("--messages-per-conversation must be at least 1.")
        if options["contacts"] is not None and options["contacts"] < 1:
            raise CommandError("--contacts must be at least 1.")
        if options["batch_size"] < 1 or options["years"] <= 0:
            raise CommandError("--batch-size and --years must be positive.")
        kwargs = {
            "conversations": total,
            "messages_per_conversation": options["messages_per_conversation"],
            "contacts": options["contacts"],
            "seed": options["seed"],
            "years": options["years"],
            "batch_size": options["batch_size"],
        }
        with progress_bar("Generating", enabled=not options["no_progress"], total=total) as tick:
            result = generate(**kwargs, progress=tick)
        rate = result.conversations / result.seconds if result.seconds else 0
        self.stdout.write(
            f"Added {result.conversations} conversations, {result.messages} messages, "
            f"{result.events} events and {result.contacts} contacts in {result.seconds:.1f} s "
            f"({rate:,.0f} conversations/s)."
        )
