"""Reads of the service app: calendars with their holidays and teams, the target table."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from helpmate.people.models import Team
from helpmate.service.models import BusinessCalendar, Holiday, ServiceTarget


def calendars() -> QuerySet[BusinessCalendar]:
    """Calendars with their coming holidays (``upcoming``) and teams, the default first."""
    today = timezone.localdate()
    return BusinessCalendar.objects.prefetch_related(
        Prefetch(
            "holidays",
            queryset=Holiday.objects.filter(date__gte=today).order_by("date"),
            to_attr="upcoming",
        ),
        Prefetch("teams__team"),
    ).order_by("-is_default", "name")


def teams_with_calendars() -> QuerySet[Team]:
    return Team.objects.select_related("service__calendar").order_by("name")


def targets() -> QuerySet[ServiceTarget]:
    return ServiceTarget.objects.select_related("team").order_by(
        "team__name", "requester_kind", "channel", "priority", "pk"
    )


def target_as_dict(target: ServiceTarget) -> dict[str, Any]:
    def minutes(name: str) -> int | None:
        value = getattr(target, name)
        return None if value is None else int(value.total_seconds() // 60)

    return {
        "team": target.team_id,
        "requester_kind": target.requester_kind,
        "channel": target.channel,
        "priority": target.priority,
        "first_response_minutes": minutes("first_response"),
        "next_response_minutes": minutes("next_response"),
        "resolution_minutes": minutes("resolution"),
    }
