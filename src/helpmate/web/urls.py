from django.contrib.auth import views as auth_views
from django.urls import path

from helpmate.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.LoginView.as_view(), name="login"),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.health, name="health"),
]
