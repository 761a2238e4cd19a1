"""Customer Effort Score links: signed, expiring, for one conversation and its requester.

The token is ``django.core.signing`` over the conversation and contact ids (with a salt of its
own and a timestamp), so it needs no table and cannot be changed to another conversation. The
link opens a page with the question; only its POST form answers, so a mail scanner that follows
links answers nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "helpmate.effort.ces-link"
QUESTION = "How easy was it to get this sorted?"
SCALE = [
    (1, "Very difficult"),
    (2, "Difficult"),
    (3, "Somewhat difficult"),
    (4, "Neither easy nor difficult"),
    (5, "Somewhat easy"),
    (6, "Easy"),
    (7, "Very easy"),
]
MAX_COMMENT = 2000


class BadLink(ValueError):
    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class LinkTarget:
    conversation_id: int
    contact_id: int


def make_token(conversation_id: int, contact_id: int) -> str:
    return signing.dumps({"c": conversation_id, "p": contact_id}, salt=SALT, compress=False)


def read_token(token: str) -> LinkTarget:
    max_age = settings.HELPMATE_CES_LINK_DAYS * 86400
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise BadLink(
            "This link is older than "
            f"{settings.HELPMATE_CES_LINK_DAYS} days, so it no longer works.",
            reason="expired",
        ) from exc
    except signing.BadSignature as exc:
        raise BadLink(
            "This link is not complete or was changed; please use the link from the email.",
            reason="invalid",
        ) from exc
    try:
        return LinkTarget(conversation_id=int(data["c"]), contact_id=int(data["p"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise BadLink("This link is not one of ours.", reason="invalid") from exc


def link_url(conversation_id: int, contact_id: int) -> str:
    path = reverse("effort:ces_link", args=[make_token(conversation_id, contact_id)])
    return settings.BASE_URL + path
