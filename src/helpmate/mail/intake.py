"""Step one of the pipeline: store the raw message and commit it, before anything parses it.

Every way in (IMAP polling, the SMTP/LMTP listener, pipe delivery, the API) calls
``receive(raw, source=..., mailbox=...)``. It is idempotent: the same bytes again (same
Message-ID and SHA-256) return the row stored the first time. Only after it returns may a
mail server be told "250 OK" or a message be flagged or deleted on an IMAP server.

Called outside a transaction, the row is committed when ``receive`` returns.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import random
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from helpmate.mail.models import InboundEmail, Mailbox, Source
from helpmate.web.transient import is_transient

_MESSAGE_ID_MAX = 500
# How long storing waits out a busy database (a long batch holding SQLite's lock, say) before
# the sender is told to try again later.
PATIENCE = 10.0


class StorageError(RuntimeError):
    """The raw message could not be stored; the sender should try again later."""


def header_message_id(raw: bytes) -> str:
    """The Message-ID header as written (whitespace folded), or "" when absent or unreadable."""
    head = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw[:200_000] else raw[:200_000]
    head = head.split(b"\n\n", 1)[0]
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(head, headersonly=True)
        value = headers.get("Message-ID", "") or ""
    except Exception:  # a header block too broken to read: idempotency falls back to the checksum
        return ""
    return " ".join(str(value).replace("\x00", " ").split())[:_MESSAGE_ID_MAX]


def _raw_file(checksum: str) -> Path:
    return Path(settings.HELPMATE_MAIL_RAW_DIR) / checksum[:2] / f"{checksum}.eml"


def _write_raw_file(raw: bytes, checksum: str) -> str:
    """Write the bytes durably (temp file, fsync, rename); named by checksum, so idempotent."""
    path = _raw_file(checksum)
    if path.exists() and path.stat().st_size == len(raw):
        return str(path.relative_to(settings.HELPMATE_MAIL_RAW_DIR))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return str(path.relative_to(settings.HELPMATE_MAIL_RAW_DIR))


def receive(
    raw: bytes,
    *,
    source: str,
    mailbox: Mailbox | None = None,
    envelope_to: Sequence[str] = (),
    at: datetime | None = None,
) -> InboundEmail:
    """Store one raw message (idempotently) and return its row. Raises StorageError if the
    bytes could not be stored, so the caller can answer with a temporary failure."""
    if source not in Source.values:
        raise ValueError(f"Unknown source {source!r}.")
    raw = bytes(raw)
    checksum = hashlib.sha256(raw).hexdigest()
    message_id = header_message_id(raw)
    deadline = time.monotonic() + PATIENCE
    for attempt in itertools.count(1):
        try:
            return _store(raw, checksum, message_id, source, mailbox, envelope_to, at)
        except OperationalError as exc:  # the database is busy for a moment: try again
            if not is_transient(exc) or time.monotonic() > deadline:
                raise StorageError(f"The message could not be stored: {exc}") from exc
            time.sleep(random.uniform(0.02, 0.1) * min(attempt, 5))
    raise AssertionError("unreachable")


def _store(
    raw: bytes,
    checksum: str,
    message_id: str,
    source: str,
    mailbox: Mailbox | None,
    envelope_to: Sequence[str],
    at: datetime | None,
) -> InboundEmail:
    # The insert comes first and the unique (message_id, checksum) pair refuses a repeat: a
    # replay is rare, so the common case is one statement, not a look-up and then an insert.
    try:
        inline = len(raw) <= settings.HELPMATE_MAIL_INLINE_RAW_BYTES
        raw_path = "" if inline else _write_raw_file(raw, checksum)
        return _insert(
            InboundEmail(
                mailbox=mailbox,
                source=source,
                message_id=message_id,
                checksum=checksum,
                size=len(raw),
                raw_data=raw if inline else None,
                raw_path=raw_path,
                envelope_to=", ".join(envelope_to)[:500],
                received_at=at or timezone.now(),
            )
        )
    except IntegrityError:
        # Stored before: replayed, or the same message arrived through another door.
        found = InboundEmail.objects.filter(message_id=message_id, checksum=checksum).first()
        if found is None:
            raise StorageError("The message could not be stored (integrity error).") from None
        return found
    except OperationalError as exc:
        if is_transient(exc):
            raise  # receive() tries again
        raise StorageError(f"The message could not be stored: {exc}") from exc
    except (OSError, ValueError, DatabaseError) as exc:
        raise StorageError(f"The message could not be stored: {exc}") from exc


def _insert(row: InboundEmail) -> InboundEmail:
    """One INSERT, committed when it returns. On PostgreSQL outside a transaction it commits by
    itself (one round trip instead of BEGIN, INSERT and COMMIT). On SQLite it runs in a
    transaction, whose BEGIN IMMEDIATE waits its turn for the write lock (a bare INSERT can be
    refused at once when it meets a table lock in a shared cache). Inside the caller's
    transaction it is a savepoint, so a duplicate arriving at the same moment does not spoil it."""
    if not connection.in_atomic_block and connection.vendor == "postgresql":
        row.save(force_insert=True)
        return row
    with transaction.atomic():
        row.save(force_insert=True)
    return row


def raw_bytes(inbound: InboundEmail) -> bytes:
    """The message exactly as it arrived."""
    if inbound.raw_data is not None:
        return bytes(inbound.raw_data)
    return (Path(settings.HELPMATE_MAIL_RAW_DIR) / inbound.raw_path).read_bytes()
