"""Full-text search over subjects and messages.

SQLite uses an FTS5 table, PostgreSQL a tsvector table with a GIN index; both are created by
the desk's migrations and keyed by message id, so indexing a new message is one insert. The first
message of a conversation carries its subject. Results come newest first, which both engines
answer from the index without sorting every match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.db import connection

TABLE = "desk_search"
MAX_MATCHES = 250  # conversations a search returns at most (five inbox pages)
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def index_rows(rows: Iterable[tuple[int, int, str, str]]) -> None:
    """Index (message_id, conversation_id, subject, text) rows; subject may be empty."""
    batch = list(rows)
    if not batch:
        return
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.executemany(
                f"INSERT INTO {TABLE} (message_id, conversation_id, document) VALUES "  # noqa: S608
                "(%s, %s, setweight(to_tsvector('simple', %s), 'A') || "
                "to_tsvector('simple', %s)) ON CONFLICT (message_id) DO NOTHING",
                batch,
            )
        else:
            cursor.executemany(
                f"INSERT OR REPLACE INTO {TABLE} (rowid, conversation_id, subject, body) "  # noqa: S608
                "VALUES (%s, %s, %s, %s)",
                batch,
            )


def reindex_subject(message_id: int, conversation_id: int, subject: str, text: str) -> None:
    """Replace the entry of one message (used when a subject changes)."""
    remove_messages([message_id])
    index_rows([(message_id, conversation_id, subject, text)])


def remove_messages(message_ids: Sequence[int]) -> None:
    if not message_ids:
        return
    placeholders = ", ".join(["%s"] * len(message_ids))
    column = "message_id" if _is_postgres() else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE {column} IN ({placeholders})",  # noqa: S608
            list(message_ids),
        )


def move_messages(message_ids: Sequence[int], conversation_id: int) -> None:
    """Point index entries at another conversation (after a merge)."""
    if not message_ids:
        return
    placeholders = ", ".join(["%s"] * len(message_ids))
    column = "message_id" if _is_postgres() else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET conversation_id = %s WHERE {column} IN ({placeholders})",  # noqa: S608
            [conversation_id, *message_ids],
        )


def terms_of(query: str) -> list[str]:
    return _WORD_RE.findall(query.lower())[:12]


def matching_conversation_ids(query: str, *, limit: int = MAX_MATCHES) -> list[int]:
    """Conversation ids whose subject or messages contain every word of the query.

    The last word also matches as a prefix ("refu" finds "refund"). Newest matches first;
    at most ``limit`` conversations, read from at most twice as many messages: a search is
    for finding something recent or specific, and more words narrow it.
    """
    terms = terms_of(query)
    if not terms:
        return []
    with connection.cursor() as cursor:
        if _is_postgres():
            tsquery = " & ".join([f"'{t}'" for t in terms[:-1]] + [f"'{terms[-1]}':*"])
            cursor.execute(
                f"SELECT conversation_id FROM {TABLE} "  # noqa: S608
                "WHERE document @@ to_tsquery('simple', %s) ORDER BY message_id DESC LIMIT %s",
                [tsquery, limit * 2],
            )
        else:
            match = " ".join([f'"{t}"' for t in terms[:-1]] + [f'"{terms[-1]}"*'])
            cursor.execute(
                f"SELECT conversation_id FROM {TABLE} WHERE {TABLE} MATCH %s "  # noqa: S608
                "ORDER BY rowid DESC LIMIT %s",
                [match, limit * 2],
            )
        seen: dict[int, None] = {}
        for (conversation_id,) in cursor.fetchall():
            seen.setdefault(conversation_id, None)
            if len(seen) >= limit:
                break
    return list(seen)
