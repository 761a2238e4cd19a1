from django.apps import AppConfig


class HandoffsConfig(AppConfig):
    name = "helpmate.handoffs"
    label = "handoffs"

    def ready(self) -> None:
        from helpmate.desk.hooks import on_event
        from helpmate.handoffs import jobs, listeners
        from helpmate.web.schedule import register

        on_event(listeners.on_event, batch=listeners.on_events)
        register("handoffs.unowned", every=60, func=jobs.alert_unowned)
