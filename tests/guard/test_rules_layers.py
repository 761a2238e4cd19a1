"""Precedence of the three layers (workspace edits > the rules file > the shipped defaults) and
the per-process cache that lets every process see a change within seconds, without a restart."""

from __future__ import annotations

import uuid

import pytest

from helpmate.guard import actions, ruleset
from helpmate.guard.actions import RuleFields
from helpmate.guard.check import check_text
from helpmate.guard.models import RuleOverride, RulesVersion
from helpmate.guard.rules import reload_rules

pytestmark = pytest.mark.django_db

FILE = """
[[rule]]
id = "cant-help"
pattern = '''\\bfile\\s+version\\b'''
move = "referral"
reason = "From the file."
better = "Better, from the file."

[[rule]]
id = "policy-shield"
enabled = false
"""
MINE = RuleFields(pattern=r"\bworkspace\s+version\b", move="own", reason="Mine.", better="Mine.")


@pytest.fixture
def rules_file(tmp_path, settings):
    path = tmp_path / "rules.toml"
    path.write_text(FILE, encoding="utf-8")
    settings.HELPMATE_GUARD_RULES_FILE = str(path)
    reload_rules()
    yield path
    settings.HELPMATE_GUARD_RULES_FILE = ""
    reload_rules()


def _cant_help():
    state = ruleset.current().get("cant-help")
    assert state is not None
    return state


def test_the_workspace_wins_over_the_file_which_wins_over_the_defaults(rules_file, personas):
    assert _cant_help().origin == "file"
    assert check_text("The file version.")[0].reason == "From the file."
    actions.edit_rule(actor=personas.admin, rule_id="cant-help", fields=MINE)
    state = _cant_help()
    assert (state.origin, state.base_origin) == ("workspace", "file")
    assert check_text("The file version.") == []
    assert check_text("The workspace version.")[0].reason == "Mine."
    actions.revert_rule(actor=personas.admin, rule_id="cant-help")
    assert _cant_help().origin == "file"  # back to the file's, not the shipped one


def test_the_workspace_can_switch_on_a_rule_the_file_switched_off(rules_file, personas):
    policy = "As per our policy, refunds take 30 days."
    assert check_text(policy) == []
    actions.switch_rule(actor=personas.admin, rule_id="policy-shield", enabled=True)
    assert check_text(policy)[0].rule == "policy-shield"
    state = ruleset.current().get("policy-shield")
    assert state is not None and state.switched_here and not state.base_enabled
    actions.revert_rule(actor=personas.admin, rule_id="policy-shield")
    assert check_text(policy) == []


def test_the_rules_page_says_where_each_rule_comes_from(rules_file, personas, client_for):
    actions.add_rule(actor=personas.admin, rule_id="mine", fields=MINE)
    html = client_for("agent").get("/guard/rules/").content.decode()
    for origin in ("Shipped", "Rules file", "Workspace"):
        assert f"<td>{origin}" in html


def _changed_elsewhere() -> None:
    """What another process does: a row and a new version stamp, without touching our cache."""
    RuleOverride.objects.create(rule_id="policy-shield", enabled=False)
    RulesVersion.objects.update_or_create(pk=1, defaults={"stamp": uuid.uuid4().hex, "version": 9})


def test_another_process_sees_a_change_within_the_check_interval(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(ruleset, "_clock", lambda: now[0])
    policy = "As per our policy, refunds take 30 days."
    assert check_text(policy)
    _changed_elsewhere()
    now[0] += ruleset.CHECK_SECONDS / 2
    assert check_text(policy), "still cached inside the interval"
    now[0] += ruleset.CHECK_SECONDS
    assert check_text(policy) == []


def test_checks_cost_no_query_inside_the_interval_and_one_after(
    monkeypatch, django_assert_num_queries
):
    now = [1000.0]
    monkeypatch.setattr(ruleset, "_clock", lambda: now[0])
    check_text("Please contact billing.")
    with django_assert_num_queries(0):
        for _ in range(20):
            check_text("Please contact billing.")
    now[0] += ruleset.CHECK_SECONDS + 1
    with django_assert_num_queries(1):  # the version stamp only: unchanged, nothing re-read
        check_text("Please contact billing.")


def test_the_process_that_saves_a_change_uses_it_at_once(personas, monkeypatch):
    monkeypatch.setattr(ruleset, "_clock", lambda: 1000.0)  # the interval never runs out
    check_text("x")
    actions.switch_rule(actor=personas.admin, rule_id="policy-shield", enabled=False)
    assert check_text("As per our policy, refunds take 30 days.") == []


def test_each_change_bumps_the_version(personas):
    actions.add_rule(actor=personas.admin, rule_id="mine", fields=MINE)
    first = RulesVersion.objects.get(pk=1)
    actions.switch_rule(actor=personas.admin, rule_id="mine", enabled=False)
    second = RulesVersion.objects.get(pk=1)
    assert second.version == first.version + 1 and second.stamp != first.stamp
