"""Writing: replies (with the stale-reply guard), internal notes, and logging a new
conversation for a contact (a phone call, a chat, a colleague at the desk)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from helpmate.desk import actions, composer, selectors
from helpmate.desk.actions import ActionError
from helpmate.desk.forms import NewConversationForm, NoteForm, ReplyForm
from helpmate.desk.models import Channel
from helpmate.desk.views.common import Directory, current_agent
from helpmate.desk.views.conversation import greeting, render_conversation
from helpmate.people.models import Contact, ContactKind
from helpmate.web.access import agent_required


@agent_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    agent = current_agent(request)
    conv = selectors.get_conversation(request.user, pk)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_conversation(request, conv, reply_form=form, status=400)
    data = form.cleaned_data
    files = data["attachments"]
    if " ".join(data["text"].split()) == " ".join(greeting(conv, agent).split()):
        form.add_error("text", "Write your answer between the greeting and the signature.")
        return render_conversation(request, conv, reply_form=form, status=400)

    # The stale-reply guard: something new arrived since the page was loaded.
    last_seen = data.get("last_seen")
    if last_seen is not None:
        newer = selectors.newer_messages(conv, after_id=last_seen, agent=agent)
        if newer:
            resubmit = request.POST.copy()
            resubmit["last_seen"] = str(max(m.pk for m in newer))
            resubmit["confirm_stale"] = "1"
            return render_conversation(
                request,
                conv,
                reply_form=ReplyForm(resubmit),
                stale_messages=newer,
                errors={"reply_files": "Attach your files again."} if files else {},
                status=409,
            )

    # The composer's checks (promises, deflection guard): the first send stops to show them.
    if request.POST.get("reviewed") != "1":
        found = composer.reviews(
            conversation=conv, agent=agent, text=data["text"], data=request.POST
        )
        if any(r.needs_attention for r in found):
            resubmit = request.POST.copy()
            resubmit["reviewed"] = "1"
            return render_conversation(
                request,
                conv,
                reply_form=ReplyForm(resubmit),
                reviews=found,
                reviewed=True,
                errors={"reply_files": "Attach your files again."} if files else {},
            )

    try:
        with transaction.atomic():
            message = actions.add_reply(
                conversation=conv,
                agent=agent,
                text=data["text"],
                attachments=files,
                status=data["status"],
            )
            composer.after_reply(conversation=conv, message=message, agent=agent, data=request.POST)
    except ActionError as exc:
        return render_conversation(
            request, conv, reply_form=form, errors={"reply": str(exc)}, status=400
        )
    messages.success(request, f"Reply sent to {conv.requester.greeting_name or 'the requester'}.")
    return redirect("desk:conversation", pk=conv.pk)


@agent_required
@require_POST
def reply_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The composer's review panel for the draft so far (asked for while the agent types)."""
    agent = current_agent(request)
    conv = selectors.get_conversation(request.user, pk)
    text = request.POST.get("text", "")[:20000]
    found = (
        composer.reviews(conversation=conv, agent=agent, text=text, data=request.POST)
        if text.strip()
        else []
    )
    return render(
        request,
        "desk/_composer_review.html",
        {"conversation": conv, "reviews": found, "reviewed": any(r.needs_attention for r in found)},
    )


@agent_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    agent = current_agent(request)
    conv = selectors.get_conversation(request.user, pk)
    form = NoteForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_conversation(request, conv, note_form=form, status=400)
    try:
        message = actions.add_note(
            conversation=conv,
            agent=agent,
            text=form.cleaned_data["text"],
            attachments=form.cleaned_data["attachments"],
        )
    except ActionError as exc:
        return render_conversation(
            request, conv, note_form=form, errors={"note": str(exc)}, status=400
        )
    named = [a.public_name for a in message.mentions.all()]
    told = f" {', '.join(named)} will see it in their notifications." if named else ""
    messages.success(request, f"Note saved (only agents see it).{told}")
    return redirect("desk:conversation", pk=conv.pk)


def _default_channel(contact: Contact) -> str:
    return Channel.INTERNAL if contact.kind == ContactKind.COLLEAGUE else Channel.PHONE


@agent_required
@require_http_methods(["GET", "POST"])
def new_conversation(request: HttpRequest) -> HttpResponse:
    """Log a conversation for a contact: ?contact=<id>, or pick the contact first."""
    agent = current_agent(request)
    raw = request.GET.get("contact") or request.POST.get("contact") or ""
    contact = None
    if raw.isdigit():
        contact = (
            Contact.objects.visible_to(request.user)
            .select_related("organization")
            .filter(pk=int(raw))
            .first()
        )
    if contact is None:
        query = request.GET.get("q", "").strip()[:100]
        found = (
            list(
                Contact.objects.visible_to(request.user)
                .search(query)
                .select_related("organization")
                .order_by("name")[:20]
            )
            if query
            else []
        )
        return render(
            request,
            "desk/new_pick_contact.html",
            {"section": "inbox", "query": query, "found": found, "missing": bool(raw)},
            status=404 if raw else 200,
        )

    directory = Directory.load()
    teams = directory.team_choices
    if request.method == "POST":
        form = NewConversationForm(request.POST, request.FILES, teams=teams)
        if form.is_valid():
            data = form.cleaned_data
            try:
                conv = actions.create_conversation(
                    requester=contact,
                    subject=data["subject"],
                    text=data["text"],
                    channel=data["channel"],
                    team=directory.team(data.get("team")),
                    priority=data["priority"],
                    created_by=agent,
                    attachments=data["attachments"],
                )
            except ActionError as exc:
                form.add_error(None, str(exc))
            else:
                if data.get("own_it"):
                    actions.assign_conversation(conversation=conv, actor=agent, owner=agent)
                messages.success(request, f"Conversation #{conv.pk} logged for {contact.name}.")
                return redirect("desk:conversation", pk=conv.pk)
        status = 400
    else:
        first_team = next((t.pk for t in agent.teams.all()), None)
        initial: dict[str, Any] = {
            "channel": _default_channel(contact),
            "team": first_team,
            "own_it": True,
        }
        form = NewConversationForm(initial=initial, teams=teams)
        status = 200
    return render(
        request,
        "desk/new.html",
        {"section": "inbox", "form": form, "contact": contact},
        status=status,
    )
