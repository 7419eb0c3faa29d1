"""Vietnamese personal names: family name first, sorted by the given name.

A Vietnamese name is written family name, middle names, given name ("Nguyễn Văn Bình") and
people are addressed and listed by the given name, the last word. The portal keeps Django's two
fields with Django's own Vietnamese labels: `last_name` is Họ (family and middle names,
"Nguyễn Văn") and `first_name` is Tên (the given name, "Bình").
"""

from __future__ import annotations

import unicodedata

# The Vietnamese alphabet in dictionary order, with the letters loanwords use (f, j, w, z) where
# the Latin alphabet puts them.
ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
# Tones in dictionary order: level (none), grave (huyền), hook (hỏi), tilde (ngã), acute (sắc),
# dot below (nặng).
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a letter of its own (ă, â, ê, ô, ơ, ư), as opposed to a tone.
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_CODES = {letter: f"{11 + i:02d}" for i, letter in enumerate(ALPHABET)}
_CODES |= {str(digit): f"{1 + digit:02d}" for digit in range(10)}
WORD_BREAK = "00"  # below every letter: "An" sorts before "Anh"
OTHER = "99"


def full_name(family: str, given: str) -> str:
    """'Nguyễn Văn', 'Bình' → 'Nguyễn Văn Bình'."""
    return " ".join(part for part in (family.strip(), given.strip()) if part)


def split_full_name(name: str) -> tuple[str, str]:
    """'Nguyễn Văn Bình' → ('Nguyễn Văn', 'Bình'): the last word is the given name."""
    words = name.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def _letters(word: str) -> list[tuple[str, int]]:
    """Each letter of `word` with its tone, marks that make letters (ă, ơ…) kept on the letter."""
    letters: list[tuple[str, int]] = []
    for char in unicodedata.normalize("NFD", word.casefold()):
        if unicodedata.combining(char):
            if not letters:
                continue
            base, tone = letters[-1]
            if char in LETTER_MARKS:
                letters[-1] = (unicodedata.normalize("NFC", base + char), tone)
            else:
                letters[-1] = (base, TONES.get(char, tone))
        else:
            letters.append((char, 0))
    return letters


def sort_key(name: str) -> str:
    """A key that orders names the Vietnamese way: by the given name (the last word), then the
    family and middle names, letters in the Vietnamese alphabet (d before đ before e), and tones
    only to break a tie.

    It is a string of digits so that the database orders it the same whatever its collation:
    it is stored on the user (`User.name_sort_key`) for lists paginated by the database.
    """
    words = name.split()
    words = words[-1:] + words[:-1]
    primary: list[str] = []
    tones: list[str] = []
    for word in words:
        for letter, tone in _letters(word):
            primary.append(_CODES.get(letter, OTHER))
            tones.append(str(tone))
        primary.append(WORD_BREAK)
    return "".join(primary) + WORD_BREAK + "".join(tones)
