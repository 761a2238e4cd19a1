from django.urls import URLPattern, URLResolver

app_name = "effort"

urlpatterns: list[URLPattern | URLResolver] = []
