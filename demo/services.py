"""Demo data: the seed plan, one user per role, and (with reporting) a live round."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from planning.interchange import SEED_PLAN_PATH, import_plan, load
from plans.models import Agency, Plan
from reports.models import Round, Submission
from reports.services import (
    round_open,
    submission_accept,
    submission_return,
    submission_save,
    submission_submit,
)
from tasks.models import ImplementationState


def username_for(agency: Agency, suffix: str) -> str:
    """'SKHĐT' → 'skhdt.cv': ASCII, so it can be typed on any keyboard."""
    ascii_abbr = unicodedata.normalize(
        "NFKD", agency.abbreviation.replace("Đ", "D").replace("đ", "d")
    )
    ascii_abbr = "".join(c for c in ascii_abbr if c.isascii() and c.isalnum())
    return f"{ascii_abbr.lower()}.{suffix}"


def _user(username: str, password: str, **fields) -> User:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(password)
        user.save()
    return user


def reporting_agencies(today: dt.date) -> list[Agency]:
    """Agencies that exist today and can be given users (not groups, not the People's Committee)."""
    return [
        agency
        for agency in Agency.objects.exclude(kind__in=[Agency.Kind.GROUP, Agency.Kind.PROVINCE])
        if agency.successor_on(today) == agency
    ]


@transaction.atomic
def demo_load(*, password: str | None = None, today: dt.date | None = None) -> Plan:
    password = password or settings.DEMO_PASSWORD
    today = today or timezone.localdate()
    plan = import_plan(load(SEED_PLAN_PATH))
    _user(
        "admin",
        password,
        role=User.Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        first_name="Quản trị",
        email="admin@example.gov.vn",
    )
    _user(
        "sct",
        password,
        role=User.Role.REVIEWER,
        agency=plan.focal_agency,
        last_name="Chuyên viên đầu mối",
        first_name="Sở Công Thương",
        email="sct@example.gov.vn",
    )
    _user(
        "lanhdao",
        password,
        role=User.Role.LEADERSHIP,
        last_name="Lãnh đạo",
        first_name="UBND tỉnh",
        email="lanhdao@example.gov.vn",
    )
    for agency in reporting_agencies(today):
        for suffix, role, title in (
            ("cv", User.Role.OFFICER, "Chuyên viên"),
            ("ld", User.Role.HEAD, "Lãnh đạo"),
        ):
            username = username_for(agency, suffix)
            _user(
                username,
                password,
                role=role,
                agency=agency,
                # Role accounts, not people: read "Chuyên viên Sở Tài chính" (family name first).
                last_name=title,
                first_name=agency.short_name or agency.name,
                email=f"{username}@example.gov.vn",
            )
    demo_history(plan, today=today)
    demo_round(plan, today)
    return plan


RESULTS = {
    "done": (
        "Đã hoàn thành: tham mưu UBND tỉnh ban hành văn bản; kết quả đã được công bố trên Cổng "
        "thông tin điện tử tỉnh và gửi các sở, ngành, địa phương triển khai."
    ),
    "in_progress": (
        "Đã xây dựng dự thảo, lấy ý kiến các sở, ngành và địa phương; tổ chức 02 hội nghị, "
        "làm việc với 15 doanh nghiệp. Dự kiến trình UBND tỉnh trong quý I năm sau."
    ),
    "ongoing": (
        "Triển khai thường xuyên trong năm: kiểm tra 12 cơ sở, hướng dẫn 30 doanh nghiệp, "
        "phối hợp với các địa phương tháo gỡ vướng mắc về mặt bằng và thủ tục đầu tư."
    ),
}
TARGET_ACTUALS = {
    "CT1": ("28.6", "Cục Thống kê tỉnh, ước thực hiện năm"),
    "CT1.1": ("17.9", "Cục Thống kê tỉnh"),
    "CT2": ("31.5", "Sở Khoa học và Công nghệ tổng hợp"),
    "CT3": ("9.2", "Cục Thống kê tỉnh"),
    "CT3.1": ("11.4", "Cục Thống kê tỉnh"),
    "CT4": ("62.8", "Điều tra lao động việc làm"),
}


def _fill(submission, user, *, complete: bool = True):
    """Write plausible answers into a submission through the same service the form uses."""

    task_rows = {}
    for i, report in enumerate(submission.task_reports.select_related("task")):
        if not complete and i % 2:
            continue
        if report.task.timeframe.is_open_ended:
            state, text = ImplementationState.IN_PROGRESS, RESULTS["ongoing"]
        elif report.task.timeframe_end and report.task.timeframe_end.year <= 2022:
            state, text = ImplementationState.DONE, RESULTS["done"]
        else:
            state, text = ImplementationState.IN_PROGRESS, RESULTS["in_progress"]
        task_rows[report.pk] = {
            "state": state,
            "progress": 100 if state == ImplementationState.DONE else 60 + (i * 7) % 35,
            "completed_on": dt.date(2022, 11, 20) if state == ImplementationState.DONE else None,
            "results": text,
            "difficulties": "Nguồn lực thực hiện còn hạn chế." if i % 3 == 0 else "",
        }
    target_rows = {}
    for report in submission.target_reports.select_related("target"):
        value, source = TARGET_ACTUALS.get(report.target.code, (None, ""))
        target_rows[report.pk] = {
            "actual": Decimal(value) if value else None,
            "source": source,
            "note": "Đạt khá so với lộ trình; cần tiếp tục thu hút dự án lớn."
            if value is None or complete
            else "",
        }
    return submission_save(
        submission=submission,
        user=user,
        version=submission.version,
        fields={
            "overall_assessment": (
                "Trong năm, đơn vị đã chủ động triển khai các nhiệm vụ được giao tại Kế hoạch; "
                "phần lớn nhiệm vụ thường xuyên được thực hiện đúng tiến độ."
            )
            if complete
            else "",
            "difficulties": "Kinh phí bố trí còn thấp; việc sắp xếp bộ máy năm 2025 ảnh hưởng "
            "đến tiến độ một số nhiệm vụ.",
            "proposals": "Đề nghị UBND tỉnh bố trí kinh phí và chỉ đạo phối hợp liên ngành.",
        },
        task_rows=task_rows,
        target_rows=target_rows,
    )


def demo_round(plan: Plan, today: dt.date):
    """This year's annual round, with a submission in every state so every screen has data."""

    if Round.objects.filter(plan=plan, year=today.year, kind=Round.Kind.ANNUAL).exists():
        return None
    reviewer = User.objects.get(username="sct")
    round_ = round_open(plan=plan, opened_by=reviewer, year=today.year)
    by_agency = {s.agency.abbreviation: s for s in round_.submissions.select_related("agency")}

    def users(abbr):
        agency = by_agency[abbr].agency
        return (
            User.objects.get(username=username_for(agency, "cv")),
            User.objects.get(username=username_for(agency, "ld")),
        )

    plan_states = {
        "SCT": "accepted",
        "STC": "submitted",
        "SNV": "returned",
        "SNNMT": "draft",
        "BQLKKT": "draft_complete",
        "SKHCN": "not_started",
    }
    for abbr, state in plan_states.items():
        if abbr not in by_agency:
            continue
        submission = by_agency[abbr]
        if state == "not_started":
            continue
        officer, head = users(abbr)
        submission = _fill(submission, officer, complete=state != "draft")
        if state in ("submitted", "returned", "accepted"):
            submission = submission_submit(submission=submission, user=head)
        if state == "returned":
            first = submission.task_reports.first()
            submission_return(
                submission=submission,
                user=reviewer,
                comment="Đề nghị bổ sung số liệu cụ thể về kết quả đào tạo nghề năm nay.",
                task_comments={first.pk: "Nêu rõ số lao động được đào tạo."} if first else {},
            )
        if state == "accepted":
            submission_accept(submission=submission, user=reviewer)
    return round_


HISTORY_ACTUALS = {  # the three years before this one, rising toward the 2030 targets
    "CT1": ("26.1", "27.0", "27.8"),
    "CT1.1": ("16.2", "16.9", "17.4"),
    "CT2": ("27.0", "28.8", "30.2"),
    "CT3": ("7.6", "8.1", "8.8"),
    "CT3.1": ("9.1", "9.6", "10.6"),
    "CT4": ("58.4", "60.1", "61.5"),
}
STILL_OVERDUE = {"IV.5.1", "IV.6.2"}  # due in 2021 and still not done: the dashboard has some


def demo_history(plan: Plan, *, today: dt.date | None = None) -> list:
    """Accepted annual rounds for the three years before this one, so the charts show a trend.

    A round of 2023 or 2024 goes to the agencies of its time (the pre-merger departments and
    the districts), which have no demo users: their reports are written through the ORM as the
    accepted record they would be, and the focal point (`sct`) accepts them. Years that already
    have an annual round are left alone. Run it before this year's round is opened, so that
    round starts from last year's progress.
    """

    today = today or timezone.localdate()
    reviewer = User.objects.get(username="sct")
    first = today.year - 3
    opened = []
    for year in range(max(first, plan.start_year), today.year):
        if Round.objects.filter(plan=plan, year=year, kind=Round.Kind.ANNUAL).exists():
            continue
        step = year - first  # 0, 1, 2: progress and figures rise year on year
        round_ = round_open(plan=plan, opened_by=reviewer, year=year)
        submissions = round_.submissions.select_related("agency").order_by("agency__name")
        for k, submission in enumerate(submissions):
            for report in submission.task_reports.select_related("task"):
                task = report.task
                if task.timeframe.is_open_ended:
                    state, text = ImplementationState.IN_PROGRESS, RESULTS["ongoing"]
                elif task.code in STILL_OVERDUE or not (
                    task.timeframe_end and task.timeframe_end.year <= 2022
                ):
                    state, text = ImplementationState.IN_PROGRESS, RESULTS["in_progress"]
                else:
                    state, text = ImplementationState.DONE, RESULTS["done"]
                report.state = state
                report.progress = 100 if state == ImplementationState.DONE else 40 + 15 * step
                report.completed_on = (
                    dt.date(2022, 11, 20) if state == ImplementationState.DONE else None
                )
                report.results = text
                report.save()
            for report in submission.target_reports.select_related("target"):
                values = HISTORY_ACTUALS.get(report.target.code)
                report.actual = Decimal(values[step]) if values else None
                report.source = "Cục Thống kê tỉnh" if values else ""
                report.note = "Ước thực hiện năm; tiếp tục theo dõi lộ trình đến năm 2030."
                report.save()
            # Most report by the due date (10/12); every fifth agency is a few days late.
            day = 13 if k % 5 == 4 else 1 + k % 9
            submitted = timezone.make_aware(dt.datetime(year, 12, day, 9, 0))
            submission.state = Submission.State.ACCEPTED
            submission.overall_assessment = (
                "Cơ bản hoàn thành các nhiệm vụ năm; một số nhiệm vụ còn chậm so với kế hoạch."
            )
            submission.difficulties = "Kinh phí bố trí cho các nhiệm vụ còn hạn chế."
            submission.proposals = "Đề nghị UBND tỉnh bố trí kinh phí thực hiện."
            submission.first_submitted_at = submission.submitted_at = submitted
            submission.accepted_at = timezone.make_aware(dt.datetime(year, 12, 18, 15, 0))
            submission.version = 3
            submission._history_user = reviewer
            submission._change_reason = "accepted"
            submission.save()
        round_.opened_at = timezone.make_aware(dt.datetime(year, 11, 1, 8, 0))
        round_.closed_at = timezone.make_aware(dt.datetime(year, 12, 31, 17, 0))
        round_.save(update_fields=["opened_at", "closed_at"])
        opened.append(round_)
    return opened
