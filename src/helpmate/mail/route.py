"""What a stored email means, decided before anything is written, and then carried out.

``route`` only reads: it classifies the email (a bounce, an automatic reply, a person's message)
and finds the conversation it continues, or raises ``Quarantine`` / ``Ignore``. ``carry_out``
writes what the route says through the actions. Keeping the two apart lets ``process_pending``
write a batch's simple emails (new conversations, new messages) together and every other
email one at a time, in arrival order.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from helpmate.desk.models import Conversation
from helpmate.desk.sanitize import preview_of
from helpmate.mail import batch, bounces, noise
from helpmate.mail.actions import clear_bouncing, record_auto_reply, record_bounce
from helpmate.mail.deliver import Plan, deliver, plan
from helpmate.mail.models import InboundEmail, InboundKind, InboundState, Mailbox
from helpmate.mail.parse import ParsedEmail
from helpmate.mail.threads import find_conversation
from helpmate.mail.tokens import base_address, conversation_from_token


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


# process_pending() reads the mailboxes once per run rather than once per message.
_batch_mailboxes: ContextVar[dict[str, Mailbox] | None] = ContextVar(
    "mail_batch_mailboxes", default=None
)


@contextlib.contextmanager
def use_mailboxes() -> Iterator[None]:
    """Read the mailboxes once for everything processed inside the block."""
    token = _batch_mailboxes.set(_mailboxes())
    try:
        yield
    finally:
        _batch_mailboxes.reset(token)


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
        match = re.search(r"hm\.[0-9a-z]+\.([0-9a-z]{1,13}-[a-z2-7]{12})@", report.original_text)
        if match:
            found = _by_id(conversation_from_token(match.group(1)))
    return found, outbound_id


@dataclass
class Bounce:
    report: bounces.BounceReport


@dataclass
class AutoReply:
    conversation: Conversation
    parsed: ParsedEmail


@dataclass
class Delivery:
    plan: Plan
    kind: str | None
    how: str  # how the conversation was found ("" when it opens one)

    @property
    def waits(self) -> bool:
        """A person's email that opens a conversation or adds a message to one, and nothing
        else: it can wait to be written together with others of its batch."""
        return self.plan.simple and self.kind is None


Route = Bounce | AutoReply | Delivery


def route(inbound: InboundEmail, parsed: ParsedEmail, at: datetime) -> Route:
    """What this email is and where it goes (reads only; sets the row's sender and subject)."""
    inbound.sender = parsed.from_address[:320]
    inbound.subject = preview_of(parsed.subject, 300)
    mailboxes = _mailboxes()
    report = bounces.detect(parsed, ours=set(mailboxes))
    if report is not None:
        return Bounce(report)
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
        return AutoReply(conversation, parsed)
    planned = plan(
        parsed,
        conversation=conversation,
        mailbox=mailbox,
        mailbox_addresses=set(mailboxes),
        automatic=kind == InboundKind.BULK,
        at=at,
    )
    return Delivery(planned, kind, how)


def clear_if_bouncing(parsed: ParsedEmail) -> None:
    """They wrote from this address, so it works again (the batch knows who was marked)."""
    known = batch.current()
    if known is None or parsed.from_address.strip().lower() in known.bouncing:
        clear_bouncing(address=parsed.from_address)


def carry_out(inbound: InboundEmail, routed: Route, at: datetime) -> Outcome:
    """Write what the route says (inside the caller's transaction)."""
    if isinstance(routed, Bounce):
        return _handle_bounce(inbound, routed.report, at)
    if isinstance(routed, AutoReply):
        conversation = routed.conversation
        record_auto_reply(
            conversation=conversation,
            inbound=inbound,
            author=None,
            subject=routed.parsed.subject,
            excerpt=preview_of(routed.parsed.text, 300),
            at=at,
        )
        return Outcome(
            state=InboundState.PROCESSED,
            reason=f"Automatic reply recorded on #{conversation.pk}.",
            kind=InboundKind.AUTO_REPLY,
            automatic=True,
            conversation=conversation,
        )
    clear_if_bouncing(routed.plan.parsed)
    with noise.processing(automatic=routed.plan.automatic):
        result = deliver(routed.plan)
    return delivered(
        routed, result.conversation, result.message.pk if result.message else None, result.summary
    )


def delivered(
    routed: Delivery, conversation: Conversation, message_pk: int | None, summary: str
) -> Outcome:
    found = f" (found by {routed.how})" if routed.how else ""
    return Outcome(
        state=InboundState.PROCESSED,
        reason=f"{summary}{found}.",
        kind=routed.kind or InboundKind.MESSAGE,
        automatic=routed.plan.automatic,
        conversation=conversation,
        message_pk=message_pk,
    )
