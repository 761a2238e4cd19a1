from django.urls import path

from helpmate.people.views import agents, contacts, organizations, teams

app_name = "people"

urlpatterns = [
    path("contacts/", contacts.contact_list, name="contacts"),
    path("contacts/new/", contacts.contact_new, name="contact_new"),
    path("contacts/<int:pk>/", contacts.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path("organizations/", organizations.organization_list, name="organizations"),
    path("organizations/new/", organizations.organization_new, name="organization_new"),
    path("organizations/<int:pk>/", organizations.organization_detail, name="organization"),
    path(
        "organizations/<int:pk>/edit/",
        organizations.organization_edit,
        name="organization_edit",
    ),
    path("teams/", teams.team_list, name="teams"),
    path("teams/new/", teams.team_new, name="team_new"),
    path("teams/<int:pk>/edit/", teams.team_edit, name="team_edit"),
    path("agents/", agents.agent_list, name="agents"),
    path("agents/new/", agents.agent_new, name="agent_new"),
    path("agents/<int:pk>/edit/", agents.agent_edit, name="agent_edit"),
    path("me/", agents.my_profile, name="me"),
    path("me/tokens/", agents.token_list, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", agents.token_revoke, name="token_revoke"),
]
