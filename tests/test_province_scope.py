"""provinces/scope.py: who reads and changes which province's rows, in the ORM."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plans.models import Agency, Plan
from provinces import scope
from provinces.models import Province
from tasks.models import Task
from tests.factories import UserFactory


@pytest.fixture
def provinces(seed_plan):
    a = Province.objects.create(name="Đắk Lắk", code="dak-lak")
    b = Province.objects.create(name="Gia Lai", code="gia-lai")
    Agency.objects.update(province=a)
    Plan.objects.update(province=a)
    sct_b = Agency.objects.create(
        name="Sở Công Thương tỉnh Gia Lai", abbreviation="SCT", province=b
    )
    ministry = Agency.objects.create(name="Bộ Công Thương", abbreviation="BCT", kind="ministry")
    return a, b, sct_b, ministry


def test_a_province_user_reads_only_their_province_and_national_rows(provinces, seed_plan):
    a, b, sct_b, ministry = provinces
    user = UserFactory(username="gialai.sct", reviewer=True, agency=sct_b)
    with scope.using(scope.scope_for(user)):
        assert not Plan.objects.filter(pk=seed_plan.pk).exists()
        assert not Task.objects.filter(plan=seed_plan).exists()
        assert set(Agency.objects.all()) == {sct_b, ministry}
        assert Plan.objects.unscoped().filter(pk=seed_plan.pk).exists()
    assert Plan.objects.filter(pk=seed_plan.pk).exists()  # outside the scope: everything


def test_further_provinces_on_an_account_add_to_the_agencys(provinces, seed_plan):
    a, b, sct_b, ministry = provinces
    user = UserFactory(username="gialai.sct", reviewer=True, agency=sct_b)
    user.provinces.add(a)
    assert scope.scope_for(user).reads == frozenset({a.pk, b.pk})


def test_the_ministry_reads_everything_and_changes_nothing_of_a_province(provinces, seed_plan):
    a, b, sct_b, ministry = provinces
    user = UserFactory(username="bct", reviewer=True, agency=ministry)
    with scope.using(scope.scope_for(user)):
        plan = Plan.objects.get(pk=seed_plan.pk)
        plan.title = "Đổi tên"
        with pytest.raises(PermissionDenied, match="thuộc tỉnh khác"):
            plan.save()
        task = Task.objects.filter(plan=plan).first()
        with pytest.raises(PermissionDenied):
            task.delete()
        ministry.email = "bct@moit.gov.vn"
        ministry.save()  # its own, national row
    seed_plan.refresh_from_db()
    assert seed_plan.title != "Đổi tên"


def test_a_province_cannot_change_national_rows(provinces):
    a, b, sct_b, ministry = provinces
    user = UserFactory(username="gialai.sct", reviewer=True, agency=sct_b)
    with scope.using(scope.scope_for(user)), pytest.raises(PermissionDenied):
        ministry.save()


def test_superusers_and_unscoped_work_are_not_restricted(provinces):
    assert scope.scope_for(UserFactory(username="root", admin=True)) is scope.UNRESTRICTED
    assert scope.current() is scope.UNRESTRICTED


def test_abbreviations_are_unique_within_a_province_only(provinces):
    a, b, sct_b, ministry = provinces
    Agency(name="Sở Tài chính tỉnh Gia Lai", abbreviation="STC", province=b).full_clean()
    with pytest.raises(ValidationError, match="đã dùng chữ viết tắt này"):
        Agency(name="Sở Tài chính 2", abbreviation="STC", province=a).full_clean()


def test_uniqueness_is_checked_across_provinces_even_inside_a_scope(provinces, seed_plan):
    a, b, sct_b, ministry = provinces
    user = UserFactory(username="gialai.sct", reviewer=True, agency=sct_b)
    copy = Plan(
        code=seed_plan.code,
        title="Bản sao",
        issuer="UBND",
        focal_agency=sct_b,
        province=b,
        start_year=2025,
        horizon_year=2030,
    )
    with scope.using(scope.scope_for(user)), pytest.raises(ValidationError, match="code"):
        copy.full_clean()


def test_a_plan_imported_by_a_province_becomes_that_provinces(provinces):
    from planning import services

    a, b, sct_b, ministry = provinces
    user = UserFactory(username="gialai.sct", reviewer=True, agency=sct_b)
    draft = services.import_from_text(user=user, text="KẾ HOẠCH\nThử nghiệm")
    assert draft.province == b


def test_a_province_focal_point_publishes_a_new_plan_of_its_province(provinces, tmp_path):
    """Under the province's scope, as the request would be: the plan and the agencies the
    document names are created in the province (a national row would be refused)."""
    from django.utils import translation

    from planning import services
    from planning.documents.read_docx import read_docx
    from tests.plan_documents_samples import build_table_docx

    a, b, sct_b, ministry = provinces
    reviewer = UserFactory(
        username="sct.dl", reviewer=True, agency=Agency.objects.get(abbreviation="SCT", province=a)
    )
    with translation.override("en"), scope.using(scope.scope_for(reviewer)):
        document = read_docx(build_table_docx(tmp_path / "ke-hoach.docx"))
        draft = services.import_create(
            user=reviewer, document=document, source_name="ke-hoach.docx", source_kind="docx"
        )
        for abbr in list(draft.new_agencies):
            services.import_resolve_agency(
                plan_import=draft, user=reviewer, abbreviation=abbr, name=f"Cơ quan {abbr}"
            )
        plan = services.import_publish(plan_import=draft, user=reviewer)
    assert plan.province == a
    created = Agency.objects.get(abbreviation="TTKC")
    assert created.province == a
