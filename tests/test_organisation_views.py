"""organisation views: the registry, agency create/edit, reorganisation preview and save."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from organisation.models import Reorganisation
from plans.models import Agency
from tests.factories import UserFactory


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(username="quantri", role=User.Role.ADMIN)


def client_for(user: User | None, language: str = "vi") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = language
    return client


def page(response) -> str:
    return " ".join(response.content.decode().split())


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, read, write",
    [
        ("officer", 403, 403),
        ("head", 403, 403),
        ("leader", 403, 403),
        ("reviewer", 200, 403),
        ("admin_user", 200, 200),
    ],
)
def test_the_focal_point_reads_and_only_the_administrator_writes(
    request, seed_plan, role, read, write
):
    client = client_for(request.getfixturevalue(role))
    sct = Agency.objects.get(abbreviation="SCT")
    for name, kwargs in (("agencies", {}), ("agency", {"pk": sct.pk}), ("events", {})):
        assert client.get(reverse(f"organisation:{name}", kwargs=kwargs)).status_code == read
    for name, kwargs in (("agency_new", {}), ("agency_edit", {"pk": sct.pk}), ("event_new", {})):
        assert client.get(reverse(f"organisation:{name}", kwargs=kwargs)).status_code == write
    posted = client.post(
        reverse("organisation:agency_new"), {"name": "X", "abbreviation": "X", "kind": "other"}
    )
    assert posted.status_code == (302 if write == 200 else 403)


def test_anonymous_is_sent_to_sign_in(seed_plan):
    response = Client().get(reverse("organisation:agencies"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- the registry ----------------------------------------------------------------------------


def test_search_ignores_accents(seed_plan, reviewer):
    response = client_for(reviewer).get(reverse("organisation:agencies"), {"q": "so tai chinh"})
    text = page(response)
    assert "Sở Tài chính" in text
    assert "Sở Kế hoạch và Đầu tư" not in text


def test_search_by_abbreviation_and_kind(seed_plan, reviewer):
    client = client_for(reviewer)
    assert "Sở Kế hoạch và Đầu tư" in page(
        client.get(reverse("organisation:agencies"), {"q": "skhdt"})
    )
    groups = page(client.get(reverse("organisation:agencies"), {"kind": "group"}))
    assert "UBND các huyện, thị xã, thành phố" in groups and "Sở Tài chính" not in groups


def test_registry_speaks_vietnamese_and_english(seed_plan, reviewer):
    vi = page(client_for(reviewer, "vi").get(reverse("organisation:agencies")))
    assert "Cơ quan" in vi and "Cơ quan chủ quản" in vi
    assert "được Sở Tài chính kế nhiệm từ 01/03/2025" in vi
    en = page(client_for(reviewer, "en").get(reverse("organisation:agencies")))
    assert "Parent body" in en and "succeeded by Sở Tài chính from 01/03/2025" in en


def test_agency_page_shows_group_members_and_todays_name(seed_plan, reviewer):
    client = client_for(reviewer)
    group = Agency.objects.get(abbreviation="HUYEN")
    text = page(client.get(reverse("organisation:agency", kwargs={"pk": group.pk})))
    assert "UBND huyện Tuy An" in text
    planning = Agency.objects.get(abbreviation="SKHĐT")
    text = page(client.get(reverse("organisation:agency", kwargs={"pk": planning.pk})))
    assert "Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)" in text


def test_administrator_creates_an_agency(seed_plan, admin_user):
    response = client_for(admin_user).post(
        reverse("organisation:agency_new"),
        {
            "name": "Sở Giáo dục và Đào tạo tỉnh mới",
            "short_name": "Sở GD&ĐT mới",
            "abbreviation": "SGDĐTM",
            "kind": "department",
            "parent": Agency.objects.get(abbreviation="UBNDĐL").pk,
        },
    )
    created = Agency.objects.get(abbreviation="SGDĐTM")
    assert response["Location"] == reverse("organisation:agency", kwargs={"pk": created.pk})
    assert created.parent.abbreviation == "UBNDĐL"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"abbreviation": "STC"}, "abbreviation", "Cơ quan khác đã dùng ký hiệu STC."),
        ({"abbreviation": "S TC"}, "abbreviation", "Ký hiệu viết liền"),
        ({"members": "SCT"}, "members", "Chỉ nhóm mới có thành viên"),
    ],
)
def test_bad_agency_input_is_refused_with_a_message(seed_plan, admin_user, data, field, message):
    before = Agency.objects.count()
    payload = {"name": "Cơ quan mới", "abbreviation": "CQM", "kind": "department"} | data
    if "members" in payload:
        payload["members"] = [Agency.objects.get(abbreviation=payload["members"]).pk]
    response = client_for(admin_user).post(reverse("organisation:agency_new"), payload)
    assert response.status_code == 200
    assert message in page(response)
    assert Agency.objects.count() == before


def test_editing_cannot_put_an_agency_under_its_own_body(seed_plan, admin_user):
    phu_yen = Agency.objects.get(abbreviation="UBNDPY")
    sct = Agency.objects.get(abbreviation="SCT")
    Agency.objects.filter(pk=sct.pk).update(parent=phu_yen)
    response = client_for(admin_user).post(
        reverse("organisation:agency_edit", kwargs={"pk": phu_yen.pk}),
        {"name": phu_yen.name, "abbreviation": "UBNDPY", "kind": "province", "parent": sct.pk},
    )
    assert "không thể trực thuộc chính nó" in page(response)
    phu_yen.refresh_from_db()
    assert phu_yen.parent is None


# --- reorganisation: preview, then save ------------------------------------------------------


def merger_post(action: str) -> dict:
    return {
        "kind": "merge",
        "effective_on": "01/01/2027",
        "sources": [Agency.objects.get(abbreviation="BQLKKT").pk],
        "successor": Agency.objects.get(abbreviation="SCT").pk,
        "legal_basis": "Quyết định số 01/QĐ-UBND",
        "action": action,
    }


def test_preview_shows_what_moves_and_saves_nothing(seed_plan, admin_user):
    response = client_for(admin_user).post(
        reverse("organisation:event_new"), merger_post("preview")
    )
    text = page(response)
    assert "Những gì thay đổi" in text and "IV.8.1" in text
    assert "Lưu và áp dụng" in text
    assert Reorganisation.objects.count() == 0
    assert Agency.objects.get(abbreviation="BQLKKT").succeeded_by is None


def test_save_applies_the_event_and_shows_it(seed_plan, admin_user):
    client = client_for(admin_user)
    response = client.post(reverse("organisation:event_new"), merger_post("save"))
    event = Reorganisation.objects.get()
    assert response["Location"] == reverse("organisation:event", kwargs={"pk": event.pk})
    assert Agency.objects.get(abbreviation="BQLKKT").succeeded_by.abbreviation == "SCT"
    text = page(client.get(response["Location"]))
    assert "Sáp nhập vào cơ quan khác" in text and "IV.8.1" in text
    again = client.post(reverse("organisation:event_new"), merger_post("save"))
    assert "Không có gì thay đổi" in page(again)
    assert Reorganisation.objects.count() == 1


def test_a_bad_event_is_refused_on_its_field(seed_plan, admin_user):
    data = merger_post("preview") | {"successor": "", "effective_on": "31/02/2027"}
    text = page(client_for(admin_user).post(reverse("organisation:event_new"), data))
    assert "Nhập ngày theo dạng ngày/tháng/năm" in text
    data = merger_post("preview") | {"successor": ""}
    text = page(client_for(admin_user).post(reverse("organisation:event_new"), data))
    assert "Chọn cơ quan tiếp nhận." in text


def test_event_form_in_english(seed_plan, admin_user):
    client = client_for(admin_user, "en")
    text = page(client.post(reverse("organisation:event_new"), merger_post("preview")))
    assert "What this event moves" in text and "Save and apply" in text
