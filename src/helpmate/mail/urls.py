from django.urls import URLPattern, URLResolver, path

from helpmate.mail import views

app_name = "mail"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inbound_list, name="inbound"),
    path("<int:pk>/raw/", views.raw_message, name="raw"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("original/<int:message_pk>/", views.original, name="original"),
    path("notices/<int:pk>/", views.notices, name="notices"),
]
