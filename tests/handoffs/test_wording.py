"""The suggested message to the customer, for each kind of receiver."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpmate.handoffs.wording import customer_message, when_team_answers

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def test_named_receiver_is_named_with_their_team_and_the_sender_signs(personas):
    conv = personas.conversation()
    text = customer_message(
        conversation=conv,
        sender=personas.agent,
        to_agent=personas.other_agent,
        to_team=personas.support,  # Omar is not in Support: his own team is named
        now=WEDNESDAY,
    )
    assert text.startswith("Hi Carla,\n\nI've asked Omar in our Billing team to take this over.")
    assert text.rstrip().endswith(personas.agent.signature.strip() or "Maya")


def test_taking_it_over_oneself_says_so(personas):
    conv = personas.conversation()
    text = customer_message(
        conversation=conv,
        sender=personas.lead,
        to_agent=personas.lead,
        to_team=personas.support,
        now=WEDNESDAY,
    )
    assert "I'm looking after this myself from now on with our Support team" in text


def test_no_receiver_gives_no_message(personas):
    conv = personas.conversation()
    assert (
        customer_message(conversation=conv, sender=personas.agent, to_agent=None, to_team=None)
        == ""
    )


@pytest.mark.parametrize(
    ("now", "time_zone", "expected"),
    [
        (WEDNESDAY, "Europe/Lisbon", "You'll hear from them today, by 17:00."),
        (WEDNESDAY, "America/New_York", "You'll hear from them today, by 12:00."),
        (
            datetime(2026, 11, 18, 16, 30, tzinfo=UTC),
            "Europe/Lisbon",
            "They're back tomorrow at 09:00, and you'll hear from them by 17:00 that day.",
        ),
        (
            datetime(2026, 11, 18, 6, 0, tzinfo=UTC),
            "Europe/Lisbon",
            "They're back later today at 09:00, and you'll hear from them by 17:00 that day.",
        ),
        (
            datetime(2026, 11, 21, 12, 0, tzinfo=UTC),  # Saturday
            "",
            "They're back on Monday at 09:00, and you'll hear from them by 17:00 that day.",
        ),
    ],
)
def test_when_the_team_answers_follows_its_calendar_in_the_customers_time(
    personas, now, time_zone, expected
):
    # The default calendar: Mon-Fri 09:00-17:00 in Europe/London (UTC in November).
    assert when_team_answers(personas.billing, now=now, time_zone=time_zone) == expected
