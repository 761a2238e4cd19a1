from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "helpmate.people"
    label = "people"
