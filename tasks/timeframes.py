"""Timeframes ("Thời gian thực hiện") as plans write them, parsed into kind + start + end.

The original wording is always kept for display; a phrase the parser does not know is kept with
kind UNPARSED and never raises. A phrase is never given a meaning it might not have: when in
doubt it stays UNPARSED so a person decides.

Recurring phrases ("hằng tháng", "trước ngày 20 hằng tháng", "định kỳ") have no end date: they
are ONGOING, judged per year like "Thường xuyên", and say how often in `repeats`. "Khi có yêu
cầu" (when asked) waits on something outside the plan, like "Theo tiến độ …": DEPENDENT.
The interchange schema knows only the existing kinds, so no new kind is added.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeframeKind(models.TextChoices):
    YEAR = "year", _("within a year")
    FROM_YEAR = "from_year", _("from a year on")
    RANGE = "range", _("over a range of years")
    ONGOING = "ongoing", _("ongoing")
    DEPENDENT = "dependent", _("follows another plan")
    UNSPECIFIED = "unspecified", _("not stated (plan horizon)")
    QUARTER = "quarter", _("within a quarter")
    MONTH = "month", _("within a month")
    BEFORE_DATE = "before_date", _("before a date")
    UNPARSED = "unparsed", _("not understood")


class Repeats(models.TextChoices):
    """How often a recurring timeframe comes round (not stored on Task yet)."""

    NONE = "", _("once or continuously")
    MONTHLY = "monthly", _("every month")
    QUARTERLY = "quarterly", _("every quarter")
    HALF_YEARLY = "half_yearly", _("every six months")
    YEARLY = "yearly", _("every year")
    PERIODIC = "periodic", _("periodically (period not stated)")
    ON_REQUEST = "on_request", _("when asked")


@dataclass(frozen=True)
class Timeframe:
    text: str
    kind: str
    start: dt.date | None = None
    end: dt.date | None = None
    repeats: str = Repeats.NONE
    # "trước ngày 20 hằng tháng": the day (and month, for yearly ones) each round is due.
    due_day: int | None = None
    due_month: int | None = None
    # "Quý IV/2026 (sau khi Đề án được duyệt)": the words in brackets, kept apart from the date.
    note: str = ""

    @property
    def is_open_ended(self) -> bool:
        """Reported every year rather than done once (ongoing, "from year X", or follows a plan)."""
        return self.kind in (
            TimeframeKind.ONGOING,
            TimeframeKind.FROM_YEAR,
            TimeframeKind.DEPENDENT,
        )


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = r"((?:19|20)\d\d)"


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = re.sub(r"\s+", " ", text).strip().rstrip(".;").strip()
    return text


def _year_bounds(first: int, last: int) -> tuple[dt.date, dt.date]:
    return dt.date(first, 1, 1), dt.date(last, 12, 31)


def _quarters(first: int, last: int, year: int) -> tuple[dt.date, dt.date]:
    last_month = 3 * last
    return (
        dt.date(year, 3 * first - 2, 1),
        dt.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


_EVERY = r"(?:hằng|hàng|mỗi)"
_RECURRING = {
    "thường xuyên": Repeats.NONE,
    "định kỳ": Repeats.PERIODIC,
    "hằng năm": Repeats.YEARLY,
    "hàng năm": Repeats.YEARLY,
    "định kỳ hằng năm": Repeats.YEARLY,
    "định kỳ hàng năm": Repeats.YEARLY,
    "hằng tháng": Repeats.MONTHLY,
    "hàng tháng": Repeats.MONTHLY,
    "định kỳ hằng tháng": Repeats.MONTHLY,
    "định kỳ hàng tháng": Repeats.MONTHLY,
    "hằng quý": Repeats.QUARTERLY,
    "hàng quý": Repeats.QUARTERLY,
    "định kỳ hằng quý": Repeats.QUARTERLY,
    "định kỳ hàng quý": Repeats.QUARTERLY,
    "6 tháng": Repeats.HALF_YEARLY,
    "sáu tháng": Repeats.HALF_YEARLY,
    "định kỳ 6 tháng": Repeats.HALF_YEARLY,
    "hằng 6 tháng": Repeats.HALF_YEARLY,
    "hàng 6 tháng": Repeats.HALF_YEARLY,
    "6 tháng một lần": Repeats.HALF_YEARLY,
}
_ON_REQUEST = ("khi có yêu cầu", "theo yêu cầu", "đột xuất khi có yêu cầu")
_REPEAT_WORDS = {"tháng": Repeats.MONTHLY, "quý": Repeats.QUARTERLY, "năm": Repeats.YEARLY}


def parse_timeframe(text: str) -> Timeframe:
    original = _normalise(text)
    if not original:
        return Timeframe(original, TimeframeKind.UNSPECIFIED)
    parsed = _parse_phrase(original.lower())
    note = ""
    if parsed is None and (m := re.fullmatch(r"(.+?)\s*\(([^()]*)\)", original)):
        # A note in brackets after the date: parse the date, keep the note apart.
        parsed = _parse_phrase(_normalise(m[1]).lower())
        note = m[2].strip()
    if parsed is None:
        return Timeframe(original, TimeframeKind.UNPARSED)
    kind, start, end, extra = parsed
    return Timeframe(original, kind, start, end, note=note, **extra)


def _parse_phrase(phrase: str):
    """(kind, start, end, extra fields) for a lower-case phrase, or None when not understood."""
    none: dict = {}
    if phrase.startswith("theo tiến độ") or phrase.startswith("theo kế hoạch"):
        return TimeframeKind.DEPENDENT, None, None, none
    if phrase in _RECURRING:
        return TimeframeKind.ONGOING, None, None, {"repeats": _RECURRING[phrase]}
    if phrase in _ON_REQUEST:
        return TimeframeKind.DEPENDENT, None, None, {"repeats": Repeats.ON_REQUEST}
    if m := re.fullmatch(rf"(?:định kỳ )?trước ngày (\d{{1,2}}) {_EVERY} (tháng|quý|năm)", phrase):
        day = int(m[1])
        if 1 <= day <= 31:
            return (
                TimeframeKind.ONGOING,
                None,
                None,
                {"repeats": _REPEAT_WORDS[m[2]], "due_day": day},
            )
        return None
    if m := re.fullmatch(
        rf"(?:định kỳ )?trước ngày (\d{{1,2}})(?: tháng |/)(\d{{1,2}}) {_EVERY} năm", phrase
    ):
        day, month = int(m[1]), int(m[2])
        try:
            dt.date(2024, month, day)
        except ValueError:
            return None
        extra = {"repeats": Repeats.YEARLY, "due_day": day, "due_month": month}
        return TimeframeKind.ONGOING, None, None, extra
    phrase = re.sub(r"^(?:trong|hoàn thành trong|hoàn thành) ", "", phrase)

    if m := re.fullmatch(
        rf"(?:từ |giai đoạn )?(?:năm )?{_YEAR}\s*[-–—]\s*(?:năm )?{_YEAR}", phrase
    ):
        first, last = int(m[1]), int(m[2])
        if first <= last:
            return TimeframeKind.RANGE, *_year_bounds(first, last), none
        return None
    if m := re.fullmatch(rf"từ năm {_YEAR}(?: trở đi)?", phrase):
        return TimeframeKind.FROM_YEAR, dt.date(int(m[1]), 1, 1), None, none
    if m := re.fullmatch(rf"(?:năm )?{_YEAR}", phrase):
        return TimeframeKind.YEAR, *_year_bounds(int(m[1]), int(m[1])), none
    if m := re.fullmatch(rf"(?:đến|đến hết|trước|trước năm|đến cuối) năm {_YEAR}", phrase):
        if phrase.startswith("trước năm"):
            return None  # "before 2030" could mean by 31/12/2029: leave it to a person
        return TimeframeKind.BEFORE_DATE, None, dt.date(int(m[1]), 12, 31), none
    quarter = r"(iv|iii|ii|i|[1-4])"
    if m := re.fullmatch(
        rf"quý {quarter}((?:\s*(?:,|và|-)\s*(?:quý )?{quarter})*)\s*(?:/|năm)\s*(?:năm )?{_YEAR}",
        phrase,
    ):
        quarters = [_ROMAN[m[1]]] + [
            _ROMAN[q] for q in re.findall(r"(iv|iii|ii|i|[1-4])", m[2] or "")
        ]
        if quarters != sorted(set(quarters)) or quarters[-1] - quarters[0] + 1 != len(quarters):
            return None  # "Quý I, III/2026" is two separate deadlines, not one span
        return TimeframeKind.QUARTER, *_quarters(quarters[0], quarters[-1], int(m[4])), none
    if m := re.fullmatch(
        rf"quý {quarter}\s*/\s*{_YEAR}\s*(?:,|và|-|đến)\s*(?:năm )?{_YEAR}", phrase
    ):
        # "Quý IV/2026, 2027": whether it means Q4 of both years or Q4/2026 through 2027,
        # the work starts in Q4/2026 and is due by the end of 2027.
        first_year, last_year = int(m[2]), int(m[3])
        if last_year <= first_year:
            return None
        start, _end = _quarters(_ROMAN[m[1]], _ROMAN[m[1]], first_year)
        return TimeframeKind.RANGE, start, dt.date(last_year, 12, 31), none
    if m := re.fullmatch(rf"(6|sáu) tháng (đầu|cuối) năm {_YEAR}", phrase):
        first = 1 if m[2] == "đầu" else 3
        return TimeframeKind.QUARTER, *_quarters(first, first + 1, int(m[3])), none
    if m := re.fullmatch(rf"tháng (\d{{1,2}})\s*(?:/|năm)\s*(?:năm )?{_YEAR}", phrase):
        month, year = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return TimeframeKind.MONTH, *_month(year, month), none
        return None
    if m := re.fullmatch(
        rf"trước(?: ngày)? (\d{{1,2}})\s*(?:/|tháng)\s*(\d{{1,2}})\s*(?:/|năm)\s*{_YEAR}", phrase
    ):
        try:
            end = dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
        return TimeframeKind.BEFORE_DATE, None, end, none
    return None
