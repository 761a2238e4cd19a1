from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

LINK_RE = re.compile(r"https?://\S+/portal/signin/link/[0-9a-f]+/")


def link_path_in(message: mail.EmailMessage) -> str:
    """The path of the sign-in link in an email (the test client only needs the path)."""
    found = LINK_RE.search(message.body)
    assert found, message.body
    return urlsplit(found.group(0)).path


@pytest.fixture
def ask_for_link(
    django_capture_on_commit_callbacks,
) -> Callable[..., tuple[object, str | None]]:
    """Ask the sign-in page for a link; returns the response and the link path (if mailed)."""

    def ask(client: Client, email: str, **extra: str) -> tuple[object, str | None]:
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/portal/signin/", {"email": email, **extra})
        sent = mail.outbox[before:]
        return response, link_path_in(sent[-1]) if sent else None

    return ask
