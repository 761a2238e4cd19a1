"""The words of a deadline as patterns and fixed points: times of day, weekdays and months, the
date and clock forms ``Resolver`` reads, and the date of Easter (for holidays that move)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from helpmate.promises.detect import timewords as tw

MORNING = time(12, 0)
AFTERNOON = time(17, 0)
EVENING = time(21, 0)
NIGHT = time(22, 0)
END_OF_DAY = time(23, 59)
FIRST_THING = timedelta(hours=1)  # "first thing": within the first hour of the working day
HORIZON = timedelta(days=400)  # later than this is not a promise we track

WEEKDAY_INDEX = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}

WEEKDAY = re.compile(
    rf"(?:(?P<mod>this\s+coming|this|next|coming)\s+)?(?P<wd>{tw.WEEKDAY})(?![\w])", re.I
)
DOM_RE = r"(?P<dom>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
DATE_THE = re.compile(
    rf"\bthe\s+{DOM_RE}(?:\s+of\s+(?:(?P<month>{tw.MONTH})|(?P<rel>next|this)\s+month))?", re.I
)
DATE_DM = re.compile(rf"\b{DOM_RE}\s+(?:of\s+)?(?P<month>{tw.MONTH})", re.I)
DATE_MD = re.compile(rf"(?P<month>{tw.MONTH})\s+(?:the\s+)?{DOM_RE}", re.I)
DATE_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
CLOCK_AMPM = re.compile(
    r"\b(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)", re.I
)
CLOCK_24 = re.compile(r"\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)")
CLOCK_OCLOCK = re.compile(r"\b(?P<h>1[0-2]|[1-9])\s*o'?clock", re.I)
CLOCK_BARE = re.compile(r"\b(?:at|around)\s+(?P<h>1[0-2]|[1-9])(?![\d:])", re.I)
NUMBER = re.compile(
    rf"(?P<num>\d{{1,3}}|{tw._NUM_WORDS})\s+(?:(?P<biz>{tw.BUSINESS})\s+)?"
    rf"(?P<unit>{tw.UNIT})\b",
    re.I,
)


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lm = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lm) // 451
    month = (h + lm - 7 * m + 114) // 31
    day = (h + lm - 7 * m + 114) % 31 + 1
    return date(year, month, day)
