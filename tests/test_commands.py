"""The ``helpmate`` commands: createagent, token, generate, serve/demo helpers."""

from __future__ import annotations

import io
import os
import re

import pytest
from django.core.management import CommandError, call_command

from helpmate.desk.models import Conversation, Message
from helpmate.people.models import Agent, ApiToken, Team, hash_token

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- createagent ---------------------------------------------------------------------------


def test_createagent_creates_an_agent_who_can_sign_in(client):
    Team.objects.create(name="Support")
    out, _ = run(
        "createagent",
        "--email",
        "Maya@Example.com",
        "--name",
        "Maya Lindqvist",
        "--password",
        "a long enough password",
        "--team",
        "support",
        "--role",
        "lead",
        "--languages",
        "en,sv",
    )
    agent = Agent.objects.get(user__email="maya@example.com")
    assert agent.role == "lead" and agent.public_name == "Maya"
    assert list(agent.teams.values_list("name", flat=True)) == ["Support"]
    assert agent.languages == ["en", "sv"]
    assert "Created team lead Maya Lindqvist" in out
    assert client.login(username="maya@example.com", password="a long enough password")


def test_createagent_refuses_an_unknown_team_and_lists_the_existing_ones():
    Team.objects.create(name="Support")
    Team.objects.create(name="Billing")
    with pytest.raises(CommandError) as error:
        run("createagent", "--email", "a@example.com", "--name", "A B", "--password",
            "long enough pw", "--team", "Sales")  # fmt: skip
    assert "No team called 'Sales'" in str(error.value)
    assert "Billing, Support" in str(error.value)
    assert "--create-team" in str(error.value)
    assert not Agent.objects.exists()


def test_createagent_creates_the_team_when_asked():
    run("createagent", "--email", "a@example.com", "--name", "Ana Silva", "--password",
        "long enough pw", "--team", "Sales", "--create-team")  # fmt: skip
    assert Agent.objects.get().teams.get().name == "Sales"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "not-an-email"], "is not an email address"),
        (["--password", "short"], "password is not accepted"),
        (["--name", "   "], "needs a name"),
    ],
)
def test_createagent_explains_bad_input_and_saves_nothing(args, message):
    base = {"--email": "a@example.com", "--name": "Ana Silva", "--password": "long enough pw"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [item for pair in base.items() for item in pair]
    with pytest.raises(CommandError, match=message):
        run("createagent", *flat, "--team", "New team", "--create-team")
    assert not Agent.objects.exists()
    assert not Team.objects.exists()


def test_createagent_refuses_a_second_account_for_the_same_email():
    run("createagent", "--email", "a@example.com", "--name", "Ana", "--password", "long enough pw")
    with pytest.raises(CommandError, match="already an account"):
        run("createagent", "--email", "A@example.com", "--name", "Ana", "--password", "other pw!!")


def test_createagent_rejects_an_unknown_role():
    with pytest.raises(CommandError):
        run("createagent", "--email", "a@example.com", "--name", "Ana", "--password",
            "long enough pw", "--role", "boss")  # fmt: skip


# --- token -----------------------------------------------------------------------------------


def test_token_create_prints_a_token_that_is_stored_only_as_a_hash(personas):
    out, err = run("token", "create", "--agent", "MAYA@helpmate.test", "--name", "CRM sync")
    raw = out.strip()
    assert raw.startswith("hm_")
    token = ApiToken.objects.get()
    assert token.agent == personas.agent and token.name == "CRM sync"
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash
    assert "shown only this once" in err


def test_token_create_for_an_unknown_agent_fails_clearly(personas):
    unknown = re.escape("No agent with the email 'nobody@example.com'")
    with pytest.raises(CommandError, match=unknown):
        run("token", "create", "--agent", "nobody@example.com")
    assert not ApiToken.objects.exists()


def test_token_create_refuses_a_deactivated_agent(personas):
    personas.agent.user.is_active = False
    personas.agent.user.save()
    with pytest.raises(CommandError, match="deactivated"):
        run("token", "create", "--agent", "maya@helpmate.test")


def test_token_list_and_revoke(personas):
    run("token", "create", "--agent", "maya@helpmate.test", "--name", "one")
    token = ApiToken.objects.get()
    out, _ = run("token", "list", "--agent", "maya@helpmate.test")
    assert token.prefix in out and "active" in out
    with pytest.raises(CommandError, match="matches exactly one"):
        run("token", "revoke", "--agent", "maya@helpmate.test", "--prefix", "zz")
    run("token", "revoke", "--agent", "maya@helpmate.test", "--prefix", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_without_a_subcommand_is_an_error():
    with pytest.raises(CommandError):
        run("token")


# --- generate --------------------------------------------------------------------------------


def test_generate_adds_the_requested_conversations_and_messages():
    out, _ = run("generate", "--conversations", "300", "--messages-per-conversation", "4",
                 "--contacts", "60", "--seed", "3", "--no-progress")  # fmt: skip
    assert Conversation.objects.count() == 300
    messages = Message.objects.count()
    assert 300 * 3 <= messages <= 300 * 5
    assert "300 conversations" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--conversations", "0"],
        ["--conversations", "10", "--messages-per-conversation", "0"],
        ["--conversations", "10", "--contacts", "0"],
    ],
)
def test_generate_refuses_nonsense_sizes(args):
    with pytest.raises(CommandError):
        run("generate", *args, "--no-progress")
    assert not Conversation.objects.exists()


# --- serve / demo helpers ----------------------------------------------------------------------


def test_public_url_reaches_a_wildcard_bind_through_localhost():
    from helpmate.web.management.commands.serve import public_url

    assert public_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"  # noqa: S104
    assert public_url("::1", 9000) == "http://[::1]:9000/"
    assert public_url("desk.example", 80) == "http://desk.example:80/"


def test_prepare_environment_keeps_what_the_operator_set(monkeypatch):
    from helpmate.web.management.commands.serve import prepare_environment

    monkeypatch.setenv("HELPMATE_BASE_URL", "https://help.example")
    monkeypatch.delenv("HELPMATE_ALLOWED_HOSTS", raising=False)
    prepare_environment("0.0.0.0", 8000, demo=True)  # noqa: S104
    assert os.environ["HELPMATE_BASE_URL"] == "https://help.example"
    assert os.environ["HELPMATE_ALLOWED_HOSTS"] == "*"
