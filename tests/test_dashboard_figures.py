"""dashboard.figures against figures worked out by hand on the seed plan and one fixture round.

The seed plan has 26 tasks (plans/data/ke-hoach-124-nq-cp.json). Two are rescheduled here so
every age bucket has a task: IV.5.1 to "Tháng 8/2026" (due 31/08/2026) and IV.6.2 to
"Tháng 11/2026" (due 30/11/2026). The other deadlines are the plan's: IV.1.3 31/12/2022;
IV.2.2, IV.4.1, IV.4.2 31/12/2021; IV.3.1, IV.12.1, IV.12.2 the horizon (31/12/2030); the rest
have none (ongoing, "from 2021", following the provincial master plan).

The 2026 annual round (due 10/12/2026) goes to eight agencies (the 2025 mergers applied):

| agency | tasks                                      | what happened                        |
|--------|--------------------------------------------|--------------------------------------|
| SCT    | IV.1.1–3, IV.9.1 (was QLTT's), IV.12.1–2   | submitted 01/12, accepted 02/12      |
| STC    | IV.2.1–5 (SKHĐT's), IV.3.1, IV.12.1–2      | submitted 08/12, returned 09/12      |
| BQLKKT | IV.8.1, IV.12.1–2                          | submitted 03/12, returned 04/12,     |
|        |                                            | resubmitted 06/12                    |
| SNV    | IV.4.1, 2, 4 (SLĐTBXH's), IV.12.1–2        | submitted 11/12: late                |
| SGDĐT  | IV.4.3 (SLĐTBXH's vocational schools)      | submitted 11/12: late                |
| SNNMT  | IV.5.1 (SNNPTNT's), IV.7.1–3 (STNMT's), 12 | a draft only                         |
| SKHCN  | IV.6.1–3, IV.10.1 (STTTT's), IV.12.1–2     | nothing                              |

IV.11.1 belonged to the districts (dissolved 01/07/2025): the former area's communes (XAPY)
answer for it in 2026, and have not reported.
Figures are judged on 12/12/2026, two days past the due date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from dashboard import figures
from plans.models import Agency, Target
from reports import services
from reports.models import Round, Submission
from tasks.models import ImplementationState, Task, TaskStatus
from tests.factories import UserFactory

S = TaskStatus
P, D, N = ImplementationState.IN_PROGRESS, ImplementationState.DONE, ImplementationState.NOT_STARTED
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 12, 12)


def at(month: int, day: int, year: int = 2026):
    return time_machine.travel(dt.datetime(year, month, day, 9, 0, tzinfo=HCM), tick=False)


# task code → (state, progress, completed on)
SCT = {
    "IV.1.1": (P, 50, None),
    "IV.1.2": (P, 70, None),
    "IV.1.3": (D, 100, dt.date(2022, 11, 20)),
    "IV.9.1": (N, None, None),
    "IV.12.1": (P, 40, None),
    "IV.12.2": (P, 30, None),
}
STC = {
    "IV.2.1": (P, 50, None),
    "IV.2.2": (D, 100, dt.date(2026, 6, 30)),
    "IV.2.3": (P, 50, None),
    "IV.2.4": (P, 50, None),
    "IV.2.5": (P, 50, None),
    "IV.3.1": (P, 20, None),
    "IV.12.1": (P, 50, None),
    "IV.12.2": (P, 50, None),
}
BQLKKT = {"IV.8.1": (P, 60, None), "IV.12.1": (P, 40, None), "IV.12.2": (N, None, None)}
SNV = {
    "IV.4.1": (D, 100, dt.date(2022, 3, 15)),
    "IV.4.2": (P, 80, None),
    "IV.4.4": (P, 60, None),
    "IV.12.1": (D, 100, dt.date(2026, 11, 30)),
    "IV.12.2": (P, 60, None),
}
SGDDT = {"IV.4.3": (P, 60, None)}
SNNMT_DRAFT = {"IV.5.1": (D, 100, dt.date(2026, 12, 1))}


def head_of(abbreviation: str) -> User:
    agency = Agency.objects.get(abbreviation=abbreviation)
    return UserFactory(username=f"dash.{agency.pk}.ld", head=True, agency=agency)


def answer(round_: Round, abbreviation: str, rows: dict, targets: dict | None = None):
    """Save the given answers (and target values) as the agency's head; returns the draft."""
    submission = round_.submissions.get(agency__abbreviation=abbreviation)
    reports = {r.task.code: r for r in submission.task_reports.select_related("task")}
    task_rows = {
        reports[code].pk: {
            "state": state,
            "progress": progress,
            "completed_on": done_on,
            "results": f"Kết quả {code}",
        }
        for code, (state, progress, done_on) in rows.items()
    }
    target_rows = {
        r.pk: {
            "actual": Decimal(targets[r.target.code]) if r.target.code in (targets or {}) else None,
            "note": "Đánh giá",
        }
        for r in submission.target_reports.select_related("target")
    }
    return services.submission_save(
        submission=submission,
        user=head_of(abbreviation),
        version=submission.version,
        fields={"overall_assessment": "Cơ bản hoàn thành kế hoạch năm."},
        task_rows=task_rows,
        target_rows=target_rows,
    )


