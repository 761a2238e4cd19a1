"""Admins edit the guard's rules in the workspace: every change is validated like a rules file,
stored through the actions with its history, and in force at once for the composer and the API."""

from __future__ import annotations

import pytest

from helpmate.guard import actions
from helpmate.guard.actions import RuleFields
from helpmate.guard.check import check_text
from helpmate.guard.models import RuleChange, RuleOverride
from helpmate.guard.rules import RuleError, load_rules
from helpmate.guard.ruleset import current

pytestmark = pytest.mark.django_db

SORRY = RuleFields(
    pattern=r"sorry\s+for\s+any\s+inconvenience",
    move="own",
    reason="A stock phrase that sounds like a script.",
    better="Say what went wrong and what you are doing about it.",
)
FORM = {
    "rule_id": "sorry-for-any-inconvenience",
    "pattern": SORRY.pattern,
    "move": SORRY.move,
    "reason": SORRY.reason,
    "better": SORRY.better,
}
STOCK = "Hi Carla,\n\nWe are sorry for any inconvenience caused.\n\nMaya"


def _rule(rule_id: str):
    state = current().get(rule_id)
    assert state is not None
    return state


# --- one validation: the editor refuses what start-up refuses, with the same words -------------

BAD = [
    ("pattern", {"pattern": "(unclosed"}, "not a valid regular expression"),
    ("pattern", {"pattern": ".*"}, "matches an empty sentence"),
    ("pattern", {"pattern": "  "}, "'pattern' must be a non-empty regular expression"),
    ("unless", {"unless": "[oops"}, "'unless' is not a valid regular expression"),
    ("unless", {"unless": "x?"}, "'unless' matches an empty sentence"),
    ("move", {"move": "shrug"}, "'move' must be one of own, handoff, alternative, referral"),
    ("move", {"move": ""}, "'move' must be one of"),
    ("reason", {"reason": " "}, "'reason' is required"),
    ("better", {"better": ""}, "'better' is required"),
    ("rule_id", {"rule_id": "Bad Id"}, "'id' is required: lower-case letters"),
    ("rule_id", {"rule_id": ""}, "'id' is required"),
    ("rule_id", {"rule_id": "not-our-department"}, "the id is used twice"),
]


