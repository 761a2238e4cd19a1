"""Fixtures for the inbound mail tests: a Northwind support mailbox, the corpus, and helpers that
push raw bytes through the real pipeline (intake, then processing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpmate.mail import intake
from helpmate.mail.actions import save_mailbox
from helpmate.mail.models import InboundEmail, Mailbox
from helpmate.mail.process import process
from helpmate.mail.tokens import message_id_for, reply_address

CORPUS = Path(__file__).parent / "corpus"
SUPPORT = "support@northwind.example"


@pytest.fixture
def mailbox(personas) -> Mailbox:
    return save_mailbox(address=SUPPORT, team=personas.support, name="Northwind Support")


def corpus_bytes(name: str, **values: str) -> bytes:
    """A corpus message with its %%PLACEHOLDERS%% filled in."""
    raw = (CORPUS / name).read_bytes()
    for key, value in values.items():
        raw = raw.replace(f"%%{key}%%".encode(), value.encode())
    return raw


def thread_values(conversation_id: int) -> dict[str, str]:
    """Placeholders that make a corpus message a reply to our email about a conversation."""
    return {
        "OUR_MID": message_id_for(
            conversation_id=conversation_id,
            outbound_id=900 + conversation_id,
            domain="northwind.example",
        ),
        "REPLY_TO": reply_address(SUPPORT, conversation_id),
        "CONV": str(conversation_id),
    }


@pytest.fixture
def deliver(mailbox: Mailbox) -> Callable[..., InboundEmail]:
    """Store and process raw bytes as the listener would; returns the processed row."""

    def run(raw: bytes, *, source: str = "smtp") -> InboundEmail:
        stored = intake.receive(raw, source=source, mailbox=mailbox)
        return process(stored.pk)

    return run
