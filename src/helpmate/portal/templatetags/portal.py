"""Plain words for statuses, as the people we serve would say them."""

from __future__ import annotations

from django import template

from helpmate.desk.models import Status

register = template.Library()

_WORDS: dict[str, tuple[str, str]] = {
    Status.NEW: ("We're on it", "status-new"),
    Status.OPEN: ("We're on it", "status-new"),
    Status.WAITING_OTHER: ("We're on it", "status-new"),
    Status.WAITING_CUSTOMER: ("Waiting for your reply", "status-open"),
    Status.RESOLVED: ("Resolved", "status-resolved"),
    Status.CLOSED: ("Resolved", "status-resolved"),
}


@register.filter
def status_words(status: str) -> str:
    return _WORDS.get(status, ("We're on it", ""))[0]


@register.filter
def status_class(status: str) -> str:
    return _WORDS.get(status, ("", ""))[1]
