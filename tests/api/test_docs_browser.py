"""The docs page in a real browser, with every request off this server blocked (offline)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_renders_every_resource_offline(page, live_server):
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/api/docs")
    page.wait_for_selector(".opblock-tag", timeout=15_000)
    tags = page.locator(".opblock-tag").all_inner_texts()
    for tag in ("conversations", "messages", "events", "contacts", "agents", "teams"):
        assert any(t.strip().lower().startswith(tag) for t in tags), tags
    assert errors == []
    assert outside == []
