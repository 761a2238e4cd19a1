from django.apps import AppConfig


class EffortConfig(AppConfig):
    name = "helpmate.effort"
    label = "effort"
