"""Step two of the pipeline: turn a stored email into desk actions, exactly once.

``process(inbound_id)`` locks the InboundEmail row and, in ONE transaction, parses the raw
message, writes what it means through the desk's actions (a new conversation, a message in an
existing one, a bounce, an automatic reply) and marks the row processed. A crash anywhere rolls
all of it back and leaves the row "received", so a replay neither loses nor duplicates anything.
Any error while handling it quarantines the row with the reason (in the same transaction), so the
worker never crashes on a bad email.
"""

from __future__ import annotations

import logging
import random
import time
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone

from helpmate.desk.actions import ActionError
from helpmate.desk.models import Conversation
from helpmate.desk.sanitize import preview_of
from helpmate.mail import bounces, noise
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


def _process(inbound_id: int, *, skip_locked: bool, at: datetime | None) -> InboundEmail | None:
    waiting = InboundEmail.objects.filter(pk=inbound_id).first()
    if waiting is None or waiting.state != InboundState.RECEIVED:
        return waiting
    parsed = _read(waiting)
    with transaction.atomic():
        locking = InboundEmail.objects.select_for_update(
            no_key=True, skip_locked=skip_locked, of=("self",)
        )
        rows = locking.filter(pk=inbound_id).defer("raw_data")
        inbound = rows.select_related("mailbox").first()
        if inbound is None or inbound.state != InboundState.RECEIVED:
            return inbound
        inbound.attempts += 1
        when = inbound.received_at
        try:
            with transaction.atomic():
                outcome = _handle(inbound, parsed, when)
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
        except OperationalError as exc:
            if is_transient(exc):
                raise  # roll the whole transaction back; _process_retrying tries again
            log.exception("Inbound email %s could not be processed", inbound.pk)
            outcome = Outcome(
                state=InboundState.QUARANTINED,
                reason=f"Processing failed ({type(exc).__name__}): {exc}"[:2000],
            )
        except Exception as exc:  # never lose an email, never crash the worker
            log.exception("Inbound email %s could not be processed", inbound.pk)
            outcome = Outcome(
                state=InboundState.QUARANTINED,
                reason=f"Processing failed ({type(exc).__name__}): {exc}"[:2000],
            )
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
    return inbound


def _process_retrying(
    inbound_id: int, *, skip_locked: bool, at: datetime | None
) -> InboundEmail | None:
    """``_process``, tried again when the database gave up on the transaction for a reason
    that passes (a deadlock with another worker, a serialization failure, a busy SQLite file).
    Nothing was written by the failed try; after the last one the error propagates and the
    email stays "received" for the next run: such an email is never quarantined."""
    for attempt in range(1, TRANSIENT_TRIES + 1):
        try:
            return _process(inbound_id, skip_locked=skip_locked, at=at)
        except OperationalError as exc:
            if not is_transient(exc) or attempt == TRANSIENT_TRIES:
                raise
            log.info("Inbound email %s: %s; trying again (%s)", inbound_id, exc, attempt)
            time.sleep(random.uniform(0.02, 0.1) * attempt)
    raise AssertionError("unreachable")


def process(inbound_id: int, *, at: datetime | None = None) -> InboundEmail:
    """Process one stored email (no-op unless it is "received"); returns its row afterwards."""
    inbound = _process_retrying(inbound_id, skip_locked=False, at=at)
    if inbound is None:
        raise InboundEmail.DoesNotExist(f"No inbound email #{inbound_id}.")
    return inbound


def process_pending(*, limit: int | None = None) -> int:
    """Process every "received" email, oldest first; safe to run in several workers at once.
    Returns how many were handled by this call."""
    done = 0
    last_pk = 0
    while limit is None or done < limit:
        batch = list(
            InboundEmail.objects.filter(state=InboundState.RECEIVED, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:100]
        )
        if not batch:
            break
        token = _batch_mailboxes.set(None)
        _batch_mailboxes.set(_mailboxes())
        try:
            done += _process_batch(batch, limit=None if limit is None else limit - done)
        finally:
            _batch_mailboxes.reset(token)
        last_pk = batch[-1]
    return done


def _process_batch(batch: list[int], *, limit: int | None) -> int:
    done = 0
    for pk in batch:
        try:
            inbound = _process_retrying(pk, skip_locked=True, at=None)
        except Exception:  # the row stays "received" for the next run; go on with the rest
            log.exception("Inbound email %s could not be processed now", pk)
            continue
        if inbound is not None and inbound.state != InboundState.RECEIVED:
            done += 1
        if limit is not None and done >= limit:
            break
    return done
