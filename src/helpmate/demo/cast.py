"""Who works at Northwind and who writes to it: teams, agents, organizations and contacts.

Everything is created through ``helpmate.people.actions``. Contacts are drawn from the name
pools in ``helpmate.demo.names`` with a fixed random seed, so every demo desk has the same
people.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from helpmate.demo.catalog import COMPANY_DOMAIN
from helpmate.demo.names import CULTURES_BY_KEY, NICKNAMES, Culture, email_local
from helpmate.people import actions
from helpmate.people.models import Agent, Contact, Organization, Team

DEMO_PASSWORD = "helpmate-demo"  # noqa: S105 (printed for the demo on purpose)
ADMIN_EMAIL = f"admin@{COMPANY_DOMAIN}"

TEAMS: dict[str, tuple[str, str]] = {
    "support": ("Customer Support", "Orders, deliveries, returns and product questions."),
    "billing": ("Billing", "Payments, refunds, invoices; supplier invoices too."),
    "logistics": ("Logistics & Suppliers", "Carriers, the Rotterdam warehouse and suppliers."),
    "it": ("IT Helpdesk", "Laptops, accounts, scanners and printers for colleagues."),
}


@dataclass(frozen=True)
class DemoAgent:
    email: str
    name: str
    public_name: str
    role: str
    teams: tuple[str, ...]
    languages: tuple[str, ...]


AGENTS: tuple[DemoAgent, ...] = (
    DemoAgent(ADMIN_EMAIL, "Ingrid Solberg", "Ingrid", "admin", ("support",), ("en", "no", "de")),
    DemoAgent(f"lucia@{COMPANY_DOMAIN}", "Lucía Fernández", "Lucía", "lead", ("support",),
              ("es", "en")),
    DemoAgent(f"kwame@{COMPANY_DOMAIN}", "Kwame Mensah", "Kwame", "agent", ("support",),
              ("en", "fr")),
    DemoAgent(f"jonas@{COMPANY_DOMAIN}", "Jonas Weber", "Jonas", "agent", ("support",),
              ("de", "en")),
    DemoAgent(f"amelie@{COMPANY_DOMAIN}", "Amélie Laurent", "Amélie", "agent", ("support",),
              ("fr", "en")),
    DemoAgent(f"yuki@{COMPANY_DOMAIN}", "Yuki Tanaka", "Yuki", "agent", ("support",),
              ("en", "ja")),
    DemoAgent(f"priya@{COMPANY_DOMAIN}", "Priya Raman", "Priya", "lead", ("billing",),
              ("en", "ta", "hi")),
    DemoAgent(f"mateus@{COMPANY_DOMAIN}", "Mateus Silva", "Mateus", "agent",
              ("billing", "support"), ("pt", "es", "en")),
    DemoAgent(f"tomasz@{COMPANY_DOMAIN}", "Tomasz Nowak", "Tomasz", "lead", ("logistics",),
              ("pl", "de", "en")),
    DemoAgent(f"fatima@{COMPANY_DOMAIN}", "Fatima El Amrani", "Fatima", "agent", ("logistics",),
              ("fr", "ar", "en")),
    DemoAgent(f"oskar@{COMPANY_DOMAIN}", "Oskar Lindgren", "Oskar", "lead", ("it",),
              ("sv", "en")),
    DemoAgent(f"wei@{COMPANY_DOMAIN}", "Chen Wei", "Wei", "agent", ("it",), ("zh", "en")),
)  # fmt: skip


@dataclass(frozen=True)
class DemoOrganization:
    name: str
    kind: str  # company, department, supplier
    domain: str
    cultures: tuple[str, ...]
    size: int
    notes: str = ""


ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization("Harbourside Hotel Group", "company", "harbourside.example",
                     ("british", "nigerian", "indian"), 6,
                     "Three boutique hotels; refurbishes rooms every winter."),
    DemoOrganization("Little Acorns Nurseries", "company", "littleacorns.example",
                     ("british", "australian"), 4),
    DemoOrganization("Brightwater Dental Clinics", "company", "brightwater.example",
                     ("american", "chinese"), 4, "Orders waiting-room furniture in bulk."),
    DemoOrganization("Maple & Pine Property", "company", "mapleandpine.example",
                     ("american", "arabic", "japanese"), 5, "Furnishes rental flats."),
    DemoOrganization("Studio Kobalt Architekten", "company", "studiokobalt.example",
                     ("german",), 5, "Interior architects in Berlin; invoices in German."),
    DemoOrganization("Hotel Los Almendros", "company", "losalmendros.example", ("spanish",), 4),
    DemoOrganization("Café Lumière", "company", "cafelumiere.example", ("french",), 4),
    DemoOrganization("Casa Verde Alojamentos", "company", "casaverde.example",
                     ("portuguese",), 4),
    DemoOrganization("Finance", "department", "", ("british", "indian", "nordic"), 4),
    DemoOrganization("People & HR", "department", "", ("american", "nigerian"), 4),
    DemoOrganization("Warehouse Rotterdam", "department", "",
                     ("polish", "arabic", "nordic", "portuguese"), 8),
    DemoOrganization("Marketing", "department", "", ("french", "british"), 4),
    DemoOrganization("Purchasing", "department", "", ("german", "chinese"), 3),
    DemoOrganization("Office & Facilities", "department", "", ("spanish", "british"), 3),
    DemoOrganization("Lindström Textiles", "supplier", "lindstrom-textiles.example",
                     ("nordic",), 3, "Linen and wool. Net 30 payment terms."),
    DemoOrganization("Porto Cerâmica", "supplier", "portoceramica.example", ("portuguese",), 3),
    DemoOrganization("Atlas Freight", "supplier", "atlasfreight.example",
                     ("british", "polish"), 4, "Two-person furniture delivery in NL, DE, UK."),
    DemoOrganization("Kamiński Woodworks", "supplier", "kaminski-woodworks.example",
                     ("polish",), 3),
    DemoOrganization("Brightwick Candle Co.", "supplier", "brightwick.example", ("british",), 2),
    DemoOrganization("Nordlicht Leuchten", "supplier", "nordlicht-leuchten.example",
                     ("german",), 3, "Makes the Lumen lamps."),
)  # fmt: skip

# Private customers: how many from each culture.
PRIVATE_CUSTOMERS: dict[str, int] = {
    "british": 12, "american": 10, "nigerian": 5, "indian": 6, "chinese": 4, "australian": 4,
    "nordic": 4, "arabic": 3, "japanese": 2, "polish": 2,
    "german": 10, "spanish": 9, "french": 9, "portuguese": 6,
}  # fmt: skip

PRIVATE_DOMAINS = ("example.com", "example.net", "example.org", "mail.example", "post.example")

CONTACT_NOTES = (
    "Prefers a phone call after 17:00 local time.",
    "Likes short answers; no need for long explanations.",
    "Hard of hearing: please write rather than call.",
    "Moved house recently; check the delivery address on each order.",
    "Long-time customer since the shop opened. Very loyal, quick to tell us when we slip.",
    "Had two missed deliveries last year; be extra careful with carrier bookings.",
)

_KIND_OF = {"company": "customer", "department": "colleague", "supplier": "supplier"}


@dataclass
class Cast:
    teams: dict[str, Team]
    agents: list[Agent]
    agent_teams: dict[int, tuple[str, ...]]
    agent_languages: dict[int, tuple[str, ...]]
    contacts: list[Contact] = field(default_factory=list)
    org_members: dict[int, list[Contact]] = field(default_factory=dict)

    def agents_in(self, team: str) -> list[Agent]:
        return [a for a in self.agents if team in self.agent_teams[a.pk]]

    def speaks(self, agent: Agent, language: str) -> bool:
        return language in self.agent_languages[agent.pk]


def cast_size() -> int:
    """How many agents and contacts ``create_cast`` creates (for progress bars)."""
    return len(AGENTS) + sum(o.size for o in ORGANIZATIONS) + sum(PRIVATE_CUSTOMERS.values())


def _person(rng: random.Random, culture: Culture, used: set[str]) -> tuple[str, str, str]:
    """A unique (name, email local part, preferred name) from one culture."""
    for _ in range(200):
        first, last = rng.choice(culture.first_names), rng.choice(culture.last_names)
        if first == last:
            continue
        local = email_local(first, last)
        if local in used:
            continue
        used.add(local)
        preferred = NICKNAMES.get(first, "") if rng.random() < 0.7 else ""
        return f"{first} {last}", local, preferred
    raise RuntimeError(f"Ran out of names for {culture.key}")


def _phone(rng: random.Random, language: str) -> str:
    if rng.random() < 0.35:
        return ""
    digits = f"{rng.randint(0, 999):03d} {rng.randint(0, 9999):04d}"
    prefix = {"de": "+49 30 5550", "es": "+34 91 555", "fr": "+33 1 5550", "pt": "+351 21 555"}
    return f"{prefix.get(language, '+44 20 7946')} {digits}"


def create_cast(rng: random.Random, tick: Callable[[], None] = lambda: None) -> Cast:
    teams = {
        key: actions.create_team(
            name=name, description=description, email=f"{key}@{COMPANY_DOMAIN}"
        )
        for key, (name, description) in TEAMS.items()
    }
    agents: list[Agent] = []
    agent_teams: dict[int, tuple[str, ...]] = {}
    agent_languages: dict[int, tuple[str, ...]] = {}
    for spec in AGENTS:
        team_names = " & ".join(teams[k].name for k in spec.teams)
        agent = actions.create_agent(
            email=spec.email,
            name=spec.name,
            password=DEMO_PASSWORD,
            role=spec.role,
            teams=[teams[k] for k in spec.teams],
            public_name=spec.public_name,
            signature=f"{spec.public_name}\nNorthwind {team_names}",
            languages=spec.languages,
        )
        agents.append(agent)
        agent_teams[agent.pk] = spec.teams
        agent_languages[agent.pk] = spec.languages
        tick()
    cast = Cast(teams, agents, agent_teams, agent_languages)
    used: set[str] = set()
    for org_spec in ORGANIZATIONS:
        org = actions.create_organization(
            name=org_spec.name, kind=org_spec.kind, domain=org_spec.domain, notes=org_spec.notes
        )
        cast.org_members[org.pk] = []
        for index in range(org_spec.size):
            culture = CULTURES_BY_KEY[org_spec.cultures[index % len(org_spec.cultures)]]
            cast.org_members[org.pk].append(_contact(rng, cast, culture, used, org, org_spec))
            tick()
    for key, count in PRIVATE_CUSTOMERS.items():
        for _ in range(count):
            _contact(rng, cast, CULTURES_BY_KEY[key], used, None, None)
            tick()
    return cast


def _contact(
    rng: random.Random,
    cast: Cast,
    culture: Culture,
    used: set[str],
    org: Organization | None,
    spec: DemoOrganization | None,
) -> Contact:
    name, local, preferred = _person(rng, culture, used)
    kind = _KIND_OF[spec.kind] if spec else "customer"
    if spec is None:
        domain = rng.choice(PRIVATE_DOMAINS)
    elif spec.kind == "department":
        domain = COMPANY_DOMAIN
    else:
        domain = spec.domain
    # Colleagues and suppliers write in English at work; customers in their own language.
    language = culture.language if kind == "customer" else "en"
    time_zone = "Europe/Amsterdam" if kind == "colleague" else rng.choice(culture.time_zones)
    contact = actions.create_contact(
        name=name,
        emails=[f"{local}@{domain}"],
        kind=kind,
        preferred_name=preferred,
        phone=_phone(rng, culture.language),
        language=language,
        time_zone=time_zone,
        organization=org,
        notes=rng.choice(CONTACT_NOTES) if kind == "customer" and rng.random() < 0.12 else "",
    )
    cast.contacts.append(contact)
    return contact
