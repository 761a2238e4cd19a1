"""Reply tokens: signed, short, found again in addresses and Message-IDs."""

from __future__ import annotations

import pytest
from django.test import override_settings

from helpmate.mail import tokens


@pytest.mark.parametrize("conversation_id", [1, 35, 36, 12345, 10**12])
def test_token_names_its_conversation(conversation_id: int) -> None:
    token = tokens.reply_token(conversation_id)
    assert token == token.lower()
    assert len(token) <= 26
    assert tokens.conversation_from_token(token) == conversation_id
    assert tokens.conversation_from_token(token.upper()) == conversation_id


def test_forged_or_mangled_tokens_name_nothing() -> None:
    token = tokens.reply_token(42)
    other = tokens.reply_token(43)
    forged = other.split("-")[0] + "-" + token.split("-")[1]
    assert tokens.conversation_from_token(forged) is None
    assert tokens.conversation_from_token(token[:-1]) is None
    assert tokens.conversation_from_token("") is None
    assert tokens.conversation_from_token("hello-world") is None


def test_token_depends_on_the_secret_key() -> None:
    token = tokens.reply_token(7)
    with override_settings(SECRET_KEY="another secret key that is long enough 1234567890"):
        assert tokens.conversation_from_token(token) is None


def test_reply_address_and_its_token_in_recipients() -> None:
    address = tokens.reply_address("Support@Northwind.example", 99)
    assert address.startswith("Support+") and address.endswith("@Northwind.example")
    assert tokens.base_address(address) == "support@northwind.example"
    assert tokens.token_from_addresses(["someone@else.example", address.upper()]) == 99
    assert tokens.token_from_addresses(["support+nonsense@northwind.example"]) is None


def test_message_id_token_found_in_references() -> None:
    mid = tokens.message_id_for(conversation_id=5, outbound_id=77, domain="northwind.example")
    assert mid.startswith("<hm.") and mid.endswith("@northwind.example>")
    references = f"<CAF=abc@mail.gmail.com> {mid}\r\n <other@x.example>"
    assert tokens.token_from_message_ids([references]) == 5
    assert tokens.token_from_message_ids([mid.strip("<>")]) == 5
    assert tokens.token_from_message_ids(["<hm.1.zz-aaaaaaaaaaaa@x>"]) is None
