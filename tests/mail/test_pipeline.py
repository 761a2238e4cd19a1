"""Durability: stored before parsed, idempotent intake and processing, crash and replay,
quarantine instead of crashes, the per-sender limit, and a property test on mangled MIME."""

from __future__ import annotations

import random

import pytest
from django.db import OperationalError, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from helpmate.desk.models import Conversation, Message
from helpmate.mail import intake, noise
from helpmate.mail import process as process_module
from helpmate.mail import route as route_module
from helpmate.mail.models import InboundEmail, InboundKind, InboundState
from helpmate.mail.process import process, process_pending

from .conftest import CORPUS, corpus_bytes


def test_the_same_bytes_twice_are_one_stored_email(mailbox) -> None:
    raw = corpus_bytes("gmail_alternative.eml")
    first = intake.receive(raw, source="smtp", mailbox=mailbox)
    again = intake.receive(raw, source="imap", mailbox=mailbox)
    assert first.pk == again.pk and InboundEmail.objects.count() == 1
    assert first.state == InboundState.RECEIVED  # stored, nothing parsed yet
    assert first.message_id == "<CAJx8=kQm1Z9sPz7hN2bS0uYk4wVt6cXr3dTnB5fGq1e8Lw@mail.gmail.com>"


def test_same_message_id_with_other_bytes_is_kept_separately(mailbox) -> None:
    raw = corpus_bytes("gmail_alternative.eml")
    intake.receive(raw, source="smtp", mailbox=mailbox)
    intake.receive(raw + b"\n(resent with a footer)\n", source="smtp", mailbox=mailbox)
    assert InboundEmail.objects.count() == 2


def test_processing_twice_adds_one_message(personas, deliver) -> None:
    inbound = deliver(corpus_bytes("gmail_alternative.eml"))
    again = process(inbound.pk)
    assert again.state == InboundState.PROCESSED and again.attempts == 1
    assert Message.objects.count() == 1


def test_a_crash_mid_processing_rolls_back_and_a_replay_delivers_once(
    personas, mailbox, monkeypatch
) -> None:
    inbound = intake.receive(corpus_bytes("gmail_alternative.eml"), source="smtp")
    real = route_module.deliver

    def crash_after_the_desk_wrote(*args, **kwargs):
        real(*args, **kwargs)
        raise SystemExit("worker killed")  # not an Exception: nothing may catch it

    monkeypatch.setattr(route_module, "deliver", crash_after_the_desk_wrote)
    with pytest.raises(SystemExit):
        process(inbound.pk)
    inbound.refresh_from_db()
    assert inbound.state == InboundState.RECEIVED
    assert Conversation.objects.count() == 0 and Message.objects.count() == 0

    monkeypatch.setattr(route_module, "deliver", real)
    assert process_pending() == 1
    inbound.refresh_from_db()
    assert inbound.state == InboundState.PROCESSED
    assert Conversation.objects.count() == 1 and Message.objects.count() == 1


def test_an_unexpected_error_quarantines_with_the_reason(personas, deliver, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("search index unavailable")

    monkeypatch.setattr(route_module, "deliver", boom)
    inbound = deliver(corpus_bytes("gmail_alternative.eml"))
    assert inbound.state == InboundState.QUARANTINED
    assert "RuntimeError" in inbound.reason and "search index unavailable" in inbound.reason
    assert inbound.sender == "carla@acme.example"  # shown in the quarantine list
    assert Conversation.objects.count() == 0


class _Deadlock(Exception):
    sqlstate = "40P01"  # what psycopg's DeadlockDetected carries


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(lambda: OperationalError("database is locked"), id="sqlite-busy"),
        pytest.param(
            lambda: _chained(OperationalError("deadlock detected"), _Deadlock()), id="pg-deadlock"
        ),
    ],
)
def test_a_transient_database_error_is_tried_again_not_quarantined(
    personas, mailbox, monkeypatch, error
) -> None:
    inbound = intake.receive(corpus_bytes("gmail_alternative.eml"), source="smtp")
    real = route_module.deliver
    calls = []

    def deadlocked_once(*args, **kwargs):
        calls.append(1)
        result = real(*args, **kwargs)  # written, then rolled back by the failure
        if len(calls) == 1:
            raise error()
        return result

    monkeypatch.setattr(route_module, "deliver", deadlocked_once)
    assert process(inbound.pk).state == InboundState.PROCESSED
    assert len(calls) == 2
    assert Conversation.objects.count() == 1 and Message.objects.count() == 1


