from django.urls import URLPattern, URLResolver, path

from helpmate.guard import views

app_name = "guard"

urlpatterns: list[URLPattern | URLResolver] = [
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<slug:rule_id>/edit/", views.rule_edit, name="rule"),
    path("rules/<slug:rule_id>/switch/", views.rule_switch, name="rule_switch"),
    path("rules/<slug:rule_id>/revert/", views.rule_revert, name="rule_revert"),
]
