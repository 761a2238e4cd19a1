"""Helpers for the people page tests: counting queries of a page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def queries_for() -> Callable[[Client, str], int]:
    """How many queries one GET of ``url`` runs (the page must answer 200)."""

    def count(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(captured.captured_queries)

    return count
