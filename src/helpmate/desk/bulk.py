"""Bulk synthetic data for benchmarks (``helpmate generate``).

THE ONE DOCUMENTED EXCEPTION to "every write goes through an action". Creating a million
conversations one action at a time would take hours; benchmarks need them in minutes. So this
module writes rows directly, in large batches (``executemany`` on SQLite, ``COPY`` on
PostgreSQL), one transaction per batch, with explicit ids so messages, events and the search
index can refer to each other without a round trip.

To stay honest it produces exactly what the actions would have produced for the same story:
the same event types in the same order with the same payloads (created, message_received,
assigned, replied, status_changed, note), the denormalised fields the inbox relies on
(``message_count``, ``last_customer_message_at``, ``first_reply_at``, ``last_reply_at``,
``resolved_at``, ``waiting_since`` only while the customer waits on us, ``preview``), message
HTML as ``text_to_html`` would write it, and search entries through ``desk.search.index_rows``.
Teams and agents, which are few, are still created through ``helpmate.people.actions``.

It is for benchmark and test databases only: nothing is emailed, nobody is notified.
"""

from __future__ import annotations

import html
import json
import queue
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from helpmate.demo import synthetic as words
from helpmate.demo.names import CULTURES, email_local
from helpmate.desk import search
from helpmate.desk.models import Conversation, Event, Message, Tag
from helpmate.desk.sanitize import preview_of
from helpmate.people import actions as people
from helpmate.people.models import Agent, Contact, ContactEmail, Organization, Team

BENCH_TEAMS = ("Customer Support", "Billing", "Logistics & Suppliers", "IT Helpdesk")
AGENTS_PER_TEAM = 6
OPEN_BY_AGE = ((14, 0.5), (90, 0.08), (None, 0.045))  # (younger than days, share still open)
DAY = 86400.0

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Generated:
    conversations: int
    messages: int
    events: int
    contacts: int
    seconds: float


def message_html(text: str) -> str:
    """What ``sanitize.text_to_html`` returns for one paragraph without links (tested equal)."""
    return "<p>" + html.escape(text, quote=False) + "</p>"


class _Writer:
    """Batched inserts: ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.epoch = datetime(1970, 1, 1, tzinfo=UTC)

        self.days: dict[int, str] = {}

    def moment(self, seconds: float) -> Any:
        """Epoch seconds as the database wants a timestamp (naive UTC text on SQLite).

        Whole seconds, formatted like Django's SQLite backend writes them ("2025-03-01 14:05:09").
        """
        whole = int(seconds)
        if self.postgres:
            return self.epoch + timedelta(seconds=whole)
        day, rest = divmod(whole, 86400)
        prefix = self.days.get(day)
        if prefix is None:
            prefix = (self.epoch + timedelta(days=day)).strftime("%Y-%m-%d ")
            self.days[day] = prefix
        return f"{prefix}{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}"

    def next_id(self, model: type[models.Model]) -> int:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            return int(cursor.fetchone()[0])

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        names = ", ".join(columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608

    def reset_sequences(self, model_list: Sequence[type[models.Model]]) -> None:
        if not self.postgres:
            return  # SQLite's AUTOINCREMENT follows explicit ids by itself
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), model_list):
                cursor.execute(statement)

    def tune(self, bulk: bool) -> None:
        """On SQLite, trade durability for speed while generating (benchmark data only)."""
        if self.postgres or connection.in_atomic_block:
            return  # (inside a transaction, e.g. a test, SQLite refuses to change it)
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={'OFF' if bulk else 'NORMAL'}")
            cursor.execute(f"PRAGMA cache_size={-1_000_000 if bulk else -64000}")

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            if not self.postgres:
                cursor.execute("PRAGMA analysis_limit=2000")
            cursor.execute("ANALYZE")


def _staff(rng: random.Random) -> tuple[dict[int, list[int]], dict[str, int]]:
    """Teams and their agents' ids, created through the people actions when missing."""
    teams: dict[str, Team] = {t.name: t for t in Team.objects.all()}
    for name in BENCH_TEAMS:
        if name not in teams:
            teams[name] = people.create_team(name=name)
    members: dict[int, list[int]] = {t.pk: [] for t in teams.values()}
    for agent in Agent.objects.active().prefetch_related("teams"):
        for team in agent.teams.all():
            members[team.pk].append(agent.pk)
    serial = Agent.objects.count()
    for name in BENCH_TEAMS:
        team = teams[name]
        while len(members[team.pk]) < AGENTS_PER_TEAM:
            serial += 1
            culture = rng.choice(CULTURES)
            first, last = rng.choice(culture.first_names), rng.choice(culture.last_names)
            agent = people.create_agent(
                email=f"bench.agent{serial}@bench.example",
                name=f"{first} {last}",
                password=None,
                teams=[team],
                languages=[culture.language, "en"] if culture.language != "en" else ["en"],
            )
            members[team.pk].append(agent.pk)
    return members, {name: teams[name].pk for name in BENCH_TEAMS}


