"""Every write the portal makes of its own: asking for, sending and using sign-in links.

Conversation writes from the portal go through ``helpmate.desk.actions`` like everyone else's.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

from helpmate.people.actions import find_or_create_contact, portal_user_for
from helpmate.people.models import Contact, ContactEmail, hash_token
from helpmate.portal.models import SignInLink

log = logging.getLogger(__name__)

LINKS_PER_ADDRESS_PER_HOUR = 5
# A brake on one machine asking for links to many addresses. Behind a reverse proxy every
# request may share the proxy's address, so it is generous; 0 turns it off.
DEFAULT_LINKS_PER_IP_PER_HOUR = 100
_HMAC_SALT = "helpmate.portal.sign-in-link"


class PortalError(ValueError):
    """Something the portal cannot do, with a message fit to show the person."""


class InvalidEmail(PortalError):
    pass


class TooManyLinks(PortalError):
    pass


class LinkNotUsable(PortalError):
    """The link is unknown, used or expired; ``reason`` says which (for the page's wording)."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def raw_token_for(link: SignInLink) -> str:
    """The token in the link's URL: derived from the stored nonce with the secret key."""
    return salted_hmac(_HMAC_SALT, link.nonce, algorithm="sha256").hexdigest()


def link_url(link: SignInLink) -> str:
    return settings.BASE_URL + reverse("portal:link", args=[raw_token_for(link)])


def clean_email(email: str) -> str:
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise InvalidEmail("Enter an email address, like name@example.com.") from exc
    return address


def safe_next_path(next_path: str) -> str:
    """Keep a page to return to only if it is a portal page on this site."""
    if (
        next_path.startswith(reverse("portal:home"))
        and len(next_path) <= 300
        and url_has_allowed_host_and_scheme(next_path, allowed_hosts=None)
    ):
        return next_path
    return ""


def request_sign_in_link(*, email: str, next_path: str = "", ip: str | None = None) -> SignInLink:
    """Create a one-time link for an address and email it after commit.

    Every well-formed address gets a link, known or not: someone new may open a request, and
    the contact is created when the link is used. Raises ``InvalidEmail`` or ``TooManyLinks``.
    """
    address = clean_email(email)
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    with transaction.atomic():
        recent = SignInLink.objects.filter(email=address, created_at__gte=hour_ago)
        if recent.count() >= LINKS_PER_ADDRESS_PER_HOUR:
            raise TooManyLinks(
                f"We have sent {LINKS_PER_ADDRESS_PER_HOUR} sign-in links to this address in "
                "the last hour, so we are not sending another yet. Use the newest link in your "
                "inbox (check the spam folder too), or try again in an hour."
            )
        per_ip = getattr(
            settings, "HELPMATE_PORTAL_LINKS_PER_IP_PER_HOUR", DEFAULT_LINKS_PER_IP_PER_HOUR
        )
        if (
            ip
            and per_ip
            and SignInLink.objects.filter(requested_ip=ip, created_at__gte=hour_ago).count()
            >= per_ip
        ):
            raise TooManyLinks(
                "Many sign-in links were asked for from your network in the last hour. "
                "Please try again in an hour."
            )
        owner = ContactEmail.objects.filter(email=address).values_list("contact", flat=True)
        link = SignInLink.objects.create(
            email=address,
            contact_id=owner.first(),
            nonce=secrets.token_urlsafe(32),
            token_hash="",
            next_path=safe_next_path(next_path),
            requested_ip=ip or None,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.HELPMATE_PORTAL_LINK_MINUTES),
        )
        link.token_hash = hash_token(raw_token_for(link))
        link.save(update_fields=["token_hash"])
        _queue_delivery(link)
    return link


def _queue_delivery(link: SignInLink) -> None:
    from helpmate.portal.tasks import send_sign_in_link

    link_id = link.pk
    transaction.on_commit(lambda: send_sign_in_link.enqueue(link_id))


