from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "helpmate.portal"
    label = "portal"
