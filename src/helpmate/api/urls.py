"""URLs under /api/: the ninja API, the docs page's local assets, and JSON answers for unknown
paths and unsupported methods so that every 4xx has the same error body."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import Resolver404, URLPattern, URLResolver, path, re_path, resolve

from helpmate.api.api import api
from helpmate.api.docs import docs_asset
from helpmate.api.errors import error_response


def _json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            replaced = error_response(
                405, f"{request.method} is not supported here; use {allowed}."
            )
            replaced["Allow"] = allowed
            return replaced
        return response

    return wrapper


def _api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_method_not_allowed(pattern.callback)
    return patterns, app_name, namespace


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    message = "No such API path; see /api/docs for the operations."
    without_slash = request.path.rstrip("/")
    if rest.endswith("/") and without_slash:
        try:
            known = resolve(without_slash).func is not not_found
        except Resolver404:
            known = False
        if known:
            message = f"No such API path; did you mean {without_slash} (without the slash)?"
    return error_response(404, message)


urlpatterns = [
    path("", _api_urls()),
    path("docs/assets/<str:name>", docs_asset, name="api-docs-asset"),
    re_path(r"^(?P<rest>.*)$", not_found),
]
