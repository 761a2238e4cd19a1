"""Bulk edits from the inbox: the same actions, called once per conversation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from helpmate.desk import actions
from helpmate.desk.actions import ActionError
from helpmate.desk.forms import BulkForm
from helpmate.desk.models import Conversation
from helpmate.desk.selectors import STATUS_LABELS
from helpmate.desk.views.common import Directory, current_agent, safe_next
from helpmate.web.access import agent_required


@agent_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    agent = current_agent(request)
    directory = Directory.load()
    form = BulkForm(request.POST, agents=directory.agent_choices)
    back = safe_next(request, request.POST.get("next"), reverse("desk:inbox"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)

    data = form.cleaned_data
    ids = data["ids"]
    action = data["action"]
    owner = directory.agent(data.get("owner")) if data.get("owner") else None
    tag = " ".join((data.get("tag") or "").lower().split())
    # Only conversations this agent may see; the rest are reported, never touched.
    found = list(
        Conversation.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .prefetch_related("tags")
        .order_by("pk")
    )
    failed = [f"#{pk}: not found" for pk in sorted(set(ids) - {c.pk for c in found})]
    changed = unchanged = 0
    for conversation in found:
        try:
            if action == "assign":
                if conversation.owner_id == (owner.pk if owner else None):
                    unchanged += 1
                    continue
                actions.assign_conversation(conversation=conversation, actor=agent, owner=owner)
            elif action == "status":
                if conversation.status == data["status"]:
                    unchanged += 1
                    continue
                actions.change_status(conversation=conversation, actor=agent, status=data["status"])
            else:
                if tag in {t.name for t in conversation.tags.all()}:
                    unchanged += 1
                    continue
                actions.change_tags(conversation=conversation, actor=agent, add=[tag])
            changed += 1
        except ActionError as exc:
            failed.append(f"#{conversation.pk}: {exc}")

    what = {
        "assign": f"assigned to {owner.public_name}" if owner else "unassigned",
        "status": f"set to “{STATUS_LABELS.get(data.get('status') or '', '')}”",
        "tag": f"tagged “{tag}”",
    }[action]
    summary = f"{changed} conversation{'s' if changed != 1 else ''} {what}."
    if unchanged:
        summary += f" {unchanged} already {'were' if unchanged != 1 else 'was'} like that."
    if failed:
        messages.warning(
            request, f"{summary} {len(failed)} could not be changed: {'; '.join(failed)}"
        )
    else:
        messages.success(request, summary)
    return redirect(back)
