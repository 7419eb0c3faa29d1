"""The Django admin, for superusers: Vietnamese throughout, dd/mm/yyyy dates, list fields typed
one item per line, and pickers that keep to the plan at hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils import translation

from common.admin import ListField
from plans.models import Plan
from reports.models import Round
from tests.factories import (
    PlanFactory,
    RoundFactory,
    SectionFactory,
    TargetFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(admin=True))
    return client


def _admin_form(rf, model, obj=None):
    request = rf.get("/admin/")
    request.user = UserFactory(admin=True)
    return admin.site._registry[model].get_form(request, obj, change=obj is not None)


def test_a_bad_add_post_says_so_in_vietnamese(superuser_client):
    response = superuser_client.post("/admin/tasks/task/add/", {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the errors below." not in html
    assert "Please correct the error below." not in html
    assert "Vui lòng sửa các lỗi dưới đây." in html
    assert "<title>Lỗi:" in html
    # a relation the model left unlabelled takes the related model's Vietnamese name
    assert ">Plan:</label>" not in html
    assert ">Kế hoạch:</label>" in html


def test_a_list_filter_on_an_unlabelled_relation_is_named_in_vietnamese(superuser_client):
    TaskFactory()
    TaskFactory(plan=PlanFactory())
    html = superuser_client.get("/admin/tasks/task/").content.decode()
    assert "Bởi kế hoạch" in html
    assert "Show counts" not in html and "Hiện số lượng" in html
    assert "Bởi plan" not in html


def test_the_index_names_sign_in_throttling_in_vietnamese(superuser_client):
    html = superuser_client.get("/admin/").content.decode()
    assert "Chống dò mật khẩu" in html
    assert "Access attempts" not in html
    assert "Quản lý dữ liệu của cổng" in html


def test_an_admin_date_field_accepts_and_shows_dd_mm_yyyy(rf):
    round_ = RoundFactory(due_on=dt.date(2027, 1, 15))
    with translation.override("vi"):
        form = _admin_form(rf, Round, round_)(instance=round_)
        assert form.fields["due_on"].clean("15/01/2027") == dt.date(2027, 1, 15)
        assert 'value="15/01/2027"' in str(form["due_on"])


def test_a_list_field_round_trips_one_item_per_line(rf):
    plan = PlanFactory(recipients=["Bộ Công Thương", "Sở Tài chính"])
    with translation.override("vi"):
        PlanForm = _admin_form(rf, Plan, plan)
        form = PlanForm(instance=plan)
        assert "Bộ Công Thương\nSở Tài chính" in str(form["recipients"])
        assert "[" not in str(form["recipients"]).split(">", 1)[1]
        data = {k: v for k, v in model_to_dict(plan).items() if v is not None}
        data |= {"recipients": "Bộ Công Thương\nSở Tài chính\nUBND các huyện", "implements": ""}
        data |= {"replaces": "", "focal_agency": plan.focal_agency_id}
        form = PlanForm(data, instance=plan)
        assert form.is_valid(), form.errors
        form.save()
    plan.refresh_from_db()
    assert plan.recipients == ["Bộ Công Thương", "Sở Tài chính", "UBND các huyện"]
    assert plan.implements == []


def test_reminder_days_are_typed_as_a_list_and_each_day_is_checked(rf):
    round_ = RoundFactory(reminder_days_before=[30, 7, 1])
    with translation.override("vi"):
        form = _admin_form(rf, Round, round_)(instance=round_)
        assert "30\n7\n1" in str(form["reminder_days_before"])
        field = form.fields["reminder_days_before"]
        assert field.clean("14, 3, 0") == [14, 3, 0]
        with pytest.raises(ValidationError) as problem:
            field.clean("14\nba ngày\n400")
    messages = problem.value.messages
    assert len(messages) == 2
    assert messages[0].startswith("Mục 2 (“ba ngày”)")
    assert messages[1].startswith("Mục 3 (“400”)")


def test_an_empty_list_box_is_an_empty_list():
    assert ListField(item=forms.IntegerField(), required=False).clean("  ") == []


def test_the_section_picker_offers_only_the_tasks_plan(superuser_client):
    task = TaskFactory()
    own = task.section
    other = SectionFactory(plan=PlanFactory())
    html = superuser_client.get(f"/admin/tasks/task/{task.pk}/change/").content.decode()
    assert f'<option value="{own.pk}" selected>' in html
    assert f'<option value="{other.pk}"' not in html
    # posting another plan's section is refused, not saved
    data = {
        k: v for k, v in model_to_dict(task).items() if v is not None and k not in ("coordinators",)
    }
    data["section"] = other.pk
    response = superuser_client.post(f"/admin/tasks/task/{task.pk}/change/", data)
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.section == own


def test_a_rounds_scope_offers_only_its_plans_tasks(superuser_client):
    round_ = RoundFactory()
    own = TaskFactory(plan=round_.plan)
    stranger = TaskFactory(plan=PlanFactory())
    html = superuser_client.get(f"/admin/reports/round/{round_.pk}/change/").content.decode()
    assert f'<option value="{own.pk}"' in html
    assert f'<option value="{stranger.pk}"' not in html


def test_the_target_parent_picker_offers_only_the_plans_targets(superuser_client):
    target = TargetFactory()
    sibling = TargetFactory(plan=target.plan)
    stranger = TargetFactory(plan=PlanFactory())
    html = superuser_client.get(f"/admin/plans/target/{target.pk}/change/").content.decode()
    assert f'<option value="{sibling.pk}">' in html
    assert f'<option value="{stranger.pk}"' not in html
