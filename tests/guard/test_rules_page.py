from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["agent", "lead", "admin", "other_agent"])
def test_agents_see_the_rules_in_force(client_for, persona):
    response = client_for(persona).get("/guard/rules/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<code>not-our-department</code>" in html and "Rules in force (" in html


@pytest.mark.parametrize(
    "persona", ["anonymous", "customer", "other_customer", "colleague", "supplier"]
)
def test_others_cannot_open_the_rules_page(client_for, persona):
    for response in (
        client_for(persona).get("/guard/rules/"),
        client_for(persona).post("/guard/rules/", {"text": "We don't handle that."}),
    ):
        assert response.status_code in (302, 403)
        assert b"not-our-department" not in response.content


def test_trying_a_reply_shows_the_flags(client_for):
    html = (
        client_for("agent")
        .post("/guard/rules/", {"text": "Thanks! We don't handle that. Please contact billing."})
        .content.decode()
    )
    assert "2 sentences may push the customer away." in html
    assert "(we-dont-handle)" in html and "(contact-someone-else)" in html


def test_trying_a_helpful_reply_says_so(client_for):
    html = (
        client_for("agent").post("/guard/rules/", {"text": "I've refunded you."}).content.decode()
    )
    assert "Nothing pushes the customer away in this reply." in html


def test_rules_page_query_count_is_fixed(client_for, django_assert_max_num_queries):
    client = client_for("agent")
    with django_assert_max_num_queries(6):
        client.get("/guard/rules/")


def _changes(personas, count: int) -> None:
    from helpmate.guard import actions

    for number in range(count):
        actions.switch_rule(actor=personas.admin, rule_id="policy-shield", enabled=bool(number % 2))


def test_admins_rules_page_query_count_does_not_grow_with_the_history(client_for, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from helpmate.guard.rules import reload_rules

    client = client_for("admin")

    def count() -> int:
        reload_rules()  # the worst case: version and edits read again
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/guard/rules/").status_code == 200
        return len(queries)

    _changes(personas, 1)
    few = count()
    _changes(personas, 12)
    assert count() == few
    assert few <= 8


def test_the_page_shows_a_useful_empty_history_and_recent_changes(client_for, personas):
    html = client_for("admin").get("/guard/rules/").content.decode()
    assert "No changes made here yet" in html
    _changes(personas, 1)
    html = client_for("admin").get("/guard/rules/").content.decode()
    assert "Switched off</strong> <code>policy-shield</code>" in html and "by Ada Brandt" in html