def submit(submission: Submission) -> Submission:
    return services.submission_submit(
        submission=submission, user=head_of(submission.agency.abbreviation)
    )


@pytest.fixture
def round_world(seed_plan, reviewer) -> Round:
    for code, timeframe in (("IV.5.1", "Tháng 8/2026"), ("IV.6.2", "Tháng 11/2026")):
        task = Task.objects.get(plan=seed_plan, code=code)
        task.set_timeframe(timeframe)
        task.save()
    with at(11, 2):
        round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    with at(12, 1):
        targets = {"CT1": "28.6", "CT1.1": "17.9", "CT3": "9.2", "CT3.1": "9.8"}
        sct = submit(answer(round_, "SCT", SCT, targets))
    with at(12, 2):
        services.submission_accept(submission=sct, user=reviewer)
    with at(12, 3):
        bqlkkt = submit(answer(round_, "BQLKKT", BQLKKT))
    with at(12, 4):
        services.submission_return(submission=bqlkkt, user=reviewer, comment="Bổ sung")
    with at(12, 6):
        submit(answer(round_, "BQLKKT", {}))
    with at(12, 8):
        stc = submit(answer(round_, "STC", STC))
    with at(12, 9):
        services.submission_return(submission=stc, user=reviewer, comment="Bổ sung số liệu")
    with at(12, 10):
        answer(round_, "SNNMT", SNNMT_DRAFT)
    with at(12, 11):
        submit(answer(round_, "SNV", SNV, {"CT4": "62.8"}))
        submit(answer(round_, "SGDĐT", SGDDT))
    return round_


@pytest.fixture
def task_figures(round_world, seed_plan):
    return figures.task_figures(seed_plan, as_of=TODAY)


def by_code(items) -> dict[str, figures.TaskFigure]:
    return {f.task.code: f for f in items}


def test_the_fixture_round_is_in_the_states_the_table_says(round_world):
    states = dict(round_world.submissions.values_list("agency__abbreviation", "state"))
    assert states == {
        "SCT": "accepted",
        "STC": "returned",
        "BQLKKT": "resubmitted",
        "SNV": "submitted",
        "SNNMT": "draft",
        "SKHCN": "not_started",
        "SGDĐT": "submitted",
        "XAPY": "not_started",
    }


