"""Server-side latency and query counts of Helpmate's busiest pages at a chosen data size.

Builds (once) a benchmark database with ``helpmate generate`` in its own data directory under
benchmarks/.data/, then requests each page in-process through Django's test client, as a signed
in agent (or with a Bearer token for the API), and prints p50/p95/max server time and the number
of SQL queries per request. Nothing here is a test: it prints a table and exits.

    python benchmarks/run.py --conversations 10000
    python benchmarks/run.py --conversations 1000000 --messages-per-conversation 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpmate_bench python benchmarks/run.py ...

The time measured is Django's whole request: middleware, session, view, queries, template.
Network and the WSGI server add about a millisecond on top (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE_TARGET_MS = 100.0
SEARCH_TARGET_MS = 300.0


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds for each of ``repeat`` calls (the other benchmarks share it)."""
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        out.append((time.perf_counter() - started) * 1000)
    return out


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages-per-conversation", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, help="default: benchmarks/.data/<db>-<N>")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--only", default="", help="run only pages whose name contains this")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--http", action="store_true", help="time requests through a real gunicorn over HTTP"
    )
    parser.add_argument("--port", type=int, default=8765, help="gunicorn's port with --http")
    return parser.parse_args()


def prepare(args: argparse.Namespace) -> Path:
    """Point Django at the benchmark database (before it is imported) and fill it if needed."""
    engine = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    data_dir = args.data_dir or HERE / ".data" / f"{engine}-{args.conversations}"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["HELPMATE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpmate.settings")
    os.environ["HELPMATE_TESTING"] = "0"
    os.environ["HELPMATE_ALLOWED_HOSTS"] = "testserver,localhost"
    if engine == "postgres":
        _create_postgres_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from helpmate.desk.models import Conversation

    have = Conversation.objects.count()
    missing = args.conversations - have
    if missing > 0:
        print(f"Generating {missing:,} conversations into {data_dir} ...", flush=True)
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "helpmate", "generate", "--conversations", str(missing),
             "--messages-per-conversation", str(args.messages_per_conversation),
             "--seed", str(have + 1)],
            check=True,
            env=os.environ.copy(),
        )  # fmt: skip
        print(f"Generated in {time.monotonic() - started:.0f} s", flush=True)
    return data_dir


def _create_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Result:
    name: str
    kind: str  # page, search or api
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    queries: int
    sql_ms: float  # time spent in the database during one request
    status: int
    note: str = ""

    @property
    def target_ms(self) -> float:
        return SEARCH_TARGET_MS if self.kind == "search" else PAGE_TARGET_MS


