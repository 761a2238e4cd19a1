"""``{% reply_statuses conversation as mail %}`` once per page, then ``{% mail_status mail item %}``
under each reply: the email statuses of a whole thread in one query."""

from __future__ import annotations

from typing import Any

from django import template

from helpmate.desk.models import Conversation, Message
from helpmate.outbox import selectors

register = template.Library()


@register.simple_tag
def reply_statuses(conversation: Conversation) -> dict[int, selectors.MailStatus]:
    return selectors.reply_statuses(conversation)


@register.inclusion_tag("outbox/_mail_status.html")
def mail_status(statuses: dict[int, selectors.MailStatus], message: Message) -> dict[str, Any]:
    return {"s": statuses.get(message.pk), "message": message}
