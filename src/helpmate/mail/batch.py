"""What one batch of emails looks up once, instead of once per email.

``process_pending`` parses a batch of stored emails before its transaction; ``prefetch`` then
finds, in one query each, which of their addresses belong to active agents and which senders
are marked as bouncing. Inside ``using(lookups)`` the pipeline asks these sets first and goes to
the database only for an address they contain. A bounce processed in the same batch adds its
addresses, so a later email from that address still clears the mark.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models.functions import Lower

from helpmate.mail.models import AddressHealth
from helpmate.mail.parse import ParsedEmail
from helpmate.people.models import Agent


@dataclass
class Lookups:
    agents: set[str] = field(default_factory=set)  # lower-case addresses of active agents
    bouncing: set[str] = field(default_factory=set)  # senders whose address is marked bouncing


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
    return Lookups(agents=agents, bouncing=bouncing)


@contextmanager
def using(lookups: Lookups) -> Iterator[Lookups]:
    token = _current.set(lookups)
    try:
        yield lookups
    finally:
        _current.reset(token)


def current() -> Lookups | None:
    return _current.get()
