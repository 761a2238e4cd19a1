"""Demo data for inbound mail, written through the real pipeline (intake, then processing).

Northwind's team addresses become mailboxes (support@ for Customer Support, and so on); a
customer's emailed reply with quoted history shows the folding; an out-of-office reply and a
bounce land on existing conversations; three emails wait in the quarantine with their reasons.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import format_datetime

from helpmate.desk.models import Conversation, Status
from helpmate.mail import intake
from helpmate.mail.actions import save_mailbox
from helpmate.mail.models import InboundEmail, InboundState, Mailbox
from helpmate.mail.process import process
from helpmate.mail.tokens import message_id_for, reply_address
from helpmate.people.models import Team


def _our_message_id(conversation: Conversation) -> str:
    from django.apps import apps

    try:
        model = apps.get_model("outbox", "OutboundEmail")
        found = (
            model.objects.filter(conversation=conversation)
            .order_by("-created_at")
            .values_list("message_id", flat=True)
            .first()
        )
    except LookupError:
        found = None
    if found:
        return f"<{found.strip('<>')}>"
    return message_id_for(
        conversation_id=conversation.pk, outbound_id=conversation.pk, domain="northwind.example"
    )


def _deliver(raw: str, *, mailbox: Mailbox, at: datetime) -> InboundEmail:
    stored = intake.receive(raw.encode("utf-8"), source="imap", mailbox=mailbox, at=at)
    return process(stored.pk, at=at)


def _mailboxes() -> list[Mailbox]:
    return [
        save_mailbox(address=team.email, team=team, name=team.name)
        for team in Team.objects.exclude(email="").order_by("pk")
    ]


def _conversations(count: int, now: datetime) -> list[Conversation]:
    return list(
        Conversation.objects.filter(
            status=Status.WAITING_CUSTOMER,
            merged_into__isnull=True,
            requester__emails__isnull=False,
            requester__kind="customer",
            updated_at__lte=now,
        )
        .select_related("requester")
        .order_by("-updated_at", "pk")
        .distinct()[:count]
    )


def seed_demo(*, now: datetime) -> str:
    mailboxes = _mailboxes()
    support = next((m for m in mailboxes if m.address.startswith("support@")), None)
    if support is None:
        return "Mail: no team has an email address, so no mailbox was set up"
    picks = _conversations(3, now)
    made = {"reply": 0, "auto": 0, "bounce": 0, "quarantined": 0}
    if len(picks) >= 1:
        conv = picks[0]
        who = conv.requester
        mid = _our_message_id(conv)
        at = now - timedelta(minutes=42)
        reply = f"""From: {who.name} <{who.primary_email}>
To: {reply_address(support.address, conv.pk)}
Subject: Re: {conv.subject}
Date: {format_datetime(at)}
Message-ID: <demo-reply-{conv.pk}@mail.example>
In-Reply-To: {mid}
References: {mid}
Content-Type: text/plain; charset=utf-8

Thanks, that helps. One more question: can I keep the old part until the new one arrives?

Best,
{who.greeting_name}

On {format_datetime(at - timedelta(hours=3))}, Northwind Support <{support.address}> wrote:
> Thanks for your patience; we are on it and will write again today.
"""
        made["reply"] += _deliver(reply, mailbox=support, at=at).state == InboundState.PROCESSED
    if len(picks) >= 2:
        conv = picks[1]
        mid = _our_message_id(conv)
        at = now - timedelta(hours=2, minutes=5)
        auto = f"""From: {conv.requester.name} <{conv.requester.primary_email}>
To: {support.address}
Subject: Automatic reply: {conv.subject}
Date: {format_datetime(at)}
Message-ID: <demo-ooo-{conv.pk}@mail.example>
In-Reply-To: {mid}
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset=utf-8

I am out of the office until Monday with limited access to email. For anything urgent,
please call our front desk.
"""
        made["auto"] += _deliver(auto, mailbox=support, at=at).state == InboundState.PROCESSED
    if len(picks) >= 3:
        conv = picks[2]
        address = conv.requester.primary_email
        mid = _our_message_id(conv)
        at = now - timedelta(hours=5)
        bounce = f"""From: MAILER-DAEMON@mx.northwind.example (Mail Delivery System)
To: {support.address}
Subject: Undelivered Mail Returned to Sender
Date: {format_datetime(at)}
Message-ID: <demo-bounce-{conv.pk}@mx.northwind.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to <{address}>: mailbox full.

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.northwind.example

Final-Recipient: rfc822; {address}
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp; 552 5.2.2 <{address}>: Mailbox full, over quota

--b
Content-Type: text/rfc822-headers

From: Northwind Support <{support.address}>
To: {address}
Subject: Re: {conv.subject}
Message-ID: {mid}

--b--
"""
        made["bounce"] += _deliver(bounce, mailbox=support, at=at).state == InboundState.PROCESSED
    held = [
        f"""To: {support.address}
Subject: Scan from the warehouse printer
Date: {format_datetime(now - timedelta(hours=7))}
Message-ID: <demo-scan-1@printer.northwind.example>
Content-Type: text/plain

Scanned document attached (0 pages).
""",
        f"""From: Delivery robot <robot@parcel_tracking.example>
To: {support.address}
Subject: Parcel NW-88213 delivered
Date: {format_datetime(now - timedelta(hours=9))}
Message-ID: <demo-robot-1@parcel-tracking.example>
Content-Type: text/plain

Your parcel NW-88213 was delivered to the reception.
""",
        "   ",
    ]
    for index, raw in enumerate(held):
        at = now - timedelta(hours=6 + index * 3)
        if _deliver(raw, mailbox=support, at=at).state == InboundState.QUARANTINED:
            made["quarantined"] += 1
    return (
        f"Mail: {len(mailboxes)} mailboxes, {made['reply']} emailed reply with quoted text, "
        f"{made['auto']} automatic reply, {made['bounce']} bounce, "
        f"{made['quarantined']} quarantined emails"
    )
