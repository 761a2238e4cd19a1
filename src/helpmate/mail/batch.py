"""What one batch of emails looks up once, instead of once per email.

``process_pending`` parses a batch of stored emails before its transaction; ``prefetch`` then
finds, in one query each, which of their addresses belong to active agents, which senders are
marked as bouncing, what each sender sent in the hour before (for the per-sender limit), and
which conversation each Message-ID they quote belongs to (for threading).
Inside ``using(lookups)`` the pipeline asks these first and goes to the database only for an
address they contain. What the batch itself does is added as it goes: a bounce adds its
addresses (a later email from that address still clears the mark), each processed email
counts towards its sender's limit for the emails after it, and an email that got a conversation
is found by a later one that quotes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models.functions import Lower

from helpmate.mail.models import AddressHealth, InboundEmail, InboundKind
from helpmate.mail.parse import ParsedEmail
from helpmate.people.models import Agent


@dataclass
class Lookups:
    agents: set[str] = field(default_factory=set)  # lower-case addresses of active agents
    bouncing: set[str] = field(default_factory=set)  # senders whose address is marked bouncing
    # For the per-sender limit: the batch's first email id, the span of its arrival times, and
    # per sender the (arrival, id) of every other email within an hour before that span.
    first_pk: int = 0
    span: tuple[datetime, datetime] | None = None
    recent: dict[str, list[tuple[datetime, int]]] = field(default_factory=dict)
    # For threading: the Message-IDs the batch's emails quote (without <>), and the
    # conversation of each that an inbound email or an outbox row of ours carries.
    quoted: set[str] = field(default_factory=set)
    inbound_threads: dict[str, int] = field(default_factory=dict)
    outbound_threads: dict[str, int] = field(default_factory=dict)
    # What the batch's own emails have been given so far (by row: a later outcome replaces an
    # earlier one, such as a quarantine after a rolled-back savepoint).
    batch_threads: dict[int, tuple[str, int | None]] = field(default_factory=dict)

    def threads(self, ids: list[str]) -> dict[str, int] | None:
        """The conversation of each of these Message-IDs that is known, as
        ``threads._threads`` would find it now; None when one of them was not looked up."""
        if not ids or not self.quoted.issuperset(ids):
            return None
        wanted = set(ids)
        found = {i: self.inbound_threads[i] for i in wanted if i in self.inbound_threads}
        for _pk, (key, conversation) in sorted(self.batch_threads.items()):  # in arrival order
            if key in wanted and conversation is not None:
                found[key] = conversation
        found.update({i: self.outbound_threads[i] for i in wanted if i in self.outbound_threads})
        return found

    def threaded(self, inbound: InboundEmail) -> None:
        """An email of the batch got its outcome (a conversation, or none)."""
        key = inbound.message_id.strip("<>")
        if inbound.message_id == f"<{key}>" and key in self.quoted:
            self.batch_threads[inbound.pk] = (key, inbound.conversation_id)

    def sent_within_hour(self, inbound: InboundEmail) -> int | None:
        """How many emails (bounces aside) this sender sent in the hour up to this one, before
        it; None when this email is not one the lookups cover."""
        if self.span is None or inbound.pk < self.first_pk:
            return None
        if not self.span[0] <= inbound.received_at <= self.span[1]:
            return None
        start = inbound.received_at - timedelta(hours=1)
        return sum(
            1
            for at, pk in self.recent.get(inbound.sender, ())
            if start <= at <= inbound.received_at and pk < inbound.pk
        )

    def processed(self, inbound: InboundEmail) -> None:
        """An email of the batch was handled: it counts for its sender's later emails."""
        if self.span is not None and inbound.sender and inbound.kind != InboundKind.BOUNCE:
            self.recent.setdefault(inbound.sender, []).append((inbound.received_at, inbound.pk))


_current: ContextVar[Lookups | None] = ContextVar("mail_batch_lookups", default=None)


def _addresses(email: ParsedEmail) -> set[str]:
    found = {email.from_address} | {a for _, a in email.to + email.cc}
    if email.forwarded is not None:
        found.add(email.forwarded.address)
    return {a.strip().lower() for a in found if a}


def prefetch(emails: Iterable[ParsedEmail]) -> Lookups:
    emails = list(emails)
    everyone = set().union(*(_addresses(e) for e in emails)) if emails else set()
    senders = {e.from_address.strip().lower() for e in emails if e.from_address}
    agents = set(
        Agent.objects.active()
        .annotate(address=Lower("user__email"))
        .filter(address__in=everyone)
        .values_list("address", flat=True)
    )
    bouncing = set(
        AddressHealth.objects.filter(contact_email__email__in=senders, bouncing=True).values_list(
            "contact_email__email", flat=True
        )
    )
    lookups = Lookups(agents=agents, bouncing=bouncing)
    _prefetch_threads(lookups, emails)
    return lookups


def quoted_ids(email: ParsedEmail) -> list[str]:
    """The Message-IDs (without <>) threading looks up for this email, at most 50."""
    return (email.references + email.in_reply_to)[-50:]


def _prefetch_threads(lookups: Lookups, emails: list[ParsedEmail]) -> None:
    """Which conversation each Message-ID the batch quotes belongs to: two queries in all."""
    from helpmate.mail.threads import inbound_threads, outbound_threads  # threads reads batch

    lookups.quoted = set().union(*(quoted_ids(e) for e in emails)) if emails else set()
    if lookups.quoted:
        lookups.inbound_threads = inbound_threads(lookups.quoted)
        lookups.outbound_threads = outbound_threads(lookups.quoted)


def prefetch_senders(lookups: Lookups, rows: list[InboundEmail], senders: set[str]) -> None:
    """Fill the per-sender history for these (locked) rows: one query for the batch."""
    if not rows:
        return
    first, last = min(r.received_at for r in rows), max(r.received_at for r in rows)
    lookups.first_pk = min(r.pk for r in rows)
    lookups.span = (first, last)
    earlier = (
        InboundEmail.objects.filter(
            sender__in=senders,
            received_at__gte=first - timedelta(hours=1),
            received_at__lte=last,
            pk__lt=lookups.first_pk,
        )
        .exclude(kind=InboundKind.BOUNCE)
        .values_list("sender", "received_at", "pk")
    )
    for sender, at, pk in earlier:
        lookups.recent.setdefault(sender, []).append((at, pk))


@contextmanager
def using(lookups: Lookups) -> Iterator[Lookups]:
    token = _current.set(lookups)
    try:
        yield lookups
    finally:
        _current.reset(token)


def current() -> Lookups | None:
    return _current.get()
