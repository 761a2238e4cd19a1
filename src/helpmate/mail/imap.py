"""IMAP/IMAPS polling of every active mailbox that has a server configured (``helpmate mail
poll`` and the worker's ``mail.poll`` job).

For each new message (UID above the last one seen, within the folder's UIDVALIDITY): fetch it
without marking it read, store it with ``intake.receive`` (committed), and only then flag it
``\\Seen`` (or delete it) on the server and remember its UID. A crash in between fetches the
message again next time, and intake's idempotency makes that harmless.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
from dataclasses import dataclass

from django.utils import timezone

from helpmate.mail import intake
from helpmate.mail.actions import record_poll
from helpmate.mail.models import Mailbox, Source
from helpmate.mail.process import process

log = logging.getLogger(__name__)

BATCH = 200  # messages per mailbox per poll, so one huge backlog cannot starve the others


@dataclass
class PollResult:
    mailbox: str
    fetched: int = 0
    error: str = ""


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    if mailbox.imap_ssl:
        context = ssl.create_default_context()
        return imaplib.IMAP4_SSL(
            mailbox.imap_host, mailbox.imap_port, ssl_context=context, timeout=30
        )
    return imaplib.IMAP4(mailbox.imap_host, mailbox.imap_port, timeout=30)


def _uidvalidity(conn: imaplib.IMAP4) -> int | None:
    """UIDVALIDITY from the untagged responses of the SELECT just made."""
    _, data = conn.response("UIDVALIDITY")
    for item in data:
        if isinstance(item, bytes) and item.strip().isdigit():
            return int(item)
    return None


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fetch(conn: imaplib.IMAP4, uid: int) -> bytes | None:
    typ, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if typ != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def poll_mailbox(mailbox: Mailbox, *, process_now: bool = True) -> PollResult:
    """Fetch and store the new messages of one mailbox; errors are recorded, never raised."""
    result = PollResult(mailbox.address)
    uidvalidity: int | None = None
    last_uid = mailbox.imap_last_uid
    try:
        conn = _connect(mailbox)
    except (TimeoutError, OSError, imaplib.IMAP4.error) as exc:
        result.error = f"Cannot connect to {mailbox.imap_host}:{mailbox.imap_port}: {exc}"
        record_poll(mailbox=mailbox, uidvalidity=None, last_uid=last_uid, error=result.error)
        return result
    try:
        conn.login(mailbox.imap_user, mailbox.imap_secret())
        typ, _ = conn.select(_quote(mailbox.imap_folder))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot open folder {mailbox.imap_folder!r}")
        uidvalidity = _uidvalidity(conn)
        if uidvalidity != mailbox.imap_uidvalidity:
            last_uid = 0  # a new folder generation: UIDs start over (intake skips repeats)
        typ, data = conn.uid("SEARCH", "UID", f"{last_uid + 1}:*")
        uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > last_uid)
        for uid in uids[:BATCH]:
            raw = _fetch(conn, uid)
            if raw is None:
                continue
            inbound = intake.receive(raw, source=Source.IMAP, mailbox=mailbox)
            # Stored and committed: now it is safe to touch the server's copy.
            flag = r"(\Deleted)" if mailbox.imap_delete else r"(\Seen)"
            conn.uid("STORE", str(uid), "+FLAGS", flag)
            last_uid = uid
            record_poll(mailbox=mailbox, uidvalidity=uidvalidity, last_uid=last_uid)
            result.fetched += 1
            if process_now:
                try:
                    process(inbound.pk)
                except Exception:  # stays "received"; the mail.process job retries it
                    log.exception("Processing inbound email %s failed", inbound.pk)
        if mailbox.imap_delete and result.fetched:
            conn.expunge()
    except (OSError, imaplib.IMAP4.error, intake.StorageError) as exc:
        # imaplib's messages carry the server's words, never the password we sent.
        result.error = f"{type(exc).__name__}: {exc}"[:500]
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            conn.logout()
    record_poll(
        mailbox=mailbox,
        uidvalidity=uidvalidity,
        last_uid=last_uid,
        error=result.error,
        at=timezone.now(),
    )
    if result.error:
        log.warning("Polling %s: %s", mailbox.address, result.error)
    return result


def poll_all() -> list[PollResult]:
    """Poll every active mailbox that has an IMAP server configured."""
    mailboxes = Mailbox.objects.filter(active=True).exclude(imap_host="").exclude(imap_user="")
    return [poll_mailbox(m) for m in mailboxes]
