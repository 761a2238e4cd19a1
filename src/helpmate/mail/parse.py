"""Reading a raw email into what the desk needs: who, to whom, about what, the words, the files.

Hostile and broken mail is the normal case here: every header read and every decode has a
fallback, so parsing either returns a ``ParsedEmail`` or raises ``UnreadableEmail`` with a
reason fit for the quarantine list.
"""

from __future__ import annotations

import codecs
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32
from email.utils import collapse_rfc2231_value, getaddresses, parsedate_to_datetime

import charset_normalizer

from helpmate.desk.sanitize import clean_html, html_to_text
from helpmate.mail.forwards import Forwarded, find_forward


class UnreadableEmail(ValueError):
    """The bytes are not an email we can read; the message says why."""


@dataclass
class Part:
    filename: str
    content_type: str
    data: bytes
    inline: bool = False


@dataclass
class ParsedEmail:
    message: Message
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_name: str = ""
    from_address: str = ""
    reply_to: list[tuple[str, str]] = field(default_factory=list)
    to: list[tuple[str, str]] = field(default_factory=list)
    cc: list[tuple[str, str]] = field(default_factory=list)
    delivered_to: list[str] = field(default_factory=list)
    date: datetime | None = None
    text: str = ""
    html: str = ""
    attachments: list[Part] = field(default_factory=list)
    forwarded: Forwarded | None = None

    def header(self, name: str) -> str:
        return header_text(self.message, name)

    def headers(self, name: str) -> list[str]:
        return header_texts(self.message, name)

    @property
    def recipients(self) -> list[str]:
        return [a for _, a in self.to + self.cc] + self.delivered_to


