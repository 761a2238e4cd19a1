from __future__ import annotations

import subprocess
import sys

import pytest

from helpmate.guard.check import check_text
from helpmate.guard.rules import DEFAULT_RULES, RuleError, active_rules, load_rules, reload_rules

pytestmark = pytest.mark.django_db

EXTRA = """
[[rule]]
id = "sorry-for-any-inconvenience"
pattern = '''sorry\\s+for\\s+any\\s+inconvenience'''
move = "own"
reason = "A stock phrase that sounds like a script."
better = "Say what went wrong and what you are doing about it, in your own words."

[[rule]]
id = "policy-shield"
enabled = false
"""


@pytest.fixture
def extra_rules(tmp_path, settings):
    path = tmp_path / "rules.toml"
    path.write_text(EXTRA, encoding="utf-8")
    settings.HELPMATE_GUARD_RULES_FILE = str(path)
    reload_rules()
    yield path
    settings.HELPMATE_GUARD_RULES_FILE = ""
    reload_rules()


def test_shipped_rules_load_and_have_unique_ids():
    rules = load_rules()
    assert len(rules) >= 10
    assert len({r.id for r in rules}) == len(rules)
    assert "[[rule]]" in DEFAULT_RULES.read_text(encoding="utf-8")


def test_extra_file_adds_rules_and_switches_shipped_ones_off(extra_rules):
    ids = {r.id for r in active_rules()}
    assert "sorry-for-any-inconvenience" in ids and "policy-shield" not in ids
    [flag] = check_text("We are sorry for any inconvenience caused.")
    assert flag.rule == "sorry-for-any-inconvenience"
    assert check_text("As per our policy, refunds take 30 days.") == []


def test_extra_rule_with_a_shipped_id_replaces_it(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(
        '[[rule]]\nid = "cant-help"\npattern = "zzz"\nmove = "referral"\n'
        'reason = "r"\nbetter = "b"\n',
        encoding="utf-8",
    )
    rules = {r.id: r for r in load_rules(str(path))}
    assert rules["cant-help"].pattern.pattern == "zzz"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[rule]\n", "not valid TOML"),
        ('[[rule]]\npattern = "x"\n', "'id' is required"),
        ('[[rule]]\nid = "Bad Id"\n', "'id' is required"),
        (
            '[[rule]]\nid = "a"\npattern = "(unclosed"\nmove="own"\nreason="r"\nbetter="b"\n',
            "not a valid regular expression",
        ),
        (
            '[[rule]]\nid = "a"\npattern = ".*"\nmove="own"\nreason="r"\nbetter="b"\n',
            "matches an empty sentence",
        ),
        (
            '[[rule]]\nid = "a"\npattern = "x"\nmove="shrug"\nreason="r"\nbetter="b"\n',
            "'move' must be one of own, handoff, alternative, referral",
        ),
        ('[[rule]]\nid = "a"\npattern = "x"\nmove="own"\nbetter="b"\n', "'reason' is required"),
        (
            '[[rule]]\nid = "a"\npattern = "x"\nmove="own"\nreason="r"\nbetter="b"\ncolour=1\n',
            "unknown key(s) ['colour']",
        ),
        ('[[rule]]\nid = "a"\nenabled = "no"\n', "'enabled' must be true or false"),
        ('[[rule]]\nid="a"\nenabled=false\n[[rule]]\nid="a"\nenabled=false\n', "used twice"),
        ('[rules]\nid = "a"\n', "unknown top-level key(s) ['rules']"),
    ],
)
def test_bad_rules_are_refused_with_a_message_that_says_what_to_fix(tmp_path, content, message):
    path = tmp_path / "rules.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules(str(path))
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_missing_rules_file_is_refused():
    with pytest.raises(RuleError) as info:
        load_rules("/nonexistent/x.toml")
    assert "HELPMATE_GUARD_RULES_FILE='/nonexistent/x.toml' cannot be read" in str(info.value)


def test_bad_rules_file_stops_start_up_with_the_message(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text('[[rule]]\nid = "a"\npattern = "(oops"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "helpmate", "check"],
        env={"HELPMATE_GUARD_RULES_FILE": str(path), "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Guard rule 'a'" in result.stderr and "not a valid regular expression" in result.stderr
