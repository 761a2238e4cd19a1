"""Forms for the people pages. They check input and show field errors; writes go through
``helpmate.people.actions``, which repeat the checks that matter (a form is never the only guard).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from helpmate.people import actions
from helpmate.people.actions import PeopleError
from helpmate.people.models import (
    Agent,
    Contact,
    ContactKind,
    Organization,
    OrganizationKind,
    Role,
    Team,
)

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_SEPARATORS = re.compile(r"[\s,;]+")


def split_list(text: str) -> list[str]:
    """Items typed one per line or separated by commas, semicolons or spaces."""
    return [item for item in _SEPARATORS.split(text or "") if item]


def clean_languages(text: str) -> list[str]:
    codes: list[str] = []
    for raw in split_list(text):
        code = raw.strip().lower().replace("_", "-")
        if not _LANGUAGE.match(code):
            raise ValidationError(f"“{raw}” is not a language code; use codes like en, de, pt-br.")
        if code not in codes:
            codes.append(code)
    return codes


@cache
def time_zone_names() -> list[str]:
    """Every time zone name, sorted, for the suggestions next to a time zone field."""
    return sorted(available_timezones() | {"UTC"})


class TimeZoneInput(forms.TextInput):
    """A text box with the list of known time zones as suggestions (a datalist in the page)."""

    def __init__(self) -> None:
        super().__init__(attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"})


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


def unique_name(
    raw: str, model: type[Organization] | type[Team], current: Organization | Team | None, noun: str
) -> str:
    """The name with its spaces tidied, or a field error if it is empty or taken by another."""
    name = " ".join(raw.split())
    article = "An" if noun[0] in "aeiou" else "A"
    if not name:
        raise ValidationError(f"{article} {noun} needs a name.")
    taken = model.objects.filter(name__iexact=name)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        raise ValidationError(f"There is already {article.lower()} {noun} called “{name}”.")
    return name


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


class _AgentFields(forms.Form):
    full_name = forms.CharField(max_length=200, label="Full name")
    public_name = forms.CharField(
        max_length=80,
        label="First name customers see",
        help_text="Replies are signed with this name, e.g. “Maya at Support”.",
    )
    role = forms.ChoiceField(
        choices=Role.choices,
        initial=Role.AGENT,
        help_text="Admins manage teams and agents; leads and agents answer conversations.",
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        max_length=200, initial="en", help_text="Language codes they answer in, e.g. en, de."
    )
    signature = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise ValidationError("An agent needs a name.")
        return name

    def clean_public_name(self) -> str:
        name = " ".join(self.cleaned_data["public_name"].split())
        if not name:
            raise ValidationError("Customers need a first name to see.")
        return name

    def clean_languages(self) -> list[str]:
        codes = clean_languages(self.cleaned_data["languages"])
        if not codes:
            raise ValidationError("Give at least one language code, such as en.")
        return codes


class NewAgentForm(_AgentFields):
    email = forms.EmailField(label="Email (to sign in)")
    password = forms.CharField(
        label="Initial password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Tell it to them privately; they can sign in with it straight away.",
    )

    field_order = ["email", "full_name", "public_name", "role", "teams", "languages"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(username=email).exists():
            raise ValidationError(f"There is already an account for {email}.")
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password

    def save(self) -> Agent:
        data = self.cleaned_data
        return actions.create_agent(
            email=data["email"],
            name=data["full_name"],
            password=data["password"],
            role=data["role"],
            teams=list(data["teams"]),
            public_name=data["public_name"],
            signature=data["signature"],
            languages=data["languages"],
        )


class EditAgentForm(_AgentFields):
    is_active = forms.BooleanField(
        required=False,
        label="Active (can sign in and be assigned)",
        help_text="Agents are deactivated, never deleted, so their history keeps its names.",
    )
    new_password = forms.CharField(
        required=False,
        strip=False,
        label="New password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Leave empty to keep the current password.",
    )

    def __init__(self, *args: Any, agent: Agent, editor: Agent, **kwargs: Any) -> None:
        self.agent = agent
        self.editor = editor
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "full_name": agent.full_name,
                "public_name": agent.public_name,
                "role": agent.role,
                "teams": list(agent.teams.all()),
                "languages": ", ".join(agent.languages or []),
                "signature": agent.signature,
                "is_active": agent.user.is_active,
            }
        super().__init__(*args, **kwargs)

    def clean_new_password(self) -> str:
        password = self.cleaned_data["new_password"]
        if password:
            validate_password(password, user=self.agent.user)
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.agent.pk == self.editor.pk:
            # Admins cannot lock themselves out of the admin pages by mistake.
            if "is_active" in data and not data["is_active"]:
                self.add_error("is_active", "You cannot deactivate yourself.")
            if data.get("role") and data["role"] != Role.ADMIN:
                self.add_error("role", "You cannot remove your own admin role.")
        return data

    def save(self) -> Agent:
        data = self.cleaned_data
        agent = actions.update_agent(
            agent=self.agent,
            name=data["full_name"],
            public_name=data["public_name"],
            role=data["role"],
            teams=list(data["teams"]),
            signature=data["signature"],
            languages=data["languages"],
            is_active=data["is_active"],
        )
        if data["new_password"]:
            actions.set_agent_password(agent=agent, password=data["new_password"])
        return agent


class ProfileForm(forms.Form):
    """What any agent may change about themselves."""

    public_name = forms.CharField(
        max_length=80,
        label="First name customers see",
        help_text="Replies are signed with this name.",
    )
    languages = forms.CharField(max_length=200, help_text="Language codes you answer in.")
    signature = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, agent: Agent, **kwargs: Any) -> None:
        self.agent = agent
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "public_name": agent.public_name,
                "languages": ", ".join(agent.languages or []),
                "signature": agent.signature,
            }
        super().__init__(*args, **kwargs)

    def clean_public_name(self) -> str:
        name = " ".join(self.cleaned_data["public_name"].split())
        if not name:
            raise ValidationError("Customers need a first name to see.")
        return name

    def clean_languages(self) -> list[str]:
        codes = clean_languages(self.cleaned_data["languages"])
        if not codes:
            raise ValidationError("Give at least one language code, such as en.")
        return codes

    def save(self) -> Agent:
        data = self.cleaned_data
        return actions.update_own_profile(
            agent=self.agent,
            public_name=data["public_name"],
            signature=data["signature"],
            languages=data["languages"],
        )


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        required=False,
        label="What is it for?",
        help_text="A name to recognise it later, e.g. “Reporting script”.",
    )
