from django.http import HttpResponse
from django.urls import path

app_name = "people"


def _placeholder(request, *args, **kwargs):  # replaced by the people views
    return HttpResponse("people")


urlpatterns = [
    path("contacts/", _placeholder, name="contacts"),
    path("organizations/", _placeholder, name="organizations"),
    path("teams/", _placeholder, name="teams"),
    path("agents/", _placeholder, name="agents"),
]
