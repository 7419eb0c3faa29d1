"""Numbers as Vietnamese readers write them: a decimal comma and dots for thousands."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# A document reference: '122-KH/TU', '23-NQ/TW', '05/BC-SCT', '155/KH-UBND'; kept on one line
# in the documents (never broken at its hyphen).
DOCUMENT_NUMBER = r"[0-9\u2003]+(?:[-/][0-9A-ZĐ\u2003]+)*/[0-9A-ZĐ]+(?:-[0-9A-ZĐ]+)*"


def vn_number(value) -> str:
    """37.400 → '37,4'; 1234.5 → '1.234,5'; 27.000 → '27' (Vietnamese, no trailing zeros).
    Blank for None or text that is not a number."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return ""
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = format(abs(number), "f").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"
