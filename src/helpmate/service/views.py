"""Admin pages under /service/: business calendars (hours, holidays), which team uses which,
and the service targets. Thin: forms validate, actions write, due times are recomputed in the
background after every change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from helpmate.people.models import agent_of
from helpmate.service import actions, selectors
from helpmate.service.actions import ServiceError
from helpmate.service.forms import (
    HOURS_HELP,
    CalendarForm,
    HolidayForm,
    TargetForm,
    TeamCalendarForm,
    time_zone_names,
)
from helpmate.service.models import BusinessCalendar, Holiday, ServiceTarget
from helpmate.service.targets import BUILT_IN
from helpmate.service.tasks import recompute_after_commit
from helpmate.web.access import admin_required


def _changed(request: HttpRequest, text: str) -> None:
    recompute_after_commit()
    messages.success(request, f"{text} Open conversations' due times are being recomputed.")


@admin_required
def index(request: HttpRequest) -> HttpResponse:
    calendars = list(selectors.calendars())
    choices = [(c.pk, c.name) for c in calendars]
    context = {
        "section": "service",
        "calendars": calendars,
        "teams": selectors.teams_with_calendars(),
        "calendar_choices": choices,
        "targets": selectors.targets(),
        "built_in": BUILT_IN,
    }
    return render(request, "service/index.html", context)


def _calendar_page(
    request: HttpRequest, form: CalendarForm, calendar: BusinessCalendar | None, **extra: Any
) -> HttpResponse:
    context = {
        "section": "service",
        "form": form,
        "calendar": calendar,
        "holiday_form": extra.get("holiday_form") or HolidayForm(),
        "holidays": calendar.holidays.order_by("date") if calendar else [],
        "time_zones": time_zone_names(),
        "hours_help": HOURS_HELP,
    }
    return render(request, "service/calendar_form.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    calendar = get_object_or_404(BusinessCalendar, pk=pk) if pk else None
    if request.method == "POST":
        form = CalendarForm(request.POST)
        if form.is_valid():
            try:
                saved = actions.save_calendar(
                    actor=agent_of(request.user),
                    calendar=calendar,
                    name=form.cleaned_data["name"],
                    time_zone=form.cleaned_data["time_zone"],
                    hours=form.hours(),
                    is_default=form.cleaned_data["is_default"],
                )
            except ServiceError as exc:
                form.add_error(None, str(exc))
            else:
                _changed(request, f"Calendar {saved.name} saved.")
                return redirect("service:calendar", pk=saved.pk)
    elif calendar is not None:
        form = CalendarForm(initial=CalendarForm.initial_for(calendar))
    else:
        form = CalendarForm(
            initial={
                "time_zone": "Europe/London",
                **{f"hours_{d}": "09:00-17:00" for d in ("mon", "tue", "wed", "thu", "fri")},
            }
        )
    return _calendar_page(request, form, calendar)


@admin_required
@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    calendar = get_object_or_404(BusinessCalendar, pk=pk)
    actions.delete_calendar(actor=agent_of(request.user), calendar=calendar)
    _changed(request, f"Calendar {calendar.name} deleted; its teams use the default.")
    return redirect("service:index")


@admin_required
@require_POST
def holiday_add(request: HttpRequest, pk: int) -> HttpResponse:
    calendar = get_object_or_404(BusinessCalendar, pk=pk)
    form = HolidayForm(request.POST)
    if not form.is_valid():
        page = CalendarForm(initial=CalendarForm.initial_for(calendar))
        return _calendar_page(request, page, calendar, holiday_form=form)
    holiday = actions.set_holiday(
        actor=agent_of(request.user),
        calendar=calendar,
        date=form.cleaned_data["date"],
        name=form.cleaned_data["name"],
        hours=form.cleaned_data["hours"],
    )
    _changed(request, f"{holiday.name} on {holiday.date:%d %b %Y} saved.")
    return redirect("service:calendar", pk=calendar.pk)


@admin_required
@require_POST
def holiday_delete(request: HttpRequest, pk: int, holiday_pk: int) -> HttpResponse:
    holiday = get_object_or_404(Holiday, pk=holiday_pk, calendar_id=pk)
    actions.remove_holiday(actor=agent_of(request.user), holiday=holiday)
    _changed(request, f"{holiday.name} removed.")
    return redirect("service:calendar", pk=pk)


@admin_required
@require_POST
def team_calendar(request: HttpRequest) -> HttpResponse:
    choices = list(BusinessCalendar.objects.values_list("pk", "name"))
    form = TeamCalendarForm(request.POST, calendars=choices)
    if not form.is_valid():
        messages.error(request, "Choose a team and one of the calendars.")
        return redirect("service:index")
    team = form.cleaned_data["team"]
    calendar_pk = form.cleaned_data["calendar"]
    calendar = BusinessCalendar.objects.get(pk=calendar_pk) if calendar_pk else None
    actions.set_team_calendar(actor=agent_of(request.user), team=team, calendar=calendar)
    _changed(request, f"{team.name} now uses {calendar.name if calendar else 'the default'}.")
    return redirect("service:index")


@admin_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    target = get_object_or_404(ServiceTarget, pk=pk) if pk else None
    if request.method == "POST":
        form = TargetForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = actions.save_target(
                    actor=agent_of(request.user),
                    team=data["team"],
                    requester_kind=data["requester_kind"],
                    channel=data["channel"],
                    priority=data["priority"],
                    first_response=data["first_response"],
                    next_response=data["next_response"],
                    resolution=data["resolution"],
                )
            except ServiceError as exc:
                form.add_error(None, str(exc))
            else:
                if target is not None and target.pk != saved.pk:
                    actions.delete_target(actor=agent_of(request.user), target=target)
                _changed(request, f"Targets for {saved} saved.")
                return redirect("service:index")
    elif target is not None:
        form = TargetForm(
            initial={
                "team": target.team_id,
                "requester_kind": target.requester_kind,
                "channel": target.channel,
                "priority": target.priority,
                "first_response": target.first_response,
                "next_response": target.next_response,
                "resolution": target.resolution,
            }
        )
    else:
        form = TargetForm()
    context = {"section": "service", "form": form, "target": target, "built_in": BUILT_IN}
    return render(request, "service/target_form.html", context)


@admin_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(ServiceTarget, pk=pk)
    actions.delete_target(actor=agent_of(request.user), target=target)
    _changed(request, f"Targets for {target} removed.")
    return redirect("service:index")
