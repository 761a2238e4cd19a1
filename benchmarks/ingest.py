"""Sustained email ingest rate, and the desk's page latency while mail pours in.

Creates a fresh database (a SQLite file in a temporary directory, or a fresh PostgreSQL database
next to the one DATABASE_URL names), a team with a mailbox, and a background desk made by
``helpmate generate``. Then, at the same time:

- the feeder (this process) stores every message through the pipeline's intake
  (``helpmate.mail.intake.receive``, as the SMTP listener does);
- ``--workers`` processor processes run ``helpmate.mail.process.process_pending`` until all
  is done (parsing, threading, desk actions, acknowledgements written into the outbox);
- a page sampler process, signed in as an agent, requests the inbox and a conversation page in
  a loop and records how long each took.

The mix is realistic (tests/crash/harness.py builds it): new conversations, replies threading
into earlier ones, attachments, auto-replies and bounces. It prints a table and exits; nothing
here is a test.

    python benchmarks/ingest.py --messages 2000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hm_bench python benchmarks/ingest.py
    python benchmarks/ingest.py --profile 300      # where processing time goes (cProfile)
    BENCH_LOG_LEVEL=INFO python benchmarks/ingest.py --workers 2   # see retries and deadlocks
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_RATE = 200.0  # messages per second
PAGE_TARGET_MS = 100.0
MAILBOX = "support@crash.example"
# A processor that found less than a batch (HELPMATE_MAIL_BATCH) waits this long before it looks
# again (the SMTP listener's own drain loop does the same; see helpmate.mail.listener).
PROCESSOR_PAUSE = float(os.environ.get("BENCH_PROCESSOR_PAUSE", "0.2"))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="processor processes")
    parser.add_argument("--background", type=int, default=5000, help="conversations first")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--profile", type=int, default=0, help="profile processing N messages")
    parser.add_argument(
        "--drain",
        type=int,
        default=0,
        help="store N messages, then time one process_pending() in this process (no profiler)",
    )
    parser.add_argument(
        "--backlog",
        action="store_true",
        help="store every message first, then time the processors draining the backlog",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--role", default="main", help=argparse.SUPPRESS)
    parser.add_argument("--stop-file", default="", help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    return parser.parse_args()


def _environment(data_dir: Path) -> str:
    """Point Django at a fresh benchmark database (before it is imported); returns its URL."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        parts = urlsplit(url)
        name = "hm_ingest_bench"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        url = f"sqlite:///{data_dir / 'ingest.sqlite3'}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "HELPMATE_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "helpmate.settings",
            "HELPMATE_TESTING": "0",
            "HELPMATE_TASKS_IMMEDIATE": "false",
            "HELPMATE_ALLOWED_HOSTS": "testserver,localhost",
            "HELPMATE_ACKNOWLEDGE": "true",
            "HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR": "100000",
            "HELPMATE_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "ERROR"),
            "PYTHONPATH": str(ROOT),
        }
    )
    return url


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- the processes ---------------------------------------------------------------------------


def processor(stop_file: str) -> None:
    """Process stored mail until the feeder is done and nothing is left."""
    _setup_django()
    from django.conf import settings

    from helpmate.mail.process import process_pending

    done = 0
    while True:
        feeding = not Path(stop_file).exists()
        handled = process_pending(limit=200)
        done += handled
        if handled == 0 and not feeding:
            break
        if feeding and handled < settings.HELPMATE_MAIL_BATCH:
            time.sleep(PROCESSOR_PAUSE)  # let mail gather, and the feeder have the write lock
    # CPU time says what the work costs, whatever else the machine is doing.
    Path(f"{stop_file}.{os.getpid()}").write_text(
        json.dumps({"cpu": time.process_time(), "done": done})
    )


def sampler(stop_file: str, out: str) -> None:
    """Request the inbox and a recent conversation as an agent, in turns, until told to stop."""
    _setup_django()
    from django.test import Client

    from helpmate.desk.models import Conversation
    from helpmate.people.models import Agent

    agent = Agent.objects.select_related("user").order_by("pk").first()
    assert agent is not None
    client = Client()
    client.force_login(agent.user)
    times: dict[str, list[float]] = {"inbox": [], "conversation": []}
    while not Path(stop_file).exists():
        newest = Conversation.objects.order_by("-pk").values_list("pk", flat=True).first()
        for name, url in (("inbox", "/desk/"), ("conversation", f"/desk/c/{newest}/")):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code == 200:
                times[name].append(elapsed)
        # Each request ends the way it does under gunicorn: SQLite's connection is closed
        # (CONN_MAX_AGE 0), PostgreSQL's is kept for the next request (CONN_MAX_AGE 60).
        time.sleep(0.05)
    Path(out).write_text(json.dumps({"times": times, "cpu": time.process_time()}))


# --- the main process ---------------------------------------------------------------------------


