"""What processing an inbound email came to, written back on its row.

``record`` writes one row's outcome (state, reason, kind, the conversation and message it led
to); ``record_many`` writes a batch's with one prepared UPDATE; ``failed`` turns an error into
the outcome of an email that could not be handled (quarantined or ignored, with why). The
batch's look-ups hear of each outcome, so a later email of the batch that quotes this one finds
its conversation (``mail.batch``).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from helpmate.desk.actions import ActionError
from helpmate.mail import batch
from helpmate.mail.models import InboundEmail, InboundState
from helpmate.mail.route import Ignore, Outcome, Quarantine
from helpmate.people.actions import PeopleError
from helpmate.web.rows import update_each

log = logging.getLogger("helpmate.mail.process")

# What processing writes back (never the raw bytes again).
_RESULT_FIELDS = [
    "state",
    "reason",
    "kind",
    "is_automatic",
    "conversation",
    "desk_message",
    "processed_at",
    "attempts",
    "sender",
    "subject",
]


def failed(inbound: InboundEmail, exc: Exception) -> Outcome:
    """The outcome of an email that could not be handled: quarantined (or ignored) with why."""
    if isinstance(exc, Quarantine):
        return Outcome(state=InboundState.QUARANTINED, reason=str(exc))
    if isinstance(exc, Ignore):
        return Outcome(state=InboundState.IGNORED, reason=str(exc), automatic=True)
    if isinstance(exc, PeopleError):
        return Outcome(state=InboundState.QUARANTINED, reason=f"An address cannot be used: {exc}")
    if isinstance(exc, ActionError):
        return Outcome(state=InboundState.QUARANTINED, reason=f"The desk refused it: {exc}")
    log.error("Inbound email %s could not be processed", inbound.pk, exc_info=exc)
    return Outcome(
        state=InboundState.QUARANTINED,
        reason=f"Processing failed ({type(exc).__name__}): {exc}"[:2000],
    )


def record(inbound: InboundEmail, outcome: Outcome, at: datetime | None) -> None:
    _set_outcome(inbound, outcome, at)
    inbound.save(update_fields=_RESULT_FIELDS)


def record_many(rows: list[InboundEmail], outcomes: list[Outcome], at: datetime | None) -> None:
    """``record`` for many rows: one prepared UPDATE run for each (cheaper than a save each)."""
    for inbound, outcome in zip(rows, outcomes, strict=True):
        _set_outcome(inbound, outcome, at)
    update_each(InboundEmail, rows, _RESULT_FIELDS)


def _set_outcome(inbound: InboundEmail, outcome: Outcome, at: datetime | None) -> None:
    inbound.state = outcome.state
    inbound.reason = outcome.reason.replace("\x00", "")[:2000]
    inbound.sender = inbound.sender.replace("\x00", "")
    inbound.subject = inbound.subject.replace("\x00", "")
    inbound.kind = outcome.kind if outcome.state != InboundState.QUARANTINED else inbound.kind
    inbound.is_automatic = outcome.automatic
    inbound.conversation = outcome.conversation
    inbound.desk_message_id = outcome.message_pk
    inbound.processed_at = at or timezone.now()
    known = batch.current()
    if known is not None:  # a later email of the batch may quote this one
        known.threaded(inbound)
