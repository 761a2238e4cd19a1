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
