"""Lead alerts: a maze (N handoffs, a bounce back) or a conversation nobody owns for too long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpmate.desk import actions as desk
from helpmate.desk.models import EventType, Notification
from helpmate.handoffs.jobs import alert_unowned
from helpmate.handoffs.models import AlertReason, LeadAlert
from helpmate.outbox.models import OutboundEmail
from helpmate.people import actions as people

pytestmark = pytest.mark.django_db

MONDAY_9 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # the default calendar: Mon-Fri 09-17


@pytest.fixture
def shipping(personas):
    return people.create_team(name="Shipping", email="shipping@example.com")


def _hand(conv, actor, team, n, at=None):
    desk.transfer_conversation(
        conversation=conv, actor=actor, note=f"Handoff {n}", team=team, at=at
    )


def test_third_handoff_alerts_the_lead_of_the_receiving_team_once(personas, shipping):
    conv = personas.conversation()
    lena = people.create_agent(
        email="lena@helpmate.test", name="Lena Berg", password=None, teams=[shipping]
    )
    _hand(conv, personas.agent, personas.billing, 1)
    _hand(conv, personas.other_agent, shipping, 2)
    assert not LeadAlert.objects.exists()
    desk.transfer_conversation(conversation=conv, actor=personas.admin, note="3", owner=lena)
    alert = LeadAlert.objects.get(reason=AlertReason.HANDOFFS)
    assert alert.team == shipping
    # Shipping has no lead, so the admins hear about it.
    assert list(alert.leads.all()) == [personas.admin]
    assert Notification.objects.filter(
        agent=personas.admin, text__contains="was handed over 3 times"
    ).exists()
    email = OutboundEmail.objects.get(conversation=conv, subject__startswith="Handed over too")
    assert email.to == ["ada@helpmate.test"] and email.kind == "notification"
    assert f"/desk/c/{conv.pk}/" in email.text
    event = conv.events.get(type=EventType.LEAD_ALERTED)
    assert event.data["reason"] == "handoffs" and event.data["leads"] == [personas.admin.pk]
    desk.transfer_conversation(
        conversation=conv, actor=lena, note="4", owner=personas.admin, team=shipping
    )
    assert LeadAlert.objects.filter(reason=AlertReason.HANDOFFS).count() == 1
    assert not LeadAlert.objects.filter(reason=AlertReason.BOUNCED).exists()


def test_bounce_back_to_a_team_it_left_alerts_that_teams_lead(personas, settings):
    settings.HELPMATE_HANDOFF_ALERT_COUNT = 10
    conv = personas.conversation()  # Support
    _hand(conv, personas.agent, personas.billing, 1)
    assert not LeadAlert.objects.exists()
    _hand(conv, personas.other_agent, personas.support, 2)  # back to Support
    alert = LeadAlert.objects.get()
    assert alert.reason == AlertReason.BOUNCED and alert.team == personas.support
    assert list(alert.leads.all()) == [personas.lead]  # Sam leads Support
    assert Notification.objects.filter(
        agent=personas.lead, text__contains="bounced back to Support"
    ).exists()


def test_unowned_too_long_in_business_time_alerts_once(personas, settings, time_machine):
    settings.HELPMATE_UNOWNED_ALERT_MINUTES = 120
    time_machine.move_to(MONDAY_9 - timedelta(days=3), tick=False)  # Friday 09:00
    conv = personas.conversation()
    time_machine.move_to(MONDAY_9 - timedelta(days=3) + timedelta(hours=1), tick=False)
    assert alert_unowned() == 0  # one working hour
    time_machine.move_to(MONDAY_9 - timedelta(hours=1), tick=False)  # Monday 08:00, closed
    assert alert_unowned() == 1  # Friday 09:00-17:00 is 8 working hours
    alert = LeadAlert.objects.get()
    assert alert.reason == AlertReason.UNOWNED and alert.conversation == conv
    assert list(alert.leads.all()) == [personas.lead]
    assert (
        "has had no owner for 2 h of working time"
        in Notification.objects.get(agent=personas.lead).text
    )
    assert alert_unowned() == 0


def test_weekend_does_not_count_as_waiting_for_an_owner(personas, settings, time_machine):
    settings.HELPMATE_UNOWNED_ALERT_MINUTES = 120
    time_machine.move_to(datetime(2026, 11, 13, 16, 30, tzinfo=UTC), tick=False)  # Fri 16:30
    personas.conversation()
    time_machine.move_to(MONDAY_9 + timedelta(minutes=60), tick=False)  # Mon 10:00
    assert alert_unowned() == 0  # 30 min Friday + 60 min Monday
    time_machine.move_to(MONDAY_9 + timedelta(minutes=91), tick=False)
    assert alert_unowned() == 1


def test_an_owned_or_resolved_conversation_is_never_alerted(personas, settings, time_machine):
    settings.HELPMATE_UNOWNED_ALERT_MINUTES = 60
    time_machine.move_to(MONDAY_9, tick=False)
    owned = personas.conversation()
    desk.assign_conversation(conversation=owned, actor=personas.agent, owner=personas.agent)
    done = personas.conversation(subject="Done")
    desk.change_status(conversation=done, actor=personas.agent, status="resolved")
    time_machine.move_to(MONDAY_9 + timedelta(hours=5), tick=False)
    assert alert_unowned() == 0


def test_unowned_time_counts_from_when_the_owner_left(personas, settings, time_machine):
    settings.HELPMATE_UNOWNED_ALERT_MINUTES = 120
    time_machine.move_to(MONDAY_9, tick=False)
    conv = personas.conversation()
    desk.assign_conversation(conversation=conv, actor=personas.agent, owner=personas.agent)
    time_machine.move_to(MONDAY_9 + timedelta(hours=3), tick=False)
    desk.assign_conversation(conversation=conv, actor=personas.agent, owner=None)
    time_machine.move_to(MONDAY_9 + timedelta(hours=4), tick=False)
    assert alert_unowned() == 0
    time_machine.move_to(MONDAY_9 + timedelta(hours=5, minutes=1), tick=False)
    assert alert_unowned() == 1


def test_the_job_is_registered_with_the_worker():
    from helpmate.web.schedule import JOBS

    assert JOBS["handoffs.unowned"].every == 60
