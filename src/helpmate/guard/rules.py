"""The guard's phrase rules: shipped defaults plus an optional file named by a setting.

Rules are TOML (see ``default_rules.toml`` for the format and docs/handoffs-and-guard.md).
A rule in the extra file with the id of a shipped rule replaces it; ``enabled = false`` switches
a rule off. Bad rules stop start-up with a message that says which rule and what to fix.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_RULES = Path(__file__).with_name("default_rules.toml")

MOVES = {
    "own": "Take ownership",
    "handoff": "Hand it over warmly",
    "alternative": "Offer an alternative",
    "referral": "Refer to a named contact",
}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
_KEYS = {"id", "pattern", "unless", "move", "reason", "better", "enabled"}


class RuleError(ImproperlyConfigured):
    """A rules file that cannot be used, with a message that says what to fix."""


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern[str]
    reason: str
    better: str
    move: str
    unless: re.Pattern[str] | None = None

    @property
    def move_label(self) -> str:
        return MOVES[self.move]

    def matches(self, sentence: str) -> bool:
        if not self.pattern.search(sentence):
            return False
        return not (self.unless is not None and self.unless.search(sentence))


def _compile(source: str, where: str, field: str, raw: Any) -> re.Pattern[str]:
    if not isinstance(raw, str) or not raw.strip():
        raise RuleError(f"{where}: '{field}' must be a non-empty regular expression.")
    try:
        compiled = re.compile(raw.strip(), re.IGNORECASE)
    except re.error as exc:
        raise RuleError(f"{where}: '{field}' is not a valid regular expression ({exc}).") from exc
    if compiled.search(""):
        raise RuleError(f"{where}: '{field}' matches an empty sentence, so it would flag anything.")
    return compiled


def parse_rules(text: str, source: str) -> list[tuple[Rule | None, str]]:
    """Rules from TOML text: (rule, id) pairs, rule None when the entry switches one off."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"Guard rules in {source} are not valid TOML: {exc}") from exc
    entries = data.get("rule", [])
    unknown_top = set(data) - {"rule"}
    if unknown_top:
        raise RuleError(
            f"Guard rules in {source}: unknown top-level key(s) {sorted(unknown_top)}; "
            "write each rule as a [[rule]] table."
        )
    if not isinstance(entries, list):
        raise RuleError(f"Guard rules in {source}: write each rule as a [[rule]] table.")
    found: list[tuple[Rule | None, str]] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"Guard rule #{number} in {source}"
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or not _ID_RE.match(rule_id):
            raise RuleError(
                f"{where}: 'id' is required: lower-case letters, digits, '-' or '_' "
                "(for example 'not-our-department')."
            )
        where = f"Guard rule '{rule_id}' in {source}"
        if rule_id in seen:
            raise RuleError(f"{where}: the id is used twice in the same file.")
        seen.add(rule_id)
        unknown = set(entry) - _KEYS
        if unknown:
            raise RuleError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_KEYS)}.")
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            raise RuleError(f"{where}: 'enabled' must be true or false.")
        if not enabled:
            found.append((None, rule_id))
            continue
        pattern = _compile(source, where, "pattern", entry.get("pattern"))
        unless = None
        if "unless" in entry:
            unless = _compile(source, where, "unless", entry["unless"])
        move = entry.get("move")
        if move not in MOVES:
            raise RuleError(f"{where}: 'move' must be one of {', '.join(MOVES)}; got {move!r}.")
        texts = {}
        for field in ("reason", "better"):
            value = entry.get(field)
            if not isinstance(value, str) or not value.strip():
                raise RuleError(f"{where}: '{field}' is required (a sentence for the agent).")
            texts[field] = " ".join(value.split())
        rule = Rule(
            id=rule_id,
            pattern=pattern,
            unless=unless,
            move=move,
            reason=texts["reason"],
            better=texts["better"],
        )
        found.append((rule, rule_id))
    return found


def load_rules(extra_file: str = "") -> list[Rule]:
    """The shipped rules, then the extra file's (replacing or switching off by id)."""
    rules: dict[str, Rule] = {}
    for rule, rule_id in parse_rules(DEFAULT_RULES.read_text(encoding="utf-8"), "the defaults"):
        if rule is not None:
            rules[rule_id] = rule
    if extra_file:
        path = Path(extra_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RuleError(
                f"HELPMATE_GUARD_RULES_FILE={extra_file!r} cannot be read: {exc.strerror or exc}"
            ) from exc
        for rule, rule_id in parse_rules(text, str(path)):
            if rule is None:
                rules.pop(rule_id, None)
            else:
                rules[rule_id] = rule
    return list(rules.values())


@lru_cache(maxsize=4)
def _cached(extra_file: str) -> tuple[Rule, ...]:
    return tuple(load_rules(extra_file))


def active_rules() -> tuple[Rule, ...]:
    """The rules in force (read once per configured file)."""
    return _cached(settings.HELPMATE_GUARD_RULES_FILE)


def reload_rules() -> None:
    _cached.cache_clear()
