"""The crash test's helper processes, run as ``python tests/crash/harness.py <command>``.

Each command is its own process against the crash test's database (configured through the
environment by test_crash.py): ``setup`` creates the team, mailbox and agent; ``feed`` stores the
messages through the mail pipeline's intake (as the SMTP listener would); ``agent`` answers every
conversation whose subject asks for a reply, like a person at the desk, until told to stop;
``check`` prints what ended up in the database, as JSON.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections import Counter
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid
from pathlib import Path

import django

MAILBOX = "support@crash.example"
MARKER = "crash-marker-"
REPLY_ME = "please reply"


def build_messages(count: int, seed: int) -> list[tuple[str, bytes]]:
    """A realistic, deterministic mix: (kind, raw bytes). Kinds: new, reply, attachment, auto,
    bounce. Every message carries a unique marker in its body."""
    from datetime import UTC, datetime, timedelta

    rng = random.Random(seed)
    senders = [f"customer{n}@shop{n % 7}.example" for n in range(max(50, count // 3))]
    started = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    sent_by: dict[str, list[tuple[str, str]]] = {}  # sender -> [(message id, subject)]
    out: list[tuple[str, bytes]] = []
    for i in range(count):
        sender = rng.choice(senders)
        roll = rng.random()
        kind = "new"
        if roll < 0.20 and sent_by.get(sender):
            kind = "reply"
        elif 0.20 <= roll < 0.26:
            kind = "auto"
        elif 0.26 <= roll < 0.28:
            kind = "bounce"
        elif 0.28 <= roll < 0.33:
            kind = "attachment"
        msg: Message = EmailMessage()
        domain = sender.split("@")[1]
        body = f"Hello,\n\nSomething about order {10000 + i}.\n\n{MARKER}{i:05d}\n"
        if kind != "bounce":
            msg["Message-ID"] = make_msgid(idstring=f"crash{i}", domain=domain)
            msg["Date"] = format_datetime(started + timedelta(seconds=i))
            msg["To"] = MAILBOX
        if kind == "reply":
            parent_id, subject = rng.choice(sent_by[sender])
            msg["From"] = sender
            msg["Subject"] = f"Re: {subject}"
            msg["In-Reply-To"] = parent_id
            msg["References"] = parent_id
            msg.set_content("One more thing.\n\n" + body)
        elif kind == "auto":
            msg["From"] = sender
            msg["Subject"] = "Automatic reply: out of office"
            msg["Auto-Submitted"] = "auto-replied"
            msg.set_content("I am away until Monday.\n\n" + body)
        elif kind == "bounce":
            msg = _bounce(i, body)
            msg["Message-ID"] = make_msgid(idstring=f"crash{i}", domain="crash.example")
            msg["Date"] = format_datetime(started + timedelta(seconds=i))
            msg["To"] = MAILBOX
        else:
            subject = f"Order {10000 + i}: question {i}"
            if rng.random() < 0.06:
                subject += f" ({REPLY_ME})"
            msg["From"] = sender
            msg["Subject"] = subject
            msg.set_content(body)
            if kind == "attachment":
                msg.add_attachment(
                    b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(2048)),
                    maintype="application",
                    subtype="pdf",
                    filename=f"invoice-{i}.pdf",
                )
            sent_by.setdefault(sender, []).append((msg["Message-ID"], subject))
        out.append((kind, msg.as_bytes()))
    return out


def _bounce(i: int, body: str) -> Message:
    """A delivery status notification (RFC 3464) about an address that does not exist."""
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "MAILER-DAEMON@crash.example"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Auto-Submitted"] = "auto-replied"
    report.attach(MIMEText(f"Delivery to gone{i}@nowhere.example failed.\n\n{body}"))
    status = Message()
    status.set_type("message/delivery-status")
    reporting = Message()
    reporting["Reporting-MTA"] = "dns; crash.example"
    recipient = Message()
    recipient["Final-Recipient"] = f"rfc822; gone{i}@nowhere.example"
    recipient["Action"] = "failed"
    recipient["Status"] = "5.1.1"
    recipient["Diagnostic-Code"] = "smtp; 550 5.1.1 user unknown"
    status.attach(reporting)
    status.attach(recipient)
    report.attach(status)
    return report


def setup() -> dict:
    from helpmate.mail.actions import save_mailbox
    from helpmate.people import actions as people

    team = people.create_team(name="Support", email=MAILBOX)
    save_mailbox(address=MAILBOX, team=team, name="Support")
    agent = people.create_agent(
        email="maya@crash.example", name="Maya Lindqvist", password=None, teams=[team]
    )
    return {"team": team.pk, "agent": agent.pk}


def feed(count: int, seed: int) -> dict:
    from helpmate.mail.intake import receive
    from helpmate.mail.models import Mailbox

    mailbox = Mailbox.objects.get(address=MAILBOX)
    kinds: Counter[str] = Counter()
    for kind, raw in build_messages(count, seed):
        receive(raw, source="smtp", mailbox=mailbox, envelope_to=[MAILBOX])
        kinds[kind] += 1
    return dict(kinds)


def agent(stop_file: str) -> dict:
    """Answer each conversation that asks for a reply, once, until the stop file appears and
    a last round finds nothing left."""
    from django.db import close_old_connections

    from helpmate.desk.actions import add_reply
    from helpmate.desk.models import Conversation, MessageKind
    from helpmate.people.models import Agent

    maya = Agent.objects.get(user__email="maya@crash.example")
    replied = 0
    while True:
        stopping = Path(stop_file).exists()
        pending = list(
            Conversation.objects.filter(subject__contains=REPLY_ME)
            .exclude(messages__kind=MessageKind.REPLY)
            .order_by("pk")[:50]
        )
        for conv in pending:
            add_reply(conversation=conv, agent=maya, text=f"Thank you, we are on it (#{conv.pk}).")
            replied += 1
        close_old_connections()
        if stopping and not pending:
            return {"replied": replied}
        time.sleep(0.2)


def check() -> dict:
    from helpmate.desk.models import Message, MessageKind
    from helpmate.mail.models import InboundEmail
    from helpmate.outbox.models import OutboundEmail

    markers: Counter[str] = Counter()
    for text in Message.objects.filter(text__contains=MARKER).values_list("text", flat=True):
        markers.update(set(re.findall(MARKER + r"\d{5}", text)))
    return {
        "inbound": dict(Counter(InboundEmail.objects.values_list("state", flat=True))),
        "inbound_rows": InboundEmail.objects.count(),
        "markers": dict(markers),
        "replies": Message.objects.filter(kind=MessageKind.REPLY).count(),
        "outbox": [
            [pk, state, mid, kind]
            for pk, state, mid, kind in OutboundEmail.objects.values_list(
                "pk", "state", "message_id", "kind"
            )
        ],
    }


def main(argv: list[str]) -> None:
    django.setup()
    command = argv[0]
    if command == "setup":
        result = setup()
    elif command == "feed":
        result = feed(int(argv[1]), int(argv[2]))
    elif command == "agent":
        result = agent(argv[1])
    elif command == "check":
        result = check()
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
