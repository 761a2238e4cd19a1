"""The per-conversation simulation: rows exactly as the actions would have recorded them."""

from __future__ import annotations

import json
import queue
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from helpmate.demo import synthetic as words
from helpmate.desk.bulk.people import BENCH_TEAMS, DAY
from helpmate.desk.bulk.writer import Writer, message_html
from helpmate.desk.sanitize import preview_of

OPEN_BY_AGE = ((14, 0.5), (90, 0.08), (None, 0.045))  # (younger than days, share still open)


def prepared(
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
        writer: Writer,
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
            None, None, None, None, None,  # due times (set by helpmate.service), follow-up of
        ))  # fmt: skip
        return mid
