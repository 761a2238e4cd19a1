"""One error body for every 4xx answer of the API.

    {"error": {"code": "not_found", "message": "No such conversation.", "details": []}}

``install(api)`` registers a handler for each exception the API can meet: ninja's validation and
parse errors, authentication and CSRF failures, Http404, the actions' ActionError / PeopleError,
PermissionDenied, integrity errors of concurrent writes and oversized request bodies. Anything
else is a bug and is left to Django (a 500, logged).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from helpmate.api.parser import UnstorableText
from helpmate.desk.actions import ActionError, ConflictError
from helpmate.people.actions import PeopleConflictError, PeopleError

if TYPE_CHECKING:
    from ninja import NinjaAPI

STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_error",
    429: "throttled",
}

UNAUTHORIZED_MESSAGE = (
    "Authentication needed: send an agent's API token as 'Authorization: Bearer <token>' "
    "(create one with 'helpmate token create --agent <email>')."
)


class ApiError(Exception):
    """Raised by endpoints for a refusal with a given status and, optionally, field details."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        details: Sequence[dict[str, Any]] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = list(details)


def invalid(field: str | Sequence[str | int], message: str, type_: str = "invalid") -> ApiError:
    """A 422 for one field of the request body, shaped like ninja's own validation errors."""
    loc = [field] if isinstance(field, str) else list(field)
    return ApiError(
        422,
        message,
        details=[{"loc": ["body", *loc], "message": message, "type": type_}],
    )


def error_response(
    status: int,
    message: str,
    details: Iterable[dict[str, Any]] = (),
    *,
    code: str | None = None,
) -> HttpResponse:
    body = {
        "error": {
            "code": code or STATUS_CODES.get(status, "bad_request"),
            "message": message,
            "details": list(details),
        }
    }
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="helpmate"'
    return response


def _clean_loc(loc: Iterable[Any]) -> list[str | int]:
    """ninja's loc names the view parameter ('payload'); clients only care about the field."""
    parts = [p if isinstance(p, int) else str(p) for p in loc]
    if len(parts) >= 2 and parts[0] == "body" and parts[1] == "payload":
        parts = [parts[0], *parts[2:]]
    return parts


def validation_details(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    details = []
    for error in errors:
        loc = _clean_loc(error.get("loc", ()))
        message = str(error.get("msg", "Invalid value."))
        if loc[1:] and message == "Field required":
            message = f"'{loc[-1]}' is required."
        elif loc == ["body"] and error.get("type") == "model_attributes_type":
            message = "The request body must be a JSON object."
        details.append({"loc": loc, "message": message, "type": str(error.get("type", ""))})
    return details


def _summary(details: list[dict[str, Any]]) -> str:
    if not details:
        return "The request is not valid."
    first = details[0]
    where = ".".join(str(p) for p in first["loc"][1:])
    more = f" (and {len(details) - 1} more problem(s))" if len(details) > 1 else ""
    return f"{where}: {first['message']}{more}" if where else f"{first['message']}{more}"


# --- handlers ----------------------------------------------------------------------------------


def _on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = validation_details(exc.errors)
    return error_response(422, _summary(details), details)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, UnstorableText):  # raised while parsing the body
        return _on_unstorable(request, exc.__cause__)
    status = exc.status_code
    message = str(exc)
    if isinstance(exc, AuthenticationError) or status == 401:
        message = UNAUTHORIZED_MESSAGE
    elif status == 400 and message.startswith("Cannot parse request body"):
        message = "The request body is not valid JSON."
    elif status == 403 and "CSRF" in message:
        message = (
            "CSRF check failed: send the X-CSRFToken header with session-authenticated writes."
        )
    return error_response(status, message)


def _on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.message, exc.details)


def _on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc) if exc.args and str(exc) else "Not found."
    return error_response(404, message)


def _on_refusal(request: HttpRequest, exc: ValueError) -> HttpResponse:
    conflict = isinstance(exc, ConflictError | PeopleConflictError)
    return error_response(409 if conflict else 400, str(exc))


def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(403, str(exc) or "You may not do this.")


def _on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    return error_response(409, "This conflicts with a change made at the same moment; try again.")


def _on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    return error_response(400, "A value is too long or out of range.")


def _on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    messages = exc.messages
    details = [{"loc": ["body"], "message": m, "type": "invalid"} for m in messages]
    return error_response(422, messages[0] if messages else "Invalid value.", details)


def _on_unstorable(request: HttpRequest, exc: UnstorableText) -> HttpResponse:
    loc = [p if isinstance(p, int) else str(p) for p in exc.loc]
    details = [{"loc": loc, "message": str(exc), "type": "unstorable_text"}]
    return error_response(422, _summary(details), details)


def _on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(413, "The request body is too large.")


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(NinjaValidationError, _on_validation)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, _on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(ApiError, _on_api_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, _on_404)  # type: ignore[arg-type]
    api.add_exception_handler(ActionError, _on_refusal)  # type: ignore[arg-type]
    api.add_exception_handler(PeopleError, _on_refusal)  # type: ignore[arg-type]
    api.add_exception_handler(PermissionDenied, _on_permission_denied)  # type: ignore[arg-type]
    api.add_exception_handler(IntegrityError, _on_integrity_error)  # type: ignore[arg-type]
    api.add_exception_handler(DataError, _on_data_error)  # type: ignore[arg-type]
    api.add_exception_handler(DjangoValidationError, _on_django_validation)  # type: ignore[arg-type]
    api.add_exception_handler(RequestDataTooBig, _on_too_big)  # type: ignore[arg-type]
    api.add_exception_handler(UnstorableText, _on_unstorable)  # type: ignore[arg-type]
