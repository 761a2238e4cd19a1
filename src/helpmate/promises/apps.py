from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "helpmate.promises"
    label = "promises"

    def ready(self) -> None:
        from helpmate.promises.jobs import watch
        from helpmate.web.schedule import register

        register("promises.watch", every=60, func=watch)
