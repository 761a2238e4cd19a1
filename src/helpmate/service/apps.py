from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class ServiceConfig(AppConfig):
    name = "helpmate.service"
    label = "service"
    verbose_name = "Service targets"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        from helpmate.service import calendar, models

        try:
            calendar.zone(settings.HELPMATE_DEFAULT_TIME_ZONE)
        except calendar.CalendarError as exc:
            raise ImproperlyConfigured(f"HELPMATE_DEFAULT_TIME_ZONE: {exc}") from exc
        for model in (models.BusinessCalendar, models.Holiday, models.TeamService):
            post_save.connect(calendar.invalidate_cache, sender=model, weak=False)
            post_delete.connect(calendar.invalidate_cache, sender=model, weak=False)
