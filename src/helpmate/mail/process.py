"""Step two of the pipeline: turn stored emails into desk actions, exactly once.

``process_pending()`` takes the "received" emails oldest first, HELPMATE_MAIL_BATCH at a time:
it parses them (before any transaction: reading a big email must not hold the database's write
lock), then in ONE transaction locks their rows, routes each (``helpmate.mail.route``: what it
is and where it goes, reads only) and writes what it means through the desk's actions (a new
conversation, a message in an existing one, a bounce, an automatic reply), marking the row
processed. The simple emails (each opens a conversation or adds a message to one) are written
together (``_Waiting``), the others one at a time in a savepoint of their own, in arrival order.
A crash anywhere rolls the whole batch back and leaves the rows "received", so a replay neither
loses nor duplicates anything. An error while handling one email quarantines that row with the
reason (inside the same transaction), so the worker never crashes on a bad email; a database
error that passes (a deadlock, a busy file) rolls back and tries again. ``process(inbound_id)``
does the same for one email.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction

from helpmate.desk import hooks
from helpmate.mail import batch, outcomes
from helpmate.mail.deliver import deliver_many
from helpmate.mail.intake import raw_bytes
from helpmate.mail.models import InboundEmail, InboundState
from helpmate.mail.parse import ParsedEmail, UnreadableEmail, parse
from helpmate.mail.route import (
    AutoReply,
    Bounce,
    Delivery,
    Quarantine,
    Route,
    carry_out,
    clear_if_bouncing,
    delivered,
    route,
    use_mailboxes,
)
from helpmate.web.transient import TRANSIENT_TRIES, is_transient

log = logging.getLogger(__name__)


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
        group = _Waiting()
        for inbound in rows:
            email = parsed[inbound.pk]
            if group.must_precede(email):
                _flush(group, at)
            routed = _route(inbound, email, alone=len(rows) == 1)
            if group.touches(routed):  # routed by what the waiting ones will change
                _flush(group, at)
                routed = _route(inbound, email, alone=False)
            if len(rows) > 1 and isinstance(routed, Delivery) and routed.waits:
                group.add(inbound, routed)
            else:
                if group.conflicts_with(routed):
                    _flush(group, at)
                _apply(inbound, routed, at)
            lookups.processed(inbound)
        _flush(group, at)
    return rows


def _route(
    inbound: InboundEmail, email: ParsedEmail | Quarantine, alone: bool
) -> Route | Exception:
    """Where the email goes, or why it goes nowhere (the exception, raised again when it is
    applied). Only reads. A failed statement spoils a transaction on PostgreSQL, so a database
    error fails the whole batch (which is then tried one email at a time); an email processed
    alone is routed in a savepoint, so that error can quarantine it."""
    if isinstance(email, Quarantine):
        return email
    try:
        with transaction.atomic() if alone else contextlib.nullcontext():
            return route(inbound, email, inbound.received_at)
    except Exception as exc:
        if is_transient(exc) or (isinstance(exc, DatabaseError) and not alone):
            raise
        return exc


@dataclass
class _Member:
    inbound: InboundEmail
    routed: Delivery


@dataclass
class _Waiting:
    """A batch's simple emails (each opens a conversation or adds a message to one), waiting to
    be written together while the batch's other emails are handled in arrival order. They are
    written first whenever the order could show: before routing an email that could continue
    one of them (from the same sender, or quoting one's Message-ID), before using a route that
    read a conversation one of them continues (it is routed again afterwards), and before
    writing an email that touches the same people."""

    members: list[_Member] = field(default_factory=list)
    senders: set[str] = field(default_factory=set)
    message_ids: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    conversations: set[int] = field(default_factory=set)

    def add(self, inbound: InboundEmail, routed: Delivery) -> None:
        self.members.append(_Member(inbound, routed))
        self.senders.add(routed.plan.parsed.from_address.strip().lower())
        self.addresses |= routed.plan.addresses
        if inbound.message_id:
            self.message_ids.add(inbound.message_id)
        if routed.plan.conversation is not None:
            self.conversations.add(routed.plan.conversation.pk)

    def touches(self, routed: Route | Exception) -> bool:
        """Whether the route read a conversation that a waiting email adds a message to (its
        status may be about to change)."""
        if isinstance(routed, Delivery):
            found = routed.plan.conversation
        elif isinstance(routed, AutoReply):
            found = routed.conversation
        else:
            return False
        return found is not None and found.pk in self.conversations

    def must_precede(self, email: ParsedEmail | Quarantine) -> bool:
        if not self.members or isinstance(email, Quarantine):
            return False
        if email.from_address.strip().lower() in self.senders:
            return True
        return any(f"<{i}>" in self.message_ids for i in email.in_reply_to + email.references)

    def conflicts_with(self, routed: Route | Exception) -> bool:
        """Whether writing this (not waiting) email before the waiting ones could change what
        either writes: a bounce marks addresses, and a delivery may create or use the contacts
        of the same addresses. Automatic replies and emails that go nowhere touch neither."""
        if not self.members:
            return False
        if isinstance(routed, Bounce):
            return True
        return isinstance(routed, Delivery) and bool(routed.plan.addresses & self.addresses)

    def take(self) -> list[_Member]:
        members = self.members
        self.members, self.senders, self.message_ids = [], set(), set()
        self.addresses, self.conversations = set(), set()
        return members


def _flush(waiting: _Waiting, at: datetime | None) -> None:
    """Write the waiting emails together in a savepoint; if that fails, each on its own (so
    only the email at fault is quarantined)."""
    members = waiting.take()
    if len(members) <= 1:
        for member in members:
            _apply(member.inbound, member.routed, at)
        return
    attempts = [m.inbound.attempts for m in members]
    try:
        with transaction.atomic(), hooks.batched():
            for member in members:
                clear_if_bouncing(member.routed.plan.parsed)
            results = deliver_many([m.routed.plan for m in members])
            came_to = []
            for member, result in zip(members, results, strict=True):
                message_pk = result.message.pk if result.message else None
                came_to.append(
                    delivered(member.routed, result.conversation, message_pk, result.summary)
                )
                member.inbound.attempts += 1
            outcomes.record_many([m.inbound for m in members], came_to, at)
        return
    except Exception as exc:
        if is_transient(exc):
            raise
        log.info("Writing %s emails together failed (%s); one at a time", len(members), exc)
    for member, tries in zip(members, attempts, strict=True):
        member.inbound.attempts = tries
        _apply(member.inbound, member.routed, at)


def _apply(inbound: InboundEmail, routed: Route | Exception, at: datetime | None) -> None:
    """Handle one locked email in a savepoint and record the outcome on its row (inside the
    savepoint when it went well, so listeners that run at the end of the block, alone or for a
    batch, see the row as processed; after it when it did not)."""
    inbound.attempts += 1
    if isinstance(routed, Exception):  # nothing to write but the reason
        outcomes.record(inbound, outcomes.failed(inbound, routed), at)
        return
    try:
        with transaction.atomic(), hooks.batched():
            outcomes.record(inbound, carry_out(inbound, routed, inbound.received_at), at)
        return
    except Exception as exc:  # never lose an email, never crash the worker
        if is_transient(exc):
            raise  # roll the whole transaction back; _process_retrying tries again
        outcome = outcomes.failed(inbound, exc)
    outcomes.record(inbound, outcome, at)


def _process_retrying(
    ids: list[int], *, skip_locked: bool, at: datetime | None
) -> list[InboundEmail]:
    """``_process_many``, tried again when the database gave up on the transaction for a
    reason that passes (a deadlock with another worker, a serialization failure, a busy SQLite
    file). Nothing was written by the failed try; after the last one the error propagates and
    the emails stay "received" for the next run: such an email is never quarantined."""
    for attempt in range(1, TRANSIENT_TRIES + 1):
        try:
            with _one_writer():
                return _process_many(ids, skip_locked=skip_locked, at=at)
        except OperationalError as exc:
            if not is_transient(exc) or attempt == TRANSIENT_TRIES:
                raise
            log.info("Inbound emails %s: %s; trying again (%s)", ids[:3], exc, attempt)
            time.sleep(random.uniform(0.02, 0.1) * attempt)
    raise AssertionError("unreachable")


# Any fixed number will do: it names the lock below among the database's advisory locks.
_WRITER_LOCK = 0x4D41494C  # "MAIL"


@contextlib.contextmanager
def _one_writer() -> Iterator[None]:
    """Processors take turns, one batch at a time, on PostgreSQL as they must on SQLite.

    Two processors working side by side gain nothing on a couple of cores and cost a lot: the
    emails of one flood come from the same people, so both batches create the same contacts
    and lock the same conversations, and each waits for the other's transaction or deadlocks
    (measured with the ingest benchmark: 110-131 emails/s with two processors against 260 with
    one). The lock is held while a batch is read, parsed and written, so the one that waited
    reads only what is still to do. It belongs to the connection: a processor that dies
    releases it with its connection."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_WRITER_LOCK])
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_WRITER_LOCK])


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
        with use_mailboxes():
            for start in range(0, len(batch), size):
                done += _process_chunk(batch[start : start + size])
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
