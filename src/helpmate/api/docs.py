"""The API docs page, working offline.

django-ninja ships Swagger UI's files in its package but only uses them when "ninja" is an
installed app (otherwise its page loads them from a CDN). This page renders our own template and
serves those files from the installed ninja package through a small view, so /api/docs works on a
machine without internet and without touching INSTALLED_APPS. Without JavaScript the page still
lists every operation, rendered on the server from the OpenAPI schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.http import require_GET
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
}
METHODS = ("get", "post", "put", "patch", "delete")


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the schema as {tag, method, path, summary}, grouped by tag."""
    rows = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            rows.append(
                {
                    "tag": (op.get("tags") or ["other"])[0],
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                }
            )
    rows.sort(key=lambda r: (r["tag"], r["path"], METHODS.index(r["method"].lower())))
    return rows


class OfflineSwagger(DocsBase):
    settings: dict[str, Any] = {"layout": "BaseLayout", "deepLinking": True}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        openapi_url = self.get_openapi_url(api, kwargs)
        schema = api.get_openapi_schema(path_params=kwargs)
        context = {
            "api": api,
            "openapi_url": openapi_url,
            "swagger_settings": {**self.settings, "url": openapi_url},
            # Session-authenticated writes from "Try it out" need the CSRF token.
            "csrf": get_token(request) if request.user.is_authenticated else "",
            "operations": operations(schema),
        }
        return render(request, "api/docs.html", context)


@require_GET
def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSETS:
        raise Http404("No such file.")
    path = ASSET_DIR / name
    if not path.is_file():  # pragma: no cover - a broken ninja installation
        raise Http404("No such file.")
    response = FileResponse(path.open("rb"), content_type=ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response
