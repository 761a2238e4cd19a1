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
from helpmate.effort import api as effort_api
from helpmate.guard import api as guard_api
from helpmate.handoffs import api as handoffs_api
from helpmate.mail import api as mail_api
from helpmate.outbox import api as outbox_api
from helpmate.promises import api as promises_api
from helpmate.service import api as service_api

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

# Each feature app keeps its endpoints in its own ``api.py`` (paths start with the app's noun).
FEATURES = (mail_api, outbox_api, service_api, promises_api, effort_api, guard_api, handoffs_api)
for feature in FEATURES:
    api.add_router("", feature.router)
