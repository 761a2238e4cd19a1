"""The docs page in a real browser, with every request off this server blocked (offline)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("HELPMATE_CHROMIUM", "/usr/bin/chromium")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_every_resource_offline(live_server):
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        try:
            page = browser.new_page()
            page.route("**/*", only_local)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/api/docs")
            page.wait_for_selector(".opblock-tag", timeout=15_000)
            tags = page.locator(".opblock-tag").all_inner_texts()
            for tag in ("conversations", "messages", "events", "contacts", "agents", "teams"):
                assert any(t.strip().lower().startswith(tag) for t in tags), tags
            assert errors == []
            assert outside == []
        finally:
            browser.close()
