"""The guard's phrase rules: their format, their one validation, the shipped defaults and the
optional file named by HELPMATE_GUARD_RULES_FILE.

Rules are TOML (see ``default_rules.toml`` for the format and docs/handoffs-and-guard.md).
A rule in the extra file with the id of a shipped rule replaces it; ``enabled = false`` switches
a rule off. Bad rules stop start-up with a message that says which rule and what to fix. Edits
made in the workspace are layered on top by ``helpmate.guard.ruleset``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Container, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

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
    """A rule that cannot be used, with a message that says what to fix.

    ``field`` names the key at fault (``pattern``, ``move``, ...) when there is one, and
    ``detail`` is the message without the "which rule, where" prefix, for showing next to a field.
    """

    def __init__(self, message: str, *, field: str | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.detail = detail or message


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

    def as_entry(self) -> dict[str, str]:
        """The rule as the keys of a [[rule]] table (what the workspace stores and shows)."""
        return {
            "pattern": self.pattern.pattern,
            "unless": self.unless.pattern if self.unless is not None else "",
            "move": self.move,
            "reason": self.reason,
            "better": self.better,
        }


def _fail(where: str, detail: str, field: str | None = None) -> RuleError:
    return RuleError(f"{where}: {detail}", field=field, detail=detail)


def _compile(where: str, field: str, raw: Any) -> re.Pattern[str]:
    if not isinstance(raw, str) or not raw.strip():
        raise _fail(where, f"'{field}' must be a non-empty regular expression.", field)
    try:
        compiled = re.compile(raw.strip(), re.IGNORECASE)
    except re.error as exc:
        raise _fail(where, f"'{field}' is not a valid regular expression ({exc}).", field) from exc
    if compiled.search(""):
        raise _fail(
            where, f"'{field}' matches an empty sentence, so it would flag anything.", field
        )
    return compiled


def check_entry(
    entry: Mapping[str, Any], *, source: str, number: int = 1, taken: Container[str] = ()
) -> tuple[Rule | None, str]:
    """One [[rule]] table checked: (rule, id), rule None when the entry switches a rule off.

    The one validation of a rule, whether it comes from the shipped defaults, the file named by
    HELPMATE_GUARD_RULES_FILE (start-up) or the workspace's rule editor (helpmate.guard.actions).
    ``taken``: ids already used where this entry would go (a second use is refused).
    """
    where = f"Guard rule #{number} in {source}"
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not _ID_RE.match(rule_id):
        raise _fail(
            where,
            "'id' is required: lower-case letters, digits, '-' or '_' "
            "(for example 'not-our-department').",
            "id",
        )
    where = f"Guard rule '{rule_id}' in {source}"
    if rule_id in taken:
        raise _fail(where, f"the id is used twice in {source}; choose another one.", "id")
    unknown = set(entry) - _KEYS
    if unknown:
        raise _fail(where, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(_KEYS)}.")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _fail(where, "'enabled' must be true or false.", "enabled")
    if not enabled:
        return None, rule_id
    pattern = _compile(where, "pattern", entry.get("pattern"))
    unless = None
    if "unless" in entry:
        unless = _compile(where, "unless", entry["unless"])
    move = entry.get("move")
    if move not in MOVES:
        raise _fail(where, f"'move' must be one of {', '.join(MOVES)}; got {move!r}.", "move")
    texts = {}
    for field in ("reason", "better"):
        value = entry.get(field)
        if not isinstance(value, str) or not value.strip():
            raise _fail(where, f"'{field}' is required (a sentence for the agent).", field)
        texts[field] = " ".join(value.split())
    rule = Rule(
        id=rule_id,
        pattern=pattern,
        unless=unless,
        move=move,
        reason=texts["reason"],
        better=texts["better"],
    )
    return rule, rule_id


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
        rule, rule_id = check_entry(entry, source=source, number=number, taken=seen)
        seen.add(rule_id)
        found.append((rule, rule_id))
    return found


def shipped_rules() -> list[Rule]:
    found = parse_rules(DEFAULT_RULES.read_text(encoding="utf-8"), "the defaults")
    return [rule for rule, _ in found if rule is not None]


def load_rules(extra_file: str = "") -> list[Rule]:
    """The shipped rules, then the extra file's (replacing or switching off by id)."""
    return [rule for rule, origin, enabled in file_rules(extra_file) if enabled]


@lru_cache(maxsize=4)
def file_rules(extra_file: str = "") -> tuple[tuple[Rule, str, bool], ...]:
    """(rule, origin, enabled) for the shipped rules and the extra file's, in order: origin is
    "shipped" or "file"; a rule the file switches off stays listed with enabled False. Read once
    per process (the file is only read again by ``reload_rules``)."""
    rules: dict[str, tuple[Rule, str, bool]] = {r.id: (r, "shipped", True) for r in shipped_rules()}
    if extra_file:
        path = Path(extra_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RuleError(
                f"HELPMATE_GUARD_RULES_FILE={extra_file!r} cannot be read: {exc.strerror or exc}"
            ) from exc
        for rule, rule_id in parse_rules(text, str(path)):
            if rule is not None:
                rules[rule_id] = (rule, "file", True)
            elif rule_id in rules:
                rules[rule_id] = (rules[rule_id][0], rules[rule_id][1], False)
    return tuple(rules.values())


def active_rules() -> tuple[Rule, ...]:
    """The rules in force: shipped, then the file, then the workspace's edits (see ruleset)."""
    from helpmate.guard.ruleset import current

    return current().active


def reload_rules() -> None:
    """Forget every cached rule (the file is read again, the workspace's edits too)."""
    from helpmate.guard.ruleset import invalidate

    file_rules.cache_clear()
    invalidate()
