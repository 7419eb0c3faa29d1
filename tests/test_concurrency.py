"""Nothing typed is lost: stale saves are refused and shown back, a double click submits once."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from reports import services
from reports.models import Submission
from tests.conftest import (
    complete_post_data,
    fill_submission,
    page_text,
    submission_form_html,
    submission_post_data,
)


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


def url(submission) -> str:
    return reverse("reports:submission", args=[submission.pk])


@pytest.mark.usefixtures("before_due")
def test_a_stale_save_is_refused_and_the_text_shown_back(client, officer, head, submission):
    row = submission.task_reports.first()
    stale = submission_post_data(submission)  # both open the draft at version 0

    client.force_login(officer)
    first = dict(stale, overall_assessment="Bản của chuyên viên")
    first[f"task-{row.pk}-results"] = "Kết quả chuyên viên nhập"
    assert client.post(url(submission), first).status_code == 302

    client.force_login(head)
    second = dict(stale, overall_assessment="Bản của lãnh đạo")
    second[f"task-{row.pk}-results"] = "Kết quả lãnh đạo nhập"
    response = client.post(url(submission), second)
    assert response.status_code == 200
    assert 'id="conflict"' in page_text(response)
    form = submission_form_html(response)
    assert "Bản của lãnh đạo" in form
    assert "Kết quả lãnh đạo nhập" in form

    submission.refresh_from_db()
    row.refresh_from_db()
    assert submission.overall_assessment == "Bản của chuyên viên"
    assert row.results == "Kết quả chuyên viên nhập"
    assert submission.version == 1
    assert submission.updated_by == officer


@pytest.mark.usefixtures("before_due")
def test_service_refuses_a_stale_version(submission, officer, head):
    services.submission_save(
        submission=submission,
        user=officer,
        version=0,
        fields={"proposals": "Đề xuất một"},
        task_rows={},
        target_rows={},
    )
    with pytest.raises(services.ConcurrentEdit) as excinfo:
        services.submission_save(
            submission=submission,
            user=head,
            version=0,
            fields={"proposals": "Đề xuất hai"},
            task_rows={},
            target_rows={},
        )
    assert excinfo.value.submission.updated_by == officer
    submission.refresh_from_db()
    assert (submission.proposals, submission.version) == ("Đề xuất một", 1)


@pytest.mark.usefixtures("before_due")
def test_the_refusal_says_who_saved_first_and_when(client, officer, head, submission):
    stale = submission_post_data(submission)
    client.force_login(officer)
    client.post(url(submission), dict(stale, proposals="Đề xuất của chuyên viên"))
    client.force_login(head)
    response = client.post(url(submission), dict(stale, proposals="Đề xuất của lãnh đạo"))
    conflict = re.search(r'<div[^>]*id="conflict".*?</div>', page_text(response), re.S)
    assert conflict, "no conflict message"
    assert "09:00 05/12/2026" in conflict.group(0)
    # The officer has no full name on record: the message must still say who it was.
    assert str(officer) in conflict.group(0)


@pytest.mark.usefixtures("before_due")
def test_a_double_clicked_submit_submits_once(client, head, submission):
    client.force_login(head)
    data = complete_post_data(submission)  # the same page, posted twice
    assert client.post(url(submission), data).status_code == 302
    response = client.post(url(submission), data, follow=True)
    assert response.status_code == 200
    page = page_text(response)
    assert vi("This report has already been submitted.") in page
    assert 'id="conflict"' not in page
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    reasons = list(submission.history.values_list("history_change_reason", flat=True))
    assert reasons.count("submitted") == 1


@pytest.mark.usefixtures("before_due")
def test_submitting_an_already_submitted_report_changes_nothing(submission, head, officer):
    fill_submission(submission, officer)
    services.submission_submit(submission=submission, user=head)
    submission.refresh_from_db()
    version, submitted_at = submission.version, submission.submitted_at
    services.submission_submit(submission=submission, user=head)
    submission.refresh_from_db()
    assert (submission.version, submission.submitted_at) == (version, submitted_at)
    assert submission.history.filter(history_change_reason="submitted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_version_let_exactly_one_through(submission, officer, head):
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, object] = {}

    def save(user, text):
        try:
            mine = Submission.objects.get(pk=submission.pk)
            barrier.wait()
            services.submission_save(
                submission=mine,
                user=user,
                version=0,
                fields={"overall_assessment": text},
                task_rows={},
                target_rows={},
            )
            outcomes[text] = "saved"
        except services.ConcurrentEdit as exc:
            outcomes[text] = exc
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[text] = repr(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(officer, "Bản A")),
        threading.Thread(target=save, args=(head, "Bản B")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    winners = [text for text, outcome in outcomes.items() if outcome == "saved"]
    losers = [o for o in outcomes.values() if isinstance(o, services.ConcurrentEdit)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    submission.refresh_from_db()
    assert submission.overall_assessment == winners[0]
    assert submission.version == 1
    assert submission.history.filter(history_change_reason="draft saved").count() == 1
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_submit_clicks_arriving_together_submit_once(submission, officer, head):
    data = complete_post_data(submission)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(head)
    barrier = threading.Barrier(2, timeout=30)
    pages: list[str] = []

    def click(client):
        try:
            barrier.wait()
            response = client.post(url(submission), data, follow=True)
            pages.append(f"{response.status_code} {page_text(response)}")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            pages.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    assert all(page.startswith("200 ") for page in pages), [p[:300] for p in pages]
    assert not any('id="conflict"' in page for page in pages)
    assert sum(vi("The report was submitted to the focal point.") in p for p in pages) == 1
    assert sum(vi("This report has already been submitted.") in p for p in pages) == 1
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    assert submission.history.filter(history_change_reason="submitted").count() == 1
    connection.close()
