from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "helpmate.service"
    label = "service"