def _prepare(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from helpmate.mail.actions import save_mailbox
    from helpmate.people import actions as people
    from helpmate.people.models import Team

    call_command("migrate", interactive=False, verbosity=0)
    if args.background:
        subprocess.run(
            [sys.executable, "-m", "helpmate", "generate", "--conversations",
             str(args.background), "--seed", "1"],
            check=True, env=os.environ.copy(), stdout=subprocess.DEVNULL,
        )  # fmt: skip
    team = Team.objects.order_by("pk").first() or people.create_team(name="Support")
    save_mailbox(address=MAILBOX, team=team, name=team.name)


def _messages(args: argparse.Namespace, count: int) -> list[tuple[str, bytes]]:
    from tests.crash.harness import build_messages

    return build_messages(count, args.seed)


def _server_cpu() -> float:
    """CPU seconds the PostgreSQL server processes on this machine have used so far (0 if none).

    Counts the processes alive now, so a connection opened and closed in between is missed;
    every process in the benchmark keeps its connection open for the whole run.
    """
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, _, rest = text.partition(") ")
        if name.endswith("(postgres"):
            fields = rest.split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def drain(args: argparse.Namespace) -> None:
    """Processing alone, in this process: the CPU one email costs with nothing else running."""
    from helpmate.mail.intake import receive
    from helpmate.mail.models import InboundEmail, Mailbox
    from helpmate.mail.process import process_pending

    mailbox = Mailbox.objects.get(address=MAILBOX)
    for _kind, raw in _messages(args, args.drain):
        receive(raw, source="smtp", mailbox=mailbox)
    process_pending(limit=20)  # warm up (URL resolver, templates, first queries)
    cpu, wall = time.process_time(), time.perf_counter()
    done = process_pending()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    states = Counter(InboundEmail.objects.values_list("state", flat=True))
    print(f"Drained {done} stored messages in one process: {wall:.2f} s, {done / wall:.1f} msg/s, "
          f"{cpu * 1000 / done:.2f} ms CPU per message (this process; the database's own work "
          f"is inside it on SQLite, in the server on PostgreSQL); {dict(states)}")  # fmt: skip


def profile(args: argparse.Namespace) -> None:
    import cProfile
    import pstats

    from helpmate.mail.intake import receive
    from helpmate.mail.models import Mailbox
    from helpmate.mail.process import process_pending

    mailbox = Mailbox.objects.get(address=MAILBOX)
    for _kind, raw in _messages(args, args.profile):
        receive(raw, source="smtp", mailbox=mailbox)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    process_pending(limit=20)  # warm up first, as --drain does (URL resolver, templates)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        done = process_pending()
        profiler.disable()
    elapsed = time.perf_counter() - started
    print(
        f"Processed {done} messages in {elapsed:.2f} s ({done / elapsed:.0f}/s under the "
        f"profiler), {len(queries) / max(done, 1):.0f} SQL queries per message\n"
    )
    by_table: Counter[str] = Counter()
    for query in queries.captured_queries:
        sql = query["sql"]
        verb = sql.split(" ", 1)[0]
        table = next((w.strip('"') for w in sql.split() if w.strip('"').count("_") and
                      w.strip('"').split("_")[0] in {"desk", "mail", "outbox", "effort",
                      "people", "service", "promises", "guard", "handoffs"}), "?")  # fmt: skip
        by_table[f"{verb} {table}"] += 1
    print("Queries per message by statement and first table:")
    for name, n in by_table.most_common(25):
        print(f"  {n / max(done, 1):6.2f}  {name}")
    print()
    stats = pstats.Stats(profiler)
    dump = Path(tempfile.gettempdir()) / "helpmate-ingest.prof"
    stats.dump_stats(str(dump))
    print(f"Full profile in {dump} (python -m pstats)")
    stats.sort_stats("cumulative").print_stats(35)


def run(args: argparse.Namespace, db_url: str, data_dir: Path) -> dict:
    from django.db import connection

    from helpmate.mail.intake import receive
    from helpmate.mail.models import InboundEmail, Mailbox

    messages = _messages(args, args.messages)
    mix = Counter(kind for kind, _ in messages)
    mailbox = Mailbox.objects.get(address=MAILBOX)
    stop_feed = data_dir / "fed"
    stop_sampler = data_dir / "stop-sampler"
    samples = data_dir / "samples.json"
    me = str(Path(__file__).resolve())
    env = os.environ.copy()
    sampler_proc = subprocess.Popen(
        [sys.executable, me, "--role", "sampler", "--stop-file", str(stop_sampler),
         "--out", str(samples)],
        env=env,
    )  # fmt: skip
    time.sleep(2)  # let the sampler start up before the clock runs
    load_before = os.getloadavg()[0]
    server_cpu, feeder_cpu = _server_cpu(), time.process_time()
    started = time.perf_counter()
    if args.backlog:  # everything stored before any processor starts: processing alone is timed
        for _kind, raw in messages:
            receive(raw, source="smtp", mailbox=mailbox)
        fed = time.perf_counter() - started
        stop_feed.touch()
        started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, me, "--role", "processor", "--stop-file", str(stop_feed)], env=env
        )
        for _ in range(args.workers)
    ]
    if not args.backlog:
        for _kind, raw in messages:
            receive(raw, source="smtp", mailbox=mailbox)
        fed = time.perf_counter() - started
        stop_feed.touch()
    feeder_cpu = time.process_time() - feeder_cpu
    for worker in workers:
        worker.wait()
    total = time.perf_counter() - started
    server_cpu = _server_cpu() - server_cpu
    cpu = sum(
        json.loads(Path(f"{stop_feed}.{worker.pid}").read_text())["cpu"] for worker in workers
    )
    stop_sampler.touch()
    sampler_proc.wait()
    connection.close()
    states = Counter(InboundEmail.objects.values_list("state", flat=True))
    sampled = json.loads(samples.read_text())
    times = sampled["times"]
    return {
        "engine": "postgresql" if db_url.startswith("postgres") else "sqlite",
        "messages": args.messages,
        "mix": dict(mix),
        "workers": args.workers,
        "background_conversations": args.background,
        "backlog": args.backlog,
        "intake_seconds": round(fed, 2),
        "total_seconds": round(total, 2),
        "sustained_rate": round(args.messages / total, 1),
        "processing_cpu_ms_per_message": round(cpu * 1000 / args.messages, 1),
        # Where the machine's cores went, in ms per message (the sampler's share is over its
        # whole life, a little longer than the run; the server's is 0 on SQLite).
        "cpu_ms_per_message": {
            "processors": round(cpu * 1000 / args.messages, 2),
            "database server": round(server_cpu * 1000 / args.messages, 2),
            "intake (feeder)": round(feeder_cpu * 1000 / args.messages, 2),
            "page sampler": round(sampled["cpu"] * 1000 / args.messages, 2),
        },
        "cores_available_ms_per_message": round(
            (os.cpu_count() or 1) * total * 1000 / args.messages, 2
        ),
        "states": dict(states),
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "pages": {
            name: {
                "requests": len(values),
                "p50_ms": round(statistics.median(values), 1) if values else None,
                "p95_ms": round(_percentile(values, 0.95), 1),
                "max_ms": round(max(values), 1) if values else None,
            }
            for name, values in times.items()
        },
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        ),
    }