def test_a_database_error_that_keeps_coming_leaves_the_email_for_the_next_run(
    personas, mailbox, monkeypatch
) -> None:
    inbound = intake.receive(corpus_bytes("gmail_alternative.eml"), source="smtp")

    def always_busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(route_module, "deliver", always_busy)
    monkeypatch.setattr(process_module.time, "sleep", lambda seconds: None)
    assert process_pending() == 0  # logged, not quarantined, not lost
    inbound.refresh_from_db()
    assert inbound.state == InboundState.RECEIVED and inbound.reason == ""


def test_a_database_error_that_is_not_transient_quarantines(personas, deliver, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise OperationalError("no such column: desk_message.nonsense")

    monkeypatch.setattr(route_module, "deliver", broken)
    inbound = deliver(corpus_bytes("gmail_alternative.eml"))
    assert inbound.state == InboundState.QUARANTINED and "no such column" in inbound.reason


def _chained(exc: Exception, cause: Exception) -> Exception:
    exc.__cause__ = cause
    return exc


def test_a_missing_raw_file_quarantines(personas, mailbox, settings, tmp_path) -> None:
    settings.HELPMATE_MAIL_INLINE_RAW_BYTES = 10
    settings.HELPMATE_MAIL_RAW_DIR = tmp_path
    inbound = intake.receive(corpus_bytes("cp1252.eml"), source="pipe", mailbox=mailbox)
    for path in tmp_path.rglob("*.eml"):
        path.unlink()
    assert process(inbound.pk).state == InboundState.QUARANTINED


def test_a_flood_from_one_sender_is_held_after_the_limit(personas, deliver, settings) -> None:
    settings.HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR = 3
    states = []
    for i in range(5):
        raw = corpus_bytes("cp1252.eml").replace(b"cp1252-1", f"flood-{i}".encode())
        states.append(deliver(raw).state)
    assert states == [InboundState.PROCESSED] * 3 + [InboundState.QUARANTINED] * 2
    assert InboundEmail.objects.count() == 5  # all kept


def test_mail_from_our_own_mailbox_is_ignored_to_stop_loops(personas, deliver) -> None:
    raw = corpus_bytes("cp1252.eml").replace(b"tom@baker.example", b"support@northwind.example")
    inbound = deliver(raw)
    assert inbound.state == InboundState.IGNORED and "loop" in inbound.reason
    assert Conversation.objects.count() == 0


def test_bulk_mail_is_marked_so_nobody_answers_it_automatically(personas, deliver) -> None:
    inbound = deliver(corpus_bytes("mailing_list.eml"))
    assert inbound.kind == InboundKind.BULK
    assert noise.is_auto_reply(inbound.conversation)
    assert noise.is_auto_reply(inbound.desk_message)
    person = deliver(corpus_bytes("gmail_alternative.eml"))
    assert not noise.is_auto_reply(person.conversation)


def test_listeners_see_automatic_mail_while_it_is_processed(personas, deliver) -> None:
    from helpmate.desk import hooks

    seen = []

    def listener(event):
        if event.type == "created":
            seen.append(noise.is_auto_reply(event.conversation))

    hooks.on_event(listener)
    try:
        deliver(corpus_bytes("mailing_list.eml"))
        deliver(corpus_bytes("gmail_alternative.eml"))
    finally:
        hooks._listeners.remove(listener)
    assert seen == [True, False]


# --- property: random and mangled MIME never crashes the pipeline --------------------------

SAMPLES = sorted(p.name for p in CORPUS.glob("*.eml") if p.stat().st_size < 20_000)

header_names = st.sampled_from(
    [
        "From",
        "To",
        "Cc",
        "Subject",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Auto-Submitted",
        "Precedence",
        "List-Id",
        "Date",
        "Content-Disposition",
        "X-Failed-Recipients",
        "MIME-Version",
    ]
)
header_values = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "multipart/mixed; boundary=x",
            "multipart/report; report-type=delivery-status",
            "text/plain; charset=x-unknown",
            "base64",
            "quoted-printable",
            "auto-replied",
            "=?utf-8?b?w4=?=",
            "=?bogus?q?a?=",
            "<a@b>",
            'a@b, <c@d>, "x,y" <e@f>',
            "bulk",
        ]
    ),
)


