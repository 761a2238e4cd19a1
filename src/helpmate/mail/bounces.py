"""Recognising bounces: standard delivery status notifications (RFC 3464 multipart/report) and
the usual non-standard shapes (Exim, qmail, Postfix without a report, Exchange "Undeliverable").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message
from typing import TYPE_CHECKING

from helpmate.mail.models import BounceKind
from helpmate.mail.parse import decode_bytes, header_text, message_ids

if TYPE_CHECKING:
    from helpmate.mail.parse import ParsedEmail


@dataclass
class FailedRecipient:
    address: str
    kind: str
    status: str = ""
    diagnostic: str = ""


@dataclass
class BounceReport:
    recipients: list[FailedRecipient] = field(default_factory=list)
    original_message_ids: list[str] = field(default_factory=list)
    original_text: str = ""


_DAEMON = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(
    r"(undeliver|undelivered mail|delivery status notification|delivery failure|"
    r"mail delivery failed|returned mail|failure notice|delivery has failed|"
    r"nicht zustellbar|unzustellbar|non remis|non distribuable|message not delivered)",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"<?([\w.+'=-]+@[\w-]+(?:\.[\w-]+)+)>?")
_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_SMTP_CODE = re.compile(r"\b([45])\d\d\b")
_MESSAGE_ID_LINE = re.compile(r"^Message-ID:\s*(<[^>\s]+>)", re.IGNORECASE | re.MULTILINE)


def _value(block: Message, name: str) -> str:
    return " ".join(str(block.get(name, "") or "").split())


def _strip_type(value: str) -> str:
    """ "rfc822; carla@x.example" -> "carla@x.example"."""
    return value.split(";", 1)[-1].strip().strip("<>").lower()


def _delivery_status_blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    # Some servers label a plain text body as message/delivery-status: read it ourselves.
    from email import message_from_string

    text = payload if isinstance(payload, str) else ""
    return [message_from_string(chunk) for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]


def _from_report(parsed: ParsedEmail) -> BounceReport | None:
    message = parsed.message
    if message.get_content_type() != "multipart/report":
        return None
    report = BounceReport()
    for part in message.walk():
        ctype = part.get_content_type()
        if ctype in ("message/delivery-status", "message/global-delivery-status"):
            for block in _delivery_status_blocks(part):
                recipient = _strip_type(
                    _value(block, "Final-Recipient") or _value(block, "Original-Recipient")
                )
                action = _value(block, "Action").lower()
                if "@" not in recipient or action not in ("failed", "delayed"):
                    continue
                status = _value(block, "Status")
                kind = (
                    BounceKind.PERMANENT
                    if action == "failed" and not status.startswith("4")
                    else BounceKind.TEMPORARY
                )
                report.recipients.append(
                    FailedRecipient(
                        recipient, kind, status[:20], _value(block, "Diagnostic-Code")[:1000]
                    )
                )
        elif ctype in ("message/rfc822", "message/global"):
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                report.original_message_ids += message_ids([header_text(inner[0], "Message-ID")])
        elif ctype == "text/rfc822-headers":
            payload = part.get_payload(decode=True)
            text = decode_bytes(payload if isinstance(payload, bytes) else b"", "")
            report.original_message_ids += _MESSAGE_ID_LINE.findall(text)
            report.original_text += text
    if report.original_message_ids:
        report.original_message_ids = message_ids(report.original_message_ids)
    return report


def _looks_like_bounce(parsed: ParsedEmail) -> bool:
    if parsed.header("X-Failed-Recipients"):
        return True
    from_daemon = bool(_DAEMON.match(parsed.from_address)) or not parsed.from_address
    return from_daemon and bool(_BOUNCE_SUBJECT.search(parsed.subject))


def _from_text(parsed: ParsedEmail, ours: set[str]) -> BounceReport | None:
    if not _looks_like_bounce(parsed):
        return None
    text = parsed.text
    report = BounceReport(original_text=text)
    listed = [a.strip().lower() for a in parsed.header("X-Failed-Recipients").split(",")]
    candidates = [a for a in listed if "@" in a]
    if not candidates:
        # The failed address is the first one quoted near the error (not ours, not a daemon).
        for line_no, line in enumerate(text.split("\n")[:200]):
            for match in _ADDRESS.finditer(line):
                address = match.group(1).lower()
                if address in ours or _DAEMON.match(address) or address in candidates:
                    continue
                if line_no > 60 and candidates:
                    break
                candidates.append(address)
            if candidates:
                break
    status_match = _STATUS.search(text)
    status = status_match.group(0) if status_match else ""
    code = _SMTP_CODE.search(text)
    temporary = status.startswith("4") or (not status and code is not None and code.group(1) == "4")
    kind = BounceKind.TEMPORARY if temporary else BounceKind.PERMANENT
    diagnostic = ""
    for line in text.split("\n"):
        if _STATUS.search(line) or _SMTP_CODE.search(line):
            diagnostic = line.strip()[:1000]
            break
    report.recipients = [FailedRecipient(a, kind, status, diagnostic) for a in candidates[:5]]
    report.original_message_ids = message_ids(_MESSAGE_ID_LINE.findall(text))
    for item in parsed.attachments:
        if item.content_type in ("message/rfc822", "text/rfc822-headers"):
            inner = decode_bytes(item.data[:100_000], "")
            report.original_message_ids += message_ids(_MESSAGE_ID_LINE.findall(inner))
            report.original_text += "\n" + inner
    return report


def detect(parsed: ParsedEmail, *, ours: set[str]) -> BounceReport | None:
    """A BounceReport if this is a bounce (possibly with no recipient we could read), else None.
    ``ours`` are our own addresses, never taken for the one that bounced."""
    report = _from_report(parsed)
    if report is not None and (
        report.recipients or parsed.message.get_param("report-type") == "delivery-status"
    ):
        return report
    return _from_text(parsed, ours)
