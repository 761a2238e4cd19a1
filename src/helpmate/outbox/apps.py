from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "helpmate.outbox"
    label = "outbox"
    verbose_name = "Outbox"

    def ready(self) -> None:
        from django.conf import settings

        from helpmate.desk.hooks import on_event
        from helpmate.outbox import acknowledge
        from helpmate.outbox.actions import send_due
        from helpmate.web.schedule import register

        register(
            "outbox.retry",
            every=getattr(settings, "HELPMATE_OUTBOX_RETRY_EVERY", 30),
            func=send_due,
        )
        on_event(acknowledge.on_event, batch=acknowledge.on_events)
