"""What a deadline means: turning the words found by ``timewords`` into one instant.

Dates are the customer's dates: "tomorrow" and "Friday" are read in the customer's time zone,
and clock times ("at 2pm") are the customer's clock. Where the words name a day without a time,
the promise is due at the end of that day: the close of business in the team's calendar when the
team works that day (and the close is still ahead), otherwise the end of the customer's day
(23:59). Business spans ("2 business days", "4 working hours") go through the team's calendar
(``helpmate.service.calendar``). The rules, with examples, are in docs/promises.md.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from helpmate.promises.detect import timewords as tw
from helpmate.promises.detect.dates import (
    AFTERNOON,
    CLOCK_24,
    CLOCK_AMPM,
    CLOCK_BARE,
    CLOCK_OCLOCK,
    DATE_DM,
    DATE_ISO,
    DATE_MD,
    DATE_THE,
    END_OF_DAY,
    EVENING,
    FIRST_THING,
    HORIZON,
    MONTHS,
    MORNING,
    NIGHT,
    NUMBER,
    WEEKDAY,
    WEEKDAY_INDEX,
    easter,
)
from helpmate.service.calendar import (
    Cal,
    add_business_days,
    add_business_time,
    end_of_business_day,
    start_of_business_day,
)


class Resolver:
    """Resolves time words against a fixed ``now``, the customer's zone and the team calendar."""

    def __init__(self, *, now: datetime, tz: ZoneInfo, cal: Cal) -> None:
        self.now = now.astimezone(UTC)
        self.tz = tz
        self.cal = cal
        self.local = now.astimezone(tz)
        self.today = self.local.date()

    # --- instants ---------------------------------------------------------------------------

    def at(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=self.tz).astimezone(UTC)

    def is_working(self, day: date) -> bool:
        return bool(self.cal.is_working_day(day) and self.cal.spans(day))

    def end_of_day(self, day: date) -> datetime:
        """The close of business on ``day`` if the team works then and it is still ahead,
        else the end of the customer's day."""
        if self.is_working(day):
            close = end_of_business_day(day, self.cal)
            if close > self.now:
                return close
        return self.at(day, END_OF_DAY)

    def first_thing(self, day: date) -> datetime:
        if self.is_working(day):
            return start_of_business_day(day, self.cal) + FIRST_THING
        return self.at(day, time(10, 0))

    def last_working_day(self, first: date, last: date) -> date:
        """The last working day in [first, last], or ``last`` when there is none."""
        day = last
        while day >= first:
            if self.is_working(day):
                return day
            day -= timedelta(days=1)
        return last

    def nth_working_day(self, first: date, last: date, n: int) -> date:
        count = 0
        day = first
        while day <= last:
            if self.is_working(day):
                count += 1
                if count == n:
                    return day
            day += timedelta(days=1)
        return self.last_working_day(first, last)

    # --- parts ------------------------------------------------------------------------------

    def day_of(self, text: str) -> date | None:
        low = text.lower()
        if "day after tomorrow" in low:
            return self.today + timedelta(days=2)
        if re.search(r"\b(?:tomorrow|tmrw)", low):
            return self.today + timedelta(days=1)
        if re.search(r"\b(?:today|tonight)\b", low):
            return self.today
        if re.search(rf"\bnext\s+{tw.BUSINESS}\s+day", low):
            day = self.today + timedelta(days=1)
            for _ in range(60):
                if self.is_working(day):
                    return day
                day += timedelta(days=1)
            return None
        found = self._date_of(text)
        if found is not None:
            return found
        match = WEEKDAY.search(text)
        if match:
            return self._weekday(match.group("wd"), (match.group("mod") or "").lower())
        return None

    def _weekday(self, word: str, mod: str) -> date:
        target = WEEKDAY_INDEX[word.lower()[:3]]
        if mod == "next":
            monday_next = self.today + timedelta(days=7 - self.today.weekday())
            return monday_next + timedelta(days=target)
        ahead = (target - self.today.weekday()) % 7
        if ahead == 0 and not mod.startswith("this"):
            ahead = 7
        return self.today + timedelta(days=ahead)

    def _date_of(self, text: str) -> date | None:
        iso = DATE_ISO.search(text)
        if iso:
            try:
                return date(int(iso["y"]), int(iso["m"]), int(iso["d"]))
            except ValueError:
                return None
        for pattern in (DATE_THE, DATE_DM, DATE_MD):
            match = pattern.search(text)
            if not match:
                continue
            dom = int(match["dom"])
            month_word = match.groupdict().get("month")
            if month_word:
                return self._next_date(MONTHS[month_word.lower()[:3]], dom)
            rel = (match.groupdict().get("rel") or "").lower()
            return self._next_day_of_month(dom, skip_this=rel == "next")
        return None

    def _next_date(self, month: int, dom: int) -> date | None:
        for year in (self.today.year, self.today.year + 1):
            if dom <= monthrange(year, month)[1]:
                candidate = date(year, month, dom)
                if candidate >= self.today:
                    return candidate
        return None

    def _next_day_of_month(self, dom: int, *, skip_this: bool) -> date | None:
        year, month = self.today.year, self.today.month
        for step in range(1 if skip_this else 0, 14):
            y, m = year + (month - 1 + step) // 12, (month - 1 + step) % 12 + 1
            if dom <= monthrange(y, m)[1]:
                candidate = date(y, m, dom)
                if candidate >= self.today:
                    return candidate
        return None

    def clock_of(self, text: str) -> time | None:
        if text.lower().startswith("between") and " and " in text.lower():
            text = text[text.lower().rindex(" and ") + 5 :]  # a window: its end is the promise
        low = text.lower()
        if re.search(r"\b(?:noon|midday|mid-day|lunch\s*time)\b", low):
            return time(12, 0)
        if "midnight" in low:
            return END_OF_DAY
        match = CLOCK_AMPM.search(text)
        if match:
            hour = int(match["h"]) % 12 + (12 if match["ap"].lower().startswith("p") else 0)
            return time(hour, int(match["m"] or 0))
        match = CLOCK_24.search(text)
        if match:
            return time(int(match["h"]), int(match["m"]))
        match = CLOCK_OCLOCK.search(text) or CLOCK_BARE.search(text)
        if match:
            hour = int(match["h"])
            return time(hour + 12 if hour <= 7 else hour, 0)  # "at 3" during business hours
        return None

    def part_on(self, day: date, text: str) -> datetime | None:
        """A part of the day named in ``text`` (morning, EOD, first thing...) on ``day``."""
        low = text.lower()
        if re.search(r"first\s+thing|\bearly\b", low):
            return self.first_thing(day)
        if re.search(r"\b(?:eod|cob|eob|eop)\b|(?:end|close)\s+of\s+", low):
            return self.end_of_day(day)
        if "morning" in low:
            return self.at(day, MORNING)
        if "afternoon" in low:
            return self.at(day, AFTERNOON)
        if "evening" in low or "tonight" in low:
            return self.at(day, EVENING)
        if re.search(r"\bnight\b", low):
            return self.at(day, NIGHT)
        return None

    # --- the kinds of span -------------------------------------------------------------------

    def resolve(self, words: tw.TimeWords) -> datetime | None:
        handler = getattr(self, f"_{words.kind}")
        try:
            due: datetime | None = handler(words.text)
        except (ValueError, OverflowError):
            return None
        if due is None or due <= self.now or due - self.now > HORIZON:
            return None
        return due

    def _duration(self, text: str) -> datetime | None:
        low = text.lower()
        if "this time tomorrow" in low:
            return self.now + timedelta(days=1)
        if re.search(r"within\s+the\s+(?:next\s+)?hour", low):
            return self.now + timedelta(hours=1)
        match = NUMBER.search(text)
        if not match:
            compact = re.search(r"(\d{1,3})\s*(?:h|hrs)\b", low)
            return self.now + timedelta(hours=int(compact.group(1))) if compact else None
        raw = match["num"].lower()
        amount = float(raw) if raw.isdigit() else float(tw.NUMBER_WORDS[raw])
        unit = match["unit"].lower()
        business = bool(match["biz"])
        if unit.startswith("m") and not unit.startswith("mo"):
            delta = timedelta(minutes=amount)
        elif unit.startswith("h"):
            delta = timedelta(hours=amount)
        else:
            delta = None
        if delta is not None:
            return add_business_time(self.now, delta, self.cal) if business else self.now + delta
        if unit.startswith("d"):
            if business or raw in {"a couple of", "a couple", "couple of", "a few", "few"}:
                whole = max(1, round(amount))
                return end_of_business_day(add_business_days(self.now, whole, self.cal), self.cal)
            if amount < 1:
                return self.now + timedelta(hours=24 * amount)
            return self.end_of_day(self.today + timedelta(days=round(amount)))
        if unit.startswith("w"):
            return self.end_of_day(self.today + timedelta(days=round(7 * amount)))
        if unit.startswith("mo"):
            months = max(1, round(amount))
            year = self.today.year + (self.today.month - 1 + months) // 12
            month = (self.today.month - 1 + months) % 12 + 1
            dom = min(self.today.day, monthrange(year, month)[1])
            return self.end_of_day(date(year, month, dom))
        return None

    def _holiday(self, text: str) -> datetime | None:
        low = text.lower()
        if "easter" in low:
            target = easter(self.today.year)
            if target <= self.today:
                target = easter(self.today.year + 1)
        else:
            if "christmas" in low or "xmas" in low:
                month, dom = 12, 24 if "eve" in low else 25
            elif "eve" in low:
                month, dom = 12, 31
            else:
                month, dom = 1, 1
            target = date(self.today.year, month, dom)
            if target <= self.today:
                target = date(self.today.year + 1, month, dom)
        if "eve" in low and low.startswith("by"):
            return self.end_of_day(target)
        last = target - timedelta(days=1)
        return self.end_of_day(self.last_working_day(self.today, last))

    def _period(self, text: str) -> datetime | None:
        low = text.lower()
        if re.search(r"\bearlier\b", low):
            return None
        if "week" in low or "eow" in low:
            monday = self.today - timedelta(days=self.today.weekday())
            if re.search(r"\bnext\b", low):
                monday += timedelta(days=7)
            friday, sunday = monday + timedelta(days=4), monday + timedelta(days=6)
            if "weekend" in low:
                if re.match(r"(?:by|before)\b", low):
                    return self.end_of_day(self.last_working_day(self.today, friday))
                return self.end_of_day(sunday)
            first = max(monday, self.today)
            if re.search(r"\b(?:start|beginning)\b", low):
                return self.end_of_day(self.nth_working_day(first, sunday, 1))
            if re.search(r"\bearly\b", low):
                return self.end_of_day(self.nth_working_day(monday, sunday, 2))
            if re.search(r"\bmid(?:dle)?\b", low):
                return self.end_of_day(self.nth_working_day(monday, sunday, 3))
            return self.end_of_day(self.last_working_day(first, sunday))
        if "month" in low or "eom" in low:
            year, month = self.today.year, self.today.month
            if re.search(r"\bnext\b", low):
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            first = date(year, month, 1)
            last = date(year, month, monthrange(year, month)[1])
            start = max(first, self.today)
            if re.search(r"\b(?:start|beginning|early)\b", low):
                return self.end_of_day(self.nth_working_day(start, last, 3))
            if re.search(r"\bmid(?:dle)?\b", low):
                return self.end_of_day(self.last_working_day(start, first + timedelta(days=14)))
            return self.end_of_day(self.last_working_day(start, last))
        if "year" in low:
            last = date(self.today.year, 12, 31)
            return self.end_of_day(self.last_working_day(self.today, last))
        return None

    def _today(self, text: str) -> datetime | None:
        low = text.lower()
        if re.search(r"first\s+thing", low):
            first = self.first_thing(self.today)
            if first > self.now:
                return first
            day = self.today + timedelta(days=1)
            for _ in range(60):
                if self.is_working(day):
                    return self.first_thing(day)
                day += timedelta(days=1)
            return None
        if "lunch" in low:
            due = self.at(self.today, time(12, 0))
            return due if due > self.now else self.at(self.today + timedelta(days=1), time(12, 0))
        part = self.part_on(self.today, low)
        return part if part is not None else self.end_of_day(self.today)

    def _day(self, text: str) -> datetime | None:
        day = self.day_of(text)
        if day is None:
            return None
        low = text.lower()
        clock = self.clock_of(text)
        if clock is not None:
            return self.at(day, clock)
        part = self.part_on(day, self._after_day_word(low))
        if part is not None:
            return part
        if low.startswith("before"):
            if day <= self.today:
                return None
            return self.end_of_day(self.last_working_day(self.today, day - timedelta(days=1)))
        return self.end_of_day(day)

    @staticmethod
    def _after_day_word(low: str) -> str:
        # "end of day Friday" and "Friday EOD" both name a part; "this Friday" does not.
        return re.sub(r"\bthis\s+(?=\w)", "", low)

    def _time(self, text: str) -> datetime | None:
        clock = self.clock_of(text)
        if clock is None:
            return None
        day = self.day_of(text)
        if day is not None:
            return self.at(day, clock)
        due = self.at(self.today, clock)
        if due > self.now:
            return due
        if re.search(r"\b(?:this|today)\b", text, re.I):
            return None
        return self.at(self.today + timedelta(days=1), clock)
