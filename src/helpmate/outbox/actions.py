"""Every write of the outbox: claiming, sending, retrying, recovering after a crash, sending again.

A row is claimed with a conditional UPDATE (``queued`` -> ``sending``), so two workers never
send the same row; see ``helpmate.outbox.sending`` and docs/email.md for the at-most-once rule.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from helpmate.desk.actions import lock_conversation, log_event
from helpmate.desk.models import EventType
from helpmate.outbox import sending
from helpmate.outbox.models import (
    IN_FLIGHT,
    OutboundEmail,
    OutboundKind,
    OutboundState,
)
from helpmate.people.models import Agent

log = logging.getLogger(__name__)


class OutboxError(ValueError):
    """A request the outbox cannot carry out, with a message fit to show."""


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_attempts() -> int:
    return _setting("HELPMATE_OUTBOX_MAX_ATTEMPTS", 10)


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: base, 2x, 4x, ... capped (one hour by default)."""
    base = _setting("HELPMATE_OUTBOX_BACKOFF_SECONDS", 60)
    cap = _setting("HELPMATE_OUTBOX_BACKOFF_MAX_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


# --- who is sending ----------------------------------------------------------------------------


def _start_ticks(pid: int) -> str:
    """The process's start time in clock ticks (Linux), so a reused pid is not taken for it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rpartition(")")[2].split()[19]


def _pid_namespace() -> str:
    """Containers may share a host name; a pid means something only within its namespace."""
    try:
        return os.readlink("/proc/self/ns/pid").strip("pid:[]")
    except OSError:
        return ""


def worker_identity() -> str:
    """host:pid namespace:pid:start time; who claimed a row, and whether it still lives."""
    host = socket.gethostname()[:60]
    return f"{host}:{_pid_namespace()}:{os.getpid()}:{_start_ticks(os.getpid())}"


def _claimer_dead(claimed_by: str) -> bool:
    """True when the claiming process ran on this machine (and pid namespace) and is gone."""
    host, namespace, pid_text, ticks = ([*claimed_by.split(":"), "", "", ""])[:4]
    if (
        host != socket.gethostname()[:60]
        or not namespace
        or namespace != _pid_namespace()
        or not pid_text.isdigit()
        or not ticks
    ):
        return False  # another machine (or no /proc): only the lease can tell
    return _start_ticks(int(pid_text)) != ticks


class ClaimLost(Exception):
    """Another worker has the row now (ours was judged dead): stop before the final dot."""


# --- sending -----------------------------------------------------------------------------------


def _claim(pks: list[int], now: datetime) -> int:
    return OutboundEmail.objects.filter(
        pk__in=pks, state=OutboundState.QUEUED, next_attempt_at__lte=now
    ).update(
        state=OutboundState.SENDING,
        claimed_at=now,
        claimed_by=worker_identity(),
        attempts=F("attempts") + 1,
    )


def send_queued(pk: int) -> str | None:
    """Send one queued row if it is due and nobody else has it; returns the result or None."""
    now = timezone.now()
    with transaction.atomic():
        if _claim([pk], now) != 1:
            return None
    return _send_claimed(pk, claimed_by=worker_identity(), claimed_at=now)


def send_due(*, limit: int = 200) -> dict[str, int]:
    """The periodic ``outbox.retry`` job: recover crashed sends, then send what is due."""
    counts = {"recovered": recover_stale()}
    now = timezone.now()
    with transaction.atomic():
        # skip_locked keeps two workers' jobs apart on PostgreSQL (SQLite ignores it and
        # serialises writers); the conditional UPDATE in _claim is what guarantees one sender.
        pks = list(
            OutboundEmail.objects.select_for_update(no_key=True, skip_locked=True)
            .filter(state=OutboundState.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        if pks:
            _claim(pks, now)
    mine = OutboundEmail.objects.filter(
        pk__in=pks, state=OutboundState.SENDING, claimed_by=worker_identity(), claimed_at=now
    ).values_list("pk", flat=True)
    for pk in mine:
        result = _send_claimed(pk, claimed_by=worker_identity(), claimed_at=now)
        counts[result] = counts.get(result, 0) + 1
    return counts


def _send_claimed(pk: int, *, claimed_by: str, claimed_at: datetime) -> str:
    row = OutboundEmail.objects.get(pk=pk)
    claim = {"claimed_by": claimed_by, "claimed_at": claimed_at}

    def handover() -> None:
        with transaction.atomic():
            still_ours = OutboundEmail.objects.filter(
                pk=pk, state=OutboundState.SENDING, **claim
            ).update(state=OutboundState.HANDOVER)
        if still_ours != 1:
            raise ClaimLost(pk)

    try:
        outcome = sending.deliver(row, handover)
    except ClaimLost:
        log.warning("Outbound email %s was taken over by another worker; not sent here", pk)
        return "lost"
    except Exception as exc:  # a bug or a missing attachment file: never retry blindly
        log.exception("Outbound email %s could not be built or sent", pk)
        state = OutboundEmail.objects.filter(pk=pk).values_list("state", flat=True).first()
        if state == OutboundState.SENDING:
            error = f"Could not be sent: {exc.__class__.__name__}"
            outcome = sending.Outcome(sending.FAILED, error)
        else:
            outcome = sending.Outcome(sending.UNKNOWN, f"Failed while handing over: {exc}")
    record_outcome(row, outcome, claim=claim)
    return outcome.result


def record_outcome(
    row: OutboundEmail,
    outcome: sending.Outcome,
    *,
    at: datetime | None = None,
    claim: dict[str, Any] | None = None,
) -> None:
    """What became of a send attempt: sent, back in the queue with a wait, or failed/unknown.
    With ``claim``, only while the row is still claimed by that worker."""
    at = at or timezone.now()
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update(no_key=True).get(pk=row.pk)
        if row.state not in IN_FLIGHT:
            return  # already recovered by another worker's job
        if claim and (row.claimed_by, row.claimed_at) != (
            claim["claimed_by"],
            claim["claimed_at"],
        ):
            return  # another worker has it now
        row.refused = outcome.refused
        if outcome.result == sending.RETRY and row.attempts >= max_attempts():
            outcome = sending.Outcome(
                sending.FAILED,
                f"Gave up after {row.attempts} attempts; last: {outcome.error}"[:500],
                outcome.code,
                outcome.refused,
            )
        if outcome.result == sending.SENT:
            row.state, row.sent_at, row.last_error = OutboundState.SENT, at, ""
        elif outcome.result == sending.RETRY:
            row.state = OutboundState.QUEUED
            row.next_attempt_at = at + backoff(row.attempts)
            row.last_error = outcome.error[:500]
        elif outcome.result == sending.CANCELLED:
            row.state, row.last_error = OutboundState.CANCELLED, outcome.error[:500]
        else:
            row.state = OutboundState.FAILED if outcome.result == sending.FAILED else "unknown"
            row.failed_at, row.last_error = at, outcome.error[:500]
        row.save()
        log_outcome(row, at)
    log.info("Outbound email %s: %s %s", row.pk, row.state, row.last_error)


def log_outcome(row: OutboundEmail, at: datetime) -> None:
    """The conversation's event log learns what became of its emails."""
    if row.conversation_id is None:
        return
    data = {"outbound": row.pk, "kind": row.kind, "message_id": row.message_id}
    if row.desk_message_id is not None:
        data["message"] = row.desk_message_id
    if row.state == OutboundState.SENT and row.kind == OutboundKind.REPLY:
        conv = lock_conversation(row.conversation_id)
        log_event(conv, EventType.REPLY_EMAILED, None, at, to=len(row.to), **data)
    elif row.state in (OutboundState.FAILED, OutboundState.UNKNOWN):
        conv = lock_conversation(row.conversation_id)
        log_event(
            conv, EventType.EMAIL_FAILED, None, at, state=row.state, error=row.last_error, **data
        )


def recover_stale(*, at: datetime | None = None) -> int:
    """Rows left ``sending``/``handover`` by a worker that died (or overran its lease).

    ``sending`` never reached the final dot, so it goes back to the queue. ``handover`` may or
    may not have been accepted: it becomes ``unknown`` and the agent decides (never re-sent
    blindly).
    """
    at = at or timezone.now()
    lease = timedelta(seconds=_setting("HELPMATE_OUTBOX_LEASE_SECONDS", 600))
    candidates = OutboundEmail.objects.filter(state__in=IN_FLIGHT).values_list(
        "pk", "claimed_by", "claimed_at"
    )
    stale = [
        pk
        for pk, claimed_by, claimed_at in candidates
        if _claimer_dead(claimed_by) or claimed_at is None or claimed_at < at - lease
    ]
    for pk in stale:
        with transaction.atomic():
            row = OutboundEmail.objects.select_for_update(no_key=True).filter(pk=pk).first()
            if row is None or row.state not in IN_FLIGHT:
                continue
            if row.state == OutboundState.SENDING:
                row.state, row.next_attempt_at = OutboundState.QUEUED, at
                row.last_error = "The worker stopped before handing it over; sending again."
                row.save(update_fields=["state", "next_attempt_at", "last_error"])
            else:
                row.state, row.failed_at = OutboundState.UNKNOWN, at
                row.last_error = (
                    "The worker stopped while the mail server was accepting it: it may or may "
                    "not have arrived. Check with the recipient, or send it again."
                )
                row.save(update_fields=["state", "failed_at", "last_error"])
                log_outcome(row, at)
    return len(stale)


# --- agents' writes ------------------------------------------------------------------------------


def send_again(*, email: OutboundEmail, agent: Agent, at: datetime | None = None) -> OutboundEmail:
    """Queue a failed or unknown email once more (same Message-ID, so a copy that did arrive
    is recognised as the same message by most mail programs)."""
    at = at or timezone.now()
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update(no_key=True).get(pk=email.pk)
        if row.state not in (OutboundState.FAILED, OutboundState.UNKNOWN):
            raise OutboxError(
                "Only an email that failed or whose delivery is unknown can be sent again."
            )
        if not row.to:
            raise OutboxError("Nobody to send it to: every address was left out.")
        row.state, row.next_attempt_at, row.attempts = OutboundState.QUEUED, at, 0
        row.last_error = f"Sent again by {agent.public_name}."
        row.failed_at = None
        row.save()
        from helpmate.outbox.queue import _send_after_commit

        _send_after_commit(row.pk)
    return row
