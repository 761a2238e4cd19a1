"""IMAP polling against a real Dovecot: store first, then flag or delete on the server."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from helpmate.desk.models import Conversation
from helpmate.mail import imap, intake
from helpmate.mail.actions import save_mailbox
from helpmate.mail.models import InboundEmail, InboundState, Mailbox

from .conftest import Dovecot, corpus_bytes


def _imap_mailbox(personas, dovecot: Dovecot, folder: str, **extra) -> Mailbox:
    return save_mailbox(
        address="support@northwind.example",
        team=personas.support,
        imap_host=dovecot.host,
        imap_port=dovecot.port,
        imap_ssl=False,
        imap_user=dovecot.user,
        imap_password_env="HM_TEST_IMAP_PASSWORD",
        imap_folder=folder,
        **extra,
    )


@pytest.fixture(autouse=True)
def _imap_password(monkeypatch: pytest.MonkeyPatch, dovecot: Dovecot) -> None:
    monkeypatch.setenv("HM_TEST_IMAP_PASSWORD", dovecot.password)


def test_poll_stores_processes_and_marks_messages_seen(personas, dovecot, imap_folder) -> None:
    mailbox = _imap_mailbox(personas, dovecot, imap_folder)
    dovecot.append(corpus_bytes("gmail_alternative.eml"), imap_folder)
    dovecot.append(corpus_bytes("apple_mail_attachment.eml"), imap_folder)

    (result,) = imap.poll_all()

    assert (result.fetched, result.error) == (2, "")
    rows = InboundEmail.objects.filter(source="imap")
    assert sorted(r.state for r in rows) == [InboundState.PROCESSED] * 2
    assert Conversation.objects.filter(channel="email").count() == 2
    flags = dovecot.flags(imap_folder)
    assert len(flags) == 2 and all("\\Seen" in f for f in flags.values())
    mailbox.refresh_from_db()
    assert mailbox.imap_last_uid == max(flags) and mailbox.last_error == ""

    again = imap.poll_mailbox(mailbox)
    assert again.fetched == 0
    assert InboundEmail.objects.count() == 2


def test_poll_with_delete_expunges_only_what_was_stored(personas, dovecot, imap_folder) -> None:
    _imap_mailbox(personas, dovecot, imap_folder, imap_delete=True)
    dovecot.append(corpus_bytes("cp1252.eml"), imap_folder)

    (result,) = imap.poll_all()

    assert result.fetched == 1
    assert dovecot.flags(imap_folder) == {}
    assert InboundEmail.objects.get().state == InboundState.PROCESSED


def test_a_storage_failure_leaves_the_message_untouched_on_the_server(
    personas, dovecot, imap_folder, monkeypatch
) -> None:
    mailbox = _imap_mailbox(personas, dovecot, imap_folder, imap_delete=True)
    dovecot.append(corpus_bytes("cp1252.eml"), imap_folder)

    def broken(*args, **kwargs):
        raise intake.StorageError("disk full")

    monkeypatch.setattr(intake, "receive", broken)
    result = imap.poll_mailbox(mailbox)

    assert result.fetched == 0 and "disk full" in result.error
    flags = dovecot.flags(imap_folder)
    assert len(flags) == 1 and "\\Deleted" not in next(iter(flags.values()))
    mailbox.refresh_from_db()
    assert mailbox.imap_last_uid == 0 and "disk full" in mailbox.last_error


def test_a_new_uidvalidity_fetches_again_without_duplicates(personas, dovecot, imap_folder):
    mailbox = _imap_mailbox(personas, dovecot, imap_folder)
    dovecot.append(corpus_bytes("gmail_alternative.eml"), imap_folder)
    imap.poll_mailbox(mailbox)
    Mailbox.objects.filter(pk=mailbox.pk).update(imap_uidvalidity=1, imap_last_uid=99)

    result = imap.poll_mailbox(Mailbox.objects.get(pk=mailbox.pk))

    assert result.fetched == 1  # read again from the start of the new generation ...
    assert InboundEmail.objects.count() == 1  # ... but stored once
    assert Conversation.objects.count() == 1


def test_a_wrong_password_is_recorded_without_revealing_it(
    personas, dovecot, imap_folder, monkeypatch
) -> None:
    mailbox = _imap_mailbox(personas, dovecot, imap_folder)
    monkeypatch.setenv("HM_TEST_IMAP_PASSWORD", "not-the-password-42")

    result = imap.poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert result.error and mailbox.last_error
    assert "not-the-password-42" not in mailbox.last_error


def test_poll_command_reports_each_mailbox(personas, dovecot, imap_folder, capsys) -> None:
    _imap_mailbox(personas, dovecot, imap_folder)
    dovecot.append(corpus_bytes("missing_charset.eml"), imap_folder)
    call_command("mail", "poll")
    assert "support@northwind.example: 1 new" in capsys.readouterr().out
