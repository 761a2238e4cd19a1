"""Mail that no person wrote: automatic replies and bulk mail. Recorded, never answered.

``classify(parsed)`` says what kind of automatic mail a message is (or None for a person's
mail). ``is_auto_reply(conversation_or_message)`` tells the outbox (acknowledgements) and anyone
else that wants to answer automatically that they must not.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

from helpmate.mail.models import InboundEmail, InboundKind

if TYPE_CHECKING:
    from helpmate.desk.models import Conversation, Message
    from helpmate.mail.parse import ParsedEmail

AUTO_REPLY = InboundKind.AUTO_REPLY
BULK = InboundKind.BULK

_AUTO_SUBJECT = re.compile(
    r"^\s*(?:automatic reply|auto(?:matic)?[ -]?reply|auto(?:matische)? ?antwort|"
    r"out of (?:the )?office|abwesenheitsnotiz|abwesend|réponse automatique|"
    r"respuesta automática|autosvar|automatisch antwoord|fuera de la oficina|"
    r"absence du bureau|on vacation|away from (?:the )?office)\b",
    re.IGNORECASE,
)
# Headers whose mere presence (with a value other than "no") marks an automatic reply.
_AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Autorespond-From")
_BULK_PRECEDENCE = {"bulk", "list", "junk"}


def _flag(value: str) -> bool:
    return bool(value.strip()) and value.strip().lower() not in {"no", "false", "0"}


def classify(parsed: ParsedEmail) -> str | None:
    """AUTO_REPLY, BULK or None (a person wrote it)."""
    auto_submitted = parsed.header("Auto-Submitted").lower()
    precedence = parsed.header("Precedence").lower().strip()
    if auto_submitted.startswith("auto-replied") or precedence == "auto_reply":
        return AUTO_REPLY
    if parsed.message.get_content_type() == "multipart/report":
        return AUTO_REPLY  # read receipts and other reports that are not bounces
    if any(_flag(parsed.header(name)) for name in _AUTO_REPLY_HEADERS):
        return AUTO_REPLY
    if "autoresponder" in parsed.header("X-POST-MessageClass").lower():
        return AUTO_REPLY
    if "mailbox rules agent" in parsed.header("X-MS-Exchange-Generated-Message-Source").lower():
        return AUTO_REPLY
    suppress = parsed.header("X-Auto-Response-Suppress").lower()
    if _AUTO_SUBJECT.match(parsed.subject) and (
        suppress or auto_submitted or precedence or parsed.header("X-Auto-Reply-From")
    ):
        return AUTO_REPLY
    if _AUTO_SUBJECT.match(parsed.subject) and re.match(
        r"^\s*(?:automatic reply|auto(?:matische)? ?antwort|réponse automatique|autosvar)\s*:",
        parsed.subject,
        re.IGNORECASE,
    ):
        return AUTO_REPLY  # Exchange's and Outlook's own prefix
    if auto_submitted and auto_submitted != "no":
        return BULK  # auto-generated, auto-notified
    if precedence in _BULK_PRECEDENCE:
        return BULK
    if parsed.header("List-Id") or parsed.header("List-Unsubscribe"):
        return BULK
    if suppress and any(word in suppress for word in ("all", "oof", "autoreply")):
        return BULK
    if _flag(parsed.header("X-FC-MachineGenerated")):
        return BULK
    return None


# While an automatic message is being turned into desk actions, listeners running inside that
# transaction (an acknowledgement, say) can ask is_auto_reply() before any row links it.
_processing_automatic: ContextVar[bool] = ContextVar("mail_processing_automatic", default=False)


@contextlib.contextmanager
def processing(*, automatic: bool) -> Iterator[None]:
    token = _processing_automatic.set(automatic)
    try:
        yield
    finally:
        _processing_automatic.reset(token)


def is_auto_reply(conversation_or_message: Conversation | Message) -> bool:
    """True when the message (or the email that opened the conversation) was automatic mail:
    an out-of-office, an autoresponder, a list or bulk mailing. Never answer those."""
    from helpmate.desk.models import Conversation

    if _processing_automatic.get():
        return True
    if isinstance(conversation_or_message, Conversation):
        first = (
            InboundEmail.objects.filter(
                conversation=conversation_or_message, desk_message__isnull=False
            )
            .order_by("received_at", "pk")
            .values_list("is_automatic", flat=True)
            .first()
        )
        return bool(first)
    return InboundEmail.objects.filter(
        desk_message=conversation_or_message, is_automatic=True
    ).exists()
