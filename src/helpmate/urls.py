from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("helpmate.web.urls")),
    path("desk/", include("helpmate.desk.urls")),
    path("people/", include("helpmate.people.urls")),
    path("portal/", include("helpmate.portal.urls")),
    path("api/", include("helpmate.api.urls")),
    path("admin/", admin.site.urls),
]
