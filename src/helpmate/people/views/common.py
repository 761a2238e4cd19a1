"""Small helpers shared by the people views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest

from helpmate.people.actions import PeopleError


def page_number(request: HttpRequest) -> int:
    """The ``page`` query parameter as a positive number (1 for anything else)."""
    try:
        return max(1, min(int(request.GET.get("page", "1")), 100_000))
    except ValueError:
        return 1


def page_size() -> int:
    return int(settings.HELPMATE_PAGE_SIZE)


def int_or_none(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


def is_htmx_for(request: HttpRequest, target: str) -> bool:
    """Whether this is an HTMX request that only wants the element ``target`` refreshed."""
    details = getattr(request, "htmx", None)
    return bool(details) and details.target == target  # type: ignore[union-attr]


def save_form(form: forms.Form) -> Any | None:
    """``form.save()`` if the form is valid; None with the action's refusal as a form error."""
    if not form.is_valid():
        return None
    try:
        return form.save()  # type: ignore[attr-defined]
    except PeopleError as exc:
        form.add_error(None, str(exc))
        return None
