"""The SMTP/LMTP listener a mail server delivers to (``helpmate mail listen``), on aiosmtpd.

It accepts recipients only for known mailbox addresses (plus-addressed ones too), answers 250
only after the raw message is committed, 451 when storing failed (the server keeps it and tries
again), and processes the stored message after answering.
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
from helpmate.mail.process import process
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


def _process_quietly(inbound_id: int) -> None:
    try:
        process(inbound_id)
    except Exception:  # the row stays "received"; the mail.process job picks it up again
        log.exception("Processing inbound email %s failed; it will be retried", inbound_id)


class InboundHandler:
    """aiosmtpd handler: RCPT checks the address, DATA stores the message."""

    def __init__(self, *, lmtp: bool = False) -> None:
        self.lmtp = lmtp
        self.pending: set[asyncio.Task[None]] = set()

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
        task = asyncio.get_running_loop().create_task(sync_to_async(_process_quietly)(inbound_id))
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)
        return self._answer(envelope, f"250 2.0.0 OK stored as {inbound_id}")

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
