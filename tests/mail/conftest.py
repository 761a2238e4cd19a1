"""Fixtures for the inbound mail tests: a Northwind support mailbox, the corpus, and helpers that
push raw bytes through the real pipeline (intake, then processing)."""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


# --- a real Dovecot IMAP server, started unprivileged with a temporary configuration ---------

DOVECOT = "/usr/sbin/dovecot"


@dataclass
class Dovecot:
    host: str
    port: int
    user: str
    password: str

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4(self.host, self.port, timeout=10)
        conn.login(self.user, self.password)
        return conn

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        conn = self.client()
        try:
            typ, data = conn.append(folder, None, None, raw)
            assert typ == "OK", data
        finally:
            conn.logout()

    def flags(self, folder: str = "INBOX") -> dict[int, str]:
        """{uid: flags} of every message still in the folder (expunged ones are gone)."""
        conn = self.client()
        try:
            conn.select(folder)
            _, data = conn.uid("FETCH", "1:*", "(FLAGS)")
            found = {}
            for item in data:
                if isinstance(item, bytes) and b"UID" in item:
                    uid = int(re.search(rb"UID (\d+)", item).group(1))  # type: ignore[union-attr]
                    found[uid] = item.decode()
            return found
        finally:
            conn.logout()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    if not os.path.exists(DOVECOT):
        pytest.skip(f"{DOVECOT} is missing: install Debian's dovecot-imapd to run the IMAP tests")
    # Not under pytest's temp dir: its parents are private, and Dovecot's helpers (its own
    # users when we are root) must read the configuration and the password file.
    home = Path(tempfile.mkdtemp(prefix="helpmate-dovecot-"))
    home.chmod(0o755)
    if os.getuid() == 0:
        # Dovecot will not serve mail as root: its helpers run as its own users, mail as nobody.
        login, internal, mail_user = "dovenull", "dovecot", pwd.getpwnam("nobody")
    else:
        me = pwd.getpwuid(os.getuid())
        login = internal = me.pw_name
        mail_user = me
    group = grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name
    (home / "mail").mkdir()
    if os.getuid() == 0:
        os.chown(home / "mail", mail_user.pw_uid, mail_user.pw_gid)
    (home / "passwd").write_text("support:{PLAIN}imap-secret-pw\n")
    port = _free_port()
    config = f"""
base_dir = {home}/run
state_dir = {home}/state
log_path = {home}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login}
default_internal_user = {internal}
default_internal_group = {group}
first_valid_uid = {mail_user.pw_uid}
mail_location = maildir:{home}/mail/%u
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
passdb {{
  driver = passwd-file
  args = {home}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={home}/mail/%u
}}
"""
    (home / "dovecot.conf").write_text(config)
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(home / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                err = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"Dovecot did not start: {err}")
            time.sleep(0.1)
    try:
        yield Dovecot("127.0.0.1", port, "support", "imap-secret-pw")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def imap_folder(dovecot: Dovecot, request: pytest.FixtureRequest) -> str:
    """A fresh folder on the shared Dovecot for one test."""
    name = "T" + re.sub(r"\W", "", request.node.name)[-40:]
    conn = dovecot.client()
    try:
        conn.create(name)
    finally:
        conn.logout()
    return name