def test_each_task_gets_the_status_worked_out_by_hand(task_figures):
    statuses = {code: f.status for code, f in by_code(task_figures).items()}
    assert statuses == {
        "IV.1.1": S.ONGOING,  # from 2021, reported in progress this year
        "IV.1.2": S.ONGOING,
        "IV.1.3": S.DONE_ON_TIME,  # done 20/11/2022, due 31/12/2022
        "IV.2.1": S.NOT_REPORTED,  # STC's report was returned: it does not count
        "IV.2.2": S.OVERDUE,  # done in the returned report only
        "IV.2.3": S.NOT_REPORTED,
        "IV.2.4": S.NOT_REPORTED,
        "IV.2.5": S.NOT_REPORTED,
        "IV.3.1": S.NOT_STARTED,  # due 2030, nothing counted
        "IV.4.1": S.DONE_LATE,  # done 15/03/2022, due 31/12/2021
        "IV.4.2": S.OVERDUE,
        "IV.4.3": S.ONGOING,
        "IV.4.4": S.ONGOING,
        "IV.5.1": S.OVERDUE,  # done in SNNMT's draft only
        "IV.6.1": S.NOT_REPORTED,
        "IV.6.2": S.OVERDUE,
        "IV.6.3": S.NOT_REPORTED,
        "IV.7.1": S.NOT_REPORTED,
        "IV.7.2": S.NOT_REPORTED,
        "IV.7.3": S.NOT_REPORTED,
        "IV.8.1": S.ONGOING,  # BQLKKT's resubmission counts
        "IV.9.1": S.NOT_STARTED,  # reported not started this year
        "IV.10.1": S.NOT_REPORTED,
        "IV.11.1": S.NOT_REPORTED,  # the districts are gone
        "IV.12.1": S.DONE_ON_TIME,  # SNV's report (11/12) is the latest of three
        "IV.12.2": S.IN_PROGRESS,  # SNV's again, over BQLKKT's "not started" (06/12)
    }


def test_status_counts(task_figures):
    assert figures.status_counts(task_figures) == {
        "done_on_time": 2,
        "done_late": 1,
        "in_progress": 1,
        "overdue": 4,
        "not_started": 2,
        "ongoing": 5,
        "not_reported": 11,
    }


def test_status_counts_by_section(task_figures):
    by_section = {
        key.split(". ")[0]: {k: v for k, v in counts.items() if v}
        for key, counts in figures.status_counts_by(task_figures, "section").items()
    }
    assert by_section == {
        "IV.1": {"ongoing": 2, "done_on_time": 1},
        "IV.2": {"not_reported": 4, "overdue": 1},
        "IV.3": {"not_started": 1},
        "IV.4": {"done_late": 1, "overdue": 1, "ongoing": 2},
        "IV.5": {"overdue": 1},
        "IV.6": {"not_reported": 2, "overdue": 1},
        "IV.7": {"not_reported": 3},
        "IV.8": {"ongoing": 1},
        "IV.9": {"not_started": 1},
        "IV.10": {"not_reported": 1},
        "IV.11": {"not_reported": 1},
        "IV.12": {"done_on_time": 1, "in_progress": 1},
    }


def test_status_counts_by_agency_count_shared_tasks_for_each_agency(task_figures):
    by_agency = {
        name: {k: v for k, v in counts.items() if v}
        for name, counts in figures.status_counts_by(task_figures, "agency").items()
    }
    # IV.12.1 (done on time) and IV.12.2 (in progress) count for each of the six agencies
    # that TATCA's members resolve to (Sở GD&ĐT and the communes are not among them).
    assert by_agency == {
        "Sở Công Thương": {"done_on_time": 2, "in_progress": 1, "not_started": 1, "ongoing": 2},
        "Sở Tài chính": {
            "done_on_time": 1,
            "in_progress": 1,
            "overdue": 1,
            "not_started": 1,
            "not_reported": 4,
        },
        "Sở Nội vụ": {
            "done_on_time": 1,
            "done_late": 1,
            "in_progress": 1,
            "overdue": 1,
            "ongoing": 1,
        },
        "Sở GD&ĐT": {"ongoing": 1},  # IV.4.3, the vocational schools
        "Sở NN&MT": {"done_on_time": 1, "in_progress": 1, "overdue": 1, "not_reported": 3},
        "Sở KH&CN": {"done_on_time": 1, "in_progress": 1, "overdue": 1, "not_reported": 3},
        "BQL Khu kinh tế": {"done_on_time": 1, "in_progress": 1, "ongoing": 1},
        "UBND cấp xã (Phú Yên cũ)": {"not_reported": 1},  # IV.11.1, the districts' task
    }


def test_status_groups_carry_the_keys_links_filter_on(task_figures):
    groups = figures.status_groups(task_figures, "agency")
    snv = Agency.objects.get(abbreviation="SNV")
    communes = Agency.objects.get(abbreviation="XAPY")
    keyed = {g.key: (g.label, g.total) for g in groups}
    assert keyed[str(snv.pk)] == ("Sở Nội vụ", 5)
    assert keyed[str(communes.pk)] == ("UBND cấp xã (Phú Yên cũ)", 1)
    sections = figures.status_groups(task_figures, "section")
    assert [g.key for g in sections] == [f"IV.{n}" for n in range(1, 13)]
    assert [g.total for g in sections] == [3, 5, 1, 4, 1, 3, 3, 1, 1, 1, 1, 2]


