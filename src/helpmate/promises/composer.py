"""The promises check in the reply composer (see helpmate.desk.composer for the contract)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpmate.desk.composer import Review
from helpmate.desk.models import Conversation, Message
from helpmate.people.models import Agent


def review(
    *, conversation: Conversation, agent: Agent, text: str, data: Mapping[str, Any]
) -> Review | None:
    return None


def after_reply(
    *, conversation: Conversation, message: Message, agent: Agent, data: Mapping[str, Any]
) -> None:
    return None
