"""Files stored beside report rows follow the rows: cleared, deleted and rolled back with them;
and the admin shows reports without changing them."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse

from common.fields import EvidenceField
from reports import services
from reports.forms import SubmissionForm
from reports.models import Contribution, Evidence, Submission, TargetReport, TaskReport
from tests.conftest import submission_post_data

pytestmark = pytest.mark.usefixtures("before_due", "media_root")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def stored_files(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


def save(submission, user, **kwargs):
    submission.refresh_from_db()
    arguments = {"fields": {}, "task_rows": {}, "target_rows": {}} | kwargs
    return services.submission_save(
        submission=submission, user=user, version=submission.version, **arguments
    )


@pytest.fixture
def with_document(submission, officer):
    upload = SimpleUploadedFile("ky-so.pdf", PDF, content_type="application/pdf")
    form = SubmissionForm(
        submission_post_data(submission), {"document_file": upload}, instance=submission
    )
    assert form.is_valid(), form.errors
    save(submission, officer, fields={"document_file": form.cleaned_data["document_file"]})
    submission.refresh_from_db()
    assert submission.document_file.name.startswith("documents/")
    return submission


def test_clearing_the_signed_document_leaves_no_file_name(client, officer, with_document):
    client.force_login(officer)
    data = submission_post_data(with_document) | {"document_file-clear": "on"}
    response = client.post(reverse("reports:submission", args=[with_document.pk]), data)
    assert response.status_code == 302
    with_document.refresh_from_db()
    assert with_document.document_file.name == ""
    assert not with_document.document_file


def test_a_deleted_evidence_file_stays_until_the_row_is_gone_for_good(
    submission, officer, media_root, django_capture_on_commit_callbacks
):
    row = submission.task_reports.first()
    save(
        submission,
        officer,
        evidence={row.pk: EvidenceField().clean([SimpleUploadedFile("a.pdf", PDF)])},
    )
    evidence = Evidence.objects.get()
    pk, path = evidence.pk, Path(evidence.file.path)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        services.evidence_delete(evidence=evidence, user=officer)
        raise Undo  # the transaction rolls back: the row is back, so must the file be
    evidence = Evidence.objects.get(pk=pk)  # the row is back, and so is its file
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=evidence, user=officer)
        assert path.exists()  # not before the commit
    assert not path.exists()


def test_a_save_that_fails_after_storing_evidence_leaves_no_file(submission, officer, media_root):
    row = submission.task_reports.first()
    uploads = EvidenceField().clean([SimpleUploadedFile("a.pdf", PDF)])
    with pytest.raises(KeyError):
        # The evidence is stored, then a target row that is not this submission's fails.
        save(submission, officer, evidence={row.pk: uploads}, target_rows={-1: {"note": "x"}})
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_a_save_that_fails_after_storing_the_signed_document_leaves_no_file(
    submission, officer, media_root
):
    def fail(sender, instance, **kwargs):
        raise RuntimeError("the history could not be written")

    upload = SimpleUploadedFile("ky-so.pdf", PDF, content_type="application/pdf")
    form = SubmissionForm(
        submission_post_data(submission), {"document_file": upload}, instance=submission
    )
    assert form.is_valid(), form.errors
    post_save.connect(fail, sender=Submission, dispatch_uid="test-fail")
    try:
        with pytest.raises(RuntimeError):
            save(submission, officer, fields={"document_file": form.cleaned_data["document_file"]})
    finally:
        post_save.disconnect(dispatch_uid="test-fail", sender=Submission)
    assert stored_files(media_root) == []
    submission.refresh_from_db()
    assert submission.document_file.name == ""


def test_a_failed_save_keeps_the_document_stored_before(with_document, officer, media_root):
    before = stored_files(media_root)
    with pytest.raises(KeyError):
        save(with_document, officer, fields={"proposals": "x"}, target_rows={-1: {}})
    assert stored_files(media_root) == before


# --- the admin ------------------------------------------------------------------------------

REPORT_MODELS = [Submission, TaskReport, TargetReport, Contribution, Evidence]


@pytest.mark.parametrize("model", REPORT_MODELS, ids=lambda m: m.__name__)
def test_report_admins_are_read_only(client, admin_user, submission, model):
    client.force_login(admin_user)
    opts = model._meta
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"{prefix}_add")).status_code == 403


def test_a_submission_cannot_be_changed_deleted_or_reverted_in_the_admin(
    client, admin_user, submission, officer
):
    save(submission, officer, fields={"proposals": "Đề xuất 1"})
    save(submission, officer, fields={"proposals": "Đề xuất 2"})
    client.force_login(admin_user)
    change = reverse("admin:reports_submission_change", args=[submission.pk])
    response = client.post(change, {"state": "accepted"})
    assert response.status_code == 403
    delete = reverse("admin:reports_submission_delete", args=[submission.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    history = reverse("admin:reports_submission_history", args=[submission.pk])
    assert client.get(history).status_code == 200  # still readable
    old = submission.history.order_by("history_date").first()
    revert = reverse("admin:reports_submission_simple_history", args=[submission.pk, old.pk])
    assert client.get(revert).status_code == 200  # an old version can be read
    assert client.post(revert, {"proposals": "Đề xuất 1"}).status_code == 403
    submission.refresh_from_db()
    assert submission.proposals == "Đề xuất 2"