def test_headline(task_figures):
    # Due by 12/12/2026: IV.1.3, IV.2.2, IV.4.1, IV.4.2, IV.5.1, IV.6.2. Done: IV.1.3, IV.4.1.
    assert figures.headline(task_figures, as_of=TODAY) == {
        "tasks": 26,
        "due": 6,
        "done_of_due": 2,
        "overdue_of_due": 4,
        "pct_done": 33.3,
        "pct_overdue": 66.7,
    }
    due = figures.due_figures(task_figures, as_of=TODAY)
    assert sorted(f.task.code for f in due) == [
        "IV.1.3",
        "IV.2.2",
        "IV.4.1",
        "IV.4.2",
        "IV.5.1",
        "IV.6.2",
    ]


def test_overdue_buckets_with_their_age(task_figures):
    buckets = figures.overdue_buckets(task_figures)
    ages = {name: {f.task.code: f.days_overdue for f in items} for name, items in buckets.items()}
    assert ages == {
        "0-30": {"IV.6.2": 12},  # due 30/11/2026
        "31-120": {"IV.5.1": 103},  # due 31/08/2026: 30 + 31 + 30 + 12
        "120+": {"IV.2.2": 1807, "IV.4.2": 1807},  # due 31/12/2021: 1826 − 19
    }


def test_scoping_by_section_and_agency(task_figures):
    snv = Agency.objects.get(abbreviation="SNV")
    codes = sorted(f.task.code for f in figures.scoped(task_figures, section="IV.4"))
    assert codes == ["IV.4.1", "IV.4.2", "IV.4.3", "IV.4.4"]
    assert len(figures.scoped(task_figures, section="IV")) == 26
    assert sorted(f.task.code for f in figures.scoped(task_figures, agency_id=snv.pk)) == [
        "IV.12.1",
        "IV.12.2",
        "IV.4.1",
        "IV.4.2",
        "IV.4.4",
    ]
    both = figures.scoped(task_figures, section="IV.12", agency_id=snv.pk)
    assert [f.task.code for f in both] == ["IV.12.1", "IV.12.2"]
    scoped = figures.scoped(task_figures, agency_id=snv.pk)
    assert figures.headline(scoped, as_of=TODAY)["overdue_of_due"] == 1  # IV.4.2


def test_agency_rows_rank_timeliness_then_completion(round_world):
    rows = figures.agency_rows(round_world, today=TODAY)
    assert [(r.agency.abbreviation, r.timeliness, r.tasks, r.done, r.completion) for r in rows] == [
        ("SCT", "on_time", 6, 1, 16.7),  # IV.1.3
        ("STC", "on_time", 8, 1, 12.5),  # IV.2.2; first submitted 08/12, then returned
        ("BQLKKT", "on_time", 3, 0, 0.0),
        ("SNV", "late", 5, 2, 40.0),  # IV.4.1, IV.12.1; submitted 11/12
        ("SGDĐT", "late", 1, 0, 0.0),  # IV.4.3; submitted 11/12
        ("SNNMT", "missing", 6, 1, 16.7),  # a draft with IV.5.1 done
        ("SKHCN", "missing", 6, 0, 0.0),
        ("XAPY", "missing", 1, 0, 0.0),
    ]


def test_round_summary(round_world):
    summary = figures.round_summary(round_world, today=TODAY)
    assert summary["total"] == 8
    assert summary["states"] == {
        "not_started": 2,
        "draft": 1,
        "submitted": 2,
        "returned": 1,
        "resubmitted": 1,
        "accepted": 1,
    }
    assert summary["timeliness"] == {"on_time": 3, "pending": 0, "late": 2, "missing": 3}
    assert summary["days_to_due"] == -2


