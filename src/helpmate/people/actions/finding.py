"""The contacts behind email addresses: the one that owns each address, or a new one.

``find_or_create_contacts`` does a whole batch (the senders and Cc'd people of a batch of
emails) with one query to find who is known, one for the organizations of the unknown
addresses' domains and one insert each for the new contacts and their addresses;
``find_or_create_contact`` is the same for one address. A new contact takes its organization
from the address's domain, and with it its kind (an internal department's people are
colleagues, a supplier's are suppliers). When another process creates one of the contacts at
the same moment, theirs is used.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.db.models.signals import post_save, pre_save

from helpmate.people.actions.base import PeopleError, _clean_emails, _contact_fields
from helpmate.people.models import Contact, ContactEmail, ContactKind, Organization

_KIND_OF_ORGANIZATION = {"department": ContactKind.COLLEAGUE, "supplier": ContactKind.SUPPLIER}


def find_or_create_contact(
    *, email: str, name: str = "", kind: str = ContactKind.CUSTOMER
) -> Contact:
    """The contact owning this address, or a new one (organization guessed from the domain)."""
    (address,) = _clean_emails([email]) or [""]
    if not address:
        raise PeopleError("An email address is needed.")
    return find_or_create_contacts([(address, name)], kind=kind)[address]


def usable_address(email: str) -> str:
    """The address as contacts keep it (lower case), or "" when it is not an email address."""
    try:
        (address,) = _clean_emails([email]) or [""]
    except PeopleError:
        return ""
    return address


def find_or_create_contacts(
    people: Iterable[tuple[str, str]], *, kind: str = ContactKind.CUSTOMER
) -> dict[str, Contact]:
    """Contacts for these (address, display name) pairs, by lower-case address. Addresses that
    are not email addresses are left out; for an address named twice, the first name counts."""
    names: dict[str, str] = {}
    for email, name in people:
        address = usable_address(email)
        if address and address not in names:
            names[address] = name
    if not names:
        return {}
    found = _known(list(names))
    missing = [a for a in names if a not in found]
    if missing:
        try:
            with transaction.atomic():
                found.update(_create(missing, names, kind))
        except (IntegrityError, PeopleError):
            # Someone else created one of them at the same moment: theirs, one at a time.
            found.update(_known(missing))
            for address in missing:
                if address not in found:
                    found[address] = _create_one(address, names[address], kind)
    return found


def _known(addresses: list[str]) -> dict[str, Contact]:
    rows = ContactEmail.objects.select_related("contact").filter(email__in=addresses)
    return {row.email: row.contact for row in rows}


def _organizations(addresses: Iterable[str]) -> dict[str, Organization]:
    domains = {a.rsplit("@", 1)[-1] for a in addresses}
    rows = (
        Organization.objects.annotate(lower_domain=Lower("domain"))
        .filter(lower_domain__in=domains)
        .order_by("pk")
    )
    found: dict[str, Organization] = {}
    for organization in rows:
        found.setdefault(organization.lower_domain, organization)
    return found


def _new_contact(
    address: str, name: str, kind: str, organizations: dict[str, Organization]
) -> Contact:
    organization = organizations.get(address.rsplit("@", 1)[-1])
    if organization is not None:
        kind = _KIND_OF_ORGANIZATION.get(organization.kind, kind)
    display = name.strip() or address.split("@")[0].replace(".", " ").title()
    fields = _contact_fields(
        name=display,
        kind=kind,
        preferred_name="",
        phone="",
        language="en",
        time_zone="UTC",
    )
    return Contact(**fields, organization=organization, notes="")


def _create(addresses: list[str], names: dict[str, str], kind: str) -> dict[str, Contact]:
    """Insert the contacts and their addresses, two statements for the lot. ``bulk_create``
    sends no signals, so the model's save signals are sent here as a save would."""
    organizations = _organizations(addresses)
    contacts = [_new_contact(a, names[a], kind, organizations) for a in addresses]
    for contact in contacts:
        pre_save.send(sender=Contact, instance=contact, raw=False, using="default")
    Contact.objects.bulk_create(contacts)
    ContactEmail.objects.bulk_create(
        ContactEmail(contact=contact, email=address, is_primary=True)
        for address, contact in zip(addresses, contacts, strict=True)
    )
    for contact in contacts:
        post_save.send(sender=Contact, instance=contact, created=True, raw=False, using="default")
    return dict(zip(addresses, contacts, strict=True))


def _create_one(address: str, name: str, kind: str) -> Contact:
    try:
        with transaction.atomic():
            return _create([address], {address: name}, kind)[address]
    except IntegrityError:
        return ContactEmail.objects.select_related("contact").get(email=address).contact
