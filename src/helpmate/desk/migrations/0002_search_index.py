"""The full-text search table: FTS5 on SQLite, tsvector with a GIN index on PostgreSQL."""

from django.db import migrations

SQLITE_UP = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS desk_search USING fts5("
    "subject, body, conversation_id UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
)
POSTGRES_UP = [
    "CREATE TABLE IF NOT EXISTS desk_search (message_id bigint PRIMARY KEY, "
    "conversation_id bigint NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS desk_search_document ON desk_search USING gin (document)",
    "CREATE INDEX IF NOT EXISTS desk_search_conversation ON desk_search (conversation_id)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_UP:
            schema_editor.execute(statement)
    else:
        schema_editor.execute(SQLITE_UP)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS desk_search")


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
