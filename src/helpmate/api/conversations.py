"""Conversations: list (the inbox's views, filters, order and search), read, create, change.

Reads go through ``desk.selectors`` (``inbox`` and ``get_conversation``, both built on
``Conversation.objects.visible_to(user)``); every change calls the desk action the workspace uses.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Field, Router, Status

from helpmate.api import convert
from helpmate.api.auth import current_agent
from helpmate.api.conversation_schemas import (
    PRIORITY_VALUES,
    ChannelName,
    ContactKindName,
    ConversationDetail,
    ConversationIn,
    ConversationPage,
    ConversationPatch,
    StatusName,
    ViewName,
)
from helpmate.api.errors import invalid
from helpmate.api.pagination import PageQuery, page_of
from helpmate.api.schemas import READ_ERRORS, WRITE_ERRORS, Id
from helpmate.desk import actions, inbox_pages, selectors
from helpmate.desk.models import Conversation
from helpmate.people.actions import find_or_create_contact
from helpmate.people.models import Agent, Contact, Team

router = Router(tags=["conversations"])


@router.get(
    "/conversations",
    response={200: ConversationPage, **READ_ERRORS},
    summary="List conversations",
)
def list_conversations(
    request: HttpRequest,
    page: PageQuery,
    view: ViewName | None = None,
    status: StatusName | None = None,
    team: Id | None = None,
    owner: Id | None = None,
    channel: ChannelName | None = None,
    tag: Annotated[str, Field(max_length=60)] = "",
    contact_kind: ContactKindName | None = None,
    requester: Id | None = None,
    q: Annotated[str, Field(max_length=200)] = "",
) -> dict[str, Any]:
    """The workspace inbox as JSON: same views, filters, order and search.

    `view` is one of mine, teams, unassigned, open, waiting, resolved, all; it defaults to
    `open` (longest-waiting first), or to `all` when a `status` is given. `q` searches subjects
    and messages. Pages carry `next` (no total count, so lists stay fast at any size).
    """
    filters = selectors.InboxFilters(
        status=status or "",
        team=team,
        owner=owner,
        channel=channel or "",
        tag=" ".join(tag.lower().split()),
        contact_kind=contact_kind or "",
        requester=requester,
        query=q,
    )
    rows, has_next = inbox_pages.inbox_window(
        request.user,
        view=view or ("all" if status else "open"),
        filters=filters,
        offset=page.offset,
        limit=page.limit,
    )
    return page_of(request, rows, has_next, page).as_dict(
        lambda c: convert.conversation(request, c)
    )


@router.post(
    "/conversations",
    response={201: ConversationDetail, **WRITE_ERRORS},
    summary="Open a conversation",
)
def create_conversation(request: HttpRequest, payload: ConversationIn) -> Status:
    """Open a conversation for a requester, by contact id (`requester`) or by email
    (`requester_email`, creating the contact if the address is new). The text is the
    requester's words; the calling agent is recorded as the one who logged it."""
    agent = current_agent(request)
    if (payload.requester is None) == (payload.requester_email is None):
        raise invalid("requester", "Give either 'requester' (a contact id) or 'requester_email'.")
    team = _team(payload.team)
    with transaction.atomic():  # a new contact is not kept if the conversation is refused
        if payload.requester is not None:
            requester = (
                Contact.objects.visible_to(request.user).filter(pk=payload.requester).first()
            )
            if requester is None:
                raise invalid("requester", f"No contact with id {payload.requester}.", "not_found")
        else:
            requester = find_or_create_contact(
                email=payload.requester_email or "", name=payload.requester_name
            )
        conversation = actions.create_conversation(
            requester=requester,
            subject=payload.subject,
            text=payload.text,
            channel=payload.channel,
            team=team,
            priority=PRIORITY_VALUES[payload.priority],
            created_by=agent,
            tags=payload.tags,
        )
    return Status(201, _detail_after_write(request, conversation))


@router.get(
    "/conversations/{conversation_id}",
    response={200: ConversationDetail, **READ_ERRORS},
    summary="One conversation",
)
def get_conversation(request: HttpRequest, conversation_id: Id) -> dict[str, Any]:
    conversation = selectors.get_conversation(request.user, conversation_id)
    return convert.conversation_detail(request, conversation)


