"""The NinjaAPI instance: routers, authentication, error handlers and the offline docs page."""

from __future__ import annotations

from ninja import NinjaAPI

from helpmate.api import (
    agents,
    contacts,
    conversations,
    errors,
    events,
    messages,
    organizations,
    teams,
)
from helpmate.api.auth import api_auth
from helpmate.api.docs import OfflineSwagger
from helpmate.api.parser import SafeJsonParser

DESCRIPTION = (
    "The REST API of Helpmate, for agents' tools and integrations. It makes the same changes "
    "as the workspace, through the same actions, and every change is logged as an event."
)

api = NinjaAPI(
    title="Helpmate API",
    version="1",
    description=DESCRIPTION,
    auth=api_auth(),
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
    parser=SafeJsonParser(),
)
errors.install(api)

for module in (conversations, messages, events, contacts, organizations, agents, teams):
    api.add_router("", module.router)
