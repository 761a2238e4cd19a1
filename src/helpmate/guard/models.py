"""The guard's rule edits made in the workspace, their history, and the version every process
compares to know that its cached rules are stale (see helpmate.guard.ruleset)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from helpmate.people.models import Agent


class RuleOverride(models.Model):
    """A rule as the workspace changed it: added, edited (the whole definition replaces the file's
    or the shipped one) or only switched off/on (``pattern`` blank: the definition comes from
    below). Written only by helpmate.guard.actions, after helpmate.guard.rules.check_entry."""

    rule_id = models.CharField(max_length=60, unique=True)
    enabled = models.BooleanField(default=True)
    pattern = models.TextField(blank=True, help_text="Blank: the definition is not changed here")
    unless = models.TextField(blank=True)
    move = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    better = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.rule_id

    def entry(self) -> dict[str, Any] | None:
        """The definition as a [[rule]] table, or None when only the switch is set here."""
        if not self.pattern:
            return None
        entry: dict[str, Any] = {
            "id": self.rule_id,
            "pattern": self.pattern,
            "move": self.move,
            "reason": self.reason,
            "better": self.better,
        }
        if self.unless:
            entry["unless"] = self.unless
        return entry


class RuleChange(models.Model):
    """One change to the rules made in the workspace: who, when, and the rule before and after
    (``None`` when it did not exist in force or was removed)."""

    class Kind(models.TextChoices):
        ADDED = "added", "Added"
        EDITED = "edited", "Edited"
        SWITCHED_OFF = "switched_off", "Switched off"
        SWITCHED_ON = "switched_on", "Switched on"
        REVERTED = "reverted", "Reverted"
        DELETED = "deleted", "Deleted"

    rule_id = models.CharField(max_length=60, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.kind}"

    def changed_fields(self) -> list[tuple[str, str, str]]:
        """(key, before, after) for each key whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = ["enabled", "pattern", "unless", "move", "reason", "better"]
        return [
            (key, str(before.get(key, "")), str(after.get(key, "")))
            for key in keys
            if before.get(key, "") != after.get(key, "")
        ]


class RulesVersion(models.Model):
    """One row (pk 1): bumped by every change, so other processes notice their cache is stale.
    ``stamp`` is random, so a rolled-back change can never be mistaken for a later one."""

    version = models.PositiveBigIntegerField(default=0)
    stamp = models.CharField(max_length=32, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"guard rules v{self.version}"
