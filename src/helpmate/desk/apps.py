from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "helpmate.desk"
    label = "desk"
