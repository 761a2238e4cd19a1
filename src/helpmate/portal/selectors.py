"""Reads for the portal. Every one starts from ``Conversation.objects.visible_to(user)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from helpmate.desk.models import Attachment, Conversation, MessageKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


def my_conversations(user: User) -> QuerySet[Conversation]:
    """The person's own conversations (merged ones live on in their target), latest first."""
    return (
        Conversation.objects.visible_to(user)
        .filter(merged_into__isnull=True)
        .select_related("owner")
        .only(
            "pk",
            "subject",
            "status",
            "preview",
            "created_at",
            "updated_at",
            "owner__public_name",
        )
        .order_by("-updated_at", "-pk")
    )


def get_attachment(user: User, pk: int) -> Attachment:
    """An attachment of a message the person may read (never of an internal note); else 404."""
    try:
        return (
            Attachment.objects.filter(
                message__conversation__in=Conversation.objects.visible_to(user).values("pk")
            )
            .exclude(message__kind=MessageKind.NOTE)
            .get(pk=pk)
        )
    except Attachment.DoesNotExist as exc:
        raise Http404("No such attachment.") from exc