@st.composite
def random_mime(draw) -> bytes:
    headers = draw(st.lists(st.tuples(header_names, header_values), max_size=12))
    body = draw(st.binary(max_size=400))
    head = "\r\n".join(f"{k}: {v}" for k, v in headers).encode("utf-8", "surrogatepass")
    return head + b"\r\n\r\n" + body


@st.composite
def mangled_corpus(draw) -> bytes:
    raw = bytearray(corpus_bytes(draw(st.sampled_from(SAMPLES))))
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 30))):
        op = rng.choice(["flip", "cut", "dup", "insert"])
        at = rng.randrange(max(1, len(raw)))
        if op == "flip" and raw:
            raw[at] = rng.randrange(256)
        elif op == "cut":
            del raw[at : at + rng.randrange(1, 40)]
        elif op == "dup":
            raw[at:at] = raw[at : at + rng.randrange(1, 60)]
        else:
            raw[at:at] = rng.choice([b"\r\n", b"--", b"=?", b"\x00", b"\n\n", b"boundary=", b">"])
    return bytes(raw)


@pytest.mark.django_db
@hsettings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=st.one_of(random_mime(), mangled_corpus()))
def test_any_bytes_end_in_a_conversation_or_in_quarantine_with_a_reason(
    personas, mailbox, settings, raw: bytes
) -> None:
    settings.HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR = 10_000
    with transaction.atomic():
        inbound = intake.receive(raw or b"x", source="smtp", mailbox=mailbox)
    result = process(inbound.pk)
    assert result.state != InboundState.RECEIVED
    assert result.reason.strip()
    if result.state == InboundState.PROCESSED and result.kind in (
        InboundKind.MESSAGE,
        InboundKind.BULK,
    ):
        assert result.conversation is not None and result.desk_message is not None


def test_an_address_that_bounced_works_again_once_its_owner_writes(personas, deliver) -> None:
    from helpmate.mail.models import AddressHealth

    from .conftest import thread_values

    conv = personas.conversation()
    deliver(corpus_bytes("dsn_bounce.eml", **thread_values(conv.pk)))
    health = AddressHealth.objects.get(contact_email__email="carla@acme.example")
    assert health.bouncing and health.bounce_count == 1
    deliver(corpus_bytes("gmail_alternative.eml"))
    health.refresh_from_db()
    assert not health.bouncing and health.bounce_count == 1


def test_process_pending_handles_a_backlog_oldest_first(personas, mailbox) -> None:
    rows = [
        intake.receive(
            corpus_bytes("cp1252.eml").replace(b"cp1252-1", f"backlog-{i}".encode()),
            source="imap",
            mailbox=mailbox,
        )
        for i in range(5)
    ]
    assert process_pending(limit=2) == 2
    assert process_pending() == 3
    opened = [InboundEmail.objects.get(pk=r.pk).conversation_id for r in rows]
    assert None not in opened and opened == sorted(opened)  # each its own, oldest first
    assert InboundEmail.objects.filter(state=InboundState.RECEIVED).count() == 0


def test_storing_waits_out_a_busy_database_then_gives_a_temporary_failure(
    mailbox, monkeypatch
) -> None:
    real = intake._store
    busy = {"left": 3}

    def busy_at_first(*args, **kwargs):
        if busy["left"]:
            busy["left"] -= 1
            raise OperationalError("database table is locked: mail_inboundemail")
        return real(*args, **kwargs)

    monkeypatch.setattr(intake, "_store", busy_at_first)
    monkeypatch.setattr(intake.time, "sleep", lambda seconds: None)
    row = intake.receive(corpus_bytes("gmail_alternative.eml"), source="smtp", mailbox=mailbox)
    assert row.pk and busy["left"] == 0  # stored on the fourth try, nothing lost

    busy["left"] = 10**6  # busy for good: the sender is told to try again later
    monkeypatch.setattr(intake, "PATIENCE", 0.05)
    with pytest.raises(intake.StorageError, match="locked"):
        intake.receive(corpus_bytes("cp1252.eml"), source="smtp", mailbox=mailbox)
    assert InboundEmail.objects.count() == 1
