"""Who may change the guard's rules: admins only, with CSRF on; everyone else is refused and
nothing is written."""

from __future__ import annotations

import pytest
from django.test import Client

from helpmate.guard.models import RuleChange, RuleOverride

pytestmark = pytest.mark.django_db

NEW_RULE = {
    "rule_id": "sorry-for-any-inconvenience",
    "pattern": r"sorry\s+for\s+any\s+inconvenience",
    "move": "own",
    "reason": "A stock phrase.",
    "better": "Say what went wrong.",
    "save": "1",
}
EDIT = {**NEW_RULE, "pattern": r"not\s+our\s+department"}

# (method, url, data) for every page and form of the editor.
ENDPOINTS = [
    ("get", "/guard/rules/new/", None),
    ("post", "/guard/rules/new/", NEW_RULE),
    ("get", "/guard/rules/not-our-department/edit/", None),
    ("post", "/guard/rules/not-our-department/edit/", EDIT),
    ("post", "/guard/rules/not-our-department/switch/", {"enabled": "0"}),
    ("post", "/guard/rules/not-our-department/revert/", {}),
]
NOT_ADMINS = ["agent", "lead", "other_agent", "customer", "other_customer", "colleague", "supplier"]


def _call(client: Client, method: str, url: str, data: dict | None):
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS)
@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_admins_can_change_the_rules(client_for, persona, method, url, data):
    response = _call(client_for(persona), method, url, data)
    assert response.status_code == 403
    assert not RuleOverride.objects.exists() and not RuleChange.objects.exists()


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS)
def test_anonymous_visitors_are_sent_to_sign_in(client_for, method, url, data):
    response = _call(client_for("anonymous"), method, url, data)
    assert response.status_code == 302 and response["Location"].startswith("/signin/")
    assert not RuleOverride.objects.exists()


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS)
def test_admins_can_use_every_page_and_form(client_for, method, url, data):
    response = _call(client_for("admin"), method, url, data)
    assert response.status_code in (200, 302)
    if method == "post" and "revert" not in url:
        assert RuleChange.objects.count() == 1


@pytest.mark.parametrize("url", ["/guard/rules/x/switch/", "/guard/rules/x/revert/"])
def test_switch_and_revert_only_take_a_post(client_for, url):
    assert client_for("admin").get(url).status_code == 405


@pytest.mark.parametrize("action", ["edit/", "switch/", "revert/"])
def test_an_unknown_rule_is_not_found(client_for, action):
    client = client_for("admin")
    response = client.post(f"/guard/rules/no-such-rule/{action}", EDIT | {"enabled": "0"})
    assert response.status_code == 404
    assert client.get("/guard/rules/no-such-rule/edit/").status_code == 404


@pytest.mark.parametrize(("method", "url", "data"), [e for e in ENDPOINTS if e[0] == "post"])
def test_csrf_stays_on_for_the_editor(personas, method, url, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.admin.user)
    assert client.post(url, data).status_code == 403
    assert not RuleOverride.objects.exists() and not RuleChange.objects.exists()


def test_a_form_posted_with_its_csrf_token_is_accepted(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.admin.user)
    page = client.get("/guard/rules/new/")
    token = page.context["csrf_token"]
    response = client.post("/guard/rules/new/", {**NEW_RULE, "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert RuleOverride.objects.filter(rule_id="sorry-for-any-inconvenience").exists()


@pytest.mark.parametrize("persona", ["agent", "lead", "other_agent"])
def test_agents_see_the_rules_but_no_editing_controls_or_history(client_for, persona):
    html = client_for(persona).get("/guard/rules/").content.decode()
    assert "<code>not-our-department</code>" in html
    for control in ("Add a rule</a>", "/edit/", "/switch/", "/revert/", "Recent changes"):
        assert control not in html


def test_admins_see_the_editing_controls_and_history(client_for):
    html = client_for("admin").get("/guard/rules/").content.decode()
    assert 'href="/guard/rules/new/"' in html
    assert 'href="/guard/rules/not-our-department/edit/"' in html
    assert 'action="/guard/rules/not-our-department/switch/"' in html
    assert "Recent changes" in html and "No changes made here yet" in html


@pytest.mark.parametrize("persona", ["anonymous", "customer", "colleague", "supplier"])
def test_the_api_check_is_still_refused_to_non_agents(client_for, persona):
    response = client_for(persona).post(
        "/api/replies/check", {"text": "x"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
