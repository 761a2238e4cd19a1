"""Teams, for admins: the list with members, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from helpmate.people import selectors
from helpmate.people.forms import TeamForm
from helpmate.people.views.common import save_form
from helpmate.web.access import admin_required


@require_GET
@admin_required
def team_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "people/team_list.html",
        {"section": "teams", "teams": list(selectors.teams())},
    )


@require_http_methods(["GET", "POST"])
@admin_required
def team_new(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        team = save_form(form)
        if team is not None:
            messages.success(request, f"The team {team.name} was created.")
            return redirect("people:teams")
    return render(request, "people/team_form.html", {"section": "teams", "form": form})


@require_http_methods(["GET", "POST"])
@admin_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.get_team(pk)
    form = TeamForm(request.POST if request.method == "POST" else None, team=team)
    if request.method == "POST":
        saved = save_form(form)
        if saved is not None:
            messages.success(request, f"The team {saved.name} was saved.")
            return redirect("people:teams")
    return render(
        request,
        "people/team_form.html",
        {
            "section": "teams",
            "form": form,
            "team": team,
            "members": list(selectors.agents(include_inactive=False).filter(teams=team)),
        },
    )
