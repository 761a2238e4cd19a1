"""``helpmate serve``: migrate, then run the web server (gunicorn) and the background worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

ANY_HOST = {"0.0.0.0", "::", "[::]"}  # noqa: S104 (listening on every interface is a choice)


def public_url(host: str, port: int) -> str:
    """The address to open in a browser (a wildcard bind is reached through localhost)."""
    shown = "127.0.0.1" if host in ANY_HOST else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def prepare_environment(host: str, port: int, *, demo: bool = False) -> None:
    """Settings the child processes need to match where we listen, unless the operator set them.

    Links in emails (portal sign-in, conversation links) use HELPMATE_BASE_URL, so it follows
    the port we listen on. The demo listening on every interface accepts any Host header, so a
    colleague can open it by the machine's address; ``serve`` leaves that to the operator.
    """
    os.environ.setdefault("HELPMATE_BASE_URL", public_url(host, port).rstrip("/"))
    if demo and host in ANY_HOST:
        os.environ.setdefault("HELPMATE_ALLOWED_HOSTS", "*")


def start_desk(host: str, port: int, *, workers: int, banner: str, with_worker: bool = True) -> int:
    """Run gunicorn and the task worker as child processes until one stops or we are told to."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpmate.settings",
        "HELPMATE_DATA_DIR": str(settings.DATA_DIR),
    }
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "helpmate.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "10",
        ],
        env=env,
    )
    children = [web]
    if with_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "helpmate", "worker"], env=env))
    print(banner, flush=True)

    def stop(*_: Any) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    return max((child.returncode or 0) for child in children)


class Command(BaseCommand):
    help = "Migrate the database and start the web server and the background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HELPMATE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("HELPMATE_PORT", 8000)))
        parser.add_argument("--workers", type=int, default=2, help="web server processes")
        parser.add_argument("--no-worker", action="store_true", help="do not start the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        url = public_url(options["host"], options["port"])
        if options["host"] in ANY_HOST and "HELPMATE_ALLOWED_HOSTS" not in os.environ:
            self.stderr.write(
                "Listening on every interface: set HELPMATE_ALLOWED_HOSTS to the names this "
                "desk is reached by, or requests for them are refused."
            )
        prepare_environment(options["host"], options["port"])
        code = start_desk(
            options["host"],
            options["port"],
            workers=options["workers"],
            banner=f"Helpmate is running at {url}  (Ctrl+C stops it)",
            with_worker=not options["no_worker"],
        )
        raise SystemExit(code)