def deliver_sign_in_link(*, link_id: int) -> bool:
    """Hand one link to the outbox and send it (run by the worker). Idempotent: a sent or dead
    link is not sent again. The outbox retries it if the mail server is down; the email is
    rendered when sent, so the token is never stored (see ``render_sign_in_link``)."""
    from helpmate.outbox import actions as outbox
    from helpmate.outbox import queue_email

    now = timezone.now()
    with transaction.atomic():
        claimed = SignInLink.objects.filter(
            pk=link_id, sent_at__isnull=True, used_at__isnull=True, expires_at__gt=now
        ).update(sent_at=now)
        if claimed != 1:
            return False
        link = SignInLink.objects.get(pk=link_id)
        queued = queue_email(
            to=[link.email],
            subject=f"Your sign-in link for {settings.HELPMATE_COMPANY_NAME}",
            text="",
            kind="sign_in",
            renderer="helpmate.portal.actions.render_sign_in_link",
            render_ref=link.pk,
        )
    if queued.pk is not None:
        outbox.send_queued(queued.pk)
    log.info("Sign-in link %s handed to the outbox", link_id)
    return True


def render_sign_in_link(link_id: int) -> tuple[str, str, str] | None:
    """Subject, text and HTML of a sign-in link's email, or None once it cannot be used."""
    link = SignInLink.objects.filter(
        pk=link_id, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if link is None:
        return None
    context = {
        "company_name": settings.HELPMATE_COMPANY_NAME,
        "url": link_url(link),
        "minutes": settings.HELPMATE_PORTAL_LINK_MINUTES,
    }
    return (
        f"Your sign-in link for {settings.HELPMATE_COMPANY_NAME}",
        render_to_string("portal/email/sign_in_link.txt", context),
        render_to_string("portal/email/sign_in_link.html", context),
    )


@dataclass(frozen=True)
class SignIn:
    contact: Contact
    user: User
    next_path: str


def check_sign_in_link(*, raw_token: str) -> SignInLink:
    """The link behind a token if it can still be used (a read: nothing changes)."""
    link = SignInLink.objects.filter(token_hash=hash_token(raw_token)).first()
    if link is None:
        raise LinkNotUsable(
            "This sign-in link is not one we know: it may have been copied only in part.",
            reason="unknown",
        )
    if link.used_at is not None:
        raise LinkNotUsable(
            "This sign-in link was already used. Each link works once, to keep your "
            "conversations private.",
            reason="used",
        )
    if link.expires_at <= timezone.now():
        raise LinkNotUsable(
            f"This sign-in link has expired: links work for "
            f"{settings.HELPMATE_PORTAL_LINK_MINUTES} minutes.",
            reason="expired",
        )
    return link


def use_sign_in_link(*, raw_token: str) -> SignIn:
    """Spend a link (once, before it expires) and return who signs in with it.

    The link is marked used by a conditional UPDATE in the same transaction as everything else,
    so of two clicks at the same moment only one succeeds. The contact is found by the address
    now (or created, for someone new), so an address removed from a contact no longer opens it.
    """
    token_hash = hash_token(raw_token)
    now = timezone.now()
    with transaction.atomic():
        spent = SignInLink.objects.filter(
            token_hash=token_hash, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if spent != 1:
            check_sign_in_link(raw_token=raw_token)  # raises with the reason
            raise LinkNotUsable("This sign-in link cannot be used.", reason="unknown")
        link = SignInLink.objects.get(token_hash=token_hash)
        contact = find_or_create_contact(email=link.email)
        user = portal_user_for(contact)
        if not isinstance(user, User) or not user.is_active:
            raise PortalError(
                "Portal access for this address is switched off. Please write to us by email."
            )
        if link.contact_id != contact.pk:
            link.contact = contact
            link.save(update_fields=["contact"])
    return SignIn(contact=contact, user=user, next_path=link.next_path)
