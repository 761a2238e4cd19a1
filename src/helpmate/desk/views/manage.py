"""Changing a conversation from its page: claim, assign, transfer, status, priority, tags, merge.

Each view validates the form and calls one action. On success it redirects back to the page
(with a short confirmation); on a refusal it shows the page again with the error in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from helpmate.desk import actions, selectors
from helpmate.desk.actions import ActionError
from helpmate.desk.forms import (
    AssignForm,
    MergeForm,
    PriorityForm,
    StatusForm,
    TagsForm,
    TransferForm,
)
from helpmate.desk.models import Conversation, Status
from helpmate.desk.views.common import Directory, current_agent
from helpmate.desk.views.conversation import render_conversation
from helpmate.people.models import Agent
from helpmate.web.access import agent_required


def _back(conversation: Conversation) -> HttpResponse:
    return redirect("desk:conversation", pk=conversation.pk)


@agent_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    agent = current_agent(request)
    conv = selectors.get_conversation(request.user, pk)
    directory = Directory.load()
    owner: Agent | None
    if request.POST.get("claim"):
        owner = agent
    else:
        form = AssignForm(request.POST, agents=directory.agent_choices)
        if not form.is_valid():
            return render_conversation(
                request, conv, directory=directory, assign_form=form, status=400
            )
        owner = directory.agent(form.cleaned_data["owner"])
    try:
        actions.assign_conversation(conversation=conv, actor=agent, owner=owner)
    except ActionError as exc:
        return render_conversation(
            request, conv, directory=directory, errors={"assign": str(exc)}, status=400
        )
    if owner is None:
        messages.success(request, "Nobody owns it now; it is back in Unassigned.")
    elif owner.pk == agent.pk:
        messages.success(request, "It is yours now.")
    else:
        messages.success(request, f"{owner.public_name} owns it now and was told.")
    return _back(conv)


@agent_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    agent = current_agent(request)
    conv = selectors.get_conversation(request.user, pk)
    directory = Directory.load()
    form = TransferForm(request.POST, teams=directory.team_choices, agents=directory.agent_choices)
    if not form.is_valid():
        return render_conversation(
            request, conv, directory=directory, transfer_form=form, status=400
        )
    data = form.cleaned_data
    try:
        result = actions.transfer_conversation(
            conversation=conv,
            actor=agent,
            note=data["note"],
            team=directory.team(data.get("team")),
            owner=directory.agent(data.get("owner")),
            tell_customer=data["tell_customer"],
            customer_message=data["customer_message"],
        )
    except ActionError as exc:
        return render_conversation(
            request,
            conv,
            directory=directory,
            transfer_form=form,
            errors={"transfer": str(exc)},
            status=400,
        )
    told = ""
    if data["tell_customer"]:
        who = result.owner.public_name if result.owner else f"the {result.team} team"
        name = conv.requester.greeting_name or "The customer"
        told = f" {name} was told that {who} has it now."
    messages.success(request, f"Handed over, with your note for the new owner.{told}")
    return _back(conv)


@agent_required
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    agent = current_agent(request)
    conv = selectors.get_conversation(request.user, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return render_conversation(
            request, conv, errors={"status": "Choose one of the statuses."}, status=400
        )
    try:
        actions.change_status(conversation=conv, actor=agent, status=form.cleaned_data["status"])
    except ActionError as exc:
        return render_conversation(request, conv, errors={"status": str(exc)}, status=400)
    label = dict(Status.choices)[form.cleaned_data["status"]]
    messages.success(request, f"Status: {label}.")
    return _back(conv)


@agent_required
@require_POST
def change_priority(request: HttpRequest, pk: int) -> HttpResponse:
    agent = current_agent(request)
    conv = selectors.get_conversation(request.user, pk)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        return render_conversation(request, conv, priority_form=form, status=400)
    try:
        actions.change_priority(
            conversation=conv, actor=agent, priority=form.cleaned_data["priority"]
        )
    except ActionError as exc:
        return render_conversation(request, conv, errors={"priority": str(exc)}, status=400)
    messages.success(request, "Priority changed.")
    return _back(conv)


@agent_required
@require_POST
def change_tags(request: HttpRequest, pk: int) -> HttpResponse:
    agent = current_agent(request)
    conv = selectors.get_conversation(request.user, pk)
    form = TagsForm(request.POST)
    if not form.is_valid():
        return render_conversation(request, conv, tags_form=form, status=400)
    remove = (form.cleaned_data.get("remove") or "").strip()
    actions.change_tags(
        conversation=conv,
        actor=agent,
        add=form.tags_to_add(),
        remove=[remove] if remove else [],
    )
    return _back(conv)


@agent_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this conversation into another: first a confirmation page, then the merge."""
    agent = current_agent(request)
    conv = selectors.get_conversation(request.user, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return render_conversation(request, conv, merge_form=form, status=400)
    target_id = form.cleaned_data["target"]
    target = (
        Conversation.objects.visible_to(request.user)
        .select_related("requester", "owner", "team")
        .filter(pk=target_id)
        .first()
    )
    if target is None or target.pk == conv.pk:
        why = (
            "A conversation cannot be merged into itself."
            if target_id == conv.pk
            else f"There is no conversation #{target_id} that you can see."
        )
        form.add_error("target", why)
        return render_conversation(request, conv, merge_form=form, status=400)
    if not form.cleaned_data.get("confirm"):
        return render(
            request,
            "desk/merge_confirm.html",
            {"section": "inbox", "source": conv, "target": target},
        )
    try:
        actions.merge_conversations(source=conv, target=target, actor=agent)
    except ActionError as exc:
        form.add_error("target", str(exc))
        return render_conversation(request, conv, merge_form=form, status=400)
    messages.success(request, f"#{conv.pk} was merged into this conversation.")
    return redirect("desk:conversation", pk=target.pk)
