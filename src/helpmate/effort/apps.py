from django.apps import AppConfig


class EffortConfig(AppConfig):
    name = "helpmate.effort"
    label = "effort"

    def ready(self) -> None:
        from helpmate.desk.hooks import on_event
        from helpmate.effort import jobs
        from helpmate.effort.live import record_event
        from helpmate.effort.rebuild import fold_events
        from helpmate.web.schedule import register

        on_event(record_event, batch=fold_events)
        register("effort.ces", every=300, func=jobs.ask_for_effort_scores)
