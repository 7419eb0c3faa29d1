"""Coordinating agencies are offered the tasks they help with, through mergers and groups."""

from django.urls import reverse

from plans.models import Agency
from reports import services
from reports.selectors import coordinated_tasks
from tasks.models import Task


def test_a_successor_answers_for_its_predecessors_coordination(seed_plan, reviewer, officer):
    round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    task = Task.objects.get(plan=seed_plan, code="IV.6.1")  # led by Sở KH&CN
    task.coordinators.add(Agency.objects.get(abbreviation="SKHĐT"))  # merged into Sở Tài chính
    offered = [(r.pk, t.code) for r, t, _text in coordinated_tasks(officer.agency)]
    assert offered == [(round_.pk, "IV.6.1")]


def test_a_group_coordinator_offers_the_task_to_each_member(seed_plan, reviewer, other_agency):
    services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    task = Task.objects.get(plan=seed_plan, code="IV.1.1")
    task.coordinators.add(Agency.objects.get(abbreviation="TATCA"))
    assert [t.code for _r, t, _x in coordinated_tasks(other_agency)] == ["IV.1.1"]
    dissolved = Agency.objects.get(abbreviation="TUYAN")  # a district, gone since 01/07/2025
    assert coordinated_tasks(dissolved) == []


def test_an_agency_that_coordinates_nothing_is_offered_nothing(seed_plan, reviewer, officer):
    services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    assert coordinated_tasks(officer.agency) == []


def test_the_home_page_offers_the_contribution_form(client, seed_plan, reviewer, officer):
    round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    task = Task.objects.get(plan=seed_plan, code="IV.6.1")
    task.coordinators.add(officer.agency)
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    assert reverse("reports:contribution", args=[round_.pk, task.pk]) in page


def test_an_agency_answers_for_its_predecessors_and_groups_tasks(seed_plan, agency):
    import datetime as dt

    from reports.selectors import tasks_answered_by

    codes = [t.code for t in tasks_answered_by(agency, on=dt.date(2026, 6, 1))]
    assert codes == [
        "IV.2.1",
        "IV.2.2",
        "IV.2.3",
        "IV.2.4",
        "IV.2.5",
        "IV.3.1",
        "IV.12.1",
        "IV.12.2",
    ]
    before_merger = [t.code for t in tasks_answered_by(agency, on=dt.date(2024, 6, 1))]
    assert before_merger == ["IV.3.1", "IV.12.1", "IV.12.2"]
