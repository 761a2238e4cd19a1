"""The promises check in the reply composer (see helpmate.desk.composer for the contract).

While the agent types, each time commitment the detector finds is shown with its due time (in
the customer's time zone, editable) and a checkbox "Record this promise". Nothing is recorded
without that tick. Open promises of the conversation are listed with "this reply keeps it", and a
promise can be added by hand. On send, ``after_reply`` records what was ticked through the
actions, inside the reply's transaction. The first send stops once if suggestions are unticked,
so the agent sees them (sending again goes through).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from helpmate.desk.composer import Review
from helpmate.desk.models import Conversation, Message
from helpmate.people.models import Agent
from helpmate.promises import actions, selectors
from helpmate.promises.actions import PromiseError, contact_zone
from helpmate.promises.detect import detect
from helpmate.promises.models import PromiseSource
from helpmate.service.calendar import calendar_for

INPUT_FORMAT = "%Y-%m-%dT%H:%M"


@dataclass
class Suggestion:
    key: str
    words: str
    promise: str
    who: str
    due: datetime  # in the customer's zone
    confirmed: bool
    due_value: str  # what the datetime input holds
    text_value: str


def _values(data: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    if getlist is not None:
        return [str(v) for v in getlist(name)]
    value = data.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _key(words: str, promise: str) -> str:
    return hashlib.sha256(f"{words.lower()}|{promise.lower()}".encode()).hexdigest()[:10]


def parse_local(value: str, conversation: Conversation) -> datetime | None:
    """A datetime-local value, read in the requester's time zone."""
    try:
        naive = datetime.strptime(value.strip(), INPUT_FORMAT)
    except ValueError:
        return None
    return naive.replace(tzinfo=contact_zone(conversation.requester))


def suggestions(
    conversation: Conversation, text: str, data: Mapping[str, Any], *, now: datetime | None = None
) -> list[Suggestion]:
    zone = contact_zone(conversation.requester)
    found = detect(text, now=now or timezone.now(), tz=zone, cal=calendar_for(conversation.team_id))
    confirmed = set(_values(data, "promise_confirm"))
    out = []
    for item in found:
        key = _key(item.words, item.promise)
        due = item.due.astimezone(zone)
        out.append(
            Suggestion(
                key=key,
                words=item.words,
                promise=item.promise,
                who=item.who,
                due=due,
                confirmed=key in confirmed,
                due_value=(_values(data, f"promise_due_{key}") or [due.strftime(INPUT_FORMAT)])[0],
                text_value=(_values(data, f"promise_text_{key}") or [item.promise])[0],
            )
        )
    return out


def review(
    *, conversation: Conversation, agent: Agent, text: str, data: Mapping[str, Any]
) -> Review | None:
    found = suggestions(conversation, text, data)
    open_ones = selectors.open_promises(conversation)
    keeps = set(_values(data, "promise_keeps"))
    return Review(
        name="promises",
        template="promises/_composer.html",
        context={
            "suggestions": found,
            "open_promises": [(p, str(p.pk) in keeps, selectors.local_due(p)) for p in open_ones],
            "zone": contact_zone(conversation.requester).key,
            "requester": conversation.requester,
            "new_text": (_values(data, "promise_new_text") or [""])[0],
            "new_due": (_values(data, "promise_new_due") or [""])[0],
        },
        needs_attention=any(not s.confirmed for s in found),
    )


def after_reply(
    *, conversation: Conversation, message: Message, agent: Agent, data: Mapping[str, Any]
) -> None:
    at = message.created_at
    for raw in _values(data, "promise_keeps"):
        if raw.isdigit():
            promise = selectors.open_promises(conversation)
            match = next((p for p in promise if p.pk == int(raw)), None)
            if match is not None:
                actions.keep_promise(promise=match, actor=agent, message=message, at=at)
    for key in dict.fromkeys(_values(data, "promise_confirm")):
        text = (_values(data, f"promise_text_{key}") or [""])[0]
        due = parse_local((_values(data, f"promise_due_{key}") or [""])[0], conversation)
        if due is None:
            raise PromiseError(f"Give a due time for the promise '{text[:60]}'.")
        actions.make_promise(
            conversation=conversation,
            agent=agent,
            text=text,
            due_at=due,
            words=(_values(data, f"promise_words_{key}") or [""])[0],
            by_team=(_values(data, f"promise_who_{key}") or [""])[0] == "team",
            source=PromiseSource.SUGGESTED,
            source_message=message,
            at=at,
        )
    new_text = (_values(data, "promise_new_text") or [""])[0].strip()
    new_due_raw = (_values(data, "promise_new_due") or [""])[0].strip()
    if new_text or new_due_raw:
        new_due = parse_local(new_due_raw, conversation)
        if not new_text or new_due is None:
            raise PromiseError("To add a promise by hand, give both what you promised and when.")
        actions.make_promise(
            conversation=conversation,
            agent=agent,
            text=new_text,
            due_at=new_due,
            source=PromiseSource.MANUAL,
            source_message=message,
            at=at,
        )
