"""Scripts of believable conversations for the demo desk.

A scenario is one kind of request (a parcel that never arrived, a VPN that refuses to connect, an
invoice paid twice...) written as the steps a real thread goes through:

1. ``opening``: the requester writes (one of a few variants);
2. ``reply``: the owner answers, usually asking for something (→ waiting on the customer);
3. ``follow_up``: the requester answers (→ open, waiting on us);
4. optionally ``check_note`` + ``check_reply``: an internal note asking a colleague from
   ``check_team`` (with an @mention) and a reply telling the requester we are checking
   (→ waiting on someone else);
5. ``resolution``: the owner's answer that settles it (→ resolved);
6. optionally ``thanks``: the requester's last word (reopens it; the owner resolves it again).

A demo conversation stops after the step that gives it the status it should have, so every
status shows a thread that makes sense. Placeholders such as ``{product}`` or ``{order}`` are
filled per conversation (see ``helpmate.demo.seed``); greetings and sign-offs are added there in
the conversation's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpmate.desk.models import Channel, Priority


@dataclass(frozen=True)
class Scenario:
    key: str
    kind: str  # contact kind: customer, colleague, supplier
    team: str  # team key where it belongs: support, billing, logistics, it
    language: str
    subjects: tuple[str, ...]
    opening: tuple[str, ...]
    reply: str
    follow_up: str
    resolution: str
    thanks: str = ""
    check_note: str = ""
    check_reply: str = ""
    check_team: str = "logistics"
    # When set, the request first lands in this team and is handed over with this note.
    arrives_at: str = ""
    handoff: str = ""
    channels: tuple[str, ...] = (Channel.EMAIL, Channel.PORTAL)
    tags: tuple[str, ...] = ()
    priority: int = Priority.NORMAL
    # Which products fit the story (a kind from helpmate.demo.catalog, e.g. "big", "fragile");
    # "supplied" means what the supplier writing makes.
    products: str = "any"
    # Only for the carrier among the suppliers (and then only these).
    carrier_only: bool = False

    @property
    def has_check(self) -> bool:
        return bool(self.check_note and self.check_reply)


GREETINGS = {
    "en": ("Hi {name},", "Hello {name},", "Dear {name},"),
    "de": ("Hallo {name},", "Guten Tag {name},"),
    "es": ("Hola {name}:", "Hola, {name}:"),
    "fr": ("Bonjour {name},",),
    "pt": ("Olá {name},", "Bom dia {name},"),
}

AGENT_SIGN_OFFS = {
    "en": ("Best wishes,", "Kind regards,", "All the best,", "Speak soon,"),
    "de": ("Viele Grüße", "Beste Grüße"),
    "es": ("Un saludo,", "Saludos cordiales,"),
    "fr": ("Bien à vous,", "Cordialement,"),
    "pt": ("Cumprimentos,", "Com os melhores cumprimentos,"),
}

REQUESTER_SIGN_OFFS = {
    "en": ("Thanks,", "Many thanks,", "Best,", "Cheers,", "Regards,"),
    "de": ("Viele Grüße", "Danke und viele Grüße", "Beste Grüße"),
    "es": ("Gracias,", "Un saludo,", "Muchas gracias,"),
    "fr": ("Merci d'avance,", "Cordialement,", "Bonne journée,"),
    "pt": ("Cumprimentos,", "Muito obrigado,", "Um abraço,"),
}

# A second message from someone who has not heard back yet.
NUDGES = {
    "en": (
        "Just checking this reached you: is anyone looking at it?",
        "Sorry to chase, but I haven't heard anything yet. Could someone let me know?",
    ),
    "de": ("Ist meine Nachricht angekommen? Ich habe noch nichts gehört.",),
    "es": ("¿Les ha llegado mi mensaje? Todavía no he recibido respuesta.",),
    "fr": ("Mon message est-il bien arrivé ? Je n'ai pas encore de réponse.",),
    "pt": ("A minha mensagem chegou? Ainda não tive resposta.",),
}

# A second conversation about the same thing, later merged into the first.
DUPLICATES = {
    "en": (
        "Re: {subject}",
        "I wrote about this a little while ago ({order}) and wanted to add that it's still "
        "the same. Sorry if this creates a second ticket.",
    ),
    "de": (
        "Nochmal: {subject}",
        "Ich hatte dazu schon geschrieben ({order}). Nur zur Sicherheit noch einmal, falls "
        "meine erste Nachricht untergegangen ist.",
    ),
    "es": (
        "Otra vez: {subject}",
        "Ya les escribí sobre esto ({order}). Les escribo de nuevo por si no les llegó el "
        "primer mensaje.",
    ),
    "fr": (
        "Relance : {subject}",
        "Je vous ai déjà écrit à ce sujet ({order}). Je me permets de relancer au cas où mon "
        "premier message se serait perdu.",
    ),
    "pt": (
        "Outra vez: {subject}",
        "Já tinha escrito sobre isto ({order}). Volto a escrever caso a primeira mensagem não "
        "tenha chegado.",
    ),
}

WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Monday", "Tuesday"),
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Montag", "Dienstag"),
    "es": ("el lunes", "el martes", "el miércoles", "el jueves", "el viernes", "el lunes",
           "el martes"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "lundi", "mardi"),
    "pt": ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
           "segunda-feira", "terça-feira"),
}  # fmt: skip


def all_scenarios() -> list[Scenario]:
    from helpmate.demo.scenarios import (
        customers_fr_pt,
        customers_intl,
        internal,
        orders_en,
        service_en,
        suppliers,
    )

    return [
        *orders_en.SCENARIOS,
        *service_en.SCENARIOS,
        *customers_intl.SCENARIOS,
        *customers_fr_pt.SCENARIOS,
        *internal.SCENARIOS,
        *suppliers.SCENARIOS,
    ]
