"""Which conversation an inbound email belongs to.

In order of trust: our signed reply token in a recipient address (plus-addressing) or in one of
our Message-IDs quoted in In-Reply-To/References; any Message-ID in those headers that we know
(an inbound email or an outbox row); and only then the subject, as a narrow fallback: the same
sender, a ``[#123]`` reference or the very same subject on a recent open conversation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Q

from helpmate.desk.models import OPEN_STATUSES, Conversation
from helpmate.mail import batch, tokens
from helpmate.mail.models import InboundEmail
from helpmate.mail.parse import ParsedEmail

_REF = re.compile(r"\[#(\d{1,12})\]")
_REPLY_PREFIX = re.compile(r"^\s*((re|aw|sv|vs|antw|réf|rif|r)\s*(\[\d+\])?\s*:\s*)+", re.I)


def normalise_subject(subject: str) -> str:
    return " ".join(_REPLY_PREFIX.sub("", subject).split()).lower()


def _follow_merges(conversation: Conversation | None) -> Conversation | None:
    seen = set()
    while conversation is not None and conversation.merged_into_id is not None:
        if conversation.pk in seen:
            break
        seen.add(conversation.pk)
        conversation = Conversation.objects.filter(pk=conversation.merged_into_id).first()
    return conversation


def _by_id(conversation_id: int | None) -> Conversation | None:
    if conversation_id is None:
        return None
    return _follow_merges(Conversation.objects.filter(pk=conversation_id).first())


def _by_message_ids(ids: list[str]) -> Conversation | None:
    if not ids:
        return None
    ids = ids[-50:]  # a pathological References header cannot make this slow
    known = batch.current()
    found = known.threads(ids) if known is not None else None
    if found is None:
        found = _threads(ids)
    for message_id in reversed(ids):  # the newest first
        if message_id in found:
            return _by_id(found[message_id])
    return None


def _threads(ids: list[str]) -> dict[str, int]:
    """The conversation of each of these Message-IDs (without <>) that an inbound email or an
    outbox row carries (the outbox row's when both do)."""
    return inbound_threads(ids) | outbound_threads(ids)


def inbound_threads(ids: Iterable[str]) -> dict[str, int]:
    """Message-ID (without <>) -> conversation, of the inbound emails that carry one (the
    latest arrival's when the same Message-ID came twice)."""
    rows = (
        InboundEmail.objects.filter(
            message_id__in=[f"<{i}>" for i in ids], conversation__isnull=False
        )
        .order_by("received_at")
        .values_list("message_id", "conversation_id")
    )
    return {message_id.strip("<>"): conversation for message_id, conversation in rows}


def outbound_threads(ids: Iterable[str]) -> dict[str, int]:
    """Message-ID (without <>) -> conversation, of the emails the outbox sent."""
    try:
        outbound = apps.get_model("outbox", "OutboundEmail")
    except LookupError:
        return {}
    ids = list(ids)
    rows = outbound.objects.filter(
        message_id__in=[*ids, *(f"<{i}>" for i in ids)], conversation__isnull=False
    ).values_list("message_id", "conversation_id")
    return {message_id.strip("<>"): conversation for message_id, conversation in rows}


def _sender_takes_part(conversation: Conversation, address: str) -> bool:
    people = Q(pk=conversation.requester_id) | Q(pk__in=conversation.participants.values("pk"))
    from helpmate.people.models import Contact

    return Contact.objects.filter(people, emails__email=address).exists()


def _by_subject(parsed: ParsedEmail, at: datetime) -> Conversation | None:
    if not parsed.from_address:
        return None
    recent = at - timedelta(days=max(settings.HELPMATE_MAIL_REOPEN_DAYS, 30))
    match = _REF.search(parsed.subject)
    if match is not None:
        conversation = Conversation.objects.filter(
            pk=int(match.group(1)), merged_into__isnull=True, updated_at__gte=recent
        ).first()
        if conversation is not None and _sender_takes_part(conversation, parsed.from_address):
            return conversation
        return None
    if not _REPLY_PREFIX.match(parsed.subject):
        return None
    subject = normalise_subject(parsed.subject)
    if not subject:
        return None
    candidates = Conversation.objects.filter(
        requester__emails__email=parsed.from_address,
        status__in=OPEN_STATUSES,
        merged_into__isnull=True,
        updated_at__gte=at - timedelta(days=7),
    ).order_by("-updated_at")[:20]
    for conversation in candidates:
        if normalise_subject(conversation.subject) == subject:
            return conversation
    return None


def find_conversation(
    parsed: ParsedEmail, *, envelope_to: list[str], at: datetime
) -> tuple[Conversation | None, str]:
    """The conversation this email continues and how it was found ("" when none)."""
    found = _by_id(tokens.token_from_addresses(parsed.recipients + envelope_to))
    if found is not None:
        return found, "reply address"
    headers = [f"<{i}>" for i in parsed.in_reply_to + parsed.references]
    found = _by_id(tokens.token_from_message_ids(headers))
    if found is not None:
        return found, "message id token"
    found = _by_message_ids(parsed.references + parsed.in_reply_to)
    if found is not None:
        return found, "references"
    found = _by_subject(parsed, at)
    if found is not None:
        return found, "subject"
    return None, ""
