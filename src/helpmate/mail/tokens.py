"""Reply tokens: how a reply finds its conversation even when the mail client drops headers.

Every email we send about a conversation carries a short token that names the conversation and
is signed with SECRET_KEY, so it cannot be guessed or forged to post into someone else's
conversation:

- in the Message-ID: ``<hm.{outbound_id}.{token}@domain>`` (comes back in In-Reply-To and
  References);
- in the Reply-To, by plus-addressing: ``support+{token}@example.com`` (comes back in To/Cc).

A token is ``{conversation id in base 36}-{12 base-32 characters of HMAC-SHA256}``, all lower
case, because some mail servers lower-case the local part of an address.
"""

from __future__ import annotations

import base64
import hmac
import re
from collections.abc import Iterable

from django.utils.crypto import salted_hmac

_SALT = "helpmate.mail.reply-token"
_SIG_LEN = 12  # 60 bits: guessing one is out of reach, and the address stays short
_ALPHABET36 = "0123456789abcdefghijklmnopqrstuvwxyz"
TOKEN_RE = re.compile(r"([0-9a-z]{1,13})-([a-z2-7]{12})")
_MESSAGE_ID_RE = re.compile(r"<?hm\.[0-9a-z]+\.([0-9a-z]{1,13}-[a-z2-7]{12})@")
_ANGLE_RE = re.compile(r"<([^<>\s]+)>")


def _base36(number: int) -> str:
    if number < 0:
        raise ValueError("A conversation id is positive.")
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _ALPHABET36[rest] + digits
        if number == 0:
            return digits


def _signature(conversation_id: int) -> str:
    digest = salted_hmac(_SALT, str(conversation_id), algorithm="sha256").digest()
    return base64.b32encode(digest).decode("ascii").lower()[:_SIG_LEN]


def reply_token(conversation_id: int) -> str:
    """The signed token for a conversation, e.g. ``2n9-kx3q7mbz4a2c``."""
    return f"{_base36(conversation_id)}-{_signature(conversation_id)}"


def conversation_from_token(token: str) -> int | None:
    """The conversation id a token names, or None if it is malformed or the signature is wrong."""
    match = TOKEN_RE.fullmatch(token.strip().lower())
    if match is None:
        return None
    conversation_id = int(match.group(1), 36)
    if not hmac.compare_digest(match.group(2), _signature(conversation_id)):
        return None
    return conversation_id


def message_id_for(*, conversation_id: int, outbound_id: int, domain: str) -> str:
    """A Message-ID (with angle brackets) for an email we send about a conversation."""
    return f"<hm.{_base36(outbound_id)}.{reply_token(conversation_id)}@{domain}>"


def reply_address(mailbox_address: str, conversation_id: int) -> str:
    """``support@example.com`` -> ``support+{token}@example.com`` (for Reply-To)."""
    local, sep, domain = mailbox_address.strip().rpartition("@")
    if not sep or not local:
        raise ValueError(f"{mailbox_address!r} is not an email address.")
    local = local.split("+", 1)[0]
    return f"{local}+{reply_token(conversation_id)}@{domain}"


def base_address(address: str) -> str:
    """An address without its plus part, lower case: ``Support+x@Ex.com`` -> ``support@ex.com``."""
    local, sep, domain = address.strip().lower().rpartition("@")
    if not sep:
        return address.strip().lower()
    return f"{local.split('+', 1)[0]}@{domain}"


def token_from_addresses(addresses: Iterable[str]) -> int | None:
    """The conversation named by a valid token in the plus part of any of these addresses."""
    for address in addresses:
        local = address.strip().lower().rpartition("@")[0]
        if "+" not in local:
            continue
        found = conversation_from_token(local.split("+", 1)[1])
        if found is not None:
            return found
    return None


def message_ids_in(header_values: Iterable[str]) -> list[str]:
    """Message-IDs (without angle brackets) found in In-Reply-To / References values."""
    found: list[str] = []
    for value in header_values:
        for item in _ANGLE_RE.findall(value or ""):
            if item not in found:
                found.append(item)
    return found


def token_from_message_ids(header_values: Iterable[str]) -> int | None:
    """The conversation named by one of our Message-IDs in In-Reply-To / References values.

    Accepts whole header values (``"<a@x> <hm.1.2n9-...@y>"``) or single ids; the newest
    (last) reference wins, as a thread's most recent message is the most relevant one.
    """
    values = list(header_values)
    ids = message_ids_in(values) or [v.strip() for v in values if v and v.strip()]
    for message_id in reversed(ids):
        match = _MESSAGE_ID_RE.match(message_id.lower())
        if match is None:
            continue
        found = conversation_from_token(match.group(1))
        if found is not None:
            return found
    return None
