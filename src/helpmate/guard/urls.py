from django.urls import URLPattern, URLResolver

app_name = "guard"

urlpatterns: list[URLPattern | URLResolver] = []
