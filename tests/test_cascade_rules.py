"""Cascading plans, the rules of one record: Plan.clean() refuses a plan that implements itself
(directly or up the chain); Task.clean() refuses a higher task outside the higher plan."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _errors(record, field: str, language: str = "en") -> list[str]:
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            record.clean()
        return [str(message) for message in caught.value.message_dict[field]]


def test_a_plan_cannot_implement_itself():
    plan = PlanFactory()
    plan.higher_plan = plan
    assert _errors(plan, "higher_plan") == ["A plan cannot implement itself."]


def test_a_plan_cannot_implement_a_plan_that_implements_it_up_the_chain():
    national = PlanFactory()
    provincial = PlanFactory(higher_plan=national)
    department = PlanFactory(higher_plan=provincial)
    national.higher_plan = department
    assert _errors(national, "higher_plan") == [
        "This plan already implements that one, up the chain."
    ]


def test_a_chain_without_a_loop_is_accepted():
    national = PlanFactory()
    provincial = PlanFactory(higher_plan=national)
    department = PlanFactory()
    department.higher_plan = provincial
    department.clean()  # national → provincial → department: no error


def test_the_message_is_translated():
    plan = PlanFactory()
    plan.higher_plan = plan
    assert _errors(plan, "higher_plan", "vi") == ["Một kế hoạch không thể tự thực hiện chính nó."]


def test_a_task_may_implement_a_task_of_the_higher_plan():
    national = PlanFactory()
    higher = TaskFactory(plan=national)
    task = TaskFactory(plan=PlanFactory(higher_plan=national))
    task.higher_task = higher
    task.clean()


def test_a_task_cannot_implement_a_task_of_another_plan():
    national = PlanFactory()
    TaskFactory(plan=national)
    elsewhere = TaskFactory(plan=PlanFactory())
    task = TaskFactory(plan=PlanFactory(higher_plan=national))
    task.higher_task = elsewhere
    message = "The task it implements must be a task of the higher plan."
    assert _errors(task, "higher_task") == [message]
    assert _errors(task, "higher_task", "vi") == [
        "Nhiệm vụ được thực hiện phải là nhiệm vụ của kế hoạch cấp trên."
    ]


def test_a_task_of_a_plan_with_no_higher_plan_implements_nothing():
    other = TaskFactory(plan=PlanFactory())
    task = TaskFactory(plan=PlanFactory())
    task.higher_task = other
    assert _errors(task, "higher_task") == [
        "The task it implements must be a task of the higher plan."
    ]


def test_a_task_cannot_implement_a_task_of_its_own_plan():
    national = PlanFactory()
    plan = PlanFactory(higher_plan=national)
    sibling = TaskFactory(plan=plan)
    task = TaskFactory(plan=plan)
    task.higher_task = sibling
    assert _errors(task, "higher_task") == [
        "The task it implements must be a task of the higher plan."
    ]


# --- where plans are edited: the plan settings form --------------------------------------------


def test_the_focal_point_sets_the_higher_plan_in_the_plan_settings(client, seed_plan, reviewer):
    from django.urls import reverse

    from tests.test_plan_settings import settings_data

    national = PlanFactory(code="chuong-trinh-quoc-gia")
    client.force_login(reviewer)
    url = reverse("reports:plan_settings", args=[seed_plan.pk])
    response = client.post(url, settings_data(seed_plan, higher_plan=national.pk))
    assert response.status_code == 302
    seed_plan.refresh_from_db()
    assert seed_plan.higher_plan == national


def test_a_loop_in_the_plan_settings_is_refused_and_nothing_saved(client, seed_plan, reviewer):
    from django.urls import reverse

    from tests.conftest import page_text
    from tests.test_plan_settings import settings_data

    lower = PlanFactory(code="ke-hoach-cap-duoi", higher_plan=seed_plan)
    client.force_login(reviewer)
    url = reverse("reports:plan_settings", args=[seed_plan.pk])
    data = settings_data(seed_plan, higher_plan=lower.pk, report_place="Tuy Hòa")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Kế hoạch được chọn đang (qua các cấp) thực hiện chính kế hoạch này." in page_text(
        response
    )
    seed_plan.refresh_from_db()
    assert seed_plan.higher_plan is None
    assert seed_plan.report_place != "Tuy Hòa"
