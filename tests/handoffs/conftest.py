"""Shared pieces of the handoffs tests: the API client fixtures and a handed-over conversation."""

from __future__ import annotations

import pytest

from tests.api.conftest import ApiClient, api, api_for  # noqa: F401


@pytest.fixture
def conv(personas):
    from helpmate.desk import actions as desk

    conv = personas.conversation()
    desk.assign_conversation(conversation=conv, actor=personas.agent, owner=personas.agent)
    return conv