_SURROGATES = re.compile(r"[\udc80-\udcff]")
_ANGLE = re.compile(r"<([^<>\s]+)>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never stored (PostgreSQL refuses NUL)


def _fix_surrogates(value: str) -> str:
    """Raw 8-bit bytes in a header arrive as surrogates: read them as UTF-8, else guess."""
    if not _SURROGATES.search(value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    return decode_bytes(data, "")


def _decode_words(value: str) -> str:
    """RFC 2047 encoded words to text, tolerating unknown charsets and broken encodings."""
    value = _fix_surrogates(value)
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # unknown charset or malformed encoded word: keep what was written
        return value


def _raw_header_values(message: Message, name: str) -> list[str]:
    lowered = name.lower()
    values = []
    for key, value in message.raw_items():
        if key.lower() == lowered:
            values.append(str(value))
    return values


def header_texts(message: Message, name: str) -> list[str]:
    """Every value of a header as readable text (encoded words decoded, folding removed)."""
    values = [_decode_words(v) for v in _raw_header_values(message, name)]
    return [" ".join(_CONTROL.sub(" ", _fix_surrogates(v)).split()) for v in values]


def header_text(message: Message, name: str) -> str:
    values = header_texts(message, name)
    return values[0] if values else ""


def _addresses(message: Message, name: str) -> list[tuple[str, str]]:
    """(display name, lower-case address) pairs; names decoded after splitting, so an encoded
    comma in a name cannot split an address."""
    raw = [_fix_surrogates(v) for v in _raw_header_values(message, name)]
    found: list[tuple[str, str]] = []
    for display, address in getaddresses(raw):
        address = address.strip().strip("<>").lower()
        if "@" not in address or " " in address:
            continue
        if _CONTROL.search(address):
            continue
        pair = (_CONTROL.sub("", _decode_words(display)).strip().strip('"'), address)
        if all(a != address for _, a in found):
            found.append(pair)
    return found


def message_ids(values: list[str]) -> list[str]:
    found: list[str] = []
    for value in values:
        for item in _ANGLE.findall(value):
            if item not in found:
                found.append(item)
    return found


_LATIN_LABELS = {"", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252"}


def decode_bytes(data: bytes, declared: str) -> str:
    """Text from bytes whose declared charset may be missing, unknown or simply wrong."""
    charset = (declared or "").strip().strip('"').lower()
    if charset in _LATIN_LABELS or charset == "cp1252":
        try:
            return data.decode("ascii")
        except UnicodeDecodeError:
            pass
        try:  # UTF-8 labelled as Latin-1 (or not labelled) is the most common mistake
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        if charset:
            return data.decode("windows-1252", errors="replace")
    if charset:
        try:
            codecs.lookup(charset)
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    matches = charset_normalizer.from_bytes(data[:200_000])
    best = matches.best()
    if best is not None and best.encoding:
        # Short Western text fits several single-byte charsets equally well; Windows-1252 is
        # by far the most common in mail, so it wins a tie.
        for match in matches:
            tie = (match.chaos, match.coherence) == (best.chaos, best.coherence)
            if tie and "cp1252" in match.could_be_from_charset:
                return data.decode("cp1252", errors="replace")
        return data.decode(best.encoding, errors="replace")
    return data.decode("utf-8", errors="replace")


def _payload_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if isinstance(payload, bytes):
        return payload
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _part_text(part: Message) -> str:
    charset = ""
    try:
        charset = collapse_rfc2231_value(part.get_param("charset") or "")
    except Exception:
        charset = ""
    return decode_bytes(_payload_bytes(part), charset)


def _filename(part: Message, index: int) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    if not name:
        try:
            name = str(part.get_param("name") or "")
        except Exception:
            name = ""
    name = _CONTROL.sub("", _decode_words(str(name))).replace("/", "_").replace("\\", "_").strip()
    if not name:
        extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
        name = f"attachment-{index}{extension}"
    return name[:200]


def _is_attachment(part: Message) -> bool:
    disposition = header_text(part, "Content-Disposition").split(";")[0].strip().lower()
    if disposition == "attachment":
        return True
    try:
        has_name = bool(part.get_filename())
    except Exception:
        has_name = False
    return has_name and part.get_content_maintype() != "text"


def _walk_leaves(message: Message) -> list[Message]:
    """The leaf parts, not descending into attached messages (they stay one attachment)."""
    leaves: list[Message] = []
    stack: list[Message] = [message]
    while stack:
        part = stack.pop(0)
        if part.get_content_maintype() == "multipart":
            children = part.get_payload()
            if isinstance(children, list):
                stack = [c for c in children if isinstance(c, Message)] + stack
            continue
        leaves.append(part)
        if len(leaves) > 500:
            raise UnreadableEmail("The message has more than 500 parts.")
    return leaves


def _body_and_files(message: Message) -> tuple[str, str, list[Part]]:
    plain: list[str] = []
    html: list[str] = []
    files: list[Part] = []
    for index, part in enumerate(_walk_leaves(message), start=1):
        ctype = part.get_content_type()
        if ctype == "message/rfc822" or ctype == "message/global":
            inner = part.get_payload()
            data = (
                inner[0].as_bytes()
                if isinstance(inner, list) and inner and isinstance(inner[0], Message)
                else _payload_bytes(part)
            )
            files.append(Part(_filename(part, index).replace(".bin", ".eml"), ctype, data))
            continue
        if not _is_attachment(part) and ctype in ("text/plain", "text/html"):
            (plain if ctype == "text/plain" else html).append(_part_text(part))
            continue
        if part.get_content_maintype() == "text" and not _is_attachment(part):
            plain.append(_part_text(part))
            continue
        disposition = header_text(part, "Content-Disposition").lower()
        files.append(
            Part(
                _filename(part, index),
                ctype[:120],
                _payload_bytes(part),
                inline="inline" in disposition or bool(header_text(part, "Content-ID")),
            )
        )
    return "\n\n".join(p.strip("\r\n") for p in plain), "\n".join(html), files


def _date(message: Message) -> datetime | None:
    value = header_text(message, "Date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else None


def parse(raw: bytes) -> ParsedEmail:
    if not raw.strip():
        raise UnreadableEmail("The message is empty.")
    try:
        # compat32 keeps headers as written; header_texts decodes them itself. It is several
        # times faster than the default policy's header objects and never raises on reading.
        message = message_from_bytes(raw, policy=compat32)
    except Exception as exc:
        raise UnreadableEmail(f"The MIME structure cannot be read: {exc}") from exc
    senders = _addresses(message, "From") or _addresses(message, "Sender")
    from_name, from_address = senders[0] if senders else ("", "")
    text, html, files = _body_and_files(message)
    if not text.strip() and html.strip():
        text = html_to_text(clean_html(html))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x00", "").replace("\ufeff", "")
    parsed = ParsedEmail(
        message=message,
        message_id=" ".join(header_text(message, "Message-ID").split())[:500],
        in_reply_to=message_ids(header_texts(message, "In-Reply-To")),
        references=message_ids(header_texts(message, "References")),
        subject=" ".join(header_text(message, "Subject").split())[:300],
        from_name=from_name,
        from_address=from_address,
        reply_to=_addresses(message, "Reply-To"),
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        delivered_to=[a for _, a in _addresses(message, "Delivered-To")]
        + [a for _, a in _addresses(message, "X-Original-To")],
        date=_date(message),
        text=text.strip(),
        html=html.replace("\x00", ""),
        attachments=files,
    )
    parsed.forwarded = find_forward(parsed.subject, parsed.text, files)
    return parsed