@pytest.mark.parametrize(("field", "change", "message"), BAD)
def test_a_bad_rule_gets_a_clear_error_next_to_its_field_and_nothing_is_saved(
    client_for, field, change, message
):
    response = client_for("admin").post("/guard/rules/new/", {**FORM, **change, "save": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    error_list = html.split(f'id="id_{field}_error"', 1)[1].split("</ul>", 1)[0]
    assert message.replace("'", "&#x27;") in error_list
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html
    assert 'role="alert"' in html
    assert not RuleOverride.objects.exists() and not RuleChange.objects.exists()


@pytest.mark.parametrize(("field", "change", "message"), [b for b in BAD if b[0] != "rule_id"])
def test_the_editor_and_a_rules_file_refuse_a_rule_with_the_same_message(
    tmp_path, personas, field, change, message
):
    data = {**FORM, **change}
    fields = RuleFields(
        pattern=data["pattern"],
        unless=data.get("unless", ""),
        move=data["move"],
        reason=data["reason"],
        better=data["better"],
    )
    with pytest.raises(RuleError) as in_workspace:
        actions.add_rule(actor=personas.admin, rule_id="a", fields=fields)
    toml = "[[rule]]\nid = 'a'\n" + "".join(
        f"{k} = '''{v}'''\n"
        for k, v in data.items()
        if k in ("pattern", "unless", "move", "reason", "better")
    )
    path = tmp_path / "rules.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(RuleError) as in_file:
        load_rules(str(path))
    assert in_workspace.value.detail == in_file.value.detail
    assert in_workspace.value.field == in_file.value.field == field
    assert message in in_workspace.value.detail
    assert not RuleOverride.objects.exists()


def test_an_edit_to_an_existing_rule_is_validated_the_same_way(client_for):
    url = "/guard/rules/not-our-department/edit/"
    response = client_for("admin").post(url, {**FORM, "pattern": "(", "save": "1"})
    assert "not a valid regular expression" in response.content.decode()
    assert not RuleOverride.objects.exists()
    assert _rule("not-our-department").origin == "shipped"


# --- preview before saving ----------------------------------------------------------------------


def test_preview_shows_what_the_rule_flags_in_the_sample_and_the_tables_without_saving(client_for):
    sample = "Thanks for waiting. We are sorry for any inconvenience caused. It leaves today."
    response = client_for("admin").post(
        "/guard/rules/new/", {**FORM, "sample": sample, "preview": "1"}
    )
    html = response.content.decode()
    assert "This rule flags 1 sentence in the sample" in html
    assert (
        '<mark class="guard-sentence">“We are sorry for any inconvenience caused.”</mark>' in html
    )
    assert "0 of 54" in html  # no helpful test sentence is flagged
    assert not RuleOverride.objects.exists()


def test_preview_warns_when_the_rule_would_flag_helpful_sentences(client_for):
    response = client_for("admin").post(
        "/guard/rules/new/", {**FORM, "pattern": r"\brefund", "preview": "1"}
    )
    html = response.content.decode()
    assert "would flag helpful sentences" in html
    assert "“I&#x27;ve refunded the shipping cost to your card" in html


def test_the_htmx_preview_returns_only_the_preview_with_any_error(client_for):
    client = client_for("admin")
    headers = {"HTTP_HX_REQUEST": "true"}
    html = client.post(
        "/guard/rules/new/", {**FORM, "sample": "Sorry for any inconvenience."}, **headers
    ).content.decode()
    assert "This rule flags 1 sentence in the sample" in html and "<form" not in html
    html = client.post("/guard/rules/new/", {**FORM, "pattern": "("}, **headers).content.decode()
    assert "Fix the rule to see its preview" in html and "not a valid regular expression" in html


# --- saving: in force at once, for the composer and the API --------------------------------------


def test_an_added_rule_flags_replies_in_the_composer_and_the_api(client_for, personas, api):
    response = client_for("admin").post("/guard/rules/new/", {**FORM, "save": "1"})
    assert response.status_code == 302 and response["Location"] == "/guard/rules/"
    assert [f.rule for f in check_text(STOCK)] == ["sorry-for-any-inconvenience"]
    flags = api.post("/replies/check", {"text": STOCK}).json()["flags"]
    assert [f["rule"] for f in flags] == ["sorry-for-any-inconvenience"]
    conv = personas.conversation()
    review = client_for("agent").post(f"/desk/c/{conv.pk}/reply/review/", {"text": STOCK})
    assert 'data-rule="sorry-for-any-inconvenience"' in review.content.decode()


def test_editing_a_shipped_rule_keeps_the_default_for_revert_and_records_before_and_after(
    client_for, personas
):
    client = client_for("admin")
    url = "/guard/rules/not-our-department/edit/"
    form = client.get(url).content.decode()
    assert "(?:that|this|it|which)" in form  # the shipped definition is prefilled
    response = client.post(url, {**FORM, "pattern": r"\bnot\s+our\s+problem\b", "save": "1"})
    assert response.status_code == 302
    state = _rule("not-our-department")
    assert state.edited and state.origin == "workspace" and state.base_origin == "shipped"
    assert check_text("That's not our department.") == []
    assert check_text("That's not our problem.")[0].rule == "not-our-department"
    change = RuleChange.objects.get()
    assert change.kind == "edited" and change.actor == personas.admin
    assert change.before["origin"] == "shipped" and change.after["origin"] == "workspace"
    assert change.after["pattern"] == r"\bnot\s+our\s+problem\b"
    assert ("pattern", change.before["pattern"], change.after["pattern"]) in change.changed_fields()
    page = client.get("/guard/rules/").content.decode()
    assert "Edited" in page and "by Ada Brandt" in page

    client.post("/guard/rules/not-our-department/revert/")
    assert not RuleOverride.objects.exists()
    assert _rule("not-our-department").origin == "shipped"
    assert check_text("That's not our department.")[0].rule == "not-our-department"
    assert RuleChange.objects.first().kind == "reverted"  # newest first


def test_saving_an_unchanged_rule_writes_nothing(client_for):
    client = client_for("admin")
    entry = _rule("cant-help").rule.as_entry()
    response = client.post("/guard/rules/cant-help/edit/", {**entry, "save": "1"}, follow=True)
    assert "was not changed" in response.content.decode()
    assert not RuleChange.objects.exists() and not RuleOverride.objects.exists()


def test_switching_a_shipped_rule_off_and_on_again(client_for):
    client = client_for("admin")
    client.post("/guard/rules/policy-shield/switch/", {"enabled": "0"})
    assert check_text("As per our policy, refunds take 30 days.") == []
    assert not _rule("policy-shield").enabled
    html = client.get("/guard/rules/").content.decode()
    assert '<span class="badge">Off</span>' in html and "Rules in force (12)" in html
    client.post("/guard/rules/policy-shield/switch/", {"enabled": "1"})
    assert check_text("As per our policy, refunds take 30 days.")[0].rule == "policy-shield"
    assert not RuleOverride.objects.exists()  # nothing differs from the shipped rule any more
    assert [c.kind for c in RuleChange.objects.all()] == ["switched_on", "switched_off"]


def test_switching_twice_records_one_change(client_for):
    client = client_for("admin")
    for _ in range(2):
        client.post("/guard/rules/policy-shield/switch/", {"enabled": "0"})
    assert RuleChange.objects.count() == 1


def test_an_edited_rule_switched_off_keeps_its_edit(personas):
    fields = RuleFields(pattern=r"\bnot\s+our\s+problem\b", move="own", reason="r", better="b")
    actions.edit_rule(actor=personas.admin, rule_id="not-our-department", fields=fields)
    actions.switch_rule(actor=personas.admin, rule_id="not-our-department", enabled=False)
    actions.switch_rule(actor=personas.admin, rule_id="not-our-department", enabled=True)
    assert _rule("not-our-department").rule.pattern.pattern == fields.pattern


def test_deleting_a_rule_added_here(client_for):
    client = client_for("admin")
    client.post("/guard/rules/new/", {**FORM, "save": "1"})
    response = client.post("/guard/rules/sorry-for-any-inconvenience/revert/", follow=True)
    assert "Rule sorry-for-any-inconvenience deleted." in response.content.decode()
    assert current().get("sorry-for-any-inconvenience") is None
    assert check_text(STOCK) == []
    deleted = RuleChange.objects.first()
    assert deleted.kind == "deleted" and deleted.after is None and deleted.before


def test_reverting_a_rule_with_no_change_here_says_so(client_for):
    response = client_for("admin").post("/guard/rules/cant-help/revert/", follow=True)
    assert "has no changes made here to undo" in response.content.decode()
    assert not RuleChange.objects.exists()


def test_the_history_names_who_changed_what_and_survives_the_agent_leaving(personas):
    change = actions.add_rule(actor=personas.admin, rule_id="sorry", fields=SORRY)
    personas.admin.delete()
    change.refresh_from_db()
    assert change.actor is None and change.after["reason"] == SORRY.reason


def test_every_field_in_error_is_shown_at_once(client_for):
    data = {**FORM, "rule_id": "Bad Id", "pattern": "(", "reason": "", "better": "", "save": "1"}
    html = client_for("admin").post("/guard/rules/new/", data).content.decode()
    for field in ("rule_id", "pattern", "reason", "better"):
        assert f'id="id_{field}_error"' in html
    assert 'id="id_move_error"' not in html and 'id="id_unless_error"' not in html
    assert not RuleOverride.objects.exists()
