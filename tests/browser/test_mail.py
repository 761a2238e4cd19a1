"""Email in the workspace, in a real browser: quoted text folds away and opens on request, the
Email box loads after the page, and an admin retries a quarantined email."""

from __future__ import annotations

import re

import pytest

from helpmate.mail import intake
from helpmate.mail.actions import save_mailbox
from helpmate.mail.models import InboundEmail, InboundState
from helpmate.mail.process import process
from tests.conftest import PASSWORD
from tests.mail.conftest import corpus_bytes, thread_values

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, email: str) -> None:
    page.goto("/signin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/desk/"))


def _deliver(mailbox, raw: bytes) -> InboundEmail:
    return process(intake.receive(raw, source="smtp", mailbox=mailbox).pk)


def test_quoted_text_folds_and_the_email_box_shows_the_auto_reply(page, personas) -> None:
    mailbox = save_mailbox(address="support@northwind.example", team=personas.support)
    conv = personas.conversation()
    values = thread_values(conv.pk)
    _deliver(mailbox, corpus_bytes("iphone_reply.eml", **values))
    _deliver(mailbox, corpus_bytes("ooo_rfc3834.eml", **values))

    _sign_in(page, "maya@helpmate.test")
    page.goto(f"/desk/c/{conv.pk}/")
    quoted = page.get_by_text("A replacement shade is on its way")
    assert page.get_by_text("the new shade fits perfectly").is_visible()
    assert not quoted.is_visible()
    page.get_by_text("Show quoted text").click()
    quoted.wait_for(state="visible")

    email_box = page.get_by_role("region", name="Email")
    email_box.get_by_text("out of the office until 16 March").wait_for()
    assert "not answered" in email_box.inner_text()
    assert page.get_by_role("link", name="Original email").count() == 1


def test_admin_retries_a_quarantined_email_from_the_list(page, personas, settings) -> None:
    mailbox = save_mailbox(address="support@northwind.example", team=personas.support)
    settings.HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR = 1
    _deliver(mailbox, corpus_bytes("cp1252.eml"))
    held = _deliver(mailbox, corpus_bytes("cp1252.eml").replace(b"cp1252-1", b"cp1252-2"))
    assert held.state == InboundState.QUARANTINED
    settings.HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR = 30

    _sign_in(page, "ada@helpmate.test")
    page.get_by_role("link", name="Incoming mail").click()
    page.wait_for_url(re.compile(r"/mail/"))
    row = page.locator("tr", has_text="within an hour")
    row.get_by_role("button", name="Retry").click()
    page.get_by_text(f"Email #{held.pk} processed").wait_for()
    held.refresh_from_db()
    assert held.state == InboundState.PROCESSED
