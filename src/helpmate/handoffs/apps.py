from django.apps import AppConfig


class HandoffsConfig(AppConfig):
    name = "helpmate.handoffs"
    label = "handoffs"
