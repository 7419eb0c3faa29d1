"""organisation.services: each kind of reorganisation, its preview, and applying it once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from organisation.models import Reorganisation
from organisation.services import Spec, reorganisation_preview, reorganisation_record
from plans.models import Agency
from reports import services as reports
from tasks.models import Task, TaskLead, TaskSuccessor
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("before_due")

Kind = Reorganisation.Kind
D2027 = dt.date(2027, 1, 1)


def agency(abbr: str) -> Agency:
    return Agency.objects.get(abbreviation=abbr)


def task(seed_plan, code: str) -> Task:
    return Task.objects.prefetch_related("successors").get(plan=seed_plan, code=code)


def answering(seed_plan, code: str, on: dt.date) -> list[str]:
    return [a.abbreviation for a in task(seed_plan, code).answering_agencies(on)]


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(username="quantri", role=User.Role.ADMIN)


@pytest.fixture
def new_board(seed_plan) -> Agency:
    return Agency.objects.create(
        name="Ban Quản lý các khu kinh tế và khu công nghiệp",
        abbreviation="BQLKKTCN",
        kind=Agency.Kind.BOARD,
    )


def moved(preview, what: str) -> set[tuple[str, str]]:
    return {(m.label, m.destination) for m in preview.of(what)}


# --- merge -----------------------------------------------------------------------------------


def test_merge_preview_lists_tasks_rounds_and_users_and_writes_nothing(
    seed_plan, reviewer, new_board
):
    board = agency("BQLKKT")
    UserFactory(username="bql.cv", role=User.Role.OFFICER, agency=board)
    round_2026 = reports.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    round_2027 = reports.round_open(plan=seed_plan, opened_by=reviewer, year=2027)

    preview = reorganisation_preview(
        Spec(kind=Kind.MERGE, effective_on=D2027, sources=[board], successor=new_board)
    )

    assert ("IV.8.1", new_board.name) in moved(preview, "task")
    assert moved(preview, "user") == {("bql.cv", new_board.name)}
    rounds = moved(preview, "round")
    assert (round_2027.title, new_board.name) in rounds
    assert not any(label == round_2026.title for label, _to in rounds)  # earlier: stays
    board.refresh_from_db()
    assert board.succeeded_by is None
    assert Reorganisation.objects.count() == 0


def test_merge_applied_moves_later_rounds_and_keeps_earlier_ones(
    seed_plan, reviewer, admin_user, new_board
):
    board = agency("BQLKKT")
    officer = UserFactory(username="bql.cv", role=User.Role.OFFICER, agency=board)
    round_2026 = reports.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    round_2027 = reports.round_open(plan=seed_plan, opened_by=reviewer, year=2027)

    event = reorganisation_record(
        spec=Spec(kind=Kind.MERGE, effective_on=D2027, sources=[board], successor=new_board),
        recorded_by=admin_user,
    )

    board.refresh_from_db()
    assert (board.succeeded_by, board.succeeded_on) == (new_board, D2027)
    assert round_2026.submissions.filter(agency=board).exists()  # history stays
    assert round_2027.submissions.filter(agency=new_board).exists()
    assert not round_2027.submissions.filter(agency=board).exists()
    officer.refresh_from_db()
    assert officer.agency == new_board
    assert answering(seed_plan, "IV.8.1", dt.date(2027, 12, 10)) == ["BQLKKTCN"]
    assert answering(seed_plan, "IV.8.1", dt.date(2026, 12, 10)) == ["BQLKKT"]
    assert event.recorded_by == admin_user
    assert {"what": "user", "label": "bql.cv", "from": board.name, "to": new_board.name} in (
        event.changes
    )
    assert list(event.sources.all()) == [board]


def test_recording_the_same_merger_twice_duplicates_nothing(seed_plan, admin_user, new_board):
    spec = Spec(
        kind=Kind.MERGE, effective_on=D2027, sources=[agency("BQLKKT")], successor=new_board
    )
    reorganisation_record(spec=spec, recorded_by=admin_user)
    again = Spec(
        kind=Kind.MERGE, effective_on=D2027, sources=[agency("BQLKKT")], successor=new_board
    )

    with pytest.raises(ValidationError, match="already recorded|đã được ghi nhận"):
        reorganisation_record(spec=again, recorded_by=admin_user)
    assert Reorganisation.objects.count() == 1


def test_a_second_successor_for_a_merged_agency_is_refused(seed_plan, admin_user, new_board):
    spec = Spec(kind=Kind.MERGE, effective_on=D2027, sources=[agency("SKHĐT")], successor=new_board)
    with pytest.raises(ValidationError) as error:
        reorganisation_record(spec=spec, recorded_by=admin_user)
    assert "01/03/2025" in str(error.value)
    assert agency("SKHĐT").succeeded_by == agency("STC")


def test_merge_needs_a_successor_other_than_itself(seed_plan, admin_user):
    sct = agency("SCT")
    for successor in (None, sct):
        spec = Spec(kind=Kind.MERGE, effective_on=D2027, sources=[sct], successor=successor)
        with pytest.raises(ValidationError) as error:
            reorganisation_preview(spec)
        assert "successor" in error.value.error_dict


def test_only_the_administrator_records(seed_plan, reviewer, new_board):
    spec = Spec(
        kind=Kind.MERGE, effective_on=D2027, sources=[agency("BQLKKT")], successor=new_board
    )
    with pytest.raises(PermissionDenied):
        reorganisation_record(spec=spec, recorded_by=reviewer)
    assert agency("BQLKKT").succeeded_by is None


# --- province merger -------------------------------------------------------------------------


def test_province_merger_moves_its_bodies_and_the_plans_later_documents(seed_plan, admin_user):
    from annual.models import AnnualReport
    from reports.models import Round

    phu_yen, dak_lak = agency("UBNDPY"), agency("UBNDĐL")
    # The map as it stood before the merger was recorded.
    Agency.objects.filter(pk=phu_yen.pk).update(succeeded_by=None, succeeded_on=None)
    Agency.objects.filter(parent=dak_lak).exclude(kind=Agency.Kind.GROUP).update(parent=phu_yen)
    phu_yen.refresh_from_db()
    on = dt.date(2025, 7, 1)
    spec = Spec(
        kind=Kind.MERGE,
        effective_on=on,
        sources=[phu_yen],
        successor=dak_lak,
        legal_basis="Nghị quyết số 202/2025/QH15",
    )

    preview = reorganisation_preview(spec)
    assert ("Sở Công Thương", dak_lak.name) in moved(preview, "agency")
    [plan_line] = preview.of("plan")
    assert "01/07/2025" in plan_line.destination and dak_lak.name in plan_line.destination

    reorganisation_record(spec=spec, recorded_by=admin_user)
    assert agency("SCT").parent == dak_lak
    seed_plan.refresh_from_db()
    late = AnnualReport(round=Round(plan=seed_plan, year=2026, due_on=dt.date(2026, 12, 10)))
    early = AnnualReport(round=Round(plan=seed_plan, year=2024, due_on=dt.date(2024, 12, 10)))
    assert late.parent_body_text == "UBND TỈNH ĐẮK LẮK"
    assert early.parent_body_text == "UBND TỈNH PHÚ YÊN"


# --- split, transfer -------------------------------------------------------------------------


def test_split_sends_the_chosen_tasks_to_the_other_successor(seed_plan, admin_user):
    labour = agency("SLĐTBXH")
    Agency.objects.filter(pk=labour.pk).update(succeeded_by=None, succeeded_on=None)
    TaskSuccessor.objects.filter(task__code="IV.4.3").delete()
    labour.refresh_from_db()
    on = dt.date(2025, 3, 1)
    spec = Spec(
        kind=Kind.SPLIT,
        effective_on=on,
        sources=[labour],
        successor=agency("SNV"),
        other_successor=agency("SGDĐT"),
        tasks=[task(seed_plan, "IV.4.3")],
    )

    preview = reorganisation_preview(spec)
    tasks = moved(preview, "task")
    assert ("IV.4.3", "Sở Giáo dục và Đào tạo") in tasks
    assert ("IV.4.1", "Sở Nội vụ") in tasks
    assert ("IV.4.3", "Sở Nội vụ") not in tasks

    reorganisation_record(spec=spec, recorded_by=admin_user)
    assert answering(seed_plan, "IV.4.3", dt.date(2026, 12, 10)) == ["SGDĐT"]
    assert answering(seed_plan, "IV.4.1", dt.date(2026, 12, 10)) == ["SNV"]
    assert answering(seed_plan, "IV.4.3", dt.date(2024, 12, 10)) == ["SLĐTBXH"]


def test_transfer_of_the_press_function_to_culture(seed_plan, admin_user):
    culture = Agency.objects.create(
        name="Sở Văn hóa, Thể thao và Du lịch", short_name="Sở VH-TT&DL", abbreviation="SVHTTDL"
    )
    on = dt.date(2025, 3, 1)
    spec = Spec(
        kind=Kind.TRANSFER,
        effective_on=on,
        sources=[agency("STTTT")],
        successor=culture,
        tasks=[task(seed_plan, "IV.10.1")],
        note="Báo chí, xuất bản",
    )
    assert moved(reorganisation_preview(spec), "task") == {("IV.10.1", culture.name)}

    reorganisation_record(spec=spec, recorded_by=admin_user)
    assert answering(seed_plan, "IV.10.1", dt.date(2026, 12, 10)) == ["SVHTTDL"]
    assert agency("STTTT").succeeded_by == agency("SKHCN")  # the rest goes to the main one
    assert task(seed_plan, "IV.10.1").lead_name_on(dt.date(2026, 1, 1)) == (
        "Sở Thông tin và Truyền thông (nay là Sở Văn hóa, Thể thao và Du lịch)"
    )
    assert TaskSuccessor.objects.get(task__code="IV.10.1").reason == "Báo chí, xuất bản"


def test_transfer_refuses_a_task_the_agency_does_not_answer_for(seed_plan, admin_user):
    spec = Spec(
        kind=Kind.TRANSFER,
        effective_on=dt.date(2025, 3, 1),
        sources=[agency("STTTT")],
        successor=agency("SGDĐT"),
        tasks=[task(seed_plan, "IV.1.1")],
    )
    with pytest.raises(ValidationError) as error:
        reorganisation_record(spec=spec, recorded_by=admin_user)
    assert "IV.1.1" in str(error.value.error_dict["tasks"])
    assert not TaskSuccessor.objects.filter(task__code="IV.1.1").exists()


# --- rename, dissolve, move ------------------------------------------------------------------


def test_rename_creates_the_new_name_and_keeps_the_old_for_history(seed_plan, admin_user):
    sct = agency("SCT")
    officer = UserFactory(username="sct.cv", role=User.Role.OFFICER, agency=sct)
    spec = Spec(
        kind=Kind.RENAME,
        effective_on=D2027,
        sources=[sct],
        new_name="Sở Công Thương và Thương mại điện tử",
        new_abbreviation="SCTTMĐT",
    )
    reorganisation_record(spec=spec, recorded_by=admin_user)

    renamed = agency("SCTTMĐT")
    sct.refresh_from_db()
    assert sct.name == "Sở Công Thương" and sct.succeeded_by == renamed
    assert renamed.parent == sct.parent and renamed.kind == sct.kind
    officer.refresh_from_db()
    assert officer.agency == renamed
    assert sct.name_on(dt.date(2026, 1, 1)) == "Sở Công Thương"


def test_rename_refuses_an_abbreviation_in_use(seed_plan, admin_user):
    spec = Spec(
        kind=Kind.RENAME,
        effective_on=D2027,
        sources=[agency("SCT")],
        new_name="Sở mới",
        new_abbreviation="stc",
    )
    with pytest.raises(ValidationError) as error:
        reorganisation_record(spec=spec, recorded_by=admin_user)
    assert "new_abbreviation" in error.value.error_dict
    assert agency("SCT").succeeded_by is None


def test_dissolving_the_district_level_passes_its_task_to_the_communes_once(seed_plan, admin_user):
    TaskSuccessor.objects.filter(task__code="IV.11.1").delete()
    on = dt.date(2025, 7, 1)

    def spec() -> Spec:
        return Spec(
            kind=Kind.DISSOLVE, effective_on=on, sources=[agency("HUYEN")], successor=agency("XAPY")
        )

    assert moved(reorganisation_preview(spec()), "task") == {("IV.11.1", agency("XAPY").name)}
    reorganisation_record(spec=spec(), recorded_by=admin_user)
    assert answering(seed_plan, "IV.11.1", dt.date(2026, 12, 10)) == ["XAPY"]

    with pytest.raises(ValidationError, match="already recorded|đã được ghi nhận"):
        reorganisation_record(spec=spec(), recorded_by=admin_user)
    assert TaskSuccessor.objects.filter(task__code="IV.11.1").count() == 1


def test_dissolve_ends_an_agency_with_no_successor(seed_plan, admin_user):
    reorganisation_record(
        spec=Spec(kind=Kind.DISSOLVE, effective_on=D2027, sources=[agency("BQLKKT")]),
        recorded_by=admin_user,
    )
    assert agency("BQLKKT").dissolved_on == D2027
    assert answering(seed_plan, "IV.8.1", dt.date(2027, 12, 10)) == []


def test_move_under_another_body(seed_plan, admin_user):
    sct = agency("SCT")
    spec = Spec(kind=Kind.MOVE, effective_on=D2027, sources=[agency("BQLKKT")], successor=sct)
    assert moved(reorganisation_preview(spec), "agency") == {("Ban Quản lý Khu kinh tế", sct.name)}
    reorganisation_record(spec=spec, recorded_by=admin_user)
    assert agency("BQLKKT").parent == sct

    loop = Spec(kind=Kind.MOVE, effective_on=D2027, sources=[sct], successor=agency("BQLKKT"))
    with pytest.raises(ValidationError):
        reorganisation_preview(loop)


# --- several leads ---------------------------------------------------------------------------


def test_a_transfer_moves_only_the_co_leads_share_of_a_task(seed_plan, admin_user):
    culture = Agency.objects.create(name="Sở Văn hóa, Thể thao và Du lịch", abbreviation="SVH")
    shared = task(seed_plan, "IV.1.1")  # Sở Công Thương; Sở Thông tin và Truyền thông
    TaskLead.objects.create(task=shared, agency=agency("STTTT"), position=1)
    on = dt.date(2025, 3, 1)
    spec = Spec(
        kind=Kind.TRANSFER,
        effective_on=on,
        sources=[agency("STTTT")],
        successor=culture,
        tasks=[shared],
    )
    assert moved(reorganisation_preview(spec), "task") == {("IV.1.1", culture.name)}
    reorganisation_record(spec=spec, recorded_by=admin_user)
    assert TaskSuccessor.objects.get(task=shared).replaces == agency("STTTT")
    assert answering(seed_plan, "IV.1.1", dt.date(2026, 12, 10)) == ["SCT", "SVH"]
    assert answering(seed_plan, "IV.1.1", dt.date(2024, 12, 10)) == ["SCT", "STTTT"]


def test_a_merger_previews_and_moves_the_tasks_an_agency_co_leads(seed_plan, admin_user, new_board):
    shared = task(seed_plan, "IV.1.1")
    TaskLead.objects.create(task=shared, agency=agency("BQLKKT"), position=1)
    spec = Spec(
        kind=Kind.MERGE,
        effective_on=dt.date(2025, 7, 1),
        sources=[agency("BQLKKT")],
        successor=new_board,
    )
    assert ("IV.1.1", new_board.name) in moved(reorganisation_preview(spec), "task")
    reorganisation_record(spec=spec, recorded_by=admin_user)
    assert answering(seed_plan, "IV.1.1", dt.date(2026, 12, 10)) == ["SCT", "BQLKKTCN"]
