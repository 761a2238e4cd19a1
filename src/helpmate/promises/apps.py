from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "helpmate.promises"
    label = "promises"
