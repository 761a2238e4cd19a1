"""Every write to people: contacts, organizations, agents, teams and API tokens.

The shared checks and ``create_contact`` live in ``base``; finding (or creating) the contacts
behind email addresses, one or a batch at a time, in ``finding``. All are importable from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from helpmate.people.actions.base import (
    PeopleConflictError,
    PeopleError,
    _clean_emails,
    _contact_fields,
    check_contact_emails,
    check_time_zone,
    create_contact,
)
from helpmate.people.actions.finding import find_or_create_contact, find_or_create_contacts
from helpmate.people.models import (
    Agent,
    ApiToken,
    Contact,
    ContactEmail,
    Organization,
    Role,
    Team,
    hash_token,
)


def update_contact(
    *,
    contact: Contact,
    name: str,
    emails: Sequence[str],
    kind: str,
    preferred_name: str = "",
    phone: str = "",
    language: str = "en",
    time_zone: str = "UTC",
    organization: Organization | None = None,
    notes: str = "",
) -> Contact:
    fields = _contact_fields(
        name=name,
        kind=kind,
        preferred_name=preferred_name,
        phone=phone,
        language=language,
        time_zone=time_zone,
    )
    cleaned = check_contact_emails(emails, contact=contact)
    with transaction.atomic():
        locked = Contact.objects.select_for_update(no_key=True).get(pk=contact.pk)
        for attribute, value in fields.items():
            setattr(locked, attribute, value)
        locked.organization = organization
        locked.notes = notes
        locked.save()
        locked.emails.exclude(email__in=cleaned).delete()
        existing = set(locked.emails.values_list("email", flat=True))
        for index, email in enumerate(cleaned):
            if email not in existing:
                ContactEmail.objects.create(contact=locked, email=email)
            locked.emails.filter(email=email).update(is_primary=index == 0)
    return locked


def _free_name(
    model: type[Organization] | type[Team], name: str, what: str, *, besides: int | None = None
) -> str:
    """The name with its spaces tidied, if no other row of the model has it (any case)."""
    name = " ".join(name.split())
    if not name:
        raise PeopleError(f"{what[0].upper()}{what[1:]} needs a name.")
    others = model.objects.filter(name__iexact=name)
    if besides is not None:
        others = others.exclude(pk=besides)
    if others.exists():
        raise PeopleConflictError(f"There is already {what} called “{name}”.")
    return name


def create_organization(*, name: str, kind: str, domain: str = "", notes: str = "") -> Organization:
    name = _free_name(Organization, name, "an organization")
    return Organization.objects.create(
        name=name, kind=kind, domain=domain.strip().lower(), notes=notes
    )


def update_organization(
    *, organization: Organization, name: str, kind: str, domain: str = "", notes: str = ""
) -> Organization:
    name = _free_name(Organization, name, "an organization", besides=organization.pk)
    organization.name = name
    organization.kind = kind
    organization.domain = domain.strip().lower()
    organization.notes = notes
    organization.save()
    return organization


def create_team(*, name: str, description: str = "", email: str = "") -> Team:
    name = _free_name(Team, name, "a team")
    return Team.objects.create(name=name, description=description, email=email.strip().lower())


def update_team(*, team: Team, name: str, description: str = "", email: str = "") -> Team:
    name = _free_name(Team, name, "a team", besides=team.pk)
    team.name = name
    team.description = description
    team.email = email.strip().lower()
    team.save()
    return team


def create_agent(
    *,
    email: str,
    name: str,
    password: str | None,
    role: str = Role.AGENT,
    teams: Sequence[Team] = (),
    public_name: str = "",
    signature: str = "",
    languages: Sequence[str] = ("en",),
) -> Agent:
    (address,) = _clean_emails([email]) or [""]
    if not address:
        raise PeopleError("An agent needs an email address to sign in with.")
    if role not in Role.values:
        raise PeopleError(f"Unknown role {role!r}; use agent, lead or admin.")
    name = " ".join(name.split())
    if not name:
        raise PeopleError("An agent needs a name.")
    user_model = get_user_model()
    if user_model.objects.filter(username=address).exists():
        raise PeopleConflictError(f"There is already an account for {address}.")
    first = public_name.strip() or name.split()[0]
    with transaction.atomic():
        user = user_model.objects.create_user(
            username=address,
            email=address,
            password=password,
            first_name=first,
            last_name=" ".join(name.split()[1:]),
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        agent = Agent.objects.create(
            user=user,
            public_name=first,
            full_name=name,
            role=role,
            signature=signature or f"{first}\n{teams[0].name if teams else ''}".strip(),
            languages=list(languages),
        )
        if teams:
            agent.teams.set(teams)
    return agent


def update_agent(
    *,
    agent: Agent,
    name: str,
    public_name: str,
    role: str,
    teams: Sequence[Team],
    signature: str = "",
    languages: Sequence[str] = ("en",),
    is_active: bool = True,
) -> Agent:
    if role not in Role.values:
        raise PeopleError(f"Unknown role {role!r}; use agent, lead or admin.")
    name = " ".join(name.split())
    if not name or not public_name.strip():
        raise PeopleError("An agent needs a name and a first name for customers.")
    with transaction.atomic():
        agent.full_name = name
        agent.public_name = public_name.strip()
        agent.role = role
        agent.signature = signature
        agent.languages = list(languages)
        agent.save()
        agent.teams.set(teams)
        user = agent.user
        user.is_active = is_active
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save(update_fields=["is_active", "is_staff", "is_superuser"])
    return agent


def create_api_token(*, agent: Agent, name: str = "") -> tuple[ApiToken, str]:
    """A new token; the raw value is returned once and only its hash is kept."""
    raw = ApiToken.new_raw_token()
    token = ApiToken.objects.create(
        agent=agent, name=name, prefix=raw[:10], token_hash=hash_token(raw)
    )
    return token, raw


def revoke_api_token(*, token: ApiToken) -> None:
    token.revoked_at = token.revoked_at or timezone.now()
    token.save(update_fields=["revoked_at"])


def portal_user_for(contact: Contact) -> object:
    """The sign-in account of a contact for the portal, created on first use."""
    if contact.user_id is not None:
        return contact.user
    user_model = get_user_model()
    with transaction.atomic():
        locked = Contact.objects.select_for_update(no_key=True).get(pk=contact.pk)
        if locked.user_id is None:
            user = user_model.objects.create_user(
                username=f"contact-{contact.pk}", email=contact.primary_email, password=None
            )
            locked.user = user
            locked.save(update_fields=["user"])
        contact.user = locked.user
    return contact.user


def update_own_profile(
    *, agent: Agent, public_name: str, signature: str, languages: Sequence[str]
) -> Agent:
    """What an agent may change about themselves: the name customers see, signature, languages."""
    public_name = " ".join(public_name.split())
    if not public_name:
        raise PeopleError("Customers need a first name to see.")
    with transaction.atomic():
        locked = Agent.objects.select_for_update(no_key=True).get(pk=agent.pk)
        locked.public_name = public_name
        locked.signature = signature
        locked.languages = [code.strip() for code in languages if code.strip()]
        locked.save(update_fields=["public_name", "signature", "languages"])
    agent.public_name, agent.signature, agent.languages = (
        locked.public_name,
        locked.signature,
        locked.languages,
    )
    return locked


def set_agent_password(*, agent: Agent, password: str) -> None:
    """A new sign-in password for an agent (checked against the password validators)."""
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(password, user=agent.user)
    except ValidationError as exc:
        raise PeopleError(" ".join(exc.messages)) from exc
    user = agent.user
    user.set_password(password)
    user.save(update_fields=["password"])


def record_api_token_use(*, token: ApiToken) -> None:
    """Note when a token was last used, writing at most once a minute per token."""
    from datetime import timedelta

    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < timedelta(minutes=1):
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


__all__ = [
    "PeopleConflictError",
    "PeopleError",
    "check_contact_emails",
    "check_time_zone",
    "create_contact",
    "find_or_create_contact",
    "find_or_create_contacts",
]
