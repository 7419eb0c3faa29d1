"""Timeframes ("Thời gian thực hiện") as plans write them, parsed into kind + start + end.

The original wording is always kept for display; a phrase the parser does not know is kept with
kind UNPARSED and never raises.
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


@dataclass(frozen=True)
class Timeframe:
    text: str
    kind: str
    start: dt.date | None = None
    end: dt.date | None = None

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


def parse_timeframe(text: str) -> Timeframe:
    original = _normalise(text)
    phrase = original.lower()
    if not phrase:
        return Timeframe(original, TimeframeKind.UNSPECIFIED)
    if phrase.startswith("theo tiến độ") or phrase.startswith("theo kế hoạch"):
        return Timeframe(original, TimeframeKind.DEPENDENT)
    if phrase in ("thường xuyên", "hằng năm", "hàng năm", "định kỳ hằng năm", "định kỳ hàng năm"):
        return Timeframe(original, TimeframeKind.ONGOING)

    if m := re.fullmatch(
        rf"(?:từ |giai đoạn )?(?:năm )?{_YEAR}\s*[-–—]\s*(?:năm )?{_YEAR}", phrase
    ):
        first, last = int(m[1]), int(m[2])
        if first <= last:
            return Timeframe(original, TimeframeKind.RANGE, *_year_bounds(first, last))
    if m := re.fullmatch(rf"từ năm {_YEAR}(?: trở đi)?", phrase):
        return Timeframe(original, TimeframeKind.FROM_YEAR, dt.date(int(m[1]), 1, 1))
    if m := re.fullmatch(rf"(?:trong )?năm {_YEAR}", phrase):
        return Timeframe(original, TimeframeKind.YEAR, *_year_bounds(int(m[1]), int(m[1])))
    if m := re.fullmatch(rf"quý (iv|iii|ii|i|[1-4])\s*/\s*(?:năm )?{_YEAR}", phrase):
        quarter, year = _ROMAN[m[1]], int(m[2])
        first_month = 3 * quarter - 2
        last_day = calendar.monthrange(year, first_month + 2)[1]
        return Timeframe(
            original,
            TimeframeKind.QUARTER,
            dt.date(year, first_month, 1),
            dt.date(year, first_month + 2, last_day),
        )
    if m := re.fullmatch(rf"tháng (\d{{1,2}})\s*/\s*(?:năm )?{_YEAR}", phrase):
        month, year = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            last_day = calendar.monthrange(year, month)[1]
            return Timeframe(
                original,
                TimeframeKind.MONTH,
                dt.date(year, month, 1),
                dt.date(year, month, last_day),
            )
    if m := re.fullmatch(rf"trước ngày (\d{{1,2}})\s*/\s*(\d{{1,2}})\s*/\s*{_YEAR}", phrase):
        try:
            end = dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return Timeframe(original, TimeframeKind.UNPARSED)
        return Timeframe(original, TimeframeKind.BEFORE_DATE, None, end)
    return Timeframe(original, TimeframeKind.UNPARSED)
