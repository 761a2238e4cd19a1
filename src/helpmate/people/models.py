"""People: contacts (customers, colleagues, suppliers), organizations, agents and teams."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class ContactKind(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    COLLEAGUE = "colleague", "Colleague"
    SUPPLIER = "supplier", "Supplier"


class OrganizationKind(models.TextChoices):
    COMPANY = "company", "Customer company"
    DEPARTMENT = "department", "Internal department"
    SUPPLIER = "supplier", "Supplier company"


class Role(models.TextChoices):
    AGENT = "agent", "Agent"
    LEAD = "lead", "Team lead"
    ADMIN = "admin", "Admin"


def agent_of(user: AbstractBaseUser | AnonymousUser | None) -> Agent | None:
    """The agent profile of a signed-in, active staff user, else None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    # A missing reverse one-to-one raises an AttributeError subclass, so getattr's default works.
    agent: Agent | None = getattr(user, "agent", None)
    return agent


def contact_of(user: AbstractBaseUser | AnonymousUser | None) -> Contact | None:
    """The contact a portal user signs in as, else None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    contact: Contact | None = getattr(user, "contact", None)
    return contact


class Organization(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(
        max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.COMPANY
    )
    domain = models.CharField(max_length=200, blank=True, help_text="Email domain, e.g. acme.com")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True, help_text="Address customers write to for this team")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgentQuerySet(models.QuerySet["Agent"]):
    def active(self) -> AgentQuerySet:
        return self.filter(user__is_active=True)


class Agent(models.Model):
    """A member of staff who answers conversations (a Django user with a profile)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    public_name = models.CharField(
        max_length=80, help_text="The first name customers see, e.g. Maya"
    )
    full_name = models.CharField(max_length=200)
    signature = models.TextField(blank=True)
    teams = models.ManyToManyField(Team, related_name="agents", blank=True)
    languages = models.JSONField(default=list, blank=True, help_text="Language codes, e.g. en, de")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.AGENT)

    objects = AgentQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def email(self) -> str:
        return str(self.user.email)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_lead(self) -> bool:
        return self.role in (Role.LEAD, Role.ADMIN)


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser | None) -> ContactQuerySet:
        """Agents see every contact; a contact sees only themselves; anyone else nothing."""
        if agent_of(user) is not None:
            return self.all()
        contact = contact_of(user)
        if contact is not None:
            return self.filter(pk=contact.pk)
        return self.none()

    def search(self, text: str) -> ContactQuerySet:
        """Contacts whose name, preferred name, an email address or organization contains
        ``text``. Written with ``IN (subquery)`` rather than joins and DISTINCT, so the database
        can still walk the name index and stop after one page."""
        text = text.strip()
        if not text:
            return self
        by_email = ContactEmail.objects.filter(email__icontains=text).values("contact_id")
        by_organization = Organization.objects.filter(name__icontains=text).values("pk")
        return self.filter(
            Q(name__icontains=text)
            | Q(preferred_name__icontains=text)
            | Q(pk__in=by_email)
            | Q(organization__in=by_organization)
        )


class Contact(models.Model):
    """Someone the desk serves: a customer, a colleague or a supplier."""

    kind = models.CharField(
        max_length=10, choices=ContactKind.choices, default=ContactKind.CUSTOMER
    )
    name = models.CharField(max_length=200)
    preferred_name = models.CharField(
        max_length=80, blank=True, help_text="What they like to be called"
    )
    phone = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=12, default="en")
    time_zone = models.CharField(max_length=64, default="UTC")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    notes = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["name", "id"], name="contact_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def greeting_name(self) -> str:
        """The name to greet them by: their preferred name, else their first name."""
        if self.preferred_name:
            return self.preferred_name
        return self.name.split()[0] if self.name.strip() else ""

    @property
    def primary_email(self) -> str:
        emails = list(self.emails.all())
        for item in emails:
            if item.is_primary:
                return item.email
        return emails[0].email if emails else ""


class ContactEmail(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(unique=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "email"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a hash is stored; the raw value is shown once."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise a token")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.agent})"

    @staticmethod
    def new_raw_token() -> str:
        return "hm_" + secrets.token_urlsafe(32)
