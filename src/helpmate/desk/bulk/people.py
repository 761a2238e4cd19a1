"""Teams and agents (through the people actions), tags, organizations and contacts."""

from __future__ import annotations

import random

from django.db import transaction

from helpmate.demo import synthetic as words
from helpmate.demo.names import CULTURES, email_local
from helpmate.desk.bulk.writer import Writer
from helpmate.desk.models import Tag
from helpmate.people import actions as people
from helpmate.people.models import Agent, Contact, ContactEmail, Organization, Team

BENCH_TEAMS = ("Customer Support", "Billing", "Logistics & Suppliers", "IT Helpdesk")
AGENTS_PER_TEAM = 6
DAY = 86400.0

ORGANIZATION_COLUMNS = ("id", "name", "kind", "domain", "notes", "created_at")
CONTACT_COLUMNS = (
    "id", "kind", "name", "preferred_name", "phone", "language", "time_zone", "organization_id",
    "notes", "user_id", "created_at",
)  # fmt: skip
EMAIL_COLUMNS = ("id", "contact_id", "email", "is_primary")


def staff(rng: random.Random) -> tuple[dict[int, list[int]], dict[str, int]]:
    """Teams and their agents' ids, created through the people actions when missing."""
    teams: dict[str, Team] = {t.name: t for t in Team.objects.all()}
    for name in BENCH_TEAMS:
        if name not in teams:
            teams[name] = people.create_team(name=name)
    members: dict[int, list[int]] = {t.pk: [] for t in teams.values()}
    for agent in Agent.objects.active().prefetch_related("teams"):
        for team in agent.teams.all():
            members[team.pk].append(agent.pk)
    serial = Agent.objects.count()
    for name in BENCH_TEAMS:
        team = teams[name]
        while len(members[team.pk]) < AGENTS_PER_TEAM:
            serial += 1
            culture = rng.choice(CULTURES)
            first, last = rng.choice(culture.first_names), rng.choice(culture.last_names)
            agent = people.create_agent(
                email=f"bench.agent{serial}@bench.example",
                name=f"{first} {last}",
                password=None,
                teams=[team],
                languages=[culture.language, "en"] if culture.language != "en" else ["en"],
            )
            members[team.pk].append(agent.pk)
    return members, {name: teams[name].pk for name in BENCH_TEAMS}


def tags() -> list[tuple[int, str]]:
    Tag.objects.bulk_create([Tag(name=n) for n in words.TAGS], ignore_conflicts=True)
    return list(Tag.objects.filter(name__in=words.TAGS).values_list("pk", "name"))


def contacts(
    writer: Writer, rng: random.Random, count: int, now: float
) -> tuple[list[int], list[str]]:
    """Organizations, contacts and their addresses; returns contact ids and kinds."""
    with transaction.atomic():
        org_id = writer.next_id(Organization)
        taken = set(Organization.objects.values_list("name", flat=True))
        orgs: list[tuple[int, str, str]] = []  # id, kind, domain
        org_rows = []
        for n in range(max(3, count // 30)):
            kind = rng.choices(["company", "department", "supplier"], [85, 10, 5])[0]
            name = f"{rng.choice(words.COMPANY_WORDS)} {rng.choice(words.COMPANY_KINDS)}"
            if name in taken:
                name = f"{name} {org_id + n}"
            taken.add(name)
            domain = f"org{org_id + n}.example"
            orgs.append((org_id + n, kind, domain))
            org_rows.append((org_id + n, name, kind, domain, "", writer.moment(now - 800 * DAY)))
        writer.insert(Organization._meta.db_table, ORGANIZATION_COLUMNS, org_rows)
        contact_id = writer.next_id(Contact)
        email_id = writer.next_id(ContactEmail)
        ids, kinds, contact_rows, email_rows = [], [], [], []
        for n in range(count):
            pk = contact_id + n
            culture = rng.choice(CULTURES)
            first, last = rng.choice(culture.first_names), rng.choice(culture.last_names)
            org = rng.choice(orgs) if rng.random() < 0.6 else None
            kind = {"company": "customer", "department": "colleague", "supplier": "supplier"}[
                org[1] if org else "company"
            ]
            domain = org[2] if org else "example.com"
            contact_rows.append((
                pk, kind, f"{first} {last}", "", "", culture.language if kind == "customer"
                else "en", rng.choice(culture.time_zones), org[0] if org else None, "", None,
                writer.moment(now - rng.uniform(0, 800) * DAY),
            ))  # fmt: skip
            email_rows.append((email_id + n, pk, f"{email_local(first, last)}.{pk}@{domain}", True))
            ids.append(pk)
            kinds.append(kind)
        writer.insert(Contact._meta.db_table, CONTACT_COLUMNS, contact_rows)
        writer.insert(ContactEmail._meta.db_table, EMAIL_COLUMNS, email_rows)
    return ids, kinds
