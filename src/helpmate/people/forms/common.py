"""Small pieces shared by the people forms: lists, languages, time zones, unique names."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import available_timezones

from django import forms
from django.core.exceptions import ValidationError

from helpmate.people.models import (
    Organization,
    Team,
)

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_SEPARATORS = re.compile(r"[\s,;]+")


def split_list(text: str) -> list[str]:
    """Items typed one per line or separated by commas, semicolons or spaces."""
    return [item for item in _SEPARATORS.split(text or "") if item]


def clean_languages(text: str) -> list[str]:
    codes: list[str] = []
    for raw in split_list(text):
        code = raw.strip().lower().replace("_", "-")
        if not _LANGUAGE.match(code):
            raise ValidationError(f"“{raw}” is not a language code; use codes like en, de, pt-br.")
        if code not in codes:
            codes.append(code)
    return codes


@cache
def time_zone_names() -> list[str]:
    """Every time zone name, sorted, for the suggestions next to a time zone field."""
    return sorted(available_timezones() | {"UTC"})


class TimeZoneInput(forms.TextInput):
    """A text box with the list of known time zones as suggestions (a datalist in the page)."""

    def __init__(self) -> None:
        super().__init__(attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"})


def unique_name(
    raw: str, model: type[Organization] | type[Team], current: Organization | Team | None, noun: str
) -> str:
    """The name with its spaces tidied, or a field error if it is empty or taken by another."""
    name = " ".join(raw.split())
    article = "An" if noun[0] in "aeiou" else "A"
    if not name:
        raise ValidationError(f"{article} {noun} needs a name.")
    taken = model.objects.filter(name__iexact=name)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        raise ValidationError(f"There is already {article.lower()} {noun} called “{name}”.")
    return name
