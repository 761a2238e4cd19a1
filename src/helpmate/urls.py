from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("helpmate.web.urls")),
    path("desk/", include("helpmate.desk.urls")),
    path("people/", include("helpmate.people.urls")),
    path("portal/", include("helpmate.portal.urls")),
    path("api/", include("helpmate.api.urls")),
    path("mail/", include("helpmate.mail.urls")),
    path("outbox/", include("helpmate.outbox.urls")),
    path("service/", include("helpmate.service.urls")),
    path("promises/", include("helpmate.promises.urls")),
    path("effort/", include("helpmate.effort.urls")),
    path("guard/", include("helpmate.guard.urls")),
    path("handoffs/", include("helpmate.handoffs.urls")),
    path("admin/", admin.site.urls),
]
