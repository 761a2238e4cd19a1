"""Folding quoted history and signatures: the new part first, the rest kept behind it."""

from __future__ import annotations

import pytest

from helpmate.mail.quoting import split_quoted

CASES = [
    ("Thanks!\n\nOn Tue, 3 Mar 2026 at 10:12, Maya <s@x.example> wrote:\n> Hi", "Thanks!"),
    (
        "Danke!\n\nAm 03.03.2026 um 10:12 schrieb Maya <s@x.example>:\n> Hallo",
        "Danke!",
    ),
    ("Merci\n\nLe mar. 3 mars 2026 à 10:12, Maya a écrit :\n> Bonjour", "Merci"),
    (
        "Fine by me.\n\n________________________________\nFrom: Maya\nSent: Tuesday\nTo: Dan\n"
        "Subject: Re: x\n\nHi Dan",
        "Fine by me.",
    ),
    ("Yes.\n\n-----Original Message-----\nFrom: Maya\nSent: Tue\nTo: Dan\n\nOld", "Yes."),
    ("Call me.\n\n-- \nTom Baker\n+44 20 7946 0000", "Call me."),
    ("On my way.\n\nSent from my iPhone", "On my way."),
    ("ok\n\n> quoted\n> more\n", "ok"),
]


@pytest.mark.parametrize(("text", "new"), CASES)
def test_new_part_and_folded_rest(text: str, new: str) -> None:
    got_new, folded = split_quoted(text)
    assert got_new == new
    assert folded and text.rstrip().endswith(folded.rstrip())


@pytest.mark.parametrize(
    "text",
    [
        "Just a message without any history.",
        "> I quote you first\nand answer below it, inline style.\n> another quote\nanswer two",
        "On Monday I wrote: the lamp is broken.",  # not an attribution line: text follows
        "See below.\n\n---------- Forwarded message ---------\nFrom: Dan <dan@x.example>\n\nHi",
        "> everything quoted\n> nothing new",
    ],
)
def test_nothing_is_folded_when_it_would_hide_the_message(text: str) -> None:
    new, folded = split_quoted(text)
    assert folded == "" and new == text.strip()
