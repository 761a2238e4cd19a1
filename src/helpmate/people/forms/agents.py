"""Forms for agents: creating and editing them, their own profile, their API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from helpmate.people import actions
from helpmate.people.forms.common import (
    clean_languages,
)
from helpmate.people.models import (
    Agent,
    Role,
    Team,
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
