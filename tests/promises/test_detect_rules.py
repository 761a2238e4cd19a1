"""The detector's rules one by one: who promised, what, several promises in one sentence, the
customer's time zone against the team's calendar, days the team does not work, DST."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from helpmate.promises.detect import detect
from helpmate.service.calendar import default_hours, make_calendar

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
CAL = make_calendar(
    time_zone="Europe/Berlin", hours=default_hours(), holidays={date(2026, 12, 25): []}
)
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)


def local(text: str, *, now: datetime = MONDAY, tz: ZoneInfo = BERLIN) -> list[str]:
    return [
        c.due.astimezone(tz).strftime("%a %d %b %H:%M")
        for c in detect(text, now=now, tz=tz, cal=CAL)
    ]


def test_each_commitment_carries_words_span_promise_and_who() -> None:
    text = "Thanks Carla! I'll call you back by Friday."
    (item,) = detect(text, now=MONDAY, tz=BERLIN, cal=CAL)
    assert text[item.start : item.end] == item.words == "by Friday"
    assert item.promise == "call you back"
    assert item.who == "agent"
    assert item.due == datetime(2026, 11, 27, 16, 0, tzinfo=ZoneInfo("UTC"))
    assert item.as_dict()["due"] == "2026-11-27T16:00:00+00:00"


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("I'll call you tomorrow.", "agent"),
        ("We'll call you tomorrow.", "team"),
        ("Tom will call you tomorrow.", "team"),
        ("You'll hear from me tomorrow.", "agent"),
        ("You'll hear from us tomorrow.", "team"),
    ],
)
def test_i_is_the_agent_and_we_is_the_team(text: str, who: str) -> None:
    assert [c.who for c in detect(text, now=MONDAY, tz=BERLIN, cal=CAL)] == [who]


def test_two_deadlines_after_one_promise_are_two_commitments() -> None:
    found = detect(
        "I'll call you tomorrow and send the form by Friday.", now=MONDAY, tz=BERLIN, cal=CAL
    )
    assert [(c.words, c.promise) for c in found] == [
        ("tomorrow", "call you"),
        ("by Friday", "send the form"),
    ]


def test_a_promise_for_tonight_and_one_for_first_thing_are_two_commitments() -> None:
    text = "I'll look at the logs tonight and write back first thing."
    found = detect(text, now=MONDAY, tz=BERLIN, cal=CAL)
    assert [(c.words, c.promise) for c in found] == [
        ("tonight", "look at the logs"),
        ("first thing", "write back"),
    ]
    assert local(text) == ["Mon 23 Nov 21:00", "Tue 24 Nov 10:00"]


def test_dates_and_clock_times_are_the_customers_and_closing_time_the_teams() -> None:
    # The customer is in New York; the team in Berlin closes at 17:00 Berlin = 11:00 New York.
    now = datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK)
    assert local("I'll call you at 2pm.", now=now, tz=NEW_YORK) == ["Mon 23 Nov 14:00"]
    assert local("I'll send it by Friday.", now=now, tz=NEW_YORK) == ["Fri 27 Nov 11:00"]


def test_a_day_the_team_does_not_work_ends_at_the_end_of_the_customers_day() -> None:
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=BERLIN)
    assert local("I'll call you tomorrow.", now=friday) == ["Sat 28 Nov 23:59"]


def test_end_of_day_after_closing_time_means_the_end_of_todays_evening() -> None:
    evening = datetime(2026, 11, 23, 18, 30, tzinfo=BERLIN)
    assert local("I'll send the invoice by EOD.", now=evening) == ["Mon 23 Nov 23:59"]


def test_first_thing_after_the_morning_has_started_is_the_next_working_day() -> None:
    friday = datetime(2026, 11, 27, 11, 0, tzinfo=BERLIN)
    assert local("I'll call first thing in the morning.", now=friday) == ["Mon 30 Nov 10:00"]


def test_business_days_skip_weekends_and_holidays() -> None:
    wednesday = datetime(2026, 12, 23, 10, 0, tzinfo=BERLIN)
    assert local("We'll reply within 2 business days.", now=wednesday) == ["Mon 28 Dec 17:00"]


def test_clock_time_keeps_the_customers_wall_clock_across_a_dst_change() -> None:
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)  # clocks go forward on Sunday
    (item,) = detect("I'll call you Monday at 10am.", now=saturday, tz=BERLIN, cal=CAL)
    assert item.due == datetime(2026, 3, 30, 8, 0, tzinfo=ZoneInfo("UTC"))


def test_a_clock_time_already_passed_today_means_tomorrow() -> None:
    afternoon = datetime(2026, 11, 23, 16, 0, tzinfo=BERLIN)
    assert local("I'll call you at 10am.", now=afternoon) == ["Tue 24 Nov 10:00"]


def test_the_30th_after_the_30th_is_next_month() -> None:
    december = datetime(2026, 12, 1, 10, 0, tzinfo=BERLIN)
    assert local("We'll pay invoice 1042 by the 30th.", now=december) == ["Wed 30 Dec 17:00"]


def test_quoted_history_below_the_reply_is_not_read() -> None:
    text = "Thanks, done.\n\nOn Mon, 23 Nov 2026, Carla wrote:\nI'll send the photos tomorrow."
    assert detect(text, now=MONDAY, tz=BERLIN, cal=CAL) == []


def test_a_sentence_with_a_question_mark_is_not_a_promise() -> None:
    assert detect("Shall I call you tomorrow?", now=MONDAY, tz=BERLIN, cal=CAL) == []


def test_courtesy_if_does_not_make_a_promise_conditional() -> None:
    assert local("I'll call you tomorrow at 10 if that suits you.") == ["Tue 24 Nov 10:00"]


def test_very_long_text_is_read_quickly_up_to_the_limit() -> None:
    text = (
        "We looked at your account and everything is in order. " * 2000
    ) + "I'll call you tomorrow."
    assert detect(text, now=MONDAY, tz=BERLIN, cal=CAL) == []  # past the 20,000 characters read


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("I'll call you back by 3.30pm.", "Mon 23 Nov 15:30"),
        ("I'll call you at 3.", "Mon 23 Nov 15:00"),
        ("I'll send it by 10:30 tomorrow.", "Tue 24 Nov 10:30"),
    ],
)
def test_clock_times_written_several_ways(text: str, due: str) -> None:
    assert local(text) == [due]
