from django.apps import AppConfig


class GuardConfig(AppConfig):
    name = "helpmate.guard"
    label = "guard"

    def ready(self) -> None:
        # Bad rules (shipped or from HELPMATE_GUARD_RULES_FILE) stop start-up with a clear error.
        from helpmate.guard.rules import active_rules

        active_rules()
