"""``helpmate mail``: pipe delivery exit codes, mailboxes, retry."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from helpmate.desk.models import Conversation
from helpmate.mail import intake
from helpmate.mail.models import InboundEmail, InboundState, Mailbox

from .conftest import corpus_bytes


def _stdin(monkeypatch: pytest.MonkeyPatch, raw: bytes) -> None:
    fake = io.TextIOWrapper(io.BytesIO(raw))
    monkeypatch.setattr(sys, "stdin", fake)


def test_receive_stores_and_processes_a_piped_message(mailbox, monkeypatch, capsys) -> None:
    _stdin(monkeypatch, corpus_bytes("gmail_alternative.eml"))
    call_command("mail", "receive", "--mailbox", "support@northwind.example")
    assert "processed" in capsys.readouterr().out
    row = InboundEmail.objects.get()
    assert (row.source, row.mailbox) == ("pipe", mailbox)
    assert Conversation.objects.count() == 1


def test_receive_exits_75_so_the_mail_server_retries_when_storing_fails(
    mailbox, monkeypatch
) -> None:
    _stdin(monkeypatch, corpus_bytes("cp1252.eml"))

    def broken(*args, **kwargs):
        raise intake.StorageError("disk full")

    monkeypatch.setattr(intake, "receive", broken)
    with pytest.raises(SystemExit) as exit_:
        call_command("mail", "receive")
    assert exit_.value.code == 75


def test_receive_exits_65_on_empty_input(mailbox, monkeypatch) -> None:
    _stdin(monkeypatch, b"")
    with pytest.raises(SystemExit) as exit_:
        call_command("mail", "receive")
    assert exit_.value.code == 65


def test_mailboxes_add_and_list(personas, capsys) -> None:
    call_command(
        "mail",
        "mailboxes",
        "add",
        "Billing@Northwind.example",
        "--team",
        "Billing",
        "--imap-host",
        "imap.northwind.example",
        "--imap-user",
        "billing",
        "--imap-password-env",
        "BILLING_IMAP_PASSWORD",
    )
    mailbox = Mailbox.objects.get()
    assert (mailbox.address, mailbox.team, mailbox.imap_password) == (
        "billing@northwind.example",
        personas.billing,
        "",
    )
    call_command("mail", "mailboxes")
    assert "billing@northwind.example  team Billing  imap billing@imap" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No team"):
        call_command("mail", "mailboxes", "add", "x@northwind.example", "--team", "Nope")


def test_retry_processes_a_quarantined_email_again(deliver, settings, capsys) -> None:
    settings.HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR = 1
    deliver(corpus_bytes("cp1252.eml"))
    held = deliver(corpus_bytes("thunderbird_signature.eml", OUR_MID="<x@y>", REPLY_TO="a@b"))
    assert held.state == InboundState.QUARANTINED and "within an hour" in held.reason

    settings.HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR = 30
    call_command("mail", "retry", str(held.pk))
    held.refresh_from_db()
    assert held.state == InboundState.PROCESSED and held.attempts == 2
