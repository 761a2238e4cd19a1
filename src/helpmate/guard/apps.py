from django.apps import AppConfig
from django.conf import settings


class GuardConfig(AppConfig):
    name = "helpmate.guard"
    label = "guard"

    def ready(self) -> None:
        # Bad rules (shipped or from HELPMATE_GUARD_RULES_FILE) stop start-up with a clear error.
        # Edits made in the workspace are checked when saved (helpmate.guard.actions).
        from helpmate.guard.rules import file_rules

        file_rules(settings.HELPMATE_GUARD_RULES_FILE)
