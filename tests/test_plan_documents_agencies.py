"""Agency names as documents spell them, matched to the registry."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from planning.documents.agencies import Registry, is_catch_all, split_names


@pytest.fixture
def registry(seed_plan):
    return Registry.from_db()


@pytest.mark.parametrize(
    "written,abbreviation",
    [
        ("Sở Tài nguyên và Môi trường", "STNMT"),
        ("Sở TN&MT", "STNMT"),
        ("Sở TNMT", "STNMT"),
        ("Sở NN&PTNT", "SNNPTNT"),
        ("Sở Nông nghiệp và PTNT", "SNNPTNT"),
        ("Sở Lao động-Thương binh và Xã hội", "SLĐTBXH"),
        ("Sở LĐ-TB&XH", "SLĐTBXH"),
        ("So Tai nguyen va Moi truong", "STNMT"),
        ("Cục Quản lý thị trường tỉnh", "QLTT"),
        ("Cục QLTT", "QLTT"),
        ("BQL Khu kinh tế", "BQLKKT"),
        ("SCT", "SCT"),
        ("Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)", "SKHĐT"),
        ("UBND các huyện, thị xã, thành phố", "HUYEN"),
        ("các sở, ban, ngành, địa phương", "TATCA"),
        ("Các sở, ngành, địa phương", "TATCA"),
        (unicodedata.normalize("NFD", "Sở Khoa học và Công nghệ"), "SKHCN"),
    ],
)
def test_spelling_variants_match_the_registry(registry, written, abbreviation):
    match = registry.find(written)
    assert match is not None and match.agency.abbreviation == abbreviation


def test_an_unknown_name_is_proposed_as_new_once(registry):
    first = registry.match("Viện Nghiên cứu Cơ khí")
    again = registry.match("Viện nghiên cứu cơ khí")
    assert first.is_new and first.agency.abbreviation == "VNCCK"
    assert again.agency is first.agency and not again.is_new


def test_succession_resolves_by_date(registry):
    old = registry.find("Sở Kế hoạch và Đầu tư").agency
    assert registry.current(old, dt.date(2024, 12, 31)).abbreviation == "SKHĐT"
    assert registry.current(old, dt.date(2025, 3, 1)).abbreviation == "STC"


@pytest.mark.parametrize(
    "text,names",
    [
        ("Viện A; Viện B", ["Viện A", "Viện B"]),
        ("Trung tâm X, Báo Y, Tạp chí Z", ["Trung tâm X", "Báo Y", "Tạp chí Z"]),
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Sở Tài chính và Sở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
        ("Sở Tài chính, các sở, ban, ngành", ["Sở Tài chính", "các sở, ban, ngành"]),
    ],
)
def test_several_names_in_one_cell(text, names):
    assert split_names(text) == names


@pytest.mark.parametrize(
    "text,expected",
    [
        ("các sở, ban, ngành", True),
        ("UBND cấp xã", True),
        ("các cơ quan, đơn vị liên quan", True),
        ("Sở Công Thương", False),
        ("Báo Đắk Lắk", False),
    ],
)
def test_catch_alls_are_told_from_agencies(text, expected):
    assert is_catch_all(text) is expected
