"""The API client fixtures of tests/api, shared with the guard's tests; every test starts with
no cached rules (a rolled-back test must not leave its rule edits in this process's cache)."""

from collections.abc import Iterator

import pytest

from helpmate.guard.rules import reload_rules
from tests.api.conftest import ApiClient, api, api_for  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_guard_rules() -> Iterator[None]:
    reload_rules()
    yield
    reload_rules()
