from django.urls import URLPattern, URLResolver, path

from helpmate.service import views

app_name = "service"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("calendars/new/", views.calendar_edit, name="calendar_new"),
    path("calendars/<int:pk>/", views.calendar_edit, name="calendar"),
    path("calendars/<int:pk>/delete/", views.calendar_delete, name="calendar_delete"),
    path("calendars/<int:pk>/holidays/", views.holiday_add, name="holiday_add"),
    path(
        "calendars/<int:pk>/holidays/<int:holiday_pk>/delete/",
        views.holiday_delete,
        name="holiday_delete",
    ),
    path("teams/", views.team_calendar, name="team_calendar"),
    path("targets/new/", views.target_edit, name="target_new"),
    path("targets/<int:pk>/", views.target_edit, name="target"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
]
