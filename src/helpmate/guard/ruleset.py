"""The rules in force: the shipped defaults, then HELPMATE_GUARD_RULES_FILE, then the edits made
in the workspace (``RuleOverride`` rows). Each layer replaces or switches off by id.

Every process (gunicorn workers, the API, the worker) caches the merged rules. The cache is
checked against ``RulesVersion`` (one primary-key read) at most once every ``CHECK_SECONDS``;
the process that saved a change drops its cache at once. So a change is in force everywhere
within ``CHECK_SECONDS``, and a reply check costs no query in between.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import DatabaseError, transaction

from helpmate.guard.rules import Rule, RuleError, check_entry, file_rules

log = logging.getLogger(__name__)

CHECK_SECONDS = 2.0
WORKSPACE = "the workspace"
ORIGINS = {"shipped": "Shipped", "file": "Rules file", "workspace": "Workspace"}


@dataclass(frozen=True)
class RuleState:
    """One rule as the page shows it: the definition in force (also for a rule switched off),
    where it comes from, and what lies below a workspace edit."""

    id: str
    rule: Rule
    enabled: bool
    origin: str  # "shipped", "file" or "workspace": where the definition comes from
    base: Rule | None  # the file's or shipped definition under a workspace edit; None if added
    base_origin: str | None
    base_enabled: bool
    switched_here: bool  # the workspace sets enabled

    @property
    def added(self) -> bool:
        return self.base is None

    @property
    def edited(self) -> bool:
        return self.base is not None and self.origin == "workspace"

    @property
    def changed_here(self) -> bool:
        return self.edited or self.switched_here or self.added

    @property
    def origin_label(self) -> str:
        return ORIGINS[self.origin]

    @property
    def base_label(self) -> str:
        return ORIGINS.get(self.base_origin or "", "")

    def snapshot(self) -> dict[str, object]:
        """The rule as history stores it."""
        return {**self.rule.as_entry(), "enabled": self.enabled, "origin": self.origin}


@dataclass(frozen=True)
class RuleSet:
    states: tuple[RuleState, ...]

    @property
    def active(self) -> tuple[Rule, ...]:
        return tuple(s.rule for s in self.states if s.enabled)

    def get(self, rule_id: str) -> RuleState | None:
        return next((s for s in self.states if s.id == rule_id), None)

    @property
    def ids(self) -> set[str]:
        return {s.id for s in self.states}


class Override(Protocol):
    """What ``merge`` needs of a workspace edit (a ``RuleOverride`` row)."""

    rule_id: str
    enabled: bool

    def entry(self) -> dict[str, Any] | None: ...


def merge(base: Iterable[tuple[Rule, str, bool]], overrides: Iterable[Override]) -> RuleSet:
    """The layers merged: (rule, origin, enabled) from the defaults and the file, then the
    workspace's edits."""
    states = {
        rule.id: RuleState(rule.id, rule, enabled, origin, rule, origin, enabled, False)
        for rule, origin, enabled in base
    }
    for row in overrides:
        below = states.get(row.rule_id)
        entry = row.entry()
        rule = None
        if entry is not None:
            try:
                rule, _ = check_entry(entry, source=WORKSPACE)
            except RuleError as exc:  # saved valid; never let one row stop every reply check
                log.error("Ignoring the workspace's edit of guard rule %s: %s", row.rule_id, exc)
        if below is None:
            if rule is None:
                continue  # a switch for a rule the file no longer has
            states[row.rule_id] = RuleState(
                row.rule_id, rule, row.enabled, "workspace", None, None, True, False
            )
            continue
        states[row.rule_id] = RuleState(
            id=row.rule_id,
            rule=rule or below.rule,
            enabled=row.enabled,
            origin="workspace" if rule is not None else below.origin,
            base=below.base,
            base_origin=below.base_origin,
            base_enabled=below.base_enabled,
            switched_here=row.enabled != below.base_enabled,
        )
    return RuleSet(tuple(states.values()))


def build(extra_file: str | None = None) -> RuleSet:
    """The rules in force read now from the file and the database (no cache)."""
    from helpmate.guard.models import RuleOverride

    extra = settings.HELPMATE_GUARD_RULES_FILE if extra_file is None else extra_file
    return merge(file_rules(extra), RuleOverride.objects.all())


@dataclass
class _Cached:
    extra_file: str
    stamp: str | None
    checked_at: float
    ruleset: RuleSet


_lock = threading.Lock()
_cache: _Cached | None = None
_clock = time.monotonic


def invalidate() -> None:
    """Drop this process's cached rules (the next check reads the version and the edits)."""
    global _cache
    with _lock:
        _cache = None


_table_seen = False


def _read_stamp() -> str | None:
    """The version stamp, or None when nothing was ever changed (or the table is not there yet,
    e.g. before ``migrate``: the file's rules apply then)."""
    global _table_seen
    from helpmate.guard.models import RulesVersion

    query = RulesVersion.objects.filter(pk=1).values_list("stamp", flat=True)
    if _table_seen:
        return query.first()
    try:
        # Until the table has been seen once, read inside a savepoint: a missing table must not
        # break the caller's transaction (PostgreSQL).
        with transaction.atomic():
            stamp = query.first()
    except DatabaseError as exc:
        log.warning("Guard rules: workspace edits not read (%s); using the file's rules.", exc)
        return None
    _table_seen = True
    return stamp


def current() -> RuleSet:
    """The rules in force, cached per process (see the module docstring)."""
    global _cache
    extra = settings.HELPMATE_GUARD_RULES_FILE
    now = _clock()
    with _lock:
        cached = _cache
    if (
        cached is not None
        and cached.extra_file == extra
        and now - cached.checked_at < CHECK_SECONDS
    ):
        return cached.ruleset
    stamp = _read_stamp()
    if cached is not None and cached.extra_file == extra and cached.stamp == stamp:
        ruleset = cached.ruleset
    elif stamp is None:
        ruleset = merge(file_rules(extra), ())
    else:
        ruleset = build(extra)
    with _lock:
        _cache = _Cached(extra, stamp, now, ruleset)
    return ruleset