@router.patch(
    "/conversations/{conversation_id}",
    response={200: ConversationDetail, **WRITE_ERRORS},
    summary="Change status, owner, team, priority or tags",
)
def update_conversation(
    request: HttpRequest, conversation_id: Id, payload: ConversationPatch
) -> dict[str, Any]:
    """Send only what changes. Each change is made by the same action as in the workspace and
    logged as an event; all of them succeed together or none is made.

    - `owner`: an agent id, or null to unassign.
    - `team`: hand over to another team; needs a handoff `note` (as in the workspace).
      A `note` with an `owner` change makes it a handoff too (the note reaches the new owner).
    - `tags` replaces the whole set; `add_tags` / `remove_tags` change only those named.
    """
    agent = current_agent(request)
    conversation = selectors.get_conversation(request.user, conversation_id)
    sent = payload.model_fields_set
    for field in ("status", "priority", "tags", "add_tags", "remove_tags", "note"):
        if field in sent and getattr(payload, field) is None:
            raise invalid(field, f"'{field}' cannot be null.", "null")
    if "tags" in sent and ({"add_tags", "remove_tags"} & sent):
        raise invalid("tags", "Send either 'tags' or 'add_tags'/'remove_tags', not both.")
    if "team" in sent and payload.team is None:
        raise invalid("team", "A conversation cannot be left without a team; choose one.")
    team = _team(payload.team) if "team" in sent else None
    owner = _owner(payload.owner) if "owner" in sent else None
    team_changes = team is not None and team.pk != conversation.team_id
    owner_changes = "owner" in sent and (owner.pk if owner else None) != conversation.owner_id
    note = (payload.note or "").strip()
    if team_changes and not note:
        raise invalid("note", "Write a handoff note so the new team gets the story.", "missing")
    if "note" in sent and not (team_changes or (owner_changes and owner is not None)):
        raise invalid("note", "A handoff note goes with a new team or a new owner.")

    result: Conversation = conversation
    with transaction.atomic():
        if team_changes or (owner_changes and owner is not None and note):
            result = actions.transfer_conversation(
                conversation=result, actor=agent, note=note, team=team, owner=owner
            )
            if "owner" in sent and owner is None and result.owner_id is not None:
                result = actions.assign_conversation(conversation=result, actor=agent, owner=None)
        elif owner_changes:
            result = actions.assign_conversation(conversation=result, actor=agent, owner=owner)
        if payload.status is not None:
            result = actions.change_status(conversation=result, actor=agent, status=payload.status)
        if payload.priority is not None:
            result = actions.change_priority(
                conversation=result, actor=agent, priority=PRIORITY_VALUES[payload.priority]
            )
        add, remove = _tag_changes(result, payload)
        if add or remove:
            result = actions.change_tags(conversation=result, actor=agent, add=add, remove=remove)
    return _detail_after_write(request, result)


def _team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise invalid("team", f"No team with id {team_id}.", "not_found")
    return team


def _owner(agent_id: int | None) -> Agent | None:
    if agent_id is None:
        return None
    owner = Agent.objects.active().filter(pk=agent_id).first()
    if owner is None:
        raise invalid("owner", f"No active agent with id {agent_id}.", "not_found")
    return owner


def _tag_changes(conversation: Conversation, payload: ConversationPatch) -> tuple[list, list]:
    if payload.tags is not None:
        wanted = {" ".join(t.lower().split()) for t in payload.tags} - {""}
        current = set(conversation.tags.values_list("name", flat=True))
        return sorted(wanted - current), sorted(current - wanted)
    return list(payload.add_tags or []), list(payload.remove_tags or [])


def _detail_after_write(request: HttpRequest, conversation: Conversation) -> dict[str, Any]:
    """The conversation as it is now. If the change took it out of the caller's sight (handed to
    a team they do not see), they still get the result of their own change."""
    try:
        fresh = selectors.get_conversation(request.user, conversation.pk)
    except Http404:
        fresh = conversation
        fresh.refresh_from_db()
    return convert.conversation_detail(request, fresh)
