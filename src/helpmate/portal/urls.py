from django.http import HttpResponse
from django.urls import path

app_name = "portal"


def _placeholder(request, *args, **kwargs):  # replaced by the portal views
    return HttpResponse("portal")


urlpatterns = [
    path("", _placeholder, name="home"),
    path("signin/", _placeholder, name="signin"),
    path("c/<int:pk>/", _placeholder, name="conversation"),
]
