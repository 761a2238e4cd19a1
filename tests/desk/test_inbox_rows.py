"""The inbox table's display values, the agent directory and the select boxes built in Python:
each must say what the template tags and Django's widgets said before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from helpmate.desk import actions as desk
from helpmate.desk import inbox_pages, selectors
from helpmate.desk.forms import (
    AssignForm,
    InboxFilterForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    TransferForm,
)
from helpmate.desk.models import Priority, Status
from helpmate.desk.templatetags.desk_tags import field_widget
from helpmate.desk.views.common import Directory
from helpmate.desk.views.inbox_rows import inbox_rows
from helpmate.people.models import Agent

pytestmark = pytest.mark.django_db


def _page_rows(personas, view: str = "open"):
    page = inbox_pages.inbox_page(personas.admin.user, view=view)
    return page, inbox_rows(page.rows, agent_pk=personas.agent.pk)


def test_rows_carry_requester_team_owner_badges_and_tags(personas):
    now = timezone.now()
    mine = desk.create_conversation(
        requester=personas.supplier,
        subject="Parts <late>",
        text="Where are the parts?",
        team=personas.billing,
        tags=["zeta", "alpha"],
        at=now - timedelta(hours=2),
    )
    desk.assign_conversation(conversation=mine, actor=personas.agent, owner=personas.agent)
    desk.change_priority(conversation=mine, actor=personas.agent, priority=Priority.URGENT)
    theirs = desk.create_conversation(
        requester=personas.customer,
        subject="Lamp",
        text="Broken",
        team=personas.support,
        at=now - timedelta(hours=1),
    )
    desk.assign_conversation(conversation=theirs, actor=personas.lead, owner=personas.lead)

    page, rows = _page_rows(personas)
    by_pk = {r.pk: r for r in rows}
    assert [r.pk for r in rows] == [e.pk for e in page.rows]

    row = by_pk[mine.pk]
    assert row.subject == "Parts <late>"  # escaped by the template
    assert row.badges == (
        '<span class="badge priority-4">Urgent</span>'
        '<span class="tag">alpha</span><span class="tag">zeta</span>'  # name order
    )
    assert row.requester == (
        'Sven Ek <span class="badge kind-supplier">Supplier</span>'
        ' <span class="sub">Nordic Parts</span>'
    )
    assert row.who == 'Billing <span class="sub">You</span>'
    mine.refresh_from_db()
    label = dict(Status.choices)[mine.status]
    assert row.status == f'<span class="badge status-{mine.status}">{label}</span>'
    assert row.wait.startswith('<span class="waited long" title="Waiting on us since ')
    assert row.wait.endswith(">waited 2 h</span>")  # urgent waits 1 h at most
    assert '<span class="sr-only">First response: </span>due in ' in row.due  # default target

    other = by_pk[theirs.pk]
    assert other.badges == ""  # normal priority is left out of lists, no tags
    assert other.requester == 'Carla Mendes <span class="sub">Acme</span>'
    assert other.who == f'Support <span class="sub">{personas.lead.public_name}</span>'
    assert other.wait.startswith('<span class="waited" title=')  # normal: 24 h


def test_rows_say_unassigned_no_team_and_answered_or_resolved(personas):
    now = timezone.now()
    answered = desk.create_conversation(
        requester=personas.customer, subject="A", text="a", at=now - timedelta(hours=5)
    )
    answered.team = None
    answered.save(update_fields=["team"])
    desk.add_reply(
        conversation=answered,
        agent=personas.agent,
        text="Done soon",
        status=Status.WAITING_CUSTOMER,
        at=now - timedelta(hours=3),
    )
    resolved = desk.create_conversation(
        requester=personas.customer, subject="B", text="b", at=now - timedelta(hours=5)
    )
    desk.change_status(
        conversation=resolved,
        actor=personas.agent,
        status=Status.RESOLVED,
        at=now - timedelta(minutes=90),
    )

    _, rows = _page_rows(personas, view="all")
    by_pk = {r.pk: r for r in rows}
    assert by_pk[answered.pk].who == 'No team <span class="sub">You</span>'  # replied
    assert by_pk[answered.pk].wait == '<span class="muted small">answered 3 h ago</span>'
    assert by_pk[resolved.pk].who == 'No team <span class="sub"><em>Unassigned</em></span>'
    assert by_pk[resolved.pk].wait == '<span class="muted small">resolved 1 h ago</span>'


def test_inbox_page_shows_the_row_values(personas, client_for):
    conv = desk.create_conversation(
        requester=personas.colleague,
        subject="Budget <draft>",
        text="See the numbers",
        tags=["finance"],
        at=timezone.now() - timedelta(hours=3),
    )
    desk.assign_conversation(conversation=conv, actor=personas.agent, owner=personas.agent)
    content = client_for("agent").get("/desk/").content.decode()
    assert f'aria-label="Select #{conv.pk} Budget &lt;draft&gt;"' in content
    assert f'<a href="/desk/c/{conv.pk}/">Budget &lt;draft&gt;</a>' in content
    assert '<span class="tag">finance</span>' in content
    assert '<span class="badge kind-colleague">Colleague</span>' in content
    assert '<span class="sub">You</span>' in content
    assert "waited 3 h" in content and 'title="Waiting on us since ' in content


def test_agent_directory_lists_active_agents_with_their_teams(personas):
    personas.other_agent.user.is_active = False
    personas.other_agent.user.save()
    personas.agent.teams.add(personas.billing)
    entries = {a.pk: a for a in selectors.agent_directory()}
    assert personas.other_agent.pk not in entries
    maya = entries[personas.agent.pk]
    assert maya.team_names == ("Billing", "Support")
    assert maya.label == f"{personas.agent.full_name} (Billing, Support)"
    assert entries[personas.admin.pk].label == personas.admin.full_name  # no team
    names = [a.public_name for a in entries.values()]
    assert names == sorted(names)


def test_directory_gives_the_agent_model_for_writes_only_if_listed(personas):
    directory = Directory.load()
    found = directory.agent(personas.lead.pk)
    assert isinstance(found, Agent) and found.pk == personas.lead.pk
    assert directory.agent(None) is None
    assert directory.agent(999_999) is None
    assert directory.agent_choices is directory.agent_choices  # built once


def test_field_widget_writes_what_django_writes(personas):
    directory = Directory.load()
    agents, teams = directory.agent_choices, directory.team_choices
    forms = [
        InboxFilterForm(
            {"owner": str(personas.agent.pk), "status": "bogus"}, teams=teams, agents=agents
        ),
        AssignForm(agents=agents, initial={"owner": personas.lead.pk}),
        AssignForm(agents=agents),
        PriorityForm(initial={"priority": Priority.HIGH}),
        ReplyForm(initial={"text": "Hi <Carla>,\n\n", "status": Status.WAITING_CUSTOMER}),
        ReplyForm({"text": "", "status": "nonsense", "last_seen": "x"}),  # errors
        NoteForm(),
        TransferForm(teams=teams, agents=agents),
        TransferForm({"note": "", "team": "", "owner": "1"}, teams=teams, agents=agents),
    ]
    checked = set()
    for form in forms:
        if form.is_bound:
            form.is_valid()
        for name in form.fields:
            bound = form[name]
            expected = " ".join(str(bound).split())
            assert " ".join(str(field_widget(bound)).split()) == expected, (form, name)
            checked.add(bound.field.widget.__class__.__name__)
    assert {"Select", "Textarea", "HiddenInput", "MultipleFileInput", "TextInput"} <= checked
    assert 'aria-invalid="true"' in str(field_widget(forms[0]["status"]))
    assert f'<option value="{personas.lead.pk}" selected>' in str(field_widget(forms[1]["owner"]))
    assert "Hi &lt;Carla&gt;," in str(field_widget(forms[4]["text"]))