def pages() -> tuple[list[tuple[str, str, list[str]]], dict[str, str], object]:
    """(name, kind, urls to cycle through), extra headers for the API, and cleanup."""
    from django.db.models import Count
    from django.urls import reverse

    from helpmate.desk.models import OPEN_STATUSES, Conversation, Message
    from helpmate.people import actions as people
    from helpmate.people.models import Agent, Contact

    busiest = (
        Conversation.objects.filter(status__in=OPEN_STATUSES, owner__isnull=False)
        .values("owner")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    agent = Agent.objects.get(pk=busiest["owner"]) if busiest else Agent.objects.first()
    assert agent is not None, "no agent: is the database empty?"
    token, raw = people.create_api_token(agent=agent, name="benchmark")

    long_threads = list(
        Conversation.objects.filter(message_count__gte=30, merged_into__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )
    first_contacts = list(Contact.objects.order_by("pk").values_list("pk", flat=True)[:40])
    counts = dict(
        Conversation.objects.filter(requester_id__in=first_contacts)
        .values_list("requester_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    heavy = sorted(first_contacts, key=lambda pk: -counts.get(pk, 0))[:5]
    middle = Contact.objects.order_by("pk").values_list("pk", flat=True)
    typical = [middle[Contact.objects.count() // 2 + i] for i in range(5)]
    team = agent.teams.values_list("pk", flat=True).first()
    order_numbers = [
        word.strip(".,:;?")
        for text in Message.objects.filter(text__contains=" NW").values_list("text", flat=True)[:10]
        for word in text.split()
        if word.startswith("NW")
    ][:5]

    inbox = reverse("desk:inbox")
    conversation = lambda pk: reverse("desk:conversation", args=[pk])  # noqa: E731
    contact = lambda pk: reverse("people:contact", args=[pk])  # noqa: E731
    api = "/api/conversations"
    plan = [
        ("inbox: default (mine)", "page", [inbox]),
        ("inbox: all open, longest wait", "page", [f"{inbox}?view=open"]),
        ("inbox: open, page 5", "page", [f"{inbox}?view=open&page=5"]),
        (
            "inbox: filtered (team+status+channel)",
            "page",
            [f"{inbox}?view=all&status=waiting_customer&team={team or ''}&channel=email"],
        ),
        ("inbox: filtered by tag", "page", [f"{inbox}?view=all&tag=refund"]),
        ("inbox: resolved", "page", [f"{inbox}?view=resolved"]),
        ("conversation: 30+ messages", "page", [conversation(pk) for pk in long_threads]),
        ("contact: busiest customers", "page", [contact(pk) for pk in heavy]),
        ("contact: typical", "page", [contact(pk) for pk in typical]),
        ("search: one common word", "search", [f"{inbox}?q=delivery", f"{inbox}?q=order"]),
        ("search: product word", "search", [f"{inbox}?q=casserole", f"{inbox}?q=bookcase"]),
        ("search: two words", "search", [f"{inbox}?q=lamp+crack", f"{inbox}?q=refund+invoice"]),
        ("search: prefix", "search", [f"{inbox}?q=refu", f"{inbox}?q=cass"]),
        ("search: order number", "search", [f"{inbox}?q={n}" for n in order_numbers]),
        ("api: conversations", "api", [api]),
        ("api: conversations filtered", "api", [f"{api}?status=open&channel=email"]),
        ("api: conversations search", "search", [f"{api}?q=refund"]),
    ]

    def cleanup() -> None:
        people.revoke_api_token(token=token)

    return plan, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}, (agent, cleanup)


class HttpGetter:
    """Requests through a real gunicorn (started here) over one keep-alive HTTP connection."""

    def __init__(self, session_cookie: str, port: int) -> None:
        env = {**os.environ, "HELPMATE_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "helpmate.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--worker-class",
             "gthread", "--log-level", "warning"],
            env=env,
        )  # fmt: skip
        self.cookie = f"sessionid={session_cookie}"
        self.port = port
        for _ in range(100):
            try:
                if self.get("/healthz", {}) == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.close()
            raise SystemExit("gunicorn did not start")

    def get(self, url: str, headers: dict[str, str]) -> int:
        import http.client

        if not hasattr(self, "conn"):
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Cookie": self.cookie}
        if "HTTP_AUTHORIZATION" in headers:
            sent = {"Authorization": headers["HTTP_AUTHORIZATION"]}
        try:
            self.conn.request("GET", url, headers=sent)
            response = self.conn.getresponse()
        except (OSError, http.client.HTTPException):
            del self.conn
            raise
        response.read()
        return response.status

    def close(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=20)


def measure(args: argparse.Namespace) -> list[Result]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plan, api_headers, (agent, cleanup) = pages()  # type: ignore[misc]
    client = Client()
    client.force_login(agent.user)
    http = HttpGetter(client.cookies["sessionid"].value, args.port) if args.http else None

    def get(url: str, headers: dict[str, str]) -> int:
        if http is not None:
            return http.get(url, headers)
        return client.get(url, **headers).status_code

    results = []
    try:
        for name, kind, urls in plan:
            if args.only and args.only not in name:
                continue
            if not urls:
                print(f"skipping {name}: nothing to request", flush=True)
                continue
            headers = api_headers if urls[0].startswith("/api/") else {}
            for i in range(args.warmup):
                get(urls[i % len(urls)], headers)
            times = []
            status = 200
            for i in range(args.requests):
                started = time.perf_counter()
                code = get(urls[i % len(urls)], headers)
                times.append((time.perf_counter() - started) * 1000)
                status = code if code != 200 else status
            with CaptureQueriesContext(connection) as queries:
                client.get(urls[0], **headers)
            times.sort()
            results.append(
                Result(
                    name=name,
                    kind=kind,
                    requests=len(times),
                    p50_ms=statistics.median(times),
                    p95_ms=times[max(0, round(0.95 * len(times)) - 1)],
                    max_ms=times[-1],
                    queries=len(queries),
                    sql_ms=sum(float(q["time"]) for q in queries.captured_queries) * 1000,
                    status=status,
                )
            )
            print(f"{name}: p95 {results[-1].p95_ms:.1f} ms", flush=True)
    finally:
        cleanup()
        if http is not None:
            http.close()
    return results


def report(results: list[Result], args: argparse.Namespace, data_dir: Path) -> None:
    from django.db import connection
    from rich.console import Console
    from rich.table import Table

    from helpmate.desk.models import Conversation, Event, Message

    sizes = {
        "conversations": Conversation.objects.count(),
        "messages": Message.objects.count(),
        "events": Event.objects.count(),
    }
    table = Table(
        title=(
            f"Helpmate on {connection.vendor}: {sizes['conversations']:,} conversations, "
            f"{sizes['messages']:,} messages, {sizes['events']:,} events"
        )
    )
    for column in ("page", "p50 ms", "p95 ms", "max ms", "queries", "SQL ms", "target", "status"):
        table.add_column(column, justify="left" if column == "page" else "right")
    for r in results:
        ok = r.p95_ms < r.target_ms and r.status == 200
        verdict = "[green]met[/]" if ok else "[red]missed[/]"
        table.add_row(
            r.name, f"{r.p50_ms:.1f}", f"{r.p95_ms:.1f}", f"{r.max_ms:.1f}", str(r.queries),
            f"{r.sql_ms:.1f}", f"< {r.target_ms:.0f} {verdict}", str(r.status),
        )  # fmt: skip
    Console(width=160).print(table)
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python " + (
        platform.python_version()
    )
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    how = "over HTTP through gunicorn (2 workers x 4 threads)" if args.http else "in-process"
    print(f"Machine: {machine}; load average {load}; data: {data_dir}.")
    print(f"{args.requests} requests per page, timed {how}; queries counted in-process.")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "sizes": sizes,
                    "machine": machine,
                    "load": load,
                    "timed": how,
                    "results": [asdict(r) for r in results],
                },
                indent=2,
            )
        )


def main() -> None:
    args = parse_args()
    data_dir = prepare(args)
    results = measure(args)
    report(results, args, data_dir)


if __name__ == "__main__":
    main()
