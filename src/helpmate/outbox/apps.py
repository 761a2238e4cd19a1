from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "helpmate.outbox"
    label = "outbox"
