from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from helpmate.people.models import agent_of, contact_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if agent_of(request.user) is not None:
        return redirect("desk:inbox")
    if contact_of(request.user) is not None:
        return redirect("portal:home")
    return redirect("web:login")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
