import datetime as dt

import pytest

from tasks.timeframes import Repeats, parse_timeframe
from tasks.timeframes import TimeframeKind as K

D = dt.date

CASES = [
    # every phrase of the seed plan
    ("Năm 2021", K.YEAR, D(2021, 1, 1), D(2021, 12, 31)),
    ("Từ năm 2021", K.FROM_YEAR, D(2021, 1, 1), None),
    ("Từ năm 2021-2022", K.RANGE, D(2021, 1, 1), D(2022, 12, 31)),
    ("Thường xuyên", K.ONGOING, None, None),
    (
        "Theo tiến độ thực hiện của Quy hoạch tỉnh Phú Yên thời kỳ 2021-2030, "
        "tầm nhìn đến năm 2050",
        K.DEPENDENT,
        None,
        None,
    ),
    ("", K.UNSPECIFIED, None, None),
    # phrases other plans use
    ("Quý IV/2021", K.QUARTER, D(2021, 10, 1), D(2021, 12, 31)),
    ("Quý I/2024", K.QUARTER, D(2024, 1, 1), D(2024, 3, 31)),
    ("Tháng 6/2022", K.MONTH, D(2022, 6, 1), D(2022, 6, 30)),
    ("Tháng 2/2024", K.MONTH, D(2024, 2, 1), D(2024, 2, 29)),
    ("trước ngày 30/6/2022", K.BEFORE_DATE, None, D(2022, 6, 30)),
    ("Trước ngày 15/12/2023.", K.BEFORE_DATE, None, D(2023, 12, 15)),
    ("2021-2025", K.RANGE, D(2021, 1, 1), D(2025, 12, 31)),
    ("Giai đoạn 2021 - 2025", K.RANGE, D(2021, 1, 1), D(2025, 12, 31)),
    ("Hằng năm", K.ONGOING, None, None),
    ("Hàng năm", K.ONGOING, None, None),
    ("  Năm   2023. ", K.YEAR, D(2023, 1, 1), D(2023, 12, 31)),
]


@pytest.mark.parametrize("text,kind,start,end", CASES)
def test_phrase_parses_as_intended(text, kind, start, end):
    parsed = parse_timeframe(text)
    assert (parsed.kind, parsed.start, parsed.end) == (kind, start, end)


@pytest.mark.parametrize(
    "text",
    ["Khi có chỉ đạo", "Quý V/2021", "Tháng 13/2022", "trước ngày 31/2/2022", "2025-2021", "???"],
)
def test_unknown_phrase_is_kept_as_unparsed_not_an_error(text):
    parsed = parse_timeframe(text)
    assert parsed.kind == K.UNPARSED
    assert parsed.text == text.strip()
    assert parsed.start is None and parsed.end is None


def test_original_wording_is_kept_in_nfc():
    decomposed = "Tha\u0300nh 6/2022"  # not a real phrase, but decomposed accents
    assert parse_timeframe(decomposed).text == "Thành 6/2022"
    assert parse_timeframe("Năm 2021.").text == "Năm 2021"


# Phrases task tables of newer plans use (issue "Any plan, from the document the province has").
R = Repeats
NEWER = [
    ("trong quý IV năm 2026", K.QUARTER, D(2026, 10, 1), D(2026, 12, 31), R.NONE),
    ("Quý IV năm 2026", K.QUARTER, D(2026, 10, 1), D(2026, 12, 31), R.NONE),
    ("Quý III, IV/2026", K.QUARTER, D(2026, 7, 1), D(2026, 12, 31), R.NONE),
    ("Quý IV/2026, 2027", K.RANGE, D(2026, 10, 1), D(2027, 12, 31), R.NONE),
    ("2030", K.YEAR, D(2030, 1, 1), D(2030, 12, 31), R.NONE),
    ("Trước 31/12/2026", K.BEFORE_DATE, None, D(2026, 12, 31), R.NONE),
    ("Trước ngày 30 tháng 6 năm 2026", K.BEFORE_DATE, None, D(2026, 6, 30), R.NONE),
    ("tháng 8 năm 2024", K.MONTH, D(2024, 8, 1), D(2024, 8, 31), R.NONE),
    ("6 tháng đầu năm 2026", K.QUARTER, D(2026, 1, 1), D(2026, 6, 30), R.NONE),
    ("6 tháng cuối năm 2026", K.QUARTER, D(2026, 7, 1), D(2026, 12, 31), R.NONE),
    ("đến năm 2030", K.BEFORE_DATE, None, D(2030, 12, 31), R.NONE),
    ("giai đoạn 2026 - 2030", K.RANGE, D(2026, 1, 1), D(2030, 12, 31), R.NONE),
    ("Định kỳ", K.ONGOING, None, None, R.PERIODIC),
    ("Hằng tháng", K.ONGOING, None, None, R.MONTHLY),
    ("hàng quý", K.ONGOING, None, None, R.QUARTERLY),
    ("6 tháng", K.ONGOING, None, None, R.HALF_YEARLY),
    ("Hằng năm", K.ONGOING, None, None, R.YEARLY),
    ("Thường xuyên", K.ONGOING, None, None, R.NONE),
    ("trước ngày 20 hằng tháng", K.ONGOING, None, None, R.MONTHLY),
    ("Khi có yêu cầu", K.DEPENDENT, None, None, R.ON_REQUEST),
]


@pytest.mark.parametrize("text,kind,start,end,repeats", NEWER)
def test_newer_phrase_parses_as_intended(text, kind, start, end, repeats):
    parsed = parse_timeframe(text)
    assert (parsed.kind, parsed.start, parsed.end, parsed.repeats) == (kind, start, end, repeats)
    assert parsed.text == text


def test_monthly_deadline_keeps_its_day():
    parsed = parse_timeframe("trước ngày 20 hằng tháng")
    assert (parsed.due_day, parsed.due_month) == (20, None)
    yearly = parse_timeframe("định kỳ trước ngày 10 tháng 12 hàng năm")
    assert (yearly.kind, yearly.repeats, yearly.due_day, yearly.due_month) == (
        K.ONGOING,
        R.YEARLY,
        10,
        12,
    )


def test_note_in_brackets_is_kept_apart_from_the_date():
    parsed = parse_timeframe("Quý IV/2026 (sau khi Đề án được phê duyệt)")
    assert (parsed.kind, parsed.start, parsed.end) == (K.QUARTER, D(2026, 10, 1), D(2026, 12, 31))
    assert parsed.note == "sau khi Đề án được phê duyệt"
    assert parsed.text == "Quý IV/2026 (sau khi Đề án được phê duyệt)"


@pytest.mark.parametrize(
    "text",
    [
        "Quý I, III/2026",  # two separate deadlines, not one span
        "Trước năm 2030",  # by 2029 or by 2030? a person decides
        "Quý IV/2027, 2026",
        "trước ngày 32 hằng tháng",
        "sau khi Đề án được phê duyệt",
        "Tháng 13 năm 2024",
        "(ghi chú)",
    ],
)
def test_doubtful_phrase_stays_unparsed(text):
    parsed = parse_timeframe(text)
    assert (parsed.kind, parsed.start, parsed.end) == (K.UNPARSED, None, None)


def test_recurring_and_on_request_tasks_are_judged_per_year():
    for text in ("Hằng tháng", "trước ngày 20 hằng tháng", "Khi có yêu cầu", "Định kỳ"):
        assert parse_timeframe(text).is_open_ended, text
