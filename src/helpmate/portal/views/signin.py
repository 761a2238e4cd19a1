"""Signing in without a password: ask for a link, open it, press the button, you're in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from helpmate.people.models import contact_of
from helpmate.portal import actions
from helpmate.portal.forms import SignInForm

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _sign_in_form(request: HttpRequest, form: SignInForm, *, status: int = 200) -> HttpResponse:
    return render(request, "portal/signin.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        if contact_of(request.user) is not None:
            return redirect(actions.safe_next_path(request.GET.get("next", "")) or "portal:home")
        return _sign_in_form(request, SignInForm(initial={"next": request.GET.get("next", "")}))
    form = SignInForm(request.POST)
    if not form.is_valid():
        return _sign_in_form(request, form, status=400)
    try:
        actions.request_sign_in_link(
            email=form.cleaned_data["email"],
            next_path=form.cleaned_data["next"] or "",
            ip=request.META.get("REMOTE_ADDR"),
        )
    except actions.InvalidEmail as exc:
        form.add_error("email", str(exc))
        return _sign_in_form(request, form, status=400)
    except actions.TooManyLinks as exc:
        form.add_error(None, str(exc))
        return _sign_in_form(request, form, status=429)
    return redirect("portal:link_sent")


@require_http_methods(["GET"])
def link_sent(request: HttpRequest) -> HttpResponse:
    outbox = ""
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        outbox = str(getattr(settings, "EMAIL_FILE_PATH", ""))
    return render(
        request,
        "portal/link_sent.html",
        {"minutes": settings.HELPMATE_PORTAL_LINK_MINUTES, "outbox": outbox},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button (mail scanners that open links must not spend them); POST signs
    in."""
    try:
        if request.method == "GET":
            actions.check_sign_in_link(raw_token=token)
            return render(request, "portal/link.html", {"token": token})
        signed_in = actions.use_sign_in_link(raw_token=token)
    except actions.PortalError as exc:
        reason = getattr(exc, "reason", "off")
        return render(
            request,
            "portal/link_invalid.html",
            {"problem": str(exc), "reason": reason, "form": SignInForm()},
            status=410 if reason in ("used", "expired") else 404 if reason == "unknown" else 403,
        )
    login(request, signed_in.user, backend=_BACKEND)
    return redirect(signed_in.next_path or "portal:home")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:signin")
