"""Background work for the desk.

Replies are emailed through the durable outbox (``helpmate.outbox``): ``add_reply`` writes an
outbox row in its own transaction and the outbox's task sends it. Nothing else runs here yet.
"""

from __future__ import annotations
