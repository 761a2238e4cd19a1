"""Checks that read a reply before it is sent: promise suggestions and the deflection guard.

Each check is a module named in ``settings.HELPMATE_COMPOSER_CHECKS`` that provides:

``review(*, conversation, agent, text, data) -> Review | None``
    Look at the draft (``data`` is the posted form, so a check can keep what the agent already
    ticked) and return what to show in the composer, or None when there is nothing to say.
``after_reply(*, conversation, message, agent, data) -> None``
    Called inside the reply's transaction once the reply is saved, to record what the agent
    confirmed (a promise) or chose (sending despite a flag). Writes go through actions.

The composer asks for reviews while the agent types (``desk:reply_review``) and again when the
reply is sent: a review with ``needs_attention`` stops the first send and shows itself, so the
agent decides with the flags in front of them. Nothing is forced: sending again goes through.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType
from typing import Any

from django.conf import settings

from helpmate.desk.models import Conversation, Message
from helpmate.people.models import Agent


@dataclass
class Review:
    name: str  # the check's short name, e.g. "guard" or "promises"
    template: str  # the fragment rendered in the composer's review panel
    context: dict[str, Any] = field(default_factory=dict)
    needs_attention: bool = False  # stop the first send and show this to the agent


def _checks() -> list[ModuleType]:
    return [import_module(path) for path in settings.HELPMATE_COMPOSER_CHECKS]


def reviews(
    *, conversation: Conversation, agent: Agent, text: str, data: Mapping[str, Any]
) -> list[Review]:
    found = []
    for check in _checks():
        review = check.review(conversation=conversation, agent=agent, text=text, data=data)
        if review is not None:
            found.append(review)
    return found


def after_reply(
    *, conversation: Conversation, message: Message, agent: Agent, data: Mapping[str, Any]
) -> None:
    for check in _checks():
        check.after_reply(conversation=conversation, message=message, agent=agent, data=data)
