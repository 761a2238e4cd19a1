"""Forms of the effort app: the radar's filters and the Customer Effort Score question."""

from __future__ import annotations

from typing import Any

from django import forms

from helpmate.effort import ces
from helpmate.effort.selectors import MAX_DAYS, Filters, Scope, default_period

DATE = {"type": "date"}


class RadarFilterForm(forms.Form):
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    agent = forms.TypedChoiceField(label="Agent", required=False, coerce=int, empty_value=None)
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(DATE))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(DATE))

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        everyone = "All my teams" if not scope.everything else "All teams"
        team_field = self.fields["team"]
        agent_field = self.fields["agent"]
        assert isinstance(team_field, forms.ChoiceField)
        assert isinstance(agent_field, forms.ChoiceField)
        team_field.choices = [("", everyone)] + [(t.pk, t.name) for t in scope.teams]
        agent_field.choices = [("", "Everyone")] + [(a.pk, a.full_name) for a in scope.agents]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = default_period()
        data["start"] = data.get("start") or start
        data["end"] = data.get("end") or end
        if data["end"] < data["start"]:
            self.add_error("end", "The end of the period comes before its start.")
        elif (data["end"] - data["start"]).days > MAX_DAYS:
            self.add_error("start", f"Choose a period of at most {MAX_DAYS} days.")
        return data

    def filters(self) -> Filters:
        """The filters (the defaults when the form is invalid, with the errors shown)."""
        start, end = default_period()
        data = self.cleaned_data if self.is_valid() else {}
        teams = {t.pk: t for t in self.scope.teams}
        agents = {a.pk: a for a in self.scope.agents}
        return Filters(
            start=data.get("start") or start,
            end=data.get("end") or end,
            team=teams.get(data.get("team") or 0),
            agent=agents.get(data.get("agent") or 0),
        )


class CesForm(forms.Form):
    score = forms.TypedChoiceField(
        label=ces.QUESTION,
        choices=[(n, f"{n} · {label}") for n, label in ces.SCALE],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a number from 1 (very difficult) to 7 (very easy)."},
    )
    comment = forms.CharField(
        label="Anything you'd like to add?",
        required=False,
        max_length=ces.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
