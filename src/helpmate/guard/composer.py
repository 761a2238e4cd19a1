"""The guard check in the reply composer (see helpmate.desk.composer for the contract).

While the agent types, the flagged sentences are shown with the reason and a better move; the
first send stops to show them. Sending again goes through (no forced scripts), and if the sent
reply still contains flagged sentences that choice is recorded as a GUARD_OVERRIDDEN event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse

from helpmate.desk.composer import Review
from helpmate.desk.models import Conversation, Message
from helpmate.guard import actions
from helpmate.guard.check import check_text
from helpmate.people.models import Agent


def review(
    *, conversation: Conversation, agent: Agent, text: str, data: Mapping[str, Any]
) -> Review | None:
    flags = check_text(text)
    if not flags:
        return None
    return Review(
        name="guard",
        template="guard/_review.html",
        context={
            "flags": flags,
            "transfer_url": reverse("desk:conversation", args=[conversation.pk]) + "#transfer",
        },
        needs_attention=True,
    )


def after_reply(
    *, conversation: Conversation, message: Message, agent: Agent, data: Mapping[str, Any]
) -> None:
    flags = check_text(message.text)
    if flags:
        actions.record_override(
            conversation=conversation, message=message, agent=agent, flags=flags
        )
