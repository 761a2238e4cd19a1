"""The periodic job of the service app (registered in ServiceConfig.ready)."""

from __future__ import annotations

from helpmate.service.actions import record_missed_targets


def record_misses() -> int:
    """Record every target that passed unmet since the last run (idempotent, batch by batch)."""
    total = 0
    while True:
        done = record_missed_targets(limit=500)
        total += done
        if done < 500:
            return total
