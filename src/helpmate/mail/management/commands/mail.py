"""``helpmate mail``: the ways email comes in, and the mailboxes it comes to.

helpmate mail poll                         fetch new mail from every IMAP mailbox once
helpmate mail listen --host H --port P [--lmtp]   SMTP/LMTP listener for a mail server
helpmate mail receive [--mailbox ADDR] < message.eml   pipe delivery (exit 75 = try later)
helpmate mail process                      process stored mail that is still waiting
helpmate mail retry ID                     retry a quarantined email
helpmate mail mailboxes [list | add ADDRESS --team NAME ...]
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpmate.mail import intake
from helpmate.mail.actions import MailError, mark_for_retry, save_mailbox
from helpmate.mail.models import InboundEmail, InboundState, Mailbox, Source
from helpmate.mail.process import process, process_pending
from helpmate.people.models import Team

EX_TEMPFAIL = 75  # sysexits.h: the mail server keeps the message and tries again later
EX_DATAERR = 65


class Command(BaseCommand):
    help = "Email in: poll IMAP, listen for SMTP/LMTP, take piped messages, manage mailboxes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("poll", help="fetch new mail from every active IMAP mailbox once")
        listen = sub.add_parser("listen", help="run the SMTP (or LMTP) listener")
        listen.add_argument("--host", default="127.0.0.1")
        listen.add_argument("--port", type=int, default=2525)
        listen.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")
        receive = sub.add_parser("receive", help="read one message on standard input")
        receive.add_argument("--mailbox", default="", help="the address it was delivered to")
        sub.add_parser("process", help="process stored mail that is still waiting")
        retry = sub.add_parser("retry", help="retry a quarantined email")
        retry.add_argument("id", type=int)
        boxes = sub.add_parser("mailboxes", help="list or add mailboxes")
        boxes.add_argument("what", nargs="?", choices=["list", "add"], default="list")
        boxes.add_argument("address", nargs="?", default="")
        boxes.add_argument("--team", default="", help="the team that answers this address")
        boxes.add_argument("--name", default="")
        boxes.add_argument("--imap-host", default="")
        boxes.add_argument("--imap-port", type=int, default=993)
        boxes.add_argument("--no-ssl", action="store_true", help="plain IMAP (port 143)")
        boxes.add_argument("--imap-user", default="")
        boxes.add_argument(
            "--imap-password-env", default="", help="environment variable with the password"
        )
        boxes.add_argument("--imap-folder", default="INBOX")
        boxes.add_argument(
            "--delete", action="store_true", help="delete fetched mail on the server"
        )
        boxes.add_argument("--inactive", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        getattr(self, f"_{action}")(options)

    def _poll(self, options: dict[str, Any]) -> None:
        from helpmate.mail.imap import poll_all

        results = poll_all()
        if not results:
            self.stdout.write("No active mailbox has an IMAP server configured.")
        for result in results:
            line = f"{result.mailbox}: {result.fetched} new"
            self.stdout.write(line + (f" (error: {result.error})" if result.error else ""))

    def _listen(self, options: dict[str, Any]) -> None:
        from helpmate.mail.listener import InboundController

        controller = InboundController(
            host=options["host"], port=options["port"], lmtp=options["lmtp"]
        )
        controller.start()
        kind = "LMTP" if options["lmtp"] else "SMTP"
        self.stdout.write(f"Listening for {kind} on {options['host']}:{options['port']}.")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()

    def _receive(self, options: dict[str, Any]) -> None:
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            self.stderr.write("No message on standard input.")
            sys.exit(EX_DATAERR)
        mailbox = None
        if options["mailbox"]:
            from helpmate.mail.tokens import base_address

            mailbox = Mailbox.objects.filter(address=base_address(options["mailbox"])).first()
        try:
            inbound = intake.receive(
                raw,
                source=Source.PIPE,
                mailbox=mailbox,
                envelope_to=[options["mailbox"]] if options["mailbox"] else [],
            )
        except Exception as exc:  # stored nothing: the mail server must keep it and retry
            self.stderr.write(f"Could not store the message: {exc}")
            sys.exit(EX_TEMPFAIL)
        try:
            inbound = process(inbound.pk)
        except Exception as exc:  # stored: processing is retried by the worker
            self.stderr.write(f"Stored as #{inbound.pk}; processing will be retried ({exc}).")
            return
        self.stdout.write(f"Stored as #{inbound.pk}: {inbound.state}. {inbound.reason}")

    def _process(self, options: dict[str, Any]) -> None:
        self.stdout.write(f"Processed {process_pending()} stored emails.")

    def _retry(self, options: dict[str, Any]) -> None:
        inbound = InboundEmail.objects.filter(pk=options["id"]).first()
        if inbound is None:
            raise CommandError(f"No inbound email #{options['id']}.")
        try:
            mark_for_retry(inbound=inbound)
        except MailError as exc:
            raise CommandError(str(exc)) from exc
        inbound = process(inbound.pk)
        self.stdout.write(f"#{inbound.pk}: {inbound.state}. {inbound.reason}")
        if inbound.state == InboundState.QUARANTINED:
            sys.exit(1)

    def _mailboxes(self, options: dict[str, Any]) -> None:
        if options["what"] == "add":
            team = Team.objects.filter(name__iexact=options["team"].strip()).first()
            if team is None:
                raise CommandError(f"No team named {options['team']!r} (give --team).")
            try:
                mailbox = save_mailbox(
                    address=options["address"],
                    team=team,
                    name=options["name"],
                    active=not options["inactive"],
                    imap_host=options["imap_host"],
                    imap_port=options["imap_port"],
                    imap_ssl=not options["no_ssl"],
                    imap_user=options["imap_user"],
                    imap_password_env=options["imap_password_env"],
                    imap_folder=options["imap_folder"],
                    imap_delete=options["delete"],
                )
            except MailError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Saved {mailbox.address} for team {team.name}.")
            return
        mailboxes = Mailbox.objects.select_related("team")
        if not mailboxes:
            self.stdout.write("No mailboxes yet: `helpmate mail mailboxes add ADDRESS --team T`.")
        for m in mailboxes:
            imap = f"imap {m.imap_user}@{m.imap_host}:{m.imap_port}" if m.polls_imap else "no imap"
            state = "active" if m.active else "inactive"
            self.stdout.write(f"{m.address}  team {m.team.name}  {imap}  {state}")
