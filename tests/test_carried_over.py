"""Last period's answers carried into a new round stay marked until changed or confirmed."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reports import services
from reports.models import Submission
from tests.conftest import complete_post_data, fill_submission, page_text, submission_post_data

pytestmark = pytest.mark.usefixtures("before_due")


@pytest.fixture
def carried(seed_plan, reviewer, agency, officer, head):
    """Agency A reported 2025 (every task in progress at 60 %); the 2026 round starts from it."""
    round_2025 = services.round_open(plan=seed_plan, opened_by=reviewer, year=2025)
    last = round_2025.submissions.get(agency=agency)
    fill_submission(last, officer)
    services.submission_submit(submission=last, user=head)
    round_2026 = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    return round_2026.submissions.get(agency=agency)


def url(submission) -> str:
    return reverse("reports:submission", args=[submission.pk])


def test_carried_values_are_marked_until_changed_or_confirmed(client, officer, carried):
    rows = list(carried.task_reports.order_by("position"))
    assert all(r.carried_over and r.progress == 60 for r in rows)
    client.force_login(officer)
    page = page_text(client.get(url(carried)))
    assert page.count("Chuyển từ kỳ trước") == len(rows)

    changed, confirmed = rows[0], rows[1]
    data = submission_post_data(
        carried,
        **{
            f"task-{changed.pk}-progress": "75",
            f"task-{confirmed.pk}-confirm_carried": "on",
        },
    )
    assert client.post(url(carried), data).status_code == 302
    changed.refresh_from_db()
    confirmed.refresh_from_db()
    assert (changed.progress, changed.carried_over) == (75, False)
    assert (confirmed.progress, confirmed.carried_over) == (60, False)
    assert carried.task_reports.filter(carried_over=True).count() == len(rows) - 2
    page = page_text(client.get(url(carried)))
    assert page.count("Chuyển từ kỳ trước") == len(rows) - 2


def test_submitting_with_marks_left_warns_but_submits(client, head, carried):
    client.force_login(head)
    data = complete_post_data(carried)  # same state and 60 % as last year: nothing changes
    response = client.post(url(carried), data)
    assert response.status_code == 302
    carried.refresh_from_db()
    assert carried.state == Submission.State.SUBMITTED
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "8 nhiệm vụ vẫn giữ giá trị chuyển từ kỳ trước, chưa được sửa hoặc xác nhận."
    ]


def test_a_round_with_nothing_before_marks_nothing(submission):
    assert not submission.task_reports.filter(carried_over=True).exists()
