"""Step two of the pipeline: turn stored emails into desk actions, exactly once.

``process_pending()`` takes the "received" emails oldest first, HELPMATE_MAIL_BATCH at a time:
it parses them (before any transaction: reading a big email must not hold the database's write
lock), then in ONE transaction locks their rows and, for each in a savepoint of its own, writes
what it means through the desk's actions (a new conversation, a message in an existing one, a
bounce, an automatic reply) and marks the row processed. A crash anywhere rolls the whole batch
back and leaves the rows "received", so a replay neither loses nor duplicates anything. An error
while handling one email quarantines that row with the reason (inside the same transaction), so
the worker never crashes on a bad email; a database error that passes (a deadlock, a busy file)
rolls back and tries again. ``process(inbound_id)`` does the same for one email.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone

from helpmate.desk import hooks
from helpmate.desk.actions import ActionError
from helpmate.desk.models import Conversation
from helpmate.desk.sanitize import preview_of
from helpmate.mail import batch, bounces, noise
from helpmate.mail.actions import clear_bouncing, record_auto_reply, record_bounce
from helpmate.mail.deliver import deliver_message
from helpmate.mail.intake import raw_bytes
from helpmate.mail.models import InboundEmail, InboundKind, InboundState, Mailbox
from helpmate.mail.parse import ParsedEmail, UnreadableEmail, parse
from helpmate.mail.threads import find_conversation
from helpmate.mail.tokens import base_address, conversation_from_token
from helpmate.people.actions import PeopleError
from helpmate.web.transient import TRANSIENT_TRIES, is_transient

log = logging.getLogger(__name__)


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


class Quarantine(Exception):
    """Stop processing this email and keep it in the quarantine with this reason."""


class Ignore(Exception):
    """Nothing to do for this email (kept, marked ignored, with this reason)."""


@dataclass
class Outcome:
    state: str
    reason: str
    kind: str = InboundKind.MESSAGE
    automatic: bool = False
    conversation: Conversation | None = None
    message_pk: int | None = None


# process_pending() reads the mailboxes once per batch rather than once per message.
_batch_mailboxes: ContextVar[dict[str, Mailbox] | None] = ContextVar(
    "mail_batch_mailboxes", default=None
)


def _mailboxes() -> dict[str, Mailbox]:
    cached = _batch_mailboxes.get()
    if cached is not None:
        return cached
    return {m.address: m for m in Mailbox.objects.select_related("team")}


def _mailbox_for(
    inbound: InboundEmail, parsed: ParsedEmail, mailboxes: dict[str, Mailbox]
) -> Mailbox | None:
    if inbound.mailbox_id is not None:
        return mailboxes.get(inbound.mailbox.address) if inbound.mailbox else None
    envelope = [a.strip() for a in inbound.envelope_to.split(",") if a.strip()]
    for address in envelope + parsed.recipients:
        found = mailboxes.get(base_address(address))
        if found is not None:
            return found
    return None


def _over_rate_limit(inbound: InboundEmail) -> bool:
    limit = settings.HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR
    known = batch.current()
    counted = known.sent_within_hour(inbound) if known is not None else None
    if counted is not None:
        return counted >= limit
    earlier = InboundEmail.objects.filter(
        sender=inbound.sender,
        received_at__gte=inbound.received_at - timedelta(hours=1),
        received_at__lte=inbound.received_at,
        pk__lt=inbound.pk,
    ).exclude(kind=InboundKind.BOUNCE)
    return earlier[:limit].count() >= limit


def _handle_bounce(inbound: InboundEmail, report: bounces.BounceReport, at: datetime) -> Outcome:
    conversation, outbound_id = _bounced_conversation(report)
    for recipient in report.recipients:
        record_bounce(
            inbound=inbound,
            address=recipient.address,
            kind=recipient.kind,
            status=recipient.status,
            diagnostic=recipient.diagnostic,
            conversation=conversation,
            outbound_id=outbound_id,
            at=at,
        )
    known = batch.current()
    if known is not None:  # a later email of this batch from such an address clears it
        known.bouncing.update(r.address.strip().lower() for r in report.recipients)
    who = ", ".join(r.address for r in report.recipients) or "an address we could not read"
    where = f" on #{conversation.pk}" if conversation else " (no conversation found)"
    return Outcome(
        state=InboundState.PROCESSED,
        reason=f"Bounce for {who}{where}.",
        kind=InboundKind.BOUNCE,
        automatic=True,
        conversation=conversation,
    )


def _bounced_conversation(report: bounces.BounceReport) -> tuple[Conversation | None, int | None]:
    from django.apps import apps

    from helpmate.mail.threads import _by_id, _by_message_ids

    outbound_id = None
    ids = report.original_message_ids
    if ids:
        try:
            model = apps.get_model("outbox", "OutboundEmail")
            row = (
                model.objects.filter(message_id__in=ids + [f"<{i}>" for i in ids])
                .values_list("pk", "conversation_id")
                .first()
            )
        except LookupError:
            row = None
        if row is not None:
            outbound_id = row[0]
            if row[1] is not None:
                return _by_id(row[1]), outbound_id
    found = _by_message_ids(ids)
    if found is None:
        import re

        match = re.search(r"hm\.[0-9a-z]+\.([0-9a-z]{1,13}-[a-z2-7]{12})@", report.original_text)
        if match:
            found = _by_id(conversation_from_token(match.group(1)))
    return found, outbound_id


def _read(inbound: InboundEmail) -> ParsedEmail | Quarantine:
    """Parse the stored message (outside the transaction: parsing a big email must not hold the
    database's write lock); a failure is returned, to be recorded inside it."""
    try:
        raw = raw_bytes(inbound)
    except OSError as exc:
        return Quarantine(f"The stored raw message cannot be read: {exc}")
    try:
        return parse(raw)
    except UnreadableEmail as exc:
        return Quarantine(str(exc))
    except Exception as exc:  # the parser's own bug must not lose the email either
        log.exception("Parsing inbound email %s failed", inbound.pk)
        return Quarantine(f"The message could not be read ({type(exc).__name__}): {exc}")


def _handle(inbound: InboundEmail, parsed: ParsedEmail | Quarantine, at: datetime) -> Outcome:
    if isinstance(parsed, Quarantine):
        raise parsed
    inbound.sender = parsed.from_address[:320]
    inbound.subject = preview_of(parsed.subject, 300)
    mailboxes = _mailboxes()
    report = bounces.detect(parsed, ours=set(mailboxes))
    if report is not None:
        return _handle_bounce(inbound, report, at)
    if not parsed.from_address:
        raise Quarantine("The email has no sender address (From), so nobody could be answered.")
    if base_address(parsed.from_address) in mailboxes:
        raise Ignore("Sent from one of our own mailbox addresses (a mail loop); not processed.")
    if _over_rate_limit(inbound):
        raise Quarantine(
            f"More than {settings.HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR} emails from "
            f"{parsed.from_address} within an hour (a flood or a mail loop): held for review."
        )
    mailbox = _mailbox_for(inbound, parsed, mailboxes)
    kind = noise.classify(parsed)
    envelope = [a.strip() for a in inbound.envelope_to.split(",") if a.strip()]
    conversation, how = find_conversation(parsed, envelope_to=envelope, at=at)
    if kind == InboundKind.AUTO_REPLY:
        if conversation is None:
            raise Ignore("An automatic reply (out of office, autoresponder) to no conversation.")
        record_auto_reply(
            conversation=conversation,
            inbound=inbound,
            author=None,
            subject=parsed.subject,
            excerpt=preview_of(parsed.text, 300),
            at=at,
        )
        return Outcome(
            state=InboundState.PROCESSED,
            reason=f"Automatic reply recorded on #{conversation.pk}.",
            kind=InboundKind.AUTO_REPLY,
            automatic=True,
            conversation=conversation,
        )
    known = batch.current()
    if known is None or parsed.from_address.strip().lower() in known.bouncing:
        clear_bouncing(address=parsed.from_address)
    automatic = kind == InboundKind.BULK
    with noise.processing(automatic=automatic):
        result = deliver_message(
            parsed,
            conversation=conversation,
            mailbox=mailbox,
            mailbox_addresses=set(mailboxes),
            automatic=automatic,
            at=at,
        )
    found = f" (found by {how})" if how else ""
    return Outcome(
        state=InboundState.PROCESSED,
        reason=f"{result.summary}{found}.",
        kind=kind or InboundKind.MESSAGE,
        automatic=automatic,
        conversation=result.conversation,
        message_pk=result.message.pk if result.message else None,
    )


def _process_many(ids: list[int], *, skip_locked: bool, at: datetime | None) -> list[InboundEmail]:
    """Process these stored emails (those still "received") in ONE transaction, each in a
    savepoint of its own, so a bad one is quarantined without touching the others. Parsing
    happens before the transaction. With more than one email, the batch listeners (effort)
    run once for all of them at the end (``helpmate.desk.hooks.batched``); with one, they run
    inside its savepoint, so even a listener's failure quarantines just that email."""
    waiting = list(
        InboundEmail.objects.filter(pk__in=ids, state=InboundState.RECEIVED).order_by("pk")
    )
    if not waiting:
        return []
    parsed = {w.pk: _read(w) for w in waiting}
    del waiting  # the raw bytes are not needed any more
    together = hooks.batched() if len(parsed) > 1 else contextlib.nullcontext()
    lookups = batch.prefetch(p for p in parsed.values() if isinstance(p, ParsedEmail))
    with transaction.atomic(), together, batch.using(lookups):
        locking = InboundEmail.objects.select_for_update(
            no_key=True, skip_locked=skip_locked, of=("self",)
        )
        rows = list(
            locking.filter(pk__in=list(parsed), state=InboundState.RECEIVED)
            .defer("raw_data")
            .select_related("mailbox")
            .order_by("pk")
        )
        senders = {p.from_address[:320] for p in parsed.values() if isinstance(p, ParsedEmail)}
        batch.prefetch_senders(lookups, rows, senders)
        for inbound in rows:
            _apply(inbound, parsed[inbound.pk], at)
            lookups.processed(inbound)
    return rows


def _apply(inbound: InboundEmail, parsed: ParsedEmail | Quarantine, at: datetime | None) -> None:
    """Handle one locked email in a savepoint and record the outcome on its row (inside the
    savepoint when it went well, so listeners that run at the end of the block, alone or for a
    batch, see the row as processed; after it when it did not)."""
    inbound.attempts += 1
    try:
        with transaction.atomic(), hooks.batched():
            _record(inbound, _handle(inbound, parsed, inbound.received_at), at)
        return
    except Quarantine as exc:
        outcome = Outcome(state=InboundState.QUARANTINED, reason=str(exc))
    except Ignore as exc:
        outcome = Outcome(state=InboundState.IGNORED, reason=str(exc), automatic=True)
    except PeopleError as exc:
        outcome = Outcome(
            state=InboundState.QUARANTINED, reason=f"An address cannot be used: {exc}"
        )
    except ActionError as exc:
        outcome = Outcome(state=InboundState.QUARANTINED, reason=f"The desk refused it: {exc}")
    except Exception as exc:  # never lose an email, never crash the worker
        if is_transient(exc):
            raise  # roll the whole transaction back; _process_retrying tries again
        log.exception("Inbound email %s could not be processed", inbound.pk)
        outcome = Outcome(
            state=InboundState.QUARANTINED,
            reason=f"Processing failed ({type(exc).__name__}): {exc}"[:2000],
        )
    _record(inbound, outcome, at)


def _record(inbound: InboundEmail, outcome: Outcome, at: datetime | None) -> None:
    inbound.state = outcome.state
    inbound.reason = outcome.reason.replace("\x00", "")[:2000]
    inbound.sender = inbound.sender.replace("\x00", "")
    inbound.subject = inbound.subject.replace("\x00", "")
    inbound.kind = outcome.kind if outcome.state != InboundState.QUARANTINED else inbound.kind
    inbound.is_automatic = outcome.automatic
    inbound.conversation = outcome.conversation
    inbound.desk_message_id = outcome.message_pk
    inbound.processed_at = at or timezone.now()
    inbound.save(update_fields=_RESULT_FIELDS)


def _process_retrying(
    ids: list[int], *, skip_locked: bool, at: datetime | None
) -> list[InboundEmail]:
    """``_process_many``, tried again when the database gave up on the transaction for a
    reason that passes (a deadlock with another worker, a serialization failure, a busy SQLite
    file). Nothing was written by the failed try; after the last one the error propagates and
    the emails stay "received" for the next run: such an email is never quarantined."""
    for attempt in range(1, TRANSIENT_TRIES + 1):
        try:
            return _process_many(ids, skip_locked=skip_locked, at=at)
        except OperationalError as exc:
            if not is_transient(exc) or attempt == TRANSIENT_TRIES:
                raise
            log.info("Inbound emails %s: %s; trying again (%s)", ids[:3], exc, attempt)
            time.sleep(random.uniform(0.02, 0.1) * attempt)
    raise AssertionError("unreachable")


def process(inbound_id: int, *, at: datetime | None = None) -> InboundEmail:
    """Process one stored email (no-op unless it is "received"); returns its row afterwards."""
    done = _process_retrying([inbound_id], skip_locked=False, at=at)
    inbound = done[0] if done else InboundEmail.objects.filter(pk=inbound_id).first()
    if inbound is None:
        raise InboundEmail.DoesNotExist(f"No inbound email #{inbound_id}.")
    return inbound


def process_pending(*, limit: int | None = None) -> int:
    """Process every "received" email, oldest first, HELPMATE_MAIL_BATCH to a transaction;
    safe to run in several workers at once. Returns how many were handled by this call."""
    done = 0
    last_pk = 0
    size = settings.HELPMATE_MAIL_BATCH
    while limit is None or done < limit:
        wanted = 100 if limit is None else min(100, limit - done)
        batch = list(
            InboundEmail.objects.filter(state=InboundState.RECEIVED, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:wanted]
        )
        if not batch:
            break
        token = _batch_mailboxes.set(_mailboxes())
        try:
            for start in range(0, len(batch), size):
                done += _process_chunk(batch[start : start + size])
        finally:
            _batch_mailboxes.reset(token)
        last_pk = batch[-1]
    return done


def _process_chunk(ids: list[int]) -> int:
    """One transaction for the chunk; if it fails as a whole, one transaction per email, so
    one email's trouble never holds back the others."""
    try:
        return _count(_process_retrying(ids, skip_locked=True, at=None))
    except Exception:
        if len(ids) == 1:
            log.exception("Inbound email %s could not be processed now", ids[0])
            return 0  # the row stays "received" for the next run
        log.exception("Inbound emails %s..%s failed together; one at a time now", ids[0], ids[-1])
    return sum(_process_chunk([pk]) for pk in ids)


def _count(rows: list[InboundEmail]) -> int:
    return sum(1 for row in rows if row.state != InboundState.RECEIVED)
