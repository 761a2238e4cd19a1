"""The SMTP/LMTP listener a mail server delivers to (``helpmate mail listen``), on aiosmtpd.

It accepts recipients only for known mailbox addresses (plus-addressed ones too), answers 250
only after the raw message is committed, 451 when storing failed (the server keeps it and tries
again), and processes the stored messages after answering: one drain at a time, which waits
DRAIN_DELAY for more to arrive and then processes everything waiting in batches
(``process_pending``), so a flood costs one transaction per batch instead of one per email while
a single email is still in the desk a fraction of a second after its 250.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections

from helpmate.mail import intake
from helpmate.mail.models import Mailbox, Source
from helpmate.mail.process import process_pending
from helpmate.mail.tokens import base_address

log = logging.getLogger(__name__)


def mailbox_for(address: str) -> Mailbox | None:
    return Mailbox.objects.filter(address=base_address(address), active=True).first()


def _store(raw: bytes, recipients: list[str], lmtp: bool) -> int:
    mailbox = next((m for m in map(mailbox_for, recipients) if m is not None), None)
    inbound = intake.receive(
        raw,
        source=Source.LMTP if lmtp else Source.SMTP,
        mailbox=mailbox,
        envelope_to=recipients,
    )
    return inbound.pk


DRAIN_DELAY = 0.1  # seconds a drain waits for more mail before it starts


def _process_quietly() -> None:
    try:
        process_pending()
    except Exception:  # the rows stay "received"; the mail.process job picks them up again
        log.exception("Processing stored inbound email failed; it will be retried")
    finally:
        connections.close_all()  # this runs in a pool thread: give its connection back


class InboundHandler:
    """aiosmtpd handler: RCPT checks the address, DATA stores the message."""

    def __init__(self, *, lmtp: bool = False) -> None:
        self.lmtp = lmtp
        self.pending: set[asyncio.Task[None]] = set()
        self.draining: asyncio.Task[None] | None = None
        self.more = False

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        try:
            known = await sync_to_async(mailbox_for)(address)
        except Exception:
            log.exception("Mailbox lookup failed")
            return "451 4.3.0 Temporary failure looking up the address; try again later"
        if known is None:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            inbound_id = await sync_to_async(_store)(raw, list(envelope.rcpt_tos), self.lmtp)
        except Exception:
            log.exception("Storing an inbound message failed")
            return self._answer(envelope, "451 4.3.0 Could not store the message; try again later")
        self._drain_soon()
        return self._answer(envelope, f"250 2.0.0 OK stored as {inbound_id}")

    def _drain_soon(self) -> None:
        """Start a drain, or tell the running one to look again before it stops."""
        self.more = True
        if self.draining is None or self.draining.done():
            self.draining = asyncio.get_running_loop().create_task(self._drain())
            self.pending.add(self.draining)
            self.draining.add_done_callback(self.pending.discard)

    async def _drain(self) -> None:
        while self.more:
            await asyncio.sleep(DRAIN_DELAY)
            self.more = False
            # In a thread of its own (not the one storing messages), so storing never waits
            # for a batch being processed.
            await sync_to_async(_process_quietly, thread_sensitive=False)()

    def _answer(self, envelope: Envelope, line: str) -> str:
        # LMTP answers DATA once per accepted recipient.
        if self.lmtp:
            return "\r\n".join([line] * max(1, len(envelope.rcpt_tos)))
        return line


class InboundController(Controller):
    """Runs the listener in a background thread (``helpmate mail listen`` and the tests)."""

    def __init__(self, *, host: str, port: int, lmtp: bool = False, **kwargs: Any) -> None:
        self.lmtp = lmtp
        super().__init__(
            InboundHandler(lmtp=lmtp),
            hostname=host,
            port=port,
            data_size_limit=settings.HELPMATE_MAIL_MAX_MESSAGE_BYTES,
            decode_data=False,
            **kwargs,
        )

    def stop(self, no_assert: bool = False) -> None:
        """Finish processing what was accepted, close the database connections, then stop."""
        loop = self.loop

        async def drain() -> None:
            handler: InboundHandler = self.handler
            if handler.pending:
                await asyncio.wait(list(handler.pending), timeout=30)
            await sync_to_async(connections.close_all)()

        if loop.is_running():
            asyncio.run_coroutine_threadsafe(drain(), loop).result(timeout=40)
        super().stop(no_assert=no_assert)

    def factory(self) -> SMTP:
        server_class = LMTP if self.lmtp else SMTP
        return server_class(self.handler, **self.SMTP_kwargs)
