"""API endpoints of the guard app, mounted under /api/ by helpmate.api.api."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Guard"])
