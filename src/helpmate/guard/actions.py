"""Writes of the guard app: recording that an agent sent a reply despite its flags, and every
change an admin makes to the rules in the workspace (each validated by rules.check_entry, the
same check as a rules file at start-up, and recorded in RuleChange)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from helpmate.desk.actions import lock_conversation, log_event
from helpmate.desk.models import Conversation, Event, EventType, Message
from helpmate.guard.check import Flag
from helpmate.guard.models import RuleChange, RuleOverride, RulesVersion
from helpmate.guard.rules import Rule, check_entry
from helpmate.guard.ruleset import WORKSPACE, RuleSet, RuleState, build, invalidate
from helpmate.people.models import Agent


def record_override(
    *,
    conversation: Conversation,
    message: Message,
    agent: Agent,
    flags: Sequence[Flag],
    at: datetime | None = None,
) -> Event | None:
    """The agent sent ``message`` although the guard flagged these sentences (their choice)."""
    if not flags:
        return None
    at = at or timezone.now()
    with transaction.atomic():
        conv = lock_conversation(conversation)
        return log_event(
            conv,
            EventType.GUARD_OVERRIDDEN,
            agent,
            at,
            message=message.pk,
            sentences=[f.sentence for f in flags],
            rules=sorted({rule for f in flags for rule in f.rules}),
        )


# --- the rules, edited in the workspace (admins) ----------------------------------------------


class RuleNotFound(LookupError):
    """No rule with this id (shipped, in the file or added in the workspace)."""


class NothingToRevert(ValueError):
    """The rule has no workspace change to undo."""


@dataclass(frozen=True)
class RuleFields:
    """A rule's definition as typed into the editor (strings, validated by check_entry)."""

    pattern: str
    move: str
    reason: str
    better: str
    unless: str = ""

    def entry(self, rule_id: str) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": rule_id,
            "pattern": self.pattern.strip(),
            "move": self.move,
            "reason": self.reason,
            "better": self.better,
        }
        if self.unless.strip():
            entry["unless"] = self.unless.strip()
        return entry


def validate_rule(*, rule_id: str, fields: RuleFields, ruleset: RuleSet, new: bool) -> Rule:
    """The rule these fields make, checked exactly as a rules file is at start-up (raises
    RuleError naming the field). A new rule's id must not be used by any rule yet."""
    taken = ruleset.ids if new else ()
    rule, _ = check_entry(fields.entry(rule_id), source=WORKSPACE, taken=taken)
    assert rule is not None
    return rule


def _lock_rules(at: datetime) -> RulesVersion:
    """Serialise rule changes: lock the version row (created on first use) and bump it."""
    version, _ = RulesVersion.objects.select_for_update(no_key=True).get_or_create(pk=1)
    version.version += 1
    version.stamp = uuid.uuid4().hex
    version.changed_at = at
    version.save()
    return version


def _finish(
    *,
    rule_id: str,
    kind: str,
    actor: Agent,
    at: datetime,
    before: RuleState | None,
    after_set: RuleSet,
) -> RuleChange:
    after = after_set.get(rule_id)
    change = RuleChange.objects.create(
        rule_id=rule_id,
        kind=kind,
        actor=actor,
        at=at,
        before=before.snapshot() if before else None,
        after=after.snapshot() if after else None,
    )
    invalidate()  # this process at once (also inside an outer transaction) ...
    transaction.on_commit(invalidate)  # ... and again once others can read it
    return change


def _existing(ruleset: RuleSet, rule_id: str) -> RuleState:
    state = ruleset.get(rule_id)
    if state is None:
        raise RuleNotFound(rule_id)
    return state


def add_rule(
    *, actor: Agent, rule_id: str, fields: RuleFields, at: datetime | None = None
) -> RuleChange:
    """A new rule, in force at once in every process (within ruleset.CHECK_SECONDS)."""
    at = at or timezone.now()
    with transaction.atomic():
        _lock_rules(at)
        before = build()
        rule = validate_rule(rule_id=rule_id, fields=fields, ruleset=before, new=True)
        RuleOverride.objects.create(
            rule_id=rule_id,
            enabled=True,
            **rule.as_entry(),
            created_at=at,
            updated_at=at,
            updated_by=actor,
        )
        return _finish(
            rule_id=rule_id,
            kind=RuleChange.Kind.ADDED,
            actor=actor,
            at=at,
            before=None,
            after_set=build(),
        )


def edit_rule(
    *, actor: Agent, rule_id: str, fields: RuleFields, at: datetime | None = None
) -> RuleChange | None:
    """A new definition for any rule (shipped, from the file or added here); None when nothing
    changed. The file's or shipped definition stays below, for ``revert_rule``."""
    at = at or timezone.now()
    with transaction.atomic():
        _lock_rules(at)
        ruleset = build()
        state = _existing(ruleset, rule_id)
        rule = validate_rule(rule_id=rule_id, fields=fields, ruleset=ruleset, new=False)
        if rule == state.rule:
            transaction.set_rollback(True)
            return None
        values = rule.as_entry()
        RuleOverride.objects.update_or_create(
            rule_id=rule_id,
            defaults={**values, "updated_at": at, "updated_by": actor},
            create_defaults={
                **values,
                "enabled": state.enabled,
                "created_at": at,
                "updated_at": at,
                "updated_by": actor,
            },
        )
        return _finish(
            rule_id=rule_id,
            kind=RuleChange.Kind.EDITED,
            actor=actor,
            at=at,
            before=state,
            after_set=build(),
        )


def switch_rule(
    *, actor: Agent, rule_id: str, enabled: bool, at: datetime | None = None
) -> RuleChange | None:
    """Switch a rule off or on again; None when it already was."""
    at = at or timezone.now()
    with transaction.atomic():
        _lock_rules(at)
        ruleset = build()
        state = _existing(ruleset, rule_id)
        if state.enabled == enabled:
            transaction.set_rollback(True)
            return None
        row = RuleOverride.objects.filter(rule_id=rule_id).first()
        if row is None:
            RuleOverride.objects.create(
                rule_id=rule_id, enabled=enabled, created_at=at, updated_at=at, updated_by=actor
            )
        elif not row.pattern and enabled == state.base_enabled:
            row.delete()  # nothing left that differs from the file or the defaults
        else:
            row.enabled, row.updated_at, row.updated_by = enabled, at, actor
            row.save(update_fields=["enabled", "updated_at", "updated_by"])
        kind = RuleChange.Kind.SWITCHED_ON if enabled else RuleChange.Kind.SWITCHED_OFF
        return _finish(
            rule_id=rule_id, kind=kind, actor=actor, at=at, before=state, after_set=build()
        )


def revert_rule(*, actor: Agent, rule_id: str, at: datetime | None = None) -> RuleChange:
    """Undo the workspace's changes to a rule: back to the file's or the shipped definition and
    switch; a rule added in the workspace is deleted."""
    at = at or timezone.now()
    with transaction.atomic():
        _lock_rules(at)
        ruleset = build()
        state = _existing(ruleset, rule_id)
        deleted, _ = RuleOverride.objects.filter(rule_id=rule_id).delete()
        if not deleted:
            raise NothingToRevert(rule_id)
        kind = RuleChange.Kind.DELETED if state.added else RuleChange.Kind.REVERTED
        return _finish(
            rule_id=rule_id, kind=kind, actor=actor, at=at, before=state, after_set=build()
        )