@pytest.fixture
def baselines(seed_plan):
    """CT1 (37.4% in 2030) from 27.4% in 2020: one point a year. CT4 (above 70%) from 50%
    in 2020: two points a year."""
    Target.objects.filter(plan=seed_plan, code="CT1").update(
        baseline_value=Decimal("27.4"), baseline_year=2020
    )
    Target.objects.filter(plan=seed_plan, code="CT4").update(
        baseline_value=Decimal("50"), baseline_year=2020
    )


def test_target_figures_judge_the_course(round_world, seed_plan, baselines):
    result = {f.target.code: f for f in figures.target_figures(seed_plan, year=2026)}
    ct1 = result["CT1"]
    assert ct1.actuals == {2026: Decimal("28.6")}
    assert ct1.path[2020] == Decimal("27.40")
    assert ct1.path[2026] == Decimal("33.40")  # 27.4 + 6 × 1.0
    assert ct1.path[2030] == Decimal("37.40")
    assert ct1.on_track is False  # 28.6 < 33.4
    ct4 = result["CT4"]  # reported by SNV (submitted, not yet accepted)
    assert ct4.path[2026] == Decimal("62.00")  # 50 + 6 × 2
    assert (ct4.latest, ct4.on_track) == (Decimal("62.8"), True)
    # Annual rates: this year's rate against the target rate.
    assert (result["CT3"].latest, result["CT3"].on_track) == (Decimal("9.2"), True)  # > 8.5
    assert result["CT3"].path == {y: Decimal("8.5") for y in range(2021, 2031)}
    assert (result["CT3.1"].latest, result["CT3.1"].on_track) == (Decimal("9.8"), False)  # ≤ 10
    # No baseline and a single year: no course to judge against.
    assert result["CT1.1"].path == {2030: Decimal("23")}
    assert result["CT1.1"].on_track is None
    assert (result["CT2"].latest, result["CT2"].on_track) == (None, None)  # SKHCN: nothing
    assert result["CT5"].on_track is None  # qualitative


def test_the_annual_report_counts_accepted_values_only(round_world, seed_plan, baselines):
    result = {
        f.target.code: f
        for f in figures.target_figures(seed_plan, year=2026, states=figures.OFFICIAL)
    }
    assert result["CT1"].latest == Decimal("28.6")  # SCT's report was accepted
    assert result["CT4"].actuals == {}  # SNV's is only submitted


def test_without_a_baseline_the_first_reported_year_starts_the_course(seed_plan, reviewer):
    with at(12, 1, 2025):
        round_2025 = services.round_open(plan=seed_plan, opened_by=reviewer, year=2025)
        rows = {code: (P, 50, None) for code in SCT}
        sct = submit(answer(round_2025, "SCT", rows, {"CT1.1": "17.5"}))
        services.submission_accept(submission=sct, user=reviewer)
    with at(12, 1, 2026):
        round_2026 = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
        sct = submit(answer(round_2026, "SCT", rows, {"CT1.1": "17.9"}))
    ct11 = next(f for f in figures.target_figures(seed_plan, year=2026) if f.target.code == "CT1.1")
    assert ct11.actuals == {2025: Decimal("17.5"), 2026: Decimal("17.9")}
    assert ct11.path[2026] == Decimal("18.60")  # 17.5 + (23 − 17.5) / 5
    assert ct11.on_track is False
    earlier = next(
        f for f in figures.target_figures(seed_plan, year=2025) if f.target.code == "CT1.1"
    )
    assert earlier.actuals == {2025: Decimal("17.5")}  # a year's view ignores later years


def test_current_round_prefers_the_annual_one(round_world, seed_plan, reviewer):
    with at(12, 12):
        services.round_open(
            plan=seed_plan,
            opened_by=reviewer,
            kind=Round.Kind.AD_HOC,
            year=2026,
            due_on=dt.date(2026, 12, 30),
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 25),
        )
    assert figures.current_round(seed_plan, year=2026) == round_world
    assert figures.current_round(seed_plan, year=2024) is None


def test_statuses_are_judged_at_the_data_cut_off_or_the_years_end(round_world):
    assert figures.judged_on(year=2026, round_=round_world, today=TODAY) == TODAY
    after = dt.date(2026, 12, 20)
    assert figures.judged_on(year=2026, round_=round_world, today=after) == dt.date(2026, 12, 14)
    assert figures.judged_on(year=2024, round_=None, today=after) == dt.date(2024, 12, 31)
