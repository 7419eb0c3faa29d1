"""The national tier in the demo (`loaddemo --national`): the seed plan's province, the ministry
and a national programme the seed plan carries out (docs/domain.md, "Provinces and the
ministry"; "Cascading plans")."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from organisation.models import Reorganisation
from planning.models import PlanImport
from plans.models import Agency, Plan, Section
from provinces.models import Province
from tasks.models import Task

NATIONAL_CODE = "ctqg-124-nq-cp"
# The national programme's tasks, and the seed plan's tasks that carry each out.
NATIONAL_TASKS = [
    (
        "1",
        "Xây dựng, ban hành danh mục sản phẩm công nghiệp chủ lực của địa phương và chính sách "
        "hỗ trợ doanh nghiệp sản xuất các sản phẩm này",
        "Giai đoạn 2021-2030",
        ["IV.1.1", "IV.1.2"],
    ),
    (
        "2",
        "Thu hút đầu tư có chọn lọc vào công nghiệp chế biến, chế tạo; tích hợp, lồng ghép các "
        "chương trình hỗ trợ phát triển công nghiệp",
        "Hằng năm",
        ["IV.2.1", "IV.2.2", "IV.2.3"],
    ),
    (
        "3",
        "Phát triển nguồn nhân lực công nghiệp, gắn đào tạo nghề với nhu cầu của doanh nghiệp",
        "Hằng năm",
        ["IV.4.3"],
    ),
    (
        "4",
        "Phát triển cụm công nghiệp, bảo vệ môi trường trong hoạt động sản xuất công nghiệp",
        "Hằng năm",
        ["IV.7.1", "IV.7.2", "IV.7.3"],
    ),
]


def _user(username: str, password: str, **fields) -> User:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(password)
        user.save()
    return user


@transaction.atomic
def demo_national(plan: Plan, password: str) -> Plan:
    """Put the seed plan in its province (Đắk Lắk, which Phú Yên joined on 01/07/2025), add the
    ministry with two users and the national programme the seed plan implements. Safe to run
    again."""
    province, _ = Province.objects.get_or_create(code="dak-lak", defaults={"name": "Đắk Lắk"})
    ministry, _ = Agency.objects.get_or_create(
        abbreviation="BCT",
        province=None,
        defaults={"name": "Bộ Công Thương", "kind": Agency.Kind.MINISTRY},
    )
    provincial = Agency.objects.filter(province__isnull=True).exclude(pk=ministry.pk)
    provincial.exclude(abbreviation="UBNDCT").update(province=province)
    Plan.objects.filter(pk=plan.pk).update(province=province)
    PlanImport.objects.filter(province__isnull=True).update(province=province)
    Reorganisation.objects.filter(province__isnull=True).update(province=province)
    provinces_group, _ = Agency.objects.get_or_create(
        abbreviation="UBNDCT",
        province=None,
        defaults={
            "name": "UBND các tỉnh, thành phố trực thuộc trung ương",
            "kind": Agency.Kind.GROUP,
        },
    )
    provinces_group.members.add(*Agency.objects.filter(abbreviation="UBNDĐL", province=province))

    national, created = Plan.objects.get_or_create(
        code=NATIONAL_CODE,
        defaults={
            "number": "124/NQ-CP",
            "title": (
                "Chương trình hành động của Chính phủ thực hiện Nghị quyết số 23-NQ/TW ngày "
                "22/3/2018 của Bộ Chính trị về định hướng xây dựng chính sách phát triển công "
                "nghiệp quốc gia đến năm 2030, tầm nhìn đến năm 2045 (phần giao các địa phương)"
            ),
            "issuer": "Chính phủ",
            "focal_agency": ministry,
            "province": None,
            "start_year": 2020,
            "horizon_year": 2030,
            "vision_year": 2045,
            "report_parent_body": "BỘ CÔNG THƯƠNG",
        },
    )
    if created:
        section = Section.objects.create(
            plan=national, code="II", number="II", title="Nhiệm vụ của các địa phương"
        )
        for position, (code, content, timeframe, lower) in enumerate(NATIONAL_TASKS):
            task = Task(
                plan=national,
                section=section,
                code=f"II.{code}",
                lead=provinces_group,
                content=content,
                position=position,
            )
            task.set_timeframe(timeframe)
            task.save()
            Task.objects.filter(plan=plan, code__in=lower).update(higher_task=task)
    Plan.objects.filter(pk=plan.pk).update(higher_plan=national)
    _user(
        "bocongthuong",
        password,
        role=User.Role.REVIEWER,
        agency=ministry,
        last_name="Chuyên viên",
        first_name="Bộ Công Thương",
        email="bocongthuong@example.gov.vn",
    )
    _user(
        "bocongthuong.lanhdao",
        password,
        role=User.Role.LEADERSHIP,
        agency=ministry,
        last_name="Lãnh đạo",
        first_name="Bộ Công Thương",
        email="bocongthuong.lanhdao@example.gov.vn",
    )
    leadership = User.objects.filter(username="lanhdao").first()
    if leadership is not None:  # the province's leadership: Đắk Lắk only
        leadership.provinces.add(province)
    return national
