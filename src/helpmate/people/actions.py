"""Every write to people: contacts, organizations, agents, teams and API tokens."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from zoneinfo import available_timezones

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpmate.people.models import (
    Agent,
    ApiToken,
    Contact,
    ContactEmail,
    ContactKind,
    Organization,
    Role,
    Team,
    hash_token,
)


class PeopleError(ValueError):
    """A change to people that cannot be made, with a message fit to show."""


class PeopleConflictError(PeopleError):
    """Refused because the name or address is taken already, not because the input is bad."""


def _clean_emails(emails: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in emails:
        email = raw.strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError as exc:
            raise PeopleError(f"“{raw}” is not an email address.") from exc
        if email not in cleaned:
            cleaned.append(email)
    return cleaned


def _check_time_zone(name: str) -> str:
    if name not in _TIME_ZONES:
        raise PeopleError(f"“{name}” is not a time zone; use a name like Europe/Berlin.")
    return name


_TIME_ZONES = available_timezones() | {"UTC"}


def _contact_fields(
    *,
    name: str,
    kind: str,
    preferred_name: str,
    phone: str,
    language: str,
    time_zone: str,
) -> dict[str, str]:
    """The contact's own fields, checked and normalised (PeopleError names what is wrong)."""
    name = " ".join(name.split())
    if not name:
        raise PeopleError("A contact needs a name.")
    if kind not in ContactKind.values:
        raise PeopleError(f"Unknown contact kind {kind!r}.")
    return {
        "name": name,
        "kind": kind,
        "preferred_name": preferred_name.strip(),
        "phone": phone.strip(),
        "language": language.strip() or "en",
        "time_zone": _check_time_zone(time_zone),
    }


def create_contact(
    *,
    name: str,
    emails: Sequence[str] = (),
    kind: str = ContactKind.CUSTOMER,
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
    cleaned = check_contact_emails(emails)
    with transaction.atomic():
        contact = Contact.objects.create(**fields, organization=organization, notes=notes)
        for index, email in enumerate(cleaned):
            ContactEmail.objects.create(contact=contact, email=email, is_primary=index == 0)
    return contact


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


def find_or_create_contact(
    *, email: str, name: str = "", kind: str = ContactKind.CUSTOMER
) -> Contact:
    """The contact owning this address, or a new one (organization guessed from the domain)."""
    (address,) = _clean_emails([email]) or [""]
    if not address:
        raise PeopleError("An email address is needed.")
    existing = ContactEmail.objects.select_related("contact").filter(email=address).first()
    if existing is not None:
        return existing.contact
    domain = address.rsplit("@", 1)[-1]
    organization = Organization.objects.filter(domain__iexact=domain).first()
    if organization is not None and organization.kind == "department":
        kind = ContactKind.COLLEAGUE
    elif organization is not None and organization.kind == "supplier":
        kind = ContactKind.SUPPLIER
    display = name.strip() or address.split("@")[0].replace(".", " ").title()
    try:
        with transaction.atomic():
            return create_contact(
                name=display, emails=[address], kind=kind, organization=organization
            )
    except (IntegrityError, PeopleError):
        # Someone else created it at the same moment: use theirs.
        return ContactEmail.objects.select_related("contact").get(email=address).contact


def create_organization(*, name: str, kind: str, domain: str = "", notes: str = "") -> Organization:
    name = " ".join(name.split())
    if not name:
        raise PeopleError("An organization needs a name.")
    if Organization.objects.filter(name__iexact=name).exists():
        raise PeopleConflictError(f"There is already an organization called “{name}”.")
    return Organization.objects.create(
        name=name, kind=kind, domain=domain.strip().lower(), notes=notes
    )


def update_organization(
    *, organization: Organization, name: str, kind: str, domain: str = "", notes: str = ""
) -> Organization:
    name = " ".join(name.split())
    if not name:
        raise PeopleError("An organization needs a name.")
    if Organization.objects.filter(name__iexact=name).exclude(pk=organization.pk).exists():
        raise PeopleConflictError(f"There is already an organization called “{name}”.")
    organization.name = name
    organization.kind = kind
    organization.domain = domain.strip().lower()
    organization.notes = notes
    organization.save()
    return organization


def create_team(*, name: str, description: str = "", email: str = "") -> Team:
    name = " ".join(name.split())
    if not name:
        raise PeopleError("A team needs a name.")
    if Team.objects.filter(name__iexact=name).exists():
        raise PeopleConflictError(f"There is already a team called “{name}”.")
    return Team.objects.create(name=name, description=description, email=email.strip().lower())


def update_team(*, team: Team, name: str, description: str = "", email: str = "") -> Team:
    name = " ".join(name.split())
    if not name:
        raise PeopleError("A team needs a name.")
    if Team.objects.filter(name__iexact=name).exclude(pk=team.pk).exists():
        raise PeopleConflictError(f"There is already a team called “{name}”.")
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


def check_contact_emails(emails: Iterable[str], *, contact: Contact | None = None) -> list[str]:
    """The cleaned addresses, or PeopleError if one is malformed or another contact's."""
    cleaned = _clean_emails(emails)
    taken = ContactEmail.objects.filter(email__in=cleaned)
    if contact is not None:
        taken = taken.exclude(contact=contact)
    found = list(taken.values_list("email", flat=True))
    if found:
        raise PeopleConflictError(f"{', '.join(found)} already belongs to another contact.")
    return cleaned


def check_time_zone(name: str) -> str:
    """The time zone name, or PeopleError if it is not one (e.g. Europe/Berlin)."""
    return _check_time_zone(name.strip())


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
