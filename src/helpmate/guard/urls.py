from django.urls import URLPattern, URLResolver, path

from helpmate.guard import views

app_name = "guard"

urlpatterns: list[URLPattern | URLResolver] = [
    path("rules/", views.rules, name="rules"),
]
