from typing import Any

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class ServiceConfig(AppConfig):
    name = "helpmate.service"
    label = "service"
    verbose_name = "Service targets"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save, pre_save

        from helpmate.desk.models import Conversation
        from helpmate.service import calendar, due, models, targets

        try:
            calendar.zone(settings.HELPMATE_DEFAULT_TIME_ZONE)
        except calendar.CalendarError as exc:
            raise ImproperlyConfigured(f"HELPMATE_DEFAULT_TIME_ZONE: {exc}") from exc
        for model in (models.BusinessCalendar, models.Holiday, models.TeamService):
            post_save.connect(calendar.invalidate_cache, sender=model, weak=False)
            post_delete.connect(calendar.invalidate_cache, sender=model, weak=False)
        post_save.connect(targets.invalidate_cache, sender=models.ServiceTarget, weak=False)
        post_delete.connect(targets.invalidate_cache, sender=models.ServiceTarget, weak=False)
        # Due times follow every save of a conversation, whichever action made it.
        pre_save.connect(due.before_save, sender=Conversation, weak=False)
        post_save.connect(due.after_save, sender=Conversation, weak=False)

        from helpmate.service.jobs import record_misses
        from helpmate.web.schedule import register

        register("service.missed_targets", every=60, func=record_misses)
        from helpmate.service.tally import tally_job

        # Target attainment is read from a tally folded from the event log (no event listener:
        # every listener costs every incoming email).
        register("service.tally", every=60, func=tally_job)
        from helpmate.people.models import Contact

        # A requester's kind decides their targets but is not in the event log: saving a
        # contact (never during mail intake, which only creates them) marks the tally rows
        # judged under another kind as stale.
        post_save.connect(_contact_saved, sender=Contact, weak=False)


def _contact_saved(sender: type, instance: Any, created: bool, **_kwargs: Any) -> None:
    if created:
        return
    from helpmate.service.tally import mark_requester_changed

    mark_requester_changed(contact_id=instance.pk, kind=instance.kind)
