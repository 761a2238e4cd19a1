from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "helpmate.web"
    label = "web"
