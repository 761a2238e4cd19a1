"""Full-text search over subjects and messages.

SQLite uses an FTS5 table, PostgreSQL a tsvector table with a GIN index; both are created by
the desk's migrations and keyed by message id, so indexing a new message is one insert. The first
message of a conversation carries its subject. Results come newest first, which both engines
answer from the index without sorting every match.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.backends.utils import CursorWrapper

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
            # Newest first either by walking the primary key backwards and testing each message
            # (quick when some word is common) or from the GIN index, then sorting the few
            # matches (quick when every word is rare). The planner cannot tell a rare prefix
            # from a common one, so we decide from the column's statistics.
            order = "message_id" if _has_common_word(cursor, terms) else "message_id + 0"
            cursor.execute(
                f"SELECT conversation_id FROM {TABLE} "  # noqa: S608
                f"WHERE document @@ to_tsquery('simple', %s) ORDER BY {order} DESC LIMIT %s",
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


_COMMON_SHARE = 0.002  # a word in more than 0.2% of messages counts as common
_common_words: tuple[float, frozenset[str]] = (0.0, frozenset())


def _has_common_word(cursor: CursorWrapper, terms: list[str]) -> bool:
    """Whether a search term (the last one as a prefix) is common in PostgreSQL's statistics."""
    global _common_words
    fetched_at, common = _common_words
    if time.monotonic() - fetched_at > 600:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = %s AND attname = 'document'",
            [TABLE],
        )
        row = cursor.fetchone()
        words, shares = (row[0] or [], row[1] or []) if row else ([], [])
        pairs = zip(words, shares, strict=False)
        common = frozenset(w for w, share in pairs if share > _COMMON_SHARE)
        _common_words = (time.monotonic(), common)
    *whole, prefix = terms
    return (
        any(t in common for t in whole)
        or len(prefix) < 3
        or any(w.startswith(prefix) for w in common)
    )
