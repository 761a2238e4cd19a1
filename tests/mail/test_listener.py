"""The SMTP/LMTP listener with real clients (smtplib) against aiosmtpd started in the test."""

from __future__ import annotations

import smtplib
import socket
import time
from collections.abc import Iterator

import pytest
from django.db import OperationalError

from helpmate.desk.models import Conversation
from helpmate.mail import intake
from helpmate.mail.actions import save_mailbox
from helpmate.mail.listener import InboundController
from helpmate.mail.models import InboundEmail, InboundState
from helpmate.web.transient import is_transient

from .conftest import corpus_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["smtp", "lmtp"])
def listener(request, personas) -> Iterator[tuple[str, int]]:
    save_mailbox(address="support@northwind.example", team=personas.support)
    port = _free_port()
    controller = InboundController(host="127.0.0.1", port=port, lmtp=request.param == "lmtp")
    controller.start()
    try:
        yield request.param, port
    finally:
        controller.stop()


def _wire(raw: bytes) -> bytes:
    """Line endings as on the wire (CRLF); smtplib sends bytes as they are."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _client(kind: str, port: int) -> smtplib.SMTP:
    return smtplib.LMTP("127.0.0.1", port) if kind == "lmtp" else smtplib.SMTP("127.0.0.1", port)


def _wait_processed(count: int) -> list[InboundEmail]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            rows = list(InboundEmail.objects.exclude(state=InboundState.RECEIVED))
        except OperationalError as exc:
            # The in-memory test database shares one cache between threads: a read while the
            # listener's thread writes the table is refused at once instead of waiting.
            if not is_transient(exc):
                raise
            rows = []
        if len(rows) >= count:
            return rows
        time.sleep(0.05)
    raise AssertionError("the listener did not process the message in time")


def test_listener_stores_then_processes_mail_for_a_known_address(listener) -> None:
    kind, port = listener
    with _client(kind, port) as client:
        refused = client.sendmail(
            "carla@acme.example",
            ["support+anything@northwind.example"],
            _wire(corpus_bytes("gmail_alternative.eml")),
        )
    assert refused == {}
    (row,) = _wait_processed(1)
    assert row.source == kind and row.state == InboundState.PROCESSED
    assert row.envelope_to == "support+anything@northwind.example"
    assert Conversation.objects.get().subject == "Order 1042 arrived damaged"


def test_listener_refuses_unknown_recipients(listener) -> None:
    kind, port = listener
    with _client(kind, port) as client, pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        client.sendmail("x@spam.example", ["nobody@northwind.example"], b"Subject: hi\r\n\r\nhi")
    assert refused.value.recipients["nobody@northwind.example"][0] == 550
    assert InboundEmail.objects.count() == 0


def test_listener_answers_451_when_the_message_cannot_be_stored(listener, monkeypatch) -> None:
    kind, port = listener

    def broken(*args, **kwargs):
        raise intake.StorageError("database is locked")

    monkeypatch.setattr(intake, "receive", broken)
    with _client(kind, port) as client, pytest.raises(smtplib.SMTPDataError) as error:
        client.sendmail(
            "carla@acme.example", ["support@northwind.example"], _wire(corpus_bytes("cp1252.eml"))
        )
    assert error.value.smtp_code == 451
    assert InboundEmail.objects.count() == 0


def test_the_same_message_delivered_twice_is_stored_once(listener) -> None:
    kind, port = listener
    raw = _wire(corpus_bytes("cp1252.eml"))
    for _ in range(2):
        with _client(kind, port) as client:
            client.sendmail("tom@baker.example", ["support@northwind.example"], raw)
    _wait_processed(1)
    time.sleep(0.2)
    assert InboundEmail.objects.count() == 1
    assert Conversation.objects.count() == 1


def test_a_flood_through_the_listener_is_processed_in_batches_each_email_once(
    listener, monkeypatch
) -> None:
    from helpmate.mail import process as process_module

    chunks: list[int] = []
    real = process_module._process_many

    def counting(ids, **kwargs):
        chunks.append(len(ids))
        return real(ids, **kwargs)

    monkeypatch.setattr(process_module, "_process_many", counting)
    kind, port = listener
    raw = corpus_bytes("gmail_alternative.eml")
    with _client(kind, port) as client:
        for i in range(30):
            one = raw.replace(b"Order 1042 arrived damaged", f"Order {2000 + i} question".encode())
            one = one.replace(b"@mail.gmail.com>", f".{i}@mail.gmail.com>".encode(), 1)
            assert (
                client.sendmail("carla@acme.example", ["support@northwind.example"], _wire(one))
                == {}
            )
    rows = _wait_processed(30)
    assert len(rows) == 30 and {r.state for r in rows} == {InboundState.PROCESSED}
    assert Conversation.objects.count() == 30
    assert max(chunks) > 1  # the listener drained them in batches, not one transaction each
