"""Shared personas for every test: who is who at the demo company.

agent (Maya, Support), lead (Sam, Support lead), admin (Ada), other_agent (Omar, Billing only),
customer (Carla, Acme), other_customer (Dan, Globex), colleague (Priya, Finance department),
supplier (Sven, Nordic Parts), and anonymous (no one signed in).
Use ``client_for(persona)`` for a Django test client signed in as that persona.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from helpmate.desk import actions as desk
from helpmate.desk.models import Channel, Conversation
from helpmate.people import actions as people
from helpmate.people.actions import portal_user_for
from helpmate.people.models import Agent, Contact, Organization, Team

PASSWORD = "correct horse battery staple"


@dataclass
class Personas:
    support: Team
    billing: Team
    agent: Agent
    lead: Agent
    admin: Agent
    other_agent: Agent
    acme: Organization
    customer: Contact
    other_customer: Contact
    colleague: Contact
    supplier: Contact

    def conversation(
        self,
        requester: Contact | None = None,
        *,
        subject: str = "Order 1042 arrived damaged",
        text: str = "The box was crushed and the lamp inside is broken.",
        team: Team | None = None,
    ) -> Conversation:
        return desk.create_conversation(
            requester=requester or self.customer,
            subject=subject,
            text=text,
            channel=Channel.PORTAL,
            team=team or self.support,
        )


@pytest.fixture
def personas(db: None) -> Personas:
    support = people.create_team(name="Support", email="support@example.com")
    billing = people.create_team(name="Billing", email="billing@example.com")
    acme = people.create_organization(name="Acme", kind="company", domain="acme.example")
    globex = people.create_organization(name="Globex", kind="company", domain="globex.example")
    finance = people.create_organization(name="Finance", kind="department")
    nordic = people.create_organization(name="Nordic Parts", kind="supplier")
    return Personas(
        support=support,
        billing=billing,
        agent=people.create_agent(
            email="maya@helpmate.test", name="Maya Lindqvist", password=PASSWORD, teams=[support]
        ),
        lead=people.create_agent(
            email="sam@helpmate.test",
            name="Sam Okafor",
            password=PASSWORD,
            teams=[support],
            role="lead",
        ),
        admin=people.create_agent(
            email="ada@helpmate.test", name="Ada Brandt", password=PASSWORD, role="admin"
        ),
        other_agent=people.create_agent(
            email="omar@helpmate.test", name="Omar Haddad", password=PASSWORD, teams=[billing]
        ),
        acme=acme,
        customer=people.create_contact(
            name="Carla Mendes",
            preferred_name="Carla",
            emails=["carla@acme.example"],
            organization=acme,
            time_zone="Europe/Lisbon",
        ),
        other_customer=people.create_contact(
            name="Dan Fischer", emails=["dan@globex.example"], organization=globex
        ),
        colleague=people.create_contact(
            name="Priya Nair",
            kind="colleague",
            emails=["priya@finance.example"],
            organization=finance,
        ),
        supplier=people.create_contact(
            name="Sven Ek",
            kind="supplier",
            emails=["sven@nordicparts.example"],
            organization=nordic,
        ),
    )


@pytest.fixture
def client_for(personas: Personas) -> Callable[[str], Client]:
    """A test client signed in as a persona by name ('anonymous' for nobody)."""

    def make(name: str) -> Client:
        client = Client()
        if name == "anonymous":
            return client
        who = getattr(personas, name)
        if isinstance(who, Agent):
            client.force_login(who.user)
        else:
            client.force_login(portal_user_for(who))  # type: ignore[arg-type]
        return client

    return make


@pytest.fixture(autouse=True)
def _empty_search_index_after_transactional_tests(request: pytest.FixtureRequest):
    """Flushing the database between transactional tests does not know the search table."""
    yield
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(names & {"transactional_db", "live_server", "live_server_url"}) or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if transactional:
        from django.db import connection

        blocker = request.getfixturevalue("django_db_blocker")
        with blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM desk_search")


@pytest.fixture(autouse=True)
def _fresh_service_caches() -> Iterator[None]:
    """Calendars and targets are cached per process; a rolled-back test must not leave its own."""
    from helpmate.service import calendar, targets

    calendar.invalidate_cache()
    targets.invalidate_cache()
    yield


@pytest.fixture(autouse=True)
def _fresh_guard_rules() -> Iterator[None]:
    """The guard's merged rules are cached per process, like the service caches above."""
    from helpmate.guard import ruleset

    ruleset.invalidate()
    yield
    ruleset.invalidate()


# --- browser tests: Playwright driving Debian's Chromium against Django's live server ---------

CHROMIUM = os.environ.get("HELPMATE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) or "page" in getattr(
            item, "fixturenames", ()
        ):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module (Playwright's sync API cannot nest two at once)."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    # Playwright's sync API runs an event loop; Django refuses ORM calls while one runs unless
    # told the calling code is synchronous, which ours is.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh page on the live server; ``page.dialogs`` collects any alert() that fired."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1360, "height": 900})
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda dialog: (pg.dialogs.append(dialog.message), dialog.dismiss()))
    pg.set_default_timeout(10_000)
    yield pg
    context.close()
