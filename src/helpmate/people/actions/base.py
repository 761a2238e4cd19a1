"""What every people action shares: the error types, address and field checks, and creating a
contact (which finding one by address falls back to)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from helpmate.people.models import Contact, ContactEmail, ContactKind, Organization


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
