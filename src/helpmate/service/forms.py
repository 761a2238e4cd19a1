"""Forms of the service admin pages; they only validate, the views call the actions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import available_timezones

from django import forms

from helpmate.desk.models import Channel, Priority
from helpmate.people.models import ContactKind, Team
from helpmate.service.calendar import WEEKDAYS, CalendarError, parse_hours, zone
from helpmate.service.targets import format_duration, parse_duration

DAY_LABELS = dict(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
HOURS_HELP = "Ranges like 09:00-12:30, 13:30-17:00; 22:00-06:00 runs overnight; empty: closed."


def _hours_field(label: str) -> forms.CharField:
    field = forms.CharField(required=False, max_length=200, label=label)
    field.widget.attrs["aria-describedby"] = "hours-help"  # one explanation above the week
    return field


class CalendarForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name")
    time_zone = forms.CharField(
        max_length=64, label="Time zone", help_text="For example Europe/London, America/New_York"
    )
    is_default = forms.BooleanField(
        required=False, label="Default calendar (for teams without their own)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[f"hours_{day}"] = _hours_field(DAY_LABELS[day])
        self.fields["time_zone"].widget.attrs["list"] = "time-zones"

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"].strip()
        try:
            zone(value)
        except CalendarError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in WEEKDAYS:
            try:
                parse_hours(data.get(f"hours_{day}") or "")
            except CalendarError as exc:
                self.add_error(f"hours_{day}", str(exc))
        if not self.errors and not any(data.get(f"hours_{day}") for day in WEEKDAYS):
            raise forms.ValidationError("Give working hours for at least one day.")
        return data

    def hours(self) -> dict[str, str]:
        return {day: self.cleaned_data.get(f"hours_{day}") or "" for day in WEEKDAYS}

    @staticmethod
    def initial_for(calendar: Any) -> dict[str, Any]:
        initial = {
            "name": calendar.name,
            "time_zone": calendar.time_zone,
            "is_default": calendar.is_default,
        }
        for day in WEEKDAYS:
            initial[f"hours_{day}"] = ", ".join((calendar.hours or {}).get(day, []))
        return initial


def time_zone_names() -> list[str]:
    return sorted(available_timezones())


class HolidayForm(forms.Form):
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(max_length=120, label="Name", help_text="e.g. Christmas Day")
    hours = forms.CharField(
        required=False,
        max_length=200,
        label="Hours that day",
        help_text="Empty: closed all day. A half day: e.g. 09:00-13:00.",
    )

    def clean_hours(self) -> str:
        value: str = self.cleaned_data.get("hours") or ""
        try:
            parse_hours(value)
        except CalendarError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value


class TeamCalendarForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.all(), label="Team")
    calendar = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Calendar"
    )

    def __init__(self, *args: Any, calendars: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["calendar"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "The default calendar"), *[(str(pk), n) for pk, n in calendars]]


class DurationField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", "Business time, e.g. 4h, 30m, 1h 30m; empty: inherit")
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return format_duration(value) if isinstance(value, timedelta) else value

    def clean(self, value: Any) -> timedelta | None:
        text = super().clean(value) or ""
        try:
            return parse_duration(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class TargetForm(forms.Form):
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="Any team", label="Team"
    )
    requester_kind = forms.ChoiceField(
        required=False,
        label="Requester",
        choices=[("", "Anyone"), *ContactKind.choices],
    )
    channel = forms.ChoiceField(
        required=False, label="Channel", choices=[("", "Any channel"), *Channel.choices]
    )
    priority = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Priority",
        choices=[("", "Any priority"), *Priority.choices],
    )
    first_response = DurationField(label="First response")
    next_response = DurationField(label="Next response")
    resolution = DurationField(label="Resolution")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = ("first_response", "next_response", "resolution")
        if not self.errors and all(data.get(n) is None for n in names):
            raise forms.ValidationError("Set at least one target.")
        return data
