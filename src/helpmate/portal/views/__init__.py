"""The portal's pages: signing in with an emailed link, and the person's own requests."""

from helpmate.portal.views.requests import (
    attachment,
    conversation,
    home,
    new_request,
    resolve,
)
from helpmate.portal.views.signin import link, link_sent, sign_in, sign_out

__all__ = [
    "attachment",
    "conversation",
    "home",
    "link",
    "link_sent",
    "new_request",
    "resolve",
    "sign_in",
    "sign_out",
]
