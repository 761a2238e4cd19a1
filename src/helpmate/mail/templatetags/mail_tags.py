"""Email in the conversation page: folded quotes, the original email, bounces and auto-replies.

``{% mail_body message %}`` renders a message body; for an incoming email whose quoted history
or signature can be told apart, the new part is shown and the rest sits behind a "Show quoted
text" disclosure (the full text is kept on the message). ``{% mail_notices conversation %}``
loads (with HTMX, after the page) automatic replies, bounces, follow-ups and addresses that
bounce, so the conversation page itself spends no query on them.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe

from helpmate.desk.models import Channel, Conversation, Message, MessageKind
from helpmate.desk.sanitize import text_to_html
from helpmate.mail import selectors
from helpmate.mail.quoting import split_quoted

register = template.Library()


def _originals(context: template.Context, conversation_id: int) -> set[int]:
    """Messages with a kept original, read once per page (not once per message)."""
    cache = context.render_context
    key = f"mail_originals_{conversation_id}"
    if key not in cache:
        cache[key] = selectors.messages_with_original(conversation_id)
    found: set[int] = cache[key]
    return found


@register.simple_tag(takes_context=True)
def mail_body(context: template.Context, message: Message) -> SafeString:
    plain_body = mark_safe(message.html) if message.html else mark_safe(linebreaks(message.text))
    if message.channel != Channel.EMAIL or message.kind != MessageKind.INCOMING:
        return format_html('<div class="body">{}</div>', plain_body)
    new, folded = split_quoted(message.text)
    if folded:
        body = format_html(
            '<div class="body">{}<details class="mail-quoted"><summary>Show quoted text'
            '</summary><div class="mail-quoted-text">{}</div></details></div>',
            mark_safe(text_to_html(new)),
            mark_safe(text_to_html(folded)),
        )
    else:
        body = format_html('<div class="body">{}</div>', plain_body)
    if message.pk in _originals(context, message.conversation_id):
        link = format_html(
            '<p class="mail-original small"><a href="{}" download>Original email</a></p>',
            reverse("mail:original", args=[message.pk]),
        )
        return format_html("{}{}", body, link)
    return body


@register.simple_tag
def mail_notices(conversation: Conversation) -> SafeString:
    """A placeholder that loads the email notices after the page (no queries on the page)."""
    return format_html(
        '<div hx-get="{}" hx-trigger="load" hx-swap="outerHTML"></div>',
        reverse("mail:notices", args=[conversation.pk]),
    )
