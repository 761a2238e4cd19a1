"""View decorators for who may open a page. Object-level access is decided by the querysets'
``visible_to(user)``; these only decide which kind of person a page is for."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from helpmate.people.models import agent_of, contact_of

View = Callable[..., HttpResponse]


def agent_required(view: View) -> View:
    """Signed-in agents only; others are sent to the agent sign-in (contacts get 403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if agent_of(request.user) is None:
            if request.user.is_authenticated:
                raise PermissionDenied("This page is for agents.")
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view: View) -> View:
    """Agents with the admin role only."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        agent = agent_of(request.user)
        if agent is None:
            if request.user.is_authenticated:
                raise PermissionDenied("This page is for admins.")
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        if not agent.is_admin:
            raise PermissionDenied("Only admins can manage this.")
        return view(request, *args, **kwargs)

    return wrapper


def contact_required(view: View) -> View:
    """Contacts signed in to the portal only; others go to the portal sign-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if contact_of(request.user) is None:
            if agent_of(request.user) is not None:
                raise PermissionDenied("The portal is for customers; agents use the desk.")
            return redirect_to_login(request.get_full_path(), reverse("portal:signin"))
        return view(request, *args, **kwargs)

    return wrapper