def _tags() -> list[tuple[int, str]]:
    Tag.objects.bulk_create([Tag(name=n) for n in words.TAGS], ignore_conflicts=True)
    return list(Tag.objects.filter(name__in=words.TAGS).values_list("pk", "name"))


ORGANIZATION_COLUMNS = ("id", "name", "kind", "domain", "notes", "created_at")
CONTACT_COLUMNS = (
    "id", "kind", "name", "preferred_name", "phone", "language", "time_zone", "organization_id",
    "notes", "user_id", "created_at",
)  # fmt: skip
EMAIL_COLUMNS = ("id", "contact_id", "email", "is_primary")


def _contacts(
    writer: _Writer, rng: random.Random, count: int, now: float
) -> tuple[list[int], list[str]]:
    """Organizations, contacts and their addresses; returns contact ids and kinds."""
    with transaction.atomic():
        org_id = writer.next_id(Organization)
        taken = set(Organization.objects.values_list("name", flat=True))
        orgs: list[tuple[int, str, str]] = []  # id, kind, domain
        org_rows = []
        for n in range(max(3, count // 30)):
            kind = rng.choices(["company", "department", "supplier"], [85, 10, 5])[0]
            name = f"{rng.choice(words.COMPANY_WORDS)} {rng.choice(words.COMPANY_KINDS)}"
            if name in taken:
                name = f"{name} {org_id + n}"
            taken.add(name)
            domain = f"org{org_id + n}.example"
            orgs.append((org_id + n, kind, domain))
            org_rows.append((org_id + n, name, kind, domain, "", writer.moment(now - 800 * DAY)))
        writer.insert(Organization._meta.db_table, ORGANIZATION_COLUMNS, org_rows)
        contact_id = writer.next_id(Contact)
        email_id = writer.next_id(ContactEmail)
        ids, kinds, contact_rows, email_rows = [], [], [], []
        for n in range(count):
            pk = contact_id + n
            culture = rng.choice(CULTURES)
            first, last = rng.choice(culture.first_names), rng.choice(culture.last_names)
            org = rng.choice(orgs) if rng.random() < 0.6 else None
            kind = {"company": "customer", "department": "colleague", "supplier": "supplier"}[
                org[1] if org else "company"
            ]
            domain = org[2] if org else "example.com"
            contact_rows.append((
                pk, kind, f"{first} {last}", "", "", culture.language if kind == "customer"
                else "en", rng.choice(culture.time_zones), org[0] if org else None, "", None,
                writer.moment(now - rng.uniform(0, 800) * DAY),
            ))  # fmt: skip
            email_rows.append((email_id + n, pk, f"{email_local(first, last)}.{pk}@{domain}", True))
            ids.append(pk)
            kinds.append(kind)
        writer.insert(Contact._meta.db_table, CONTACT_COLUMNS, contact_rows)
        writer.insert(ContactEmail._meta.db_table, EMAIL_COLUMNS, email_rows)
    return ids, kinds


CONVERSATION_COLUMNS = (
    "id", "subject", "requester_id", "team_id", "owner_id", "status", "channel", "priority",
    "merged_into_id", "created_at", "updated_at", "last_customer_message_at", "last_reply_at",
    "first_reply_at", "resolved_at", "waiting_since", "message_count", "preview",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "id", "conversation_id", "kind", "author_contact_id", "author_agent_id", "text", "html",
    "channel", "created_at",
)  # fmt: skip
EVENT_COLUMNS = ("conversation_id", "type", "actor_agent_id", "actor_contact_id", "created_at",
                 "data")  # fmt: skip


def generate(
    *,
    conversations: int,
    messages_per_conversation: int = 5,
    contacts: int | None = None,
    seed: int = 1,
    years: float = 2.0,
    batch_size: int = 2000,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Generated:
    """Add ``conversations`` synthetic conversations (and contacts, agents, tags as needed)."""
    if conversations < 1 or messages_per_conversation < 1:
        raise ValueError("Ask for at least one conversation with at least one message.")
    if contacts is not None and contacts < 1:
        raise ValueError("Ask for at least one contact.")
    started = time.monotonic()
    rng = random.Random(seed)
    writer = _Writer()
    now_s = (now or timezone.now()).timestamp()
    contact_count = contacts if contacts is not None else max(20, conversations // 8)
    writer.tune(bulk=True)
    try:
        with transaction.atomic():
            members, team_ids = _staff(rng)
        tag_ids = _tags()
        contact_ids, contact_kinds = _contacts(writer, rng, contact_count, now_s)
        story = Story(
            rng=rng,
            writer=writer,
            now=now_s,
            start=now_s - years * 365 * DAY,
            total=conversations,
            messages_per_conversation=messages_per_conversation,
            contact_ids=contact_ids,
            contact_kinds=contact_kinds,
            members=members,
            team_ids=team_ids,
            tags=tag_ids,
        )
        done = messages = events = 0
        first_ids = (writer.next_id(Conversation), writer.next_id(Message))
        for rows in _prepared(story, conversations, batch_size, first_ids):
            with transaction.atomic():
                if (writer.next_id(Conversation), writer.next_id(Message)) != rows.first_ids:
                    raise RuntimeError(
                        "Something else added conversations while generating; run it again "
                        "on a quiet database."
                    )
                writer.insert(Conversation._meta.db_table, CONVERSATION_COLUMNS, rows.conversations)
                writer.insert(Message._meta.db_table, MESSAGE_COLUMNS, rows.messages)
                writer.insert(Event._meta.db_table, EVENT_COLUMNS, rows.events)
                writer.insert(
                    Conversation.tags.through._meta.db_table,
                    ("conversation_id", "tag_id"),
                    rows.tags,
                )
                search.index_rows(rows.search)
            done += len(rows.conversations)
            messages += len(rows.messages)
            events += len(rows.events)
            if progress is not None:
                progress(done, conversations)
        writer.reset_sequences([Organization, Contact, ContactEmail, Conversation, Message])
        writer.analyze()
    finally:
        writer.tune(bulk=False)
    return Generated(
        conversations=conversations,
        messages=messages,
        events=events,
        contacts=contact_count,
        seconds=time.monotonic() - started,
    )


def _prepared(
    story: Story, total: int, batch_size: int, first_ids: tuple[int, int]
) -> Iterator[_Rows]:
    """Batches of rows, built in a helper thread while the previous batch is being written.

    SQLite and psycopg do their work with the GIL released, so building the next batch in
    Python overlaps with writing this one. Ids are handed out in sequence from ``first_ids``.
    """
    handoff: queue.Queue[_Rows | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def build() -> None:
        conversation_id, message_id = first_ids
        try:
            for start in range(0, total, batch_size):
                if stop.is_set():
                    return
                rows = story.batch(
                    first_index=start,
                    size=min(batch_size, total - start),
                    conversation_id=conversation_id,
                    message_id=message_id,
                )
                conversation_id += len(rows.conversations)
                message_id += len(rows.messages)
                handoff.put(rows)
            handoff.put(None)
        except BaseException as exc:  # handed to the writing thread, which raises it
            handoff.put(exc)

    worker = threading.Thread(target=build, name="helpmate-generate", daemon=True)
    worker.start()
    try:
        while (item := handoff.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a builder waiting on a full queue
            try:
                handoff.get_nowait()
            except queue.Empty:
                worker.join(0.05)


@dataclass
class _Rows:
    first_ids: tuple[int, int]
    conversations: list[tuple[Any, ...]]
    messages: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]
    tags: list[tuple[int, int]]
    search: list[tuple[int, int, str, str]]


class Story:
    """Simulates conversations the way the actions would record them, as rows."""

    def __init__(
        self,
        *,
        rng: random.Random,
        writer: _Writer,
        now: float,
        start: float,
        total: int,
        messages_per_conversation: int,
        contact_ids: list[int],
        contact_kinds: list[str],
        members: dict[int, list[int]],
        team_ids: dict[str, int],
        tags: list[tuple[int, str]],
    ) -> None:
        self.rng, self.writer, self.now, self.start = rng, writer, now, start
        self.step = (now - start) / total
        self.mpc = messages_per_conversation
        self.contact_ids, self.contact_kinds = contact_ids, contact_kinds
        self.members, self.tags = members, tags
        support, billing, logistics, it = (team_ids[name] for name in BENCH_TEAMS)
        self.customer_teams = ([support, billing, logistics], [65, 20, 15])
        self.supplier_teams = ([logistics, billing], [70, 30])
        self.it = it

    def batch(self, *, first_index: int, size: int, conversation_id: int, message_id: int) -> _Rows:
        rows = _Rows((conversation_id, message_id), [], [], [], [], [])
        for n in range(size):
            message_id = self._one(first_index + n, conversation_id + n, message_id, rows)
        return rows

    def _status(self, age_days: float) -> str:
        rng = self.rng
        share = next(s for limit, s in OPEN_BY_AGE if limit is None or age_days < limit)
        if rng.random() < share:
            weights = [20, 35, 30, 15] if age_days < 14 else [5, 35, 35, 25]
            return rng.choices(("new", "open", "waiting_customer", "waiting_other"), weights)[0]
        return "resolved" if rng.random() < (0.8 if age_days < 14 else 0.3) else "closed"

    def _count(self, status: str) -> int:
        rng = self.rng
        k = rng.randint(30, 40) if rng.random() < 0.002 else rng.randint(1, 2 * self.mpc - 1)
        if status == "new":
            return min(k, 2)
        if status == "open" and k > 1 and k % 2 == 0:
            return k + rng.choice((-1, 1))  # the customer wrote last
        if status in ("waiting_customer", "waiting_other") and k % 2 == 1:
            return k + 1  # we wrote last
        return max(k, 2) if status in ("resolved", "closed") else k

    def _one(self, index: int, cid: int, mid: int, rows: _Rows) -> int:
        rng, random_ = self.rng, self.rng.random
        created = self.start + (index + random_()) * self.step
        status = self._status((self.now - created) / DAY)
        slot = int(len(self.contact_ids) * random_() * random_())  # a few contacts write a lot
        requester, kind = self.contact_ids[slot], self.contact_kinds[slot]
        if kind == "colleague":
            team, channel = self.it, rng.choice(("internal", "chat", "email"))
        elif kind == "supplier":
            team, channel = rng.choices(*self.supplier_teams)[0], "email"
        else:
            team = rng.choices(*self.customer_teams)[0]
            channel = rng.choices(("email", "portal", "chat", "phone", "api"), (45, 27, 12, 10, 6))[
                0
            ]
        owner = rng.choice(self.members[team])
        k = self._count(status)
        claimed = status == "open" and k == 1
        who = ["in"] * k if status == "new" else ["in" if i % 2 == 0 else "out" for i in range(k)]
        moments = [created]
        for step in who[1:]:
            mean, top = (4 * 3600, 3 * DAY) if step == "out" else (10 * 3600, 5 * DAY)
            moments.append(moments[-1] + min(top, 60 + rng.expovariate(1 / mean)))
        extra = []  # claim, final resolve, close
        if claimed:
            extra.append(moments[-1] + rng.uniform(120, 7200))
        if status in ("resolved", "closed") and who[-1] == "in":
            extra.append(moments[-1] + rng.uniform(600, 4 * 3600))
        if status == "closed":
            extra.append((extra or moments)[-1] + rng.uniform(3, 10) * DAY)
        end, limit = (extra or moments)[-1], self.now - 60
        if end > limit:
            scale = (limit - created) / (end - created)
            moments = [created + (m - created) * scale for m in moments]
            extra = [created + (m - created) * scale for m in extra]

        vals = {
            "product": rng.choice(words.PRODUCT_NAMES),
            "problem": rng.choice(words.PROBLEMS),
            "order": f"NW{rng.randint(1_000_000, 9_999_999)}",
            "invoice": f"INV-{rng.randint(2023, 2026)}-{rng.randint(10000, 99999)}",
            "carrier": rng.choice(words.CARRIER_NAMES),
            "city": rng.choice(words.CITY_NAMES),
        }
        subject = rng.choice(words.SUBJECTS).format_map(vals)
        at = self.writer.moment
        ev, msgs, search_rows = rows.events, rows.messages, rows.search
        t0 = at(created)
        ev.append((cid, "created", None, requester, t0,
                   json.dumps({"channel": channel, "subject": subject, "team": team})))  # fmt: skip
        state, owner_now = "new", None
        waiting: float | None = created
        last_in: float | None = None
        first_out: float | None = None
        last_out: float | None = None
        resolved: float | None = None
        preview, first_mid = "", mid
        for i, (step, moment) in enumerate(zip(who, moments, strict=True)):
            when = t0 if i == 0 else at(moment)
            if step == "in":
                pool: tuple[str, ...] = words.OPENINGS if i == 0 else words.FOLLOW_UPS
                text = rng.choice(pool).format_map(vals)
                msgs.append((mid, cid, "incoming", requester, None, text, message_html(text),
                             channel, when))  # fmt: skip
                if i > 0 and state not in ("new", "open"):
                    ev.append((cid, "status_changed", None, requester, when,
                               f'{{"previous": "{state}", "status": "open"}}'))  # fmt: skip
                    state = "open"
                ev.append((cid, "message_received", None, requester, when, f'{{"message": {mid}}}'))
                waiting = waiting or moment
                last_in = moment
            else:
                final = i == k - 1
                pool = (
                    words.RESOLUTIONS
                    if final and status in ("resolved", "closed")
                    else words.REPLIES
                )
                text = rng.choice(pool).format_map(vals)
                msgs.append(
                    (mid, cid, "reply", None, owner, text, message_html(text), channel, when)
                )
                if owner_now is None:
                    assigned = f'{{"previous": null, "owner": {owner}, "reason": "replied"}}'
                    ev.append((cid, "assigned", owner, None, when, assigned))
                    owner_now = owner
                ev.append((cid, "replied", owner, None, when, f'{{"message": {mid}}}'))
                if final and status in ("resolved", "closed"):
                    new = "resolved"
                elif (final and status == "waiting_other") or state == "waiting_other":
                    new = "waiting_other"
                else:
                    new = "waiting_customer"
                if new != state:
                    ev.append((cid, "status_changed", owner, None, when,
                               f'{{"previous": "{state}", "status": "{new}"}}'))  # fmt: skip
                    state = new
                if new == "resolved":
                    resolved = moment
                first_out = first_out or moment
                last_out, waiting = moment, None
                if i == 1 and random_() < 0.3 and self.tags:
                    picked = rng.sample(self.tags, rng.randint(1, 2))
                    rows.tags.extend((cid, pk) for pk, _ in picked)
                    names = sorted(name for _, name in picked)
                    ev.append((cid, "tagged", owner, None, when,
                               json.dumps({"added": names, "removed": []})))  # fmt: skip
            search_rows.append((mid, cid, subject if i == 0 else "", text))
            preview = text
            mid += 1
            if i == 1 and random_() < 0.06:  # an internal note right after the first answer
                note = rng.choice(words.NOTES).format_map(vals)
                msgs.append((mid, cid, "note", None, owner, note, message_html(note), "internal",
                             when))  # fmt: skip
                ev.append((cid, "note", owner, None, when, f'{{"message": {mid}, "mentions": []}}'))
                search_rows.append((mid, cid, "", note))
                mid += 1
        for moment in extra:
            when = at(moment)
            if state == "new":  # claimed without an answer yet
                ev.append((cid, "assigned", owner, None, when,
                           f'{{"previous": null, "owner": {owner}}}'))  # fmt: skip
                owner_now, new = owner, "open"
            else:
                new = "resolved" if state != "resolved" else "closed"
                resolved = resolved or moment
                waiting = None
            ev.append((cid, "status_changed", owner, None, when,
                       f'{{"previous": "{state}", "status": "{new}"}}'))  # fmt: skip
            state = new
        last = (extra or moments)[-1]
        rows.conversations.append((
            cid, subject, requester, team, owner_now, state, channel,
            rng.choices((1, 2, 3, 4), (10, 70, 15, 5))[0], None, t0, at(last),
            at(last_in) if last_in else None, at(last_out) if last_out else None,
            at(first_out) if first_out else None, at(resolved) if resolved else None,
            at(waiting) if waiting is not None else None,
            mid - first_mid, preview_of(preview),
        ))  # fmt: skip
        return mid
