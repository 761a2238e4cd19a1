from django.urls import URLPattern, URLResolver, path

from helpmate.outbox import views

app_name = "outbox"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.outbox_list, name="list"),
    path("<int:pk>/send-again/", views.send_again, name="send_again"),
]
