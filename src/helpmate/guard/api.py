"""API endpoints of the guard app, mounted under /api/ by helpmate.api.api."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from helpmate.api.schemas import AUTH_ERRORS, ErrorBody, Input
from helpmate.guard.check import MAX_TEXT, check_text

router = Router(tags=["Guard"])


class ReplyCheckIn(Input):
    text: Annotated[str, Field(max_length=MAX_TEXT, description="The reply as the agent wrote it")]


class GuardFlag(Schema):
    sentence: str = Field(description="The sentence as written")
    start: int = Field(description="Offset of the sentence in the text (characters)")
    end: int = Field(description="Offset just after the sentence")
    rule: str = Field(description="Id of the first rule the sentence matched")
    rules: list[str] = Field(description="Ids of every rule it matched")
    reason: str = Field(description="Why it pushes the customer away")
    better: str = Field(description="A better move")
    move: str = Field(description="own, handoff, alternative or referral")


class ReplyCheckOut(Schema):
    flags: list[GuardFlag]


@router.post(
    "/replies/check",
    response={200: ReplyCheckOut, **AUTH_ERRORS, 413: ErrorBody, 422: ErrorBody},
    summary="Check a reply for sentences that push the customer away",
)
def check_reply(request: HttpRequest, payload: ReplyCheckIn) -> dict[str, Any]:
    """The deflection guard the composer uses: each flagged sentence with its offsets, the
    reason and a better move, or an empty list. Nothing is stored."""
    return {"flags": [flag.as_dict() for flag in check_text(payload.text)]}
