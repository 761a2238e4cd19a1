"""Is a new conversation about the same thing as an earlier one? A small, replaceable guess.

``topic_of`` reduces a subject and first message to the words that carry meaning, and
``similarity`` compares two of those with the Jaccard index of their word sets (shared words
over all words). It is deliberately simple and language-light; a better comparison (TF-IDF, a
sentence encoder) can replace ``similarity`` without touching the rest. Repeat contact is
decided by ``is_repeat`` against ``settings.HELPMATE_EFFORT_REPEAT_SIMILARITY``.
"""

from __future__ import annotations

import re

from django.conf import settings

TOPIC_LENGTH = 600

_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)

# Words that say nothing about what a request is about (English plus the common ones of the
# demo's other languages); kept short on purpose.
_STOPWORD_TEXT = (
    "the and for you your yours our ours are was were has have had not but this that these "
    "those with from into onto about please thanks thank hello dear regards best kind there "
    "their them they what when where which who whom why how can could would should will shall "
    "may might must just also very some any all one two get got its it's his her him she hey "
    "team again still yet here would like want need help hi can't don't didn't isn't wasn't "
    "i'm i've der die das und ist nicht mit ein eine einen dem den des für auf bitte danke "
    "hallo los las el la del que por para con una uno gracias hola les des une pour avec est "
    "pas merci bonjour uma para com não obrigado olá "
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def topic_of(subject: str, first_message: str) -> str:
    """The meaningful words of a subject and first message, as stored for later comparison."""
    words = []
    seen: set[str] = set()
    for word in _WORD.findall(f"{subject} {first_message}".lower()):
        if word in STOPWORDS or (word.isdigit() and len(word) < 4) or word in seen:
            continue
        seen.add(word)
        words.append(word)
    text = " ".join(words)
    if len(text) > TOPIC_LENGTH:
        text = text[: TOPIC_LENGTH + 1].rsplit(" ", 1)[0]
    return text


def similarity(topic_a: str, topic_b: str) -> float:
    """Jaccard index of the two topics' word sets, 0 (nothing shared) to 1 (the same words)."""
    a, b = set(topic_a.split()), set(topic_b.split())
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def is_repeat(topic_new: str, topic_earlier: str) -> bool:
    return similarity(topic_new, topic_earlier) >= settings.HELPMATE_EFFORT_REPEAT_SIMILARITY
