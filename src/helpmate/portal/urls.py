from django.urls import path

from helpmate.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.sign_in, name="signin"),
    path("signin/sent/", views.link_sent, name="link_sent"),
    path("signin/link/<str:token>/", views.link, name="link"),
    path("signout/", views.sign_out, name="signout"),
    path("new/", views.new_request, name="new"),
    path("c/<int:pk>/", views.conversation, name="conversation"),
    path("c/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
