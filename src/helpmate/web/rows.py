"""Many rows of one model updated with one prepared statement run for each (``executemany``).

Cheaper, for a batch, than ``save()`` per row (each statement compiled by the ORM) or
``bulk_update`` (one large CASE expression per field). Used where a batch of emails writes many
rows at once; one row at a time, ``save()`` stays the way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django.db import connection
from django.db.models import Field, Model


def update_each(model: type[Model], rows: Sequence[Model], fields: Sequence[str | Field]) -> None:
    """UPDATE these fields of each row, found by its primary key. The values go through each
    field's ``pre_save`` and ``get_db_prep_save``, as ``save()`` does; no signals are sent."""
    if not rows:
        return
    meta = model._meta
    chosen = [f if isinstance(f, Field) else cast(Field, meta.get_field(f)) for f in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(cast(str, f.column))} = %s" for f in chosen)
    key = quote(cast(str, cast(Field, meta.pk).column))
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {key} = %s"  # noqa: S608
    params = [
        [*(f.get_db_prep_save(f.pre_save(row, False), connection) for f in chosen), row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
