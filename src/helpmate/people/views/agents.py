"""Agents: admins add, edit and deactivate them; every agent edits their own profile and
manages their own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpmate.people import actions, selectors
from helpmate.people.forms import EditAgentForm, NewAgentForm, ProfileForm, TokenForm
from helpmate.people.models import Agent, agent_of
from helpmate.people.views.common import save_form
from helpmate.web.access import admin_required, agent_required


def _me(request: HttpRequest) -> Agent:
    agent = agent_of(request.user)
    assert agent is not None  # the decorators let only agents through
    return agent


@require_GET
@admin_required
def agent_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "people/agent_list.html",
        {"section": "agents", "agents": list(selectors.agents())},
    )


@require_http_methods(["GET", "POST"])
@admin_required
def agent_new(request: HttpRequest) -> HttpResponse:
    form = NewAgentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        agent = save_form(form)
        if agent is not None:
            messages.success(request, f"{agent.full_name} can now sign in as {agent.email}.")
            return redirect("people:agents")
    return render(request, "people/agent_form.html", {"section": "agents", "form": form})


@require_http_methods(["GET", "POST"])
@admin_required
def agent_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agent = selectors.get_agent(pk)
    form = EditAgentForm(
        request.POST if request.method == "POST" else None, agent=agent, editor=_me(request)
    )
    if request.method == "POST":
        saved = save_form(form)
        if saved is not None:
            messages.success(request, f"{saved.full_name} was saved.")
            return redirect("people:agents")
    return render(
        request,
        "people/agent_form.html",
        {"section": "agents", "form": form, "agent": agent},
    )


@require_http_methods(["GET", "POST"])
@agent_required
def my_profile(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = ProfileForm(request.POST if request.method == "POST" else None, agent=me)
    if request.method == "POST" and save_form(form) is not None:
        messages.success(request, "Your profile was saved.")
        return redirect("people:me")
    return render(request, "people/profile.html", {"section": "me", "form": form, "me": me})


@never_cache
@require_http_methods(["GET", "POST"])
@agent_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The signed-in agent's own API tokens; a new token's raw value is shown once, here."""
    me = _me(request)
    form = TokenForm(request.POST if request.method == "POST" else None)
    raw = ""
    created = None
    if request.method == "POST" and form.is_valid():
        created, raw = actions.create_api_token(agent=me, name=form.cleaned_data["name"].strip())
        form = TokenForm()
    return render(
        request,
        "people/tokens.html",
        {
            "section": "tokens",
            "form": form,
            "tokens": list(selectors.tokens_of(me)),
            "raw_token": raw,
            "created": created,
        },
    )


@require_POST
@agent_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.get_own_token(_me(request), pk)  # 404 for anyone else's token
    actions.revoke_api_token(token=token)
    messages.success(request, f"The token {token.prefix}… was revoked; it no longer works.")
    return redirect("people:tokens")
