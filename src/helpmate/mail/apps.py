from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "helpmate.mail"
    label = "mail"

    def ready(self) -> None:
        from django.conf import settings

        from helpmate.mail.imap import poll_all
        from helpmate.mail.process import process_pending
        from helpmate.web.schedule import register

        register("mail.poll", every=settings.HELPMATE_MAIL_POLL_SECONDS, func=poll_all)
        # Stored mail whose processing was interrupted (a crash, a restart) is picked up here.
        register("mail.process", every=30, func=process_pending)
