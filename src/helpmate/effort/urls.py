from django.urls import URLPattern, URLResolver, path

from helpmate.effort import views

app_name = "effort"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.radar, name="radar"),
    path("c/<int:pk>/", views.conversation_effort, name="conversation"),
    path("ces/<str:token>/", views.ces_link, name="ces_link"),
    path("portal/<int:pk>/ces/", views.ces_portal, name="ces_portal"),
]
