"""``helpmate service recompute`` and ``helpmate service misses``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from helpmate.desk.models import Conversation, Event, EventType

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("service", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_recompute_fills_in_rows_written_around_the_actions(personas):
    conv = personas.conversation()
    Conversation.objects.filter(pk=conv.pk).update(
        first_response_due_at=None, resolution_due_at=None, due_at=None
    )  # as 'helpmate generate' leaves them
    output = run("recompute", "--no-progress")
    assert "1 conversations changed" in output
    assert Conversation.objects.get(pk=conv.pk).due_at is not None
    assert "0 conversations changed" in run("recompute", "--all")


def test_recompute_all_with_the_progress_bar_clears_due_times_of_closed_ones(personas):
    conv = personas.conversation()
    Conversation.objects.filter(pk=conv.pk).update(status="closed")  # stale due times
    output = run("recompute", "--all", "--batch-size", "1")
    assert "1 conversations changed of 1" in output
    assert Conversation.objects.get(pk=conv.pk).due_at is None


def test_misses_records_overdue_targets(personas, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    personas.conversation()
    time_machine.move_to(timezone.now() + timedelta(days=10))  # every target has passed
    assert "Recorded 2 missed targets." in run("misses")
    assert Event.objects.filter(type=EventType.TARGET_MISSED).count() == 2


def test_bad_batch_size_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="batch-size"):
        run("recompute", "--batch-size", "0")
