from django.apps import AppConfig


class GuardConfig(AppConfig):
    name = "helpmate.guard"
    label = "guard"
