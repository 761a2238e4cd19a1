from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpmate.guard.check import check_text, sentences
from helpmate.guard.sentences import HELPFUL, PUSHING_AWAY

pytestmark = pytest.mark.django_db

DATA = Path(os.environ.get("HELPMATE_DATA_DIR", "/work/shared/data"))


def test_the_tables_are_big_enough_and_distinct():
    assert len(set(PUSHING_AWAY)) >= 50
    assert len(set(HELPFUL)) >= 50
    assert not set(PUSHING_AWAY) & set(HELPFUL)


@pytest.mark.parametrize("sentence", PUSHING_AWAY)
def test_pushing_away_sentence_is_flagged(sentence):
    flags = check_text(sentence)
    assert len(flags) == 1, sentence
    assert flags[0].reason and flags[0].better


@pytest.mark.parametrize("sentence", HELPFUL)
def test_helpful_sentence_is_not_flagged(sentence):
    assert check_text(sentence) == [], [f.rule for f in check_text(sentence)]


def test_flag_offsets_point_at_the_sentence_in_the_original_text():
    text = "Hi Carla,\n\nThanks. That\u2019s not our department! Omar will help.\n\nMaya"
    [flag] = check_text(text)
    assert text[flag.start : flag.end] == "That\u2019s not our department!"
    assert flag.sentence == "That\u2019s not our department!"
    assert flag.rule == "not-our-department" and flag.move == "own"


def test_several_flagged_sentences_come_in_order_with_every_rule_they_match():
    text = "We don't handle that. Please contact billing. I'm sorry for the wait."
    flags = check_text(text)
    assert [f.sentence for f in flags] == ["We don't handle that.", "Please contact billing."]
    assert flags[1].rules[0] == "contact-someone-else"


def test_quoted_customer_lines_are_not_checked():
    assert check_text("> You said it's not your department!\nI'm on it now.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two!  Three?", ["One.", "Two!", "Three?"]),
        ("Line one\nLine two", ["Line one", "Line two"]),
        # A decimal point is not followed by a space, so it never ends a sentence.
        ("Version 2.5 is out. Good.", ["Version 2.5 is out.", "Good."]),
        ("", []),
    ],
)
def test_sentence_splitting(text, expected):
    assert [s for _, _, s in sentences(text)] == expected


def _real_replies() -> list[str]:
    abcd = DATA / "abcd" / "abcd_sample.json"
    faq = DATA / "covidfaq" / "faq.json"
    if not (abcd.exists() and faq.exists()):
        pytest.skip(f"Public datasets not found under {DATA} (abcd, covidfaq): skipping")
    dialogues = json.loads(abcd.read_text(encoding="utf-8"))
    lines = [text for d in dialogues for speaker, text in d["original"] if speaker == "agent"]
    lines += [item["answer"] for item in json.loads(faq.read_text(encoding="utf-8"))]
    return lines


def test_real_agent_replies_and_faq_answers_are_not_flagged():
    replies = _real_replies()
    assert len(replies) > 50
    flagged = [(f.rule, f.sentence) for text in replies for f in check_text(text)]
    assert flagged == []
