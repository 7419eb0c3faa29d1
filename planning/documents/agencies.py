"""Matching agency names as documents write them to the `plans.Agency` registry.

Documents spell one body many ways: "Sở TN&MT", "Sở Tài nguyên và Môi trường", "Sở Tai nguyen
va Moi truong", "Cục Quản lý thị trường tỉnh". Names are compared on a key with the usual
abbreviations spelt out; a second key without diacritics catches typed-without-accents text.
A name that matches nothing is proposed as a new agency for the user to confirm, never
silently dropped. Catch-alls ("các sở, ban, ngành") are not agencies and are kept as words.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from plans.models import Agency

from .blocks import clean, fold

# Abbreviations that stand for words inside agency names (compared after folding).
_SPELLED_OUT = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "bql": "ban quan ly",
    "kkt": "khu kinh te",
    "kcn": "khu cong nghiep",
    "kh&dt": "ke hoach va dau tu",
    "khdt": "ke hoach va dau tu",
    "tn&mt": "tai nguyen va moi truong",
    "tnmt": "tai nguyen va moi truong",
    "nn&ptnt": "nong nghiep va phat trien nong thon",
    "nnptnt": "nong nghiep va phat trien nong thon",
    "ptnt": "phat trien nong thon",
    "nn&mt": "nong nghiep va moi truong",
    "nnmt": "nong nghiep va moi truong",
    "kh&cn": "khoa hoc va cong nghe",
    "khcn": "khoa hoc va cong nghe",
    "tt&tt": "thong tin va truyen thong",
    "tttt": "thong tin va truyen thong",
    "ld-tb&xh": "lao dong thuong binh va xa hoi",
    "ldtb&xh": "lao dong thuong binh va xa hoi",
    "ldtbxh": "lao dong thuong binh va xa hoi",
    "gd&dt": "giao duc va dao tao",
    "gddt": "giao duc va dao tao",
    "vh,tt&dl": "van hoa the thao va du lich",
    "vhttdl": "van hoa the thao va du lich",
    "gtvt": "giao thong van tai",
    "qltt": "quan ly thi truong",
    "tp": "thanh pho",
    "tx": "thi xa",
}
# Words that start the name of a body (used to tell an agency from a catch-all or prose).
AGENCY_HEADS = (
    "sở",
    "ban",
    "bộ chỉ huy",
    "ubnd",
    "ủy ban",
    "uỷ ban",
    "cục",
    "chi cục",
    "công an",
    "trung tâm",
    "viện",
    "trường",
    "báo",
    "đài",
    "tạp chí",
    "hội",
    "liên minh",
    "liên đoàn",
    "văn phòng",
    "thanh tra",
    "kho bạc",
    "ngân hàng",
    "bảo hiểm",
    "tỉnh đoàn",
    "đoàn",
    "mặt trận",
    "cảng vụ",
    "quỹ",
    "công ty",
    "hiệp hội",
)
_GENERIC_WORDS = set(
    "cac so ban nganh dia phuong don vi co quan lien quan tinh va cap xa huyen thi thanh pho "
    "phuong trung uong bo to chuc doan the hoi doanh nghiep chinh tri xa hoi nghe nghiep "
    "tren ban theo chuc nang nhiem vu duoc giao".split()
)
_STOP_TAIL = re.compile(r"\s*\((?:nay là|nay la)[^)]*\)\s*$", re.IGNORECASE)


def key(name: str) -> str:
    """Folded name with abbreviations spelt out and punctuation dropped."""
    text = fold(_STOP_TAIL.sub("", name))
    words = []
    for word in re.split(r"[\s]+", text.replace(" - ", " ").replace(",", " , ")):
        words.append(_SPELLED_OUT.get(word.strip("."), word))
    text = " ".join(words)
    text = re.sub(r"[&]", " va ", text)
    text = re.sub(r"[^a-z0-9 ]", " ", text)
    text = re.sub(r"\btinh\s*$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip()


def catch_all_key(name: str) -> str:
    """'các sở, ban, ngành, địa phương' and 'Các sở, ngành, địa phương' mean the same bodies."""
    words = [w for w in key(name).split() if w not in ("ban", "co", "lien", "quan", "tinh")]
    return " ".join(w for w in words if w not in ("cac", "va"))


def is_catch_all(name: str) -> bool:
    """'các sở, ban, ngành', 'UBND cấp xã', 'các cơ quan, đơn vị liên quan': no one body."""
    folded = key(name)
    if not folded:
        return False
    if re.search(r"\b(cap xa|cap huyen|cac xa|cac huyen|cac phuong)\b", folded):
        return True
    words = folded.split()
    return words[0] == "cac" and all(w in _GENERIC_WORDS for w in words)


# Words that start like a body but are not one ("Báo cáo" is a report, not a newspaper).
_NOT_AGENCIES = ("báo cáo", "ban hành", "hội nghị", "hội thảo", "trường hợp", "quỹ đất", "cục bộ")


def looks_like_agency(name: str) -> bool:
    text = clean(name).lower()
    if text.startswith(_NOT_AGENCIES):
        return False
    return any(text == h or text.startswith(h + " ") for h in AGENCY_HEADS) or is_catch_all(text)


@dataclass
class KnownAgency:
    abbreviation: str
    name: str
    short_name: str = ""
    kind: str = "department"
    members: list[str] = field(default_factory=list)
    succeeded_by: str | None = None
    succeeded_on: dt.date | None = None
    dissolved_on: dt.date | None = None
    is_new: bool = False


@dataclass
class Match:
    """The outcome for one name: an agency (known or proposed) and whether a person must look."""

    written: str
    agency: KnownAgency
    is_new: bool = False
    how: str = "name"  # name | abbreviation | without diacritics | catch-all | new


class Registry:
    """The agencies a proposal can refer to: the portal's, plus new ones this parse proposes."""

    def __init__(self, agencies: list[KnownAgency]):
        self.agencies: dict[str, KnownAgency] = {a.abbreviation: a for a in agencies}
        self._by_key: dict[str, str] = {}
        self._by_catch_all: dict[str, str] = {}
        for agency in agencies:
            self._index(agency)

    def _index(self, agency: KnownAgency) -> None:
        for name in (agency.name, agency.short_name):
            if name:
                self._by_key.setdefault(key(name), agency.abbreviation)
                if agency.kind == "group" or is_catch_all(name):
                    self._by_catch_all.setdefault(catch_all_key(name), agency.abbreviation)
        self._by_key.setdefault(fold(agency.abbreviation), agency.abbreviation)

    @classmethod
    def from_db(cls) -> Registry:
        rows = Agency.objects.select_related("succeeded_by").prefetch_related("members")
        return cls(
            [
                KnownAgency(
                    abbreviation=a.abbreviation,
                    name=a.name,
                    short_name=a.short_name,
                    kind=a.kind,
                    members=[m.abbreviation for m in a.members.all()],
                    succeeded_by=a.succeeded_by.abbreviation if a.succeeded_by_id else None,
                    succeeded_on=a.succeeded_on,
                    dissolved_on=a.dissolved_on,
                )
                for a in rows
            ]
        )

    @classmethod
    def from_interchange(cls, agencies: list[dict]) -> Registry:
        """The agencies of an interchange file (no database needed: benchmarks, previews)."""

        def day(value):
            return dt.date.fromisoformat(value) if value else None

        return cls(
            [
                KnownAgency(
                    abbreviation=a["abbreviation"],
                    name=a["name"],
                    short_name=a["short_name"],
                    kind=a["kind"],
                    members=list(a["members"]),
                    succeeded_by=a["succeeded_by"],
                    succeeded_on=day(a["succeeded_on"]),
                    dissolved_on=day(a["dissolved_on"]),
                )
                for a in agencies
            ]
        )

    def find(self, written: str) -> Match | None:
        """The known agency a name means, or None."""
        name = clean(_STOP_TAIL.sub("", written)).strip(" .;:,")
        if not name:
            return None
        abbreviation = self._by_key.get(key(name))
        if abbreviation:
            how = "abbreviation" if fold(name) == fold(abbreviation) else "name"
            return Match(written, self.agencies[abbreviation], how=how)
        if is_catch_all(name):
            abbreviation = self._by_catch_all.get(catch_all_key(name))
            if abbreviation:
                return Match(written, self.agencies[abbreviation], how="catch-all")
        return None

    def match(self, written: str) -> Match:
        """The agency a name means; an unknown name becomes a proposed new agency."""
        found = self.find(written)
        if found:
            return found
        name = clean(_STOP_TAIL.sub("", written)).strip(" .;:,")
        abbreviation = self._new_abbreviation(name)
        agency = KnownAgency(
            abbreviation=abbreviation,
            name=name[:1].upper() + name[1:],
            short_name=name[:100],
            kind=_guess_kind(name),
            is_new=True,
        )
        self.agencies[abbreviation] = agency
        self._index(agency)
        return Match(written, agency, is_new=True, how="new")

    def _new_abbreviation(self, name: str) -> str:
        words = [w for w in re.findall(r"[a-z0-9]+", fold(name)) if w not in ("va", "cac")]
        letters = "".join(w[0] for w in words).upper()
        base = (letters or "CQ")[:16]
        candidate, n = base, 1
        while candidate in self.agencies:
            n += 1
            candidate = f"{base}{n}"
        return candidate

    def current(self, agency: KnownAgency, on: dt.date) -> KnownAgency:
        """The successor that answers for an agency on a date (the 2025 mergers)."""
        seen = {agency.abbreviation}
        while agency.succeeded_by and agency.succeeded_on and agency.succeeded_on <= on:
            nxt = self.agencies.get(agency.succeeded_by)
            if nxt is None or nxt.abbreviation in seen:
                break
            seen.add(nxt.abbreviation)
            agency = nxt
        return agency


