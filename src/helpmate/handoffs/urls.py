from django.urls import URLPattern, URLResolver, path

from helpmate.handoffs import views

app_name = "handoffs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.handoff_list, name="list"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("c/<int:pk>/pending/", views.pending, name="pending"),
    path("c/<int:pk>/message/", views.transfer_message, name="transfer_message"),
]
