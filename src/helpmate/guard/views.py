"""The guard's pages under /guard/rules/: every agent reads the rules in force and tries a reply
against them; admins also add, edit, switch off/on and revert rules (writes go through
helpmate.guard.actions; the form validates with the same check as a rules file at start-up)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from helpmate.guard import actions
from helpmate.guard.check import MAX_TEXT, check_text
from helpmate.guard.forms import RuleForm
from helpmate.guard.models import RuleChange
from helpmate.guard.preview import preview
from helpmate.guard.rules import RuleError
from helpmate.guard.ruleset import RuleState, build, current
from helpmate.people.models import Agent, agent_of
from helpmate.web.access import admin_required, agent_required

HISTORY = 10


def _agent(request: HttpRequest) -> Agent:
    agent = agent_of(request.user)
    assert agent is not None  # the decorators let only agents in
    return agent


@agent_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "")[:MAX_TEXT] if request.method == "POST" else ""
    ruleset = current()
    is_admin = _agent(request).is_admin
    return render(
        request,
        "guard/rules.html",
        {
            "section": "guard",
            "rules": ruleset.active,
            "states": ruleset.states,
            "off": [s for s in ruleset.states if not s.enabled],
            "rules_file": settings.HELPMATE_GUARD_RULES_FILE,
            "text": text,
            "tried": request.method == "POST",
            "flags": check_text(text, ruleset.active) if text.strip() else [],
            "is_admin": is_admin,
            "history": (
                list(RuleChange.objects.select_related("actor")[:HISTORY]) if is_admin else []
            ),
        },
    )


def _editor(
    request: HttpRequest, form: RuleForm, state: RuleState | None, *, previewed: bool
) -> HttpResponse:
    rule_preview = None
    if previewed and form.rule is not None:
        rule_preview = preview(form.rule, form.ruleset, form.cleaned_data.get("sample", ""))
    context = {
        "section": "guard",
        "form": form,
        "state": state,
        "preview": rule_preview,
        "previewed": previewed,
        "history": (
            list(RuleChange.objects.filter(rule_id=state.id).select_related("actor")[:HISTORY])
            if state is not None
            else []
        ),
    }
    if request.htmx and previewed:  # type: ignore[attr-defined]
        return render(request, "guard/_preview.html", context)
    return render(request, "guard/rule_form.html", context)


def _save(request: HttpRequest, form: RuleForm, state: RuleState | None) -> HttpResponse | None:
    """Save a valid form through the actions; None when the actions refused it (form errors)."""
    try:
        if state is None:
            actions.add_rule(actor=_agent(request), rule_id=form.new_id, fields=form.rule_fields())
            text = f"Rule {form.new_id} added; it is in force now."
        else:
            change = actions.edit_rule(
                actor=_agent(request), rule_id=state.id, fields=form.rule_fields()
            )
            text = f"Rule {state.id} saved." if change else f"Rule {state.id} was not changed."
    except RuleError as exc:
        form.add_rule_error(exc)
        return None
    except actions.RuleNotFound as exc:
        raise Http404("No such rule.") from exc
    messages.success(request, text)
    return redirect("guard:rules")


@admin_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: str | None = None) -> HttpResponse:
    ruleset = build()
    state = None
    if rule_id is not None:
        state = ruleset.get(rule_id)
        if state is None:
            raise Http404("No such rule.")
    if request.method != "POST":
        initial = state.rule.as_entry() if state is not None else {}
        form = RuleForm(initial=initial, ruleset=ruleset, rule_id=rule_id)
        return _editor(request, form, state, previewed=False)
    form = RuleForm(request.POST, ruleset=ruleset, rule_id=rule_id)
    previewed = "save" not in request.POST
    if form.is_valid() and not previewed:
        response = _save(request, form, state)
        if response is not None:
            return response
    return _editor(request, form, state, previewed=previewed)


@admin_required
@require_POST
def rule_switch(request: HttpRequest, rule_id: str) -> HttpResponse:
    enabled = request.POST.get("enabled") == "1"
    try:
        change = actions.switch_rule(actor=_agent(request), rule_id=rule_id, enabled=enabled)
    except actions.RuleNotFound as exc:
        raise Http404("No such rule.") from exc
    if change is not None:
        messages.success(request, f"Rule {rule_id} switched {'on' if enabled else 'off'}.")
    return redirect(reverse("guard:rules") + f"#rule-{rule_id}")


@admin_required
@require_POST
def rule_revert(request: HttpRequest, rule_id: str) -> HttpResponse:
    try:
        change = actions.revert_rule(actor=_agent(request), rule_id=rule_id)
    except actions.RuleNotFound as exc:
        raise Http404("No such rule.") from exc
    except actions.NothingToRevert:
        messages.info(request, f"Rule {rule_id} has no changes made here to undo.")
        return redirect("guard:rules")
    if change.kind == RuleChange.Kind.DELETED:
        messages.success(request, f"Rule {rule_id} deleted.")
    else:
        messages.success(request, f"Rule {rule_id} is back to its original version.")
    return redirect("guard:rules")
