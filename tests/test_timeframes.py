import datetime as dt

import pytest

from tasks.timeframes import TimeframeKind as K
from tasks.timeframes import parse_timeframe

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
