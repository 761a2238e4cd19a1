"""The rule editor's form. Every field is a plain string here: whether a rule is valid is decided
by helpmate.guard.rules.check_entry (the same check as a rules file at start-up), whose errors are
put next to the field they name."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django import forms

from helpmate.guard.actions import RuleFields, validate_rule
from helpmate.guard.check import MAX_TEXT
from helpmate.guard.rules import MOVES, Rule, RuleError
from helpmate.guard.ruleset import RuleSet

_FIELD_OF = {"id": "rule_id"}
_HARMLESS = {
    "id": "zz-guard-placeholder",
    "pattern": "zz-guard-placeholder",
    "unless": "",
    "move": "own",
    "reason": "x",
    "better": "x",
}


class _Checked(forms.CharField):
    """A required key of a rule, checked by check_entry rather than by Django (one validation
    path, so an empty reason gets the same message as in a rules file)."""

    def validate(self, value: Any) -> None:
        return None


def _area(rows: int, **attrs: str) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": str(rows), **attrs})


class RuleForm(forms.Form):
    rule_id = _Checked(
        label="Id",
        help_text="A short unique name: lower-case letters, digits, - or _ "
        "(for example sorry-for-any-inconvenience). It cannot be changed later.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": "60"}
        ),
    )
    pattern = _Checked(
        label="Pattern",
        help_text="A regular expression matched against one sentence, ignoring case. Write whole "
        r"phrases, never single words; \s+ matches any spaces.",
        widget=_area(2, spellcheck="false"),
    )
    unless = forms.CharField(
        label="Unless",
        required=False,
        help_text="A regular expression: a sentence that also matches it is not flagged (the "
        "helpful use of the same words).",
        widget=_area(2, spellcheck="false"),
    )
    move = _Checked(
        label="Move",
        help_text="The kind of better move the agent is offered.",
        widget=forms.Select(choices=[("", "Choose a move"), *MOVES.items()]),
    )
    reason = _Checked(
        label="Why it pushes the customer away",
        help_text="Shown to the agent next to the flagged sentence.",
        widget=_area(2),
    )
    better = _Checked(
        label="Better move",
        help_text="What to do instead, shown to the agent.",
        widget=_area(2),
    )
    sample = forms.CharField(
        label="Sample text to try it on",
        required=False,
        max_length=MAX_TEXT,
        help_text="Not saved. Paste a reply or a few sentences to see what the rule would flag.",
        widget=_area(4),
    )

    def __init__(self, *args: Any, ruleset: RuleSet, rule_id: str | None = None, **kw: Any):
        """``rule_id`` None: a new rule (the id is typed in); else that rule is being edited."""
        super().__init__(*args, **kw)
        self.ruleset = ruleset
        self.editing = rule_id
        self.rule: Rule | None = None
        if rule_id is not None:
            del self.fields["rule_id"]
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    @property
    def new_id(self) -> str:
        return self.editing or self.cleaned_data.get("rule_id", "").strip()

    def rule_fields(self) -> RuleFields:
        data = self.cleaned_data
        return RuleFields(
            pattern=data["pattern"],
            unless=data["unless"],
            move=data["move"],
            reason=data["reason"],
            better=data["better"],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        rule_id, fields = self.new_id, self.rule_fields()
        for _ in _HARMLESS:  # at most one error per key
            try:
                rule = validate_rule(
                    rule_id=rule_id, fields=fields, ruleset=self.ruleset, new=self.editing is None
                )
            except RuleError as exc:
                self.add_rule_error(exc)
                if exc.field not in _HARMLESS:
                    break
                # Look for the next problem too: the same check again, with a harmless value
                # where this one was.
                if exc.field == "id":
                    rule_id = _HARMLESS["id"]
                else:
                    fields = replace(fields, **{exc.field: _HARMLESS[exc.field]})
            else:
                self.rule = None if self.errors else rule
                break
        return data

    def add_rule_error(self, exc: RuleError) -> None:
        field = _FIELD_OF.get(exc.field or "", exc.field)
        self.add_error(field if field in self.fields else None, exc.detail)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if field in self.fields:
            attrs = self.fields[field].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"id_{field}_helptext id_{field}_error"
