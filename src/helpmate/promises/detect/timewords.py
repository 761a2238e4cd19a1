"""The small grammar of deadlines agents write: the spans that name a time.

``find_time_words(text)`` returns the non-overlapping spans (longest first) that look like a
deadline: "by Friday", "tomorrow at 10", "first thing Monday", "within 2 business days", "by EOD",
"end of next week", "by the 30th", "before Christmas". What each span means is decided by
``resolve.py``; whether it is a commitment at all by ``cues.py``. Abbreviated weekdays and months
count only when capitalised ("Fri", "Nov"), and the month "May" only as "May", so ordinary words
("sat", "may") never turn into dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- building blocks (no capturing groups: they are combined freely) -------------------------

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "forty-five": 45,
    "forty-eight": 48,
    "seventy-two": 72,
    "ninety": 90,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "half an": 0.5,
    "half a": 0.5,
}
_NUM_WORDS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
NUM = rf"(?:\d{{1,3}}|{_NUM_WORDS})"
# "5-7 business days", "3 to 5 working days": the upper bound is the promise.
NUM_RANGE = rf"(?:{NUM}(?:\s*(?:-|\u2013|to|or)\s*{NUM})?)"
UNIT = r"(?:minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?)"
BUSINESS = r"(?:business|working|work)"

WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|(?-i:Mon|Tues?|Wed|Thur?s?|Fri|Sat|Sun)\.?)"
)
MONTH = (
    r"(?:january|february|march|april|june|july|august|september|october|november|december"
    r"|(?-i:May)|(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
DOM = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
DATE = (
    rf"(?:the\s+{DOM}(?:\s+of\s+(?:{MONTH}|next\s+month|this\s+month))?"
    rf"|{DOM}\s+(?:of\s+)?{MONTH}|{MONTH}\s+(?:the\s+)?{DOM}(?![\d:])"
    r"|\d{4}-\d{2}-\d{2})"
)
DAY = (
    r"(?:the\s+day\s+after\s+tomorrow|today|tomorrow|tmrw|tomorrow's"
    rf"|{WEEKDAY},?\s+(?:the\s+)?{DOM}(?:\s+(?:of\s+)?{MONTH})?(?![\d:])"
    rf"|(?:(?:this\s+coming|this|next|coming)\s+)?{WEEKDAY}"
    rf"|{DATE}|(?:the\s+)?next\s+{BUSINESS}\s+day)"
)
AMPM = r"(?:am|pm|a\.m\.|p\.m\.)"
CLOCK = (
    rf"(?:(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\s*{AMPM}"
    r"|(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*(?:hrs|h)\b)?"
    r"|(?:1[0-2]|[1-9])\s*o'?clock"
    r"|(?:12\s+)?(?:noon|midday|mid-day|midnight)|lunchtime|lunch\s+time)"
)
# "at 10" (a bare hour after "at"): read as business hours (1-7 means the afternoon).
BARE_HOUR = (
    r"(?:at|around)\s+(?:1[0-2]|[1-9])(?![\d:]|[.,]\d|\s*(?:%|days?|hours?|minutes?|weeks?))"
)
PART_AFTER_DAY = (
    r"(?:(?:in\s+the\s+|by\s+the\s+|by\s+)?(?:morning|afternoon|evening)|night"
    r"|(?:by\s+)?lunchtime|(?:by\s+)?(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:business\s+|working\s+)?(?:day|play|business)"
    r"|(?:by\s+)?(?-i:EOD|COB|EOB|eod|cob)|first\s+thing)"
)
PART_BEFORE_DAY = (
    r"(?:first\s+thing(?:\s+in\s+the\s+morning)?|early|(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?"
    r"(?:business\s+|working\s+)?(?:day|play|business)|(?-i:EOD|COB|EOB|eod|cob))"
)
PREP = (
    r"(?:(?:by|before|on|at|around|for|latest\s+by|no\s+later\s+than|not\s+later\s+than"
    r"|some\s*time|later|early|sometime\s+on)\s+)*"
)
LATEST = r"(?:\s*,?\s*at\s+the\s+(?:very\s+)?latest)?"

DURATION = (
    rf"(?:(?:in|within|inside(?:\s+of)?|over|during)\s+(?:the\s+)?(?:next\s+)?{NUM_RANGE}"
    rf"\s+(?:{BUSINESS}\s+)?{UNIT}\b|{NUM}\s+(?:{BUSINESS}\s+)?{UNIT}\s+from\s+now"
    r"|within\s+the\s+(?:next\s+)?hour|(?:by|at)\s+this\s+time\s+tomorrow"
    rf"|within\s+\d{{1,3}}\s*(?:h|hrs)\b)"
)
PERIOD = (
    r"(?:(?:by|before|for|at|in|towards?|during)\s+)?(?:the\s+)?"
    r"(?:(?:end|close|start|beginning|middle)\s+of\s+(?:the\s+|this\s+|next\s+)?(?:week|month|year)"
    r"|(?:early|mid|late|later|earlier)\s+(?:this|next)\s+(?:week|month)"
    r"|(?:this|next)\s+(?:week|month)|(?:the\s+)?(?:week|month|year)[-\s]end"
    r"|(?:the\s+|this\s+)?weekend|(?-i:EOW|EOM|eow|eom))"
    r"(?:\s*,?\s*at\s+the\s+(?:very\s+)?latest)?"
)
HOLIDAY = (
    r"(?:by|before|ahead\s+of|in\s+time\s+for)\s+(?:christmas(?:\s+eve)?|xmas"
    r"|new\s+year(?:'s)?(?:\s+(?:eve|day))?|the\s+new\s+year|easter)"
)
DAYPART_TODAY = (
    r"(?:(?:by|before|at|in|for|sometime|some\s+time|later)\s+)*"
    r"(?:this\s+(?:morning|afternoon|evening)|tonight|later\s+today|end\s+of\s+today"
    r"|(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:business\s+|working\s+)?(?:day|play|business)"
    r"|(?-i:EOD|COB|EOB|EOP|eod|cob)|first\s+thing(?:\s+in\s+the\s+morning)?"
    r"|(?:by\s+)?lunchtime)"
)

DAY_WITH_TIME = (
    rf"{PREP}(?:{PART_BEFORE_DAY}\s+(?:on\s+)?)?{DAY}"
    rf"(?:\s*,?\s*(?:(?:at|by|before|around|from|,)\s+)?(?:{CLOCK}|{PART_AFTER_DAY})"
    rf"|\s+(?:at|around)\s+(?:1[0-2]|[1-9])(?![\d:]|[.,]\d))?{LATEST}"
)
TIME_WITH_DAY = (
    rf"(?:(?:by|before|at|around|no\s+later\s+than|not\s+later\s+than)\s+"
    rf"|between\s+(?:{CLOCK}|(?:1[0-2]|[1-9]))\s+and\s+)?(?:{CLOCK}|{BARE_HOUR})"
    rf"(?:\s*,?\s*(?:on\s+)?{DAY}|\s+(?:this|today)\b(?:\s+(?:morning|afternoon|evening))?)?{LATEST}"
)

_EDGE_L = r"(?<![\w'-])"
_EDGE_R = r"(?![\w-]|'(?!s\b))"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(_EDGE_L + pattern + _EDGE_R, re.IGNORECASE))
    for name, pattern in (
        ("duration", DURATION),
        ("holiday", HOLIDAY),
        ("period", PERIOD),
        ("day", DAY_WITH_TIME),
        ("time", TIME_WITH_DAY),
        ("today", DAYPART_TODAY),
    )
]

# Words that, just before a time expression, make it a description rather than a deadline:
# "last Monday", "since Friday", "the tomorrow plan", "Monday to Friday", "your Friday slot".
BLOCKING_WORDS = frozenset(
    [
        "last",
        "since",
        "from",
        "until",
        "till",
        "til",
        "after",
        "every",
        "each",
        "the",
        "past",
        "previous",
        "of",
        "to",
        "through",
        "thru",
        "and",
        "or",
        "your",
        "our",
        "my",
        "his",
        "her",
        "their",
        "its",
        "dated",
        "between",
        "except",
        "nor",
    ]
)
# Past verbs that describe what already happened ("the order you placed on Monday").
PAST_VERBS = frozenset(
    [
        "placed",
        "ordered",
        "bought",
        "purchased",
        "made",
        "received",
        "paid",
        "called",
        "emailed",
        "wrote",
        "written",
        "said",
        "mentioned",
        "told",
        "submitted",
        "returned",
        "opened",
        "raised",
        "reported",
        "spoke",
        "asked",
        "started",
        "arrived",
        "came",
        "discussed",
        "booked",
        "was",
        "were",
        "had",
        "did",
        "happened",
    ]
)
NOT_PAST_BEFORE = frozenset(
    ["be", "been", "being", "it", "them", "get", "got", "have", "having", "has"]
)
RANGE_AFTER = re.compile(
    rf"^\s*(?:-|\u2013|\u2014|to|through|thru|until|till)\s*(?:{WEEKDAY}|{CLOCK}|\d)", re.IGNORECASE
)
AFTER_BLOCK = re.compile(r"^(?:'s\b|\s+ago\b|\s+(?:last|past)\b|\s*%)", re.IGNORECASE)


@dataclass(frozen=True)
class TimeWords:
    kind: str  # duration, holiday, period, day, time, today
    start: int
    end: int
    text: str


def _words_before(text: str, start: int, n: int = 2) -> list[str]:
    words = re.findall(r"[\w'-]+|[-\u2013\u2014]", text[max(0, start - 60) : start].lower())
    return words[-n:]


def _blocked(text: str, start: int, end: int, match_text: str) -> bool:
    before = _words_before(text, start)
    last = before[-1] if before else ""
    first_word = match_text.split()[0].lower() if match_text.split() else ""
    starts_with_prep = first_word in {"by", "before", "within", "in", "no", "not", "latest", "at"}
    if last in BLOCKING_WORDS and not starts_with_prep:
        return True
    if last in {"-", "\u2013", "\u2014"}:
        return True
    if last in PAST_VERBS and not starts_with_prep:
        prior = before[0] if len(before) > 1 else ""
        if prior not in NOT_PAST_BEFORE:
            return True
    after = text[end : end + 40]
    return bool(AFTER_BLOCK.match(after) or RANGE_AFTER.match(after))


def find_time_words(text: str) -> list[TimeWords]:
    """Every deadline-like span in ``text``, without overlaps, in reading order."""
    found: list[TimeWords] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            words = match.group(0).strip()
            if not words or not re.search(r"\w", words):
                continue
            start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            end = start + len(words.rstrip(" ,."))
            words = text[start:end]
            found.append(TimeWords(kind=kind, start=start, end=end, text=words))
    # Longest first; a shorter span inside (or overlapping) a longer one is dropped.
    found.sort(key=lambda t: (-(t.end - t.start), t.start))
    chosen: list[TimeWords] = []
    for item in found:
        if any(item.start < c.end and c.start < item.end for c in chosen):
            continue
        chosen.append(item)
    kept = [t for t in chosen if not _blocked(text, t.start, t.end, t.text)]
    return sorted(kept, key=lambda t: t.start)