def _guess_kind(name: str) -> str:
    text = clean(name).lower()
    if text.startswith("sở"):
        return "department"
    if text.startswith("ban quản lý"):
        return "board"
    if re.match(r"(ubnd|ủy ban nhân dân|uỷ ban nhân dân) (huyện|thị xã|thành phố)", text):
        return "district"
    if re.match(r"(ubnd|ủy ban nhân dân|uỷ ban nhân dân) (xã|phường|thị trấn)", text):
        return "commune"
    return "other"


def split_names(text: str) -> list[str]:
    """'Viện A; Viện B', 'Trung tâm X, Báo Y, Tạp chí Z', 'Sở A và Sở B' → one name each.

    A comma only separates names when what follows starts like an agency, so 'Sở Văn hóa,
    Thể thao và Du lịch' stays one name.
    """
    text = clean(text).strip(" .;")
    if not text:
        return []
    parts: list[str] = []
    for chunk in re.split(r"\s*;\s*|\s*\n\s*", text):
        pieces = re.split(_NAME_BREAK, chunk)
        current = ""
        for piece in pieces:
            if not piece:
                continue
            if current and looks_like_agency(piece) and not is_catch_all(current + ", " + piece):
                parts.append(current)
                current = piece
            else:
                current = f"{current}, {piece}" if current else piece
        if current:
            parts.append(current)
    return [p.strip(" .") for p in parts if p.strip(" .")]


_NAME_BREAK = re.compile(
    r"\s*,\s*|\s+và\s+(?=(?:{})\s)".format("|".join(re.escape(h) for h in AGENCY_HEADS)),
    re.IGNORECASE,
)
