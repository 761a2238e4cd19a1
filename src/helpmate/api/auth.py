"""Who is calling: agents only, by API token (``Authorization: Bearer <token>``) or, for
same-origin use such as the docs page, by their signed-in session with a CSRF check.

Tokens are stored as SHA-256 hashes (``people.models.hash_token``); a token works while it is not
revoked and its agent's account is active.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja.errors import AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer

from helpmate.people.actions import record_api_token_use
from helpmate.people.models import Agent, ApiToken, agent_of, hash_token

# A generated token is ~46 characters; anything far longer is not one of ours.
MAX_TOKEN_LENGTH = 200


class TokenAuth(HttpBearer):
    """``Authorization: Bearer hm_...``: an agent's API token."""

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        found = (
            ApiToken.objects.select_related("agent__user")
            .filter(
                token_hash=hash_token(token),
                revoked_at__isnull=True,
                agent__user__is_active=True,
            )
            .first()
        )
        if found is None:
            return None
        record_api_token_use(token=found)
        user = found.agent.user
        # Endpoints and selectors read request.user, as they do for a session.
        request.user = user
        request.api_token = found  # type: ignore[attr-defined]
        return user


class AgentSessionAuth(APIKeyCookie):
    """The agent's own signed-in session, for same-origin use; writes need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a signed-in user there is nothing to check: skip the CSRF check so that a
        # missing or bad token answers 401, not a confusing CSRF 403.
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if agent_of(user) is None:
            raise AuthorizationError(message="The API is for agents.")
        return user


def current_agent(request: HttpRequest) -> Agent:
    """The calling agent (authentication has already made sure there is one)."""
    agent = agent_of(request.user)
    if agent is None:  # pragma: no cover - the auth classes refuse such requests
        raise AuthorizationError(message="The API is for agents.")
    return agent


def api_auth() -> list[Any]:
    return [TokenAuth(), AgentSessionAuth()]
