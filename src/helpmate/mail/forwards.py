"""Recognising a forwarded email and who originally wrote it.

Clients write forwards in a few shapes: Gmail's "---------- Forwarded message ---------",
Apple Mail's "Begin forwarded message:", Outlook's "From: / Sent: / To: / Subject:" block under a
line or "-----Original Message-----", Thunderbird's "-------- Forwarded Message --------", and
the original attached as a message/rfc822 part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default as default_policy
from email.utils import parseaddr
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpmate.mail.parse import Part

_FWD_SUBJECT = re.compile(r"^\s*(fwd?|fw|wg|tr|rv|doorst|vs|enc)\s*:", re.IGNORECASE)
_MARKERS = re.compile(
    r"^[ \t>]*(?:-{2,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Message transféré|"
    r"Mensaje reenviado|Original Message|Ursprüngliche Nachricht|Message d'origine|"
    r"Forwarded Message)\s*-{2,}|Begin forwarded message:|Anfang der weitergeleiteten Nachricht:|"
    r"_{20,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_FIELD = re.compile(
    r"^[ \t>*]*(From|Von|De|Van|Date|Sent|Gesendet|Datum|Envoyé|Enviado|To|An|À|"
    r"Para|Cc|Subject|Betreff|Objet|Asunto|Onderwerp)\s*:\s*(.*)$",
    re.IGNORECASE,
)
_EXPLICIT = re.compile(r"forward|weitergeleitet|transféré|reenviado", re.IGNORECASE)
_FROM_NAMES = {"from", "von", "de", "van"}
_SUBJECT_NAMES = {"subject", "betreff", "objet", "asunto", "onderwerp"}
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass
class Forwarded:
    name: str
    address: str
    subject: str
    text: str
    comment: str = ""  # what the forwarder wrote above the forwarded message


def strip_forward_prefix(subject: str) -> str:
    while _FWD_SUBJECT.match(subject):
        subject = _FWD_SUBJECT.sub("", subject, count=1).strip()
    return subject


def _from_block(lines: list[str]) -> tuple[Forwarded, int] | None:
    """Read a header block (From/Date/To/Subject lines) at the start of ``lines``."""
    name = address = subject = ""
    end = 0
    seen_field = False
    for index, line in enumerate(lines[:14]):
        if not line.strip():
            if seen_field:
                end = index + 1
                break
            continue
        match = _FIELD.match(line)
        if match is None:
            if seen_field:
                end = index
                break
            return None
        seen_field = True
        key, value = match.group(1).lower(), match.group(2).strip()
        if key in _FROM_NAMES and not address:
            display, parsed = parseaddr(value.replace("[mailto:", "<").replace("]", ">"))
            found = _ADDRESS.search(value)
            address = (parsed if "@" in parsed else (found.group(0) if found else "")).lower()
            name = display.strip().strip('"') or value.split("<")[0].strip().strip('"')
        elif key in _SUBJECT_NAMES:
            subject = value
        end = index + 1
    if not address:
        return None
    return Forwarded(
        name=name if name != address else "", address=address, subject=subject, text=""
    ), end


def _from_attached(files: list[Part]) -> Forwarded | None:
    for part in files:
        if part.content_type not in ("message/rfc822", "message/global"):
            continue
        try:
            inner = message_from_bytes(part.data, policy=default_policy)
            name, address = parseaddr(str(inner.get("From", "")))
            subject = str(inner.get("Subject", ""))
            body = inner.get_body(preferencelist=("plain", "html"))
            text = body.get_content() if body is not None else ""
        except Exception:  # noqa: S112 - an unreadable attached message stays a file
            continue
        if "@" in address:
            return Forwarded(name=name, address=address.lower(), subject=subject, text=str(text))
    return None


def find_forward(subject: str, text: str, files: list[Part]) -> Forwarded | None:
    """The original sender, subject and text of a forwarded email, or None."""
    is_forward_subject = bool(_FWD_SUBJECT.match(subject))
    for marker in _MARKERS.finditer(text):
        after = text[marker.end() :].lstrip("\n").split("\n")
        found = _from_block(after)
        if found is None:
            continue
        forwarded, end = found
        if not is_forward_subject and not _EXPLICIT.search(marker.group(0)):
            return None  # Outlook writes the same block above a quoted reply
        forwarded.text = "\n".join(line.removeprefix("> ") for line in after[end:]).strip()
        forwarded.subject = forwarded.subject or strip_forward_prefix(subject)
        forwarded.comment = text[: marker.start()].strip()
        return forwarded
    if is_forward_subject:
        attached = _from_attached(files)
        if attached is not None:
            attached.comment = text.strip()
        return attached
    return None
