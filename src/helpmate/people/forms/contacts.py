"""Forms for contacts, organizations and teams."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from helpmate.people import actions
from helpmate.people.actions import PeopleError
from helpmate.people.forms.common import (
    TimeZoneInput,
    clean_languages,
    split_list,
    unique_name,
)
from helpmate.people.models import (
    Contact,
    ContactKind,
    Organization,
    OrganizationKind,
    Team,
)


class ContactForm(forms.Form):
    name = forms.CharField(max_length=200, label="Full name")
    preferred_name = forms.CharField(
        max_length=80,
        required=False,
        label="Preferred name",
        help_text="What they like to be called; offered in reply greetings.",
    )
    kind = forms.ChoiceField(choices=ContactKind.choices, initial=ContactKind.CUSTOMER)
    emails = forms.CharField(
        required=False,
        label="Email addresses",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="One per line or separated by commas. The first one is the primary address.",
    )
    phone = forms.CharField(max_length=40, required=False)
    language = forms.CharField(
        max_length=12, initial="en", help_text="A language code such as en, de or pt-br."
    )
    time_zone = forms.CharField(
        max_length=64, initial="UTC", widget=TimeZoneInput(), help_text="For example Europe/Berlin."
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.order_by("name"),
        required=False,
        empty_label="No organization",
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="Only agents see this."
    )

    def __init__(self, *args: Any, contact: Contact | None = None, **kwargs: Any) -> None:
        self.contact = contact
        if contact is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": contact.name,
                "preferred_name": contact.preferred_name,
                "kind": contact.kind,
                "emails": "\n".join(item.email for item in contact.emails.all()),
                "phone": contact.phone,
                "language": contact.language,
                "time_zone": contact.time_zone,
                "organization": contact.organization_id,
                "notes": contact.notes,
            }
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("A contact needs a name.")
        return name

    def clean_emails(self) -> list[str]:
        try:
            return actions.check_contact_emails(
                split_list(self.cleaned_data["emails"]), contact=self.contact
            )
        except PeopleError as exc:
            raise ValidationError(str(exc)) from exc

    def clean_language(self) -> str:
        codes = clean_languages(self.cleaned_data["language"])
        if len(codes) != 1:
            raise ValidationError("Give one language code, such as en.")
        return codes[0]

    def clean_time_zone(self) -> str:
        try:
            return actions.check_time_zone(self.cleaned_data["time_zone"])
        except PeopleError as exc:
            raise ValidationError(str(exc)) from exc

    def save(self) -> Contact:
        """Create or update through the actions; PeopleError becomes a form error."""
        data = self.cleaned_data
        fields = {
            "name": data["name"],
            "emails": data["emails"],
            "kind": data["kind"],
            "preferred_name": data["preferred_name"],
            "phone": data["phone"],
            "language": data["language"],
            "time_zone": data["time_zone"],
            "organization": data["organization"],
            "notes": data["notes"],
        }
        if self.contact is None:
            return actions.create_contact(**fields)
        return actions.update_contact(contact=self.contact, **fields)


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=OrganizationKind.choices, initial=OrganizationKind.COMPANY)
    domain = forms.CharField(
        max_length=200,
        required=False,
        label="Email domain",
        help_text="New contacts writing from this domain join this organization, e.g. acme.com.",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, organization: Organization | None = None, **kwargs: Any) -> None:
        self.organization = organization
        if organization is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": organization.name,
                "kind": organization.kind,
                "domain": organization.domain,
                "notes": organization.notes,
            }
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        return unique_name(name, Organization, self.organization, "organization")

    def clean_domain(self) -> str:
        domain = self.cleaned_data["domain"].strip().lower().lstrip("@")
        if domain and not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain):
            raise ValidationError("Give a domain like acme.com, without http:// or a path.")
        return domain

    def save(self) -> Organization:
        data = self.cleaned_data
        if self.organization is None:
            return actions.create_organization(
                name=data["name"], kind=data["kind"], domain=data["domain"], notes=data["notes"]
            )
        return actions.update_organization(
            organization=self.organization,
            name=data["name"],
            kind=data["kind"],
            domain=data["domain"],
            notes=data["notes"],
        )


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120)
    email = forms.EmailField(
        required=False, label="Team address", help_text="Where customers write to this team."
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, team: Team | None = None, **kwargs: Any) -> None:
        self.team = team
        if team is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": team.name,
                "email": team.email,
                "description": team.description,
            }
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        return unique_name(self.cleaned_data["name"], Team, self.team, "team")

    def save(self) -> Team:
        data = self.cleaned_data
        if self.team is None:
            return actions.create_team(
                name=data["name"], description=data["description"], email=data["email"]
            )
        return actions.update_team(
            team=self.team, name=data["name"], description=data["description"], email=data["email"]
        )
