"""Batched inserts for the bulk generator: ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models


def message_html(text: str) -> str:
    """What ``sanitize.text_to_html`` returns for one paragraph without links (tested equal)."""
    return "<p>" + html.escape(text, quote=False) + "</p>"


class Writer:
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
            if self.postgres and connection.in_atomic_block:  # held until the batch commits
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
        """Fresh planner statistics on PostgreSQL, as autovacuum would soon gather anyway.

        SQLite is left without statistics (no ``sqlite_stat1``), as a desk created by
        ``helpmate migrate`` has them: benchmarks then see the query plans real desks get.
        """
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
