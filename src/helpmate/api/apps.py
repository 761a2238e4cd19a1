from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "helpmate.api"
    label = "api"