def report(result: dict) -> None:
    rate = result["sustained_rate"]
    print()
    print(f"Ingest on {result['engine']}: {result['messages']} messages "
          f"({', '.join(f'{n} {k}' for k, n in sorted(result['mix'].items()))}), "
          f"{result['workers']} processor(s), {result['background_conversations']} "
          f"conversations already in the desk; {result['machine']}")  # fmt: skip
    print(f"{'measure':<34}{'value':>12}  target")
    if result.get("backlog"):
        print(f"{'intake alone (stored, then timed)':<34}{result['intake_seconds']:>10.1f} s")
        print(f"{'backlog processed after':<34}{result['total_seconds']:>10.1f} s")
    else:
        print(f"{'intake (stored) finished after':<34}{result['intake_seconds']:>10.1f} s")
        print(f"{'all processed after':<34}{result['total_seconds']:>10.1f} s")
    ok = "ok" if rate >= TARGET_RATE else "MISSED"
    print(f"{'sustained rate':<34}{rate:>8.1f} msg/s  >= {TARGET_RATE:.0f} {ok}")
    cpu_ms = result["processing_cpu_ms_per_message"]
    print(f"{'processing CPU per message':<34}{cpu_ms:>9.1f} ms  (one core: "
          f"{1000 / cpu_ms:.0f} msg/s at most)")  # fmt: skip
    for name, page in result["pages"].items():
        p95 = page["p95_ms"]
        ok = "ok" if p95 == p95 and p95 < PAGE_TARGET_MS else "MISSED"
        print(f"{name + ' page p95 while ingesting':<34}{p95:>9.1f} ms  < {PAGE_TARGET_MS:.0f} "
              f"{ok} (p50 {page['p50_ms']} ms, max {page['max_ms']} ms, "
              f"{page['requests']} requests)")  # fmt: skip
    shares = result["cpu_ms_per_message"]
    print(f"{'CPU per message, by who used it':<34}" + ", ".join(
        f"{who} {ms:.2f} ms" for who, ms in shares.items()) + f"; total {sum(shares.values()):.2f}"
        f" of {result['cores_available_ms_per_message']:.2f} ms the cores had")  # fmt: skip
    print(f"final states: {result['states']}")
    before, after = result["load_average"]
    print(f"machine load average (1 min) before/after: {before} / {after} on {os.cpu_count()} CPUs")


def main() -> None:
    args = parse_args()
    if args.role == "processor":
        processor(args.stop_file)
        return
    if args.role == "sampler":
        sampler(args.stop_file, args.out)
        return
    data_dir = Path(tempfile.mkdtemp(prefix="helpmate-ingest-"))
    db_url = _environment(data_dir)
    _setup_django()
    print(f"Preparing {db_url} ...", flush=True)
    _prepare(args)
    try:
        if args.profile:
            profile(args)
            return
        if args.drain:
            drain(args)
            return
        result = run(args, db_url, data_dir)
        report(result)
        if args.json:
            args.json.write_text(json.dumps(result, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
