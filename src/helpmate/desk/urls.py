from django.http import HttpResponse
from django.urls import path

app_name = "desk"


def _placeholder(request, *args, **kwargs):  # replaced by the workspace views
    return HttpResponse("desk")


urlpatterns = [
    path("", _placeholder, name="inbox"),
    path("notifications/", _placeholder, name="notifications"),
    path("c/<int:pk>/", _placeholder, name="conversation"),
]
