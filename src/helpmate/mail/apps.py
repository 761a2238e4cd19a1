from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "helpmate.mail"
    label = "mail"
