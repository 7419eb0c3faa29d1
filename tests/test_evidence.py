"""Evidence files: accepted by content, stored under generated names, served only to readers."""

import hashlib
import io
import re
from pathlib import Path

import docx
import filetype
import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from common.fields import EvidenceField
from reports import services
from reports.models import Evidence
from tests.conftest import fill_submission, page_text, submission_post_data

pytestmark = pytest.mark.usefixtures("before_due", "media_root")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Quyết định phê duyệt danh mục sản phẩm công nghiệp chủ lực")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Chỉ tiêu"
    workbook.active["B1"] = 37.4
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


FILES = {
    "pdf": (lambda: PDF, "application/pdf"),
    "docx": (
        docx_bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": (lambda: image_bytes("JPEG"), "image/jpeg"),
    "png": (lambda: image_bytes("PNG"), "image/png"),
}


def url(submission) -> str:
    return reverse("reports:submission", args=[submission.pk])


@pytest.fixture
def row(submission):
    return submission.task_reports.get(task__code="IV.2.2")


def post_files(client, submission, row, *uploads):
    data = submission_post_data(submission)
    data[f"task-{row.pk}-evidence"] = list(uploads)
    return client.post(url(submission), data)


def assert_generated_name(evidence: Evidence, extension: str) -> None:
    stored = Path(evidence.file.name)
    assert stored.parent.as_posix() == f"evidence/{evidence.submission_id}"
    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{extension}", stored.name), stored.name
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert Path(evidence.file.path).resolve().is_relative_to(media_root)


# --- what is accepted --------------------------------------------------------------------------


@pytest.mark.parametrize("extension", list(FILES))
def test_it_accepts_the_five_kinds_and_stores_them_under_generated_names(
    client, officer, submission, row, extension
):
    make, mime = FILES[extension]
    content = make()
    assert filetype.guess(content).mime == mime  # the sample really is what it claims
    client.force_login(officer)
    name = f"Bằng chứng nhiệm vụ.{extension}"
    response = post_files(client, submission, row, SimpleUploadedFile(name, content))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.task_report, evidence.uploaded_by) == (row, officer)
    assert evidence.original_name == name
    assert evidence.content_type == mime
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert_generated_name(evidence, extension)
    with evidence.file.open("rb") as stored:
        assert stored.read() == content


def test_it_names_the_file_by_its_content_not_by_what_the_user_called_it(
    client, officer, submission, row
):
    client.force_login(officer)
    post_files(client, submission, row, SimpleUploadedFile("anh-chup.pdf", image_bytes("PNG")))
    evidence = Evidence.objects.get()
    assert evidence.content_type == "image/png"
    assert_generated_name(evidence, "png")


def test_a_path_in_the_file_name_never_reaches_the_file_system(client, officer, submission, row):
    client.force_login(officer)
    post_files(client, submission, row, SimpleUploadedFile("../../etc/passwd.pdf", PDF))
    evidence = Evidence.objects.get()
    assert ".." not in evidence.file.name
    assert "passwd" not in evidence.file.name
    assert_generated_name(evidence, "pdf")


def test_several_files_at_once(client, officer, submission, row):
    client.force_login(officer)
    post_files(
        client,
        submission,
        row,
        SimpleUploadedFile("a.pdf", PDF),
        SimpleUploadedFile("b.png", image_bytes("PNG")),
    )
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == ["a.pdf", "b.png"]
    assert len({e.file.name for e in Evidence.objects.all()}) == 2


def test_uploaded_files_are_listed_under_their_task(client, officer, submission, row):
    client.force_login(officer)
    post_files(client, submission, row, SimpleUploadedFile("quyet-dinh-so-12.pdf", PDF))
    evidence = Evidence.objects.get()
    page = page_text(client.get(url(submission)))
    card = re.search(r'id="task-IV\.2\.2".*?</article>', page, re.S).group(0)
    assert "quyet-dinh-so-12.pdf" in card
    assert reverse("reports:evidence", args=[evidence.pk]) in card


# --- what is refused ---------------------------------------------------------------------------


def test_a_text_file_renamed_to_pdf_is_refused(client, officer, submission, row):
    client.force_login(officer)
    fake = SimpleUploadedFile("bao-cao.pdf", "Chỉ là văn bản thuần.\n".encode() * 20)
    response = post_files(client, submission, row, fake)
    assert response.status_code == 200
    assert "bao-cao.pdf" in page_text(response)
    assert not Evidence.objects.exists()
    submission.refresh_from_db()
    assert submission.version == 0


@pytest.mark.parametrize("name", ["macro.docm.pdf", "script.exe"])
def test_other_kinds_are_refused(client, officer, submission, row, name):
    client.force_login(officer)
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
    assert post_files(client, submission, row, SimpleUploadedFile(name, elf)).status_code == 200
    assert not Evidence.objects.exists()


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused(client, officer, submission, row):
    client.force_login(officer)
    big = PDF + b"%" + b"0" * 2048
    response = post_files(client, submission, row, SimpleUploadedFile("lon.pdf", big))
    assert response.status_code == 200
    assert "lon.pdf" in page_text(response)
    assert not Evidence.objects.exists()
    small = post_files(client, submission, row, SimpleUploadedFile("nho.pdf", PDF))
    assert small.status_code == 302
    assert Evidence.objects.get().original_name == "nho.pdf"


def test_a_refused_file_saves_none_of_the_form(client, officer, submission, row):
    client.force_login(officer)
    data = submission_post_data(submission, overall_assessment="Không được lưu")
    data[f"task-{row.pk}-evidence"] = [
        SimpleUploadedFile("tot.pdf", PDF),
        SimpleUploadedFile("xau.pdf", b"not a pdf at all"),
    ]
    assert client.post(url(submission), data).status_code == 200
    assert not Evidence.objects.exists()
    submission.refresh_from_db()
    assert submission.overall_assessment == ""


# --- who may download ----------------------------------------------------------------------------


@pytest.fixture
def evidence(submission, row, officer) -> Evidence:
    uploads = EvidenceField().clean([SimpleUploadedFile("quyet-dinh.pdf", PDF)])
    services.submission_save(
        submission=submission,
        user=officer,
        version=submission.version,
        fields={},
        task_rows={},
        target_rows={},
        evidence={row.pk: uploads},
    )
    return Evidence.objects.get()


@pytest.mark.parametrize("role", ["officer", "head", "reviewer", "leader", "admin_user"])
def test_readers_of_the_submission_download_it(client, request, evidence, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("reports:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert "quyet-dinh.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


def test_another_agency_gets_404(client, other_officer, evidence):
    client.force_login(other_officer)
    assert client.get(reverse("reports:evidence", args=[evidence.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, evidence):
    response = client.get(reverse("reports:evidence", args=[evidence.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- who may delete ------------------------------------------------------------------------------


def delete(client, evidence):
    return client.post(reverse("reports:evidence_delete", args=[evidence.pk]))


def test_the_agency_deletes_its_evidence_while_editable(
    client, head, evidence, submission, django_capture_on_commit_callbacks
):
    path = Path(evidence.file.path)
    assert path.exists()
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes on commit
        response = delete(client, evidence)
    assert response.status_code == 302
    assert response.url == url(submission)
    assert not Evidence.objects.exists()
    assert not path.exists()


def test_nobody_deletes_once_submitted(client, officer, head, evidence, submission):
    fill_submission(submission, officer)
    services.submission_submit(submission=submission, user=head)
    client.force_login(head)
    assert delete(client, evidence).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert Path(evidence.file.path).exists()


@pytest.mark.parametrize("role", ["reviewer", "leader", "admin_user"])
def test_readers_outside_the_agency_cannot_delete(client, request, evidence, role):
    client.force_login(request.getfixturevalue(role))
    assert delete(client, evidence).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_another_agency_cannot_delete(client, other_officer, evidence):
    client.force_login(other_officer)
    assert delete(client, evidence).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_delete_is_post_only(client, officer, evidence):
    client.force_login(officer)
    response = client.get(reverse("reports:evidence_delete", args=[evidence.pk]))
    assert response.status_code == 405
    assert Evidence.objects.filter(pk=evidence.pk).exists()


# --- a file chosen in a refused save is kept until a save succeeds ---------------------------


def test_a_save_refused_for_a_field_keeps_the_chosen_file_and_the_next_save_attaches_it(
    client, officer, submission, row
):
    from reports.models import StagedUpload

    client.force_login(officer)
    data = submission_post_data(submission, overall_assessment="Đánh giá")
    data[f"task-{row.pk}-progress"] = "abc"  # refused
    data[f"task-{row.pk}-evidence"] = [SimpleUploadedFile("quyết định.pdf", PDF)]
    response = client.post(url(submission), data)
    assert response.status_code == 200
    assert not Evidence.objects.exists()
    page = page_text(response)
    assert "Tệp đã chọn: quyết định.pdf (sẽ lưu khi lưu thành công)" in page
    staged = StagedUpload.objects.get()
    assert f'name="task-{row.pk}-staged" value="{staged.token}"' in page

    # The corrected form carries the token back, and no file is chosen again.
    data = submission_post_data(submission, overall_assessment="Đánh giá")
    data[f"task-{row.pk}-staged"] = str(staged.token)
    assert client.post(url(submission), data).status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.task_report_id, evidence.original_name) == (row.pk, "quyết định.pdf")
    assert evidence.file.read() == PDF
    assert not StagedUpload.objects.exists()
    assert_generated_name(evidence, "pdf")

    # A second use of the token attaches nothing.
    data = submission_post_data(submission, **{f"task-{row.pk}-staged": str(staged.token)})
    assert client.post(url(submission), data).status_code == 302
    assert Evidence.objects.count() == 1


def test_a_token_of_another_user_is_ignored(client, officer, head, submission, row):
    from reports.models import StagedUpload

    uploads = EvidenceField().clean([SimpleUploadedFile("a.pdf", PDF)])
    (staged,) = services.evidence_stage(
        submission=submission, report=row, uploads=uploads, user=head
    )
    client.force_login(officer)
    data = submission_post_data(submission, overall_assessment="Đánh giá")
    data[f"task-{row.pk}-staged"] = str(staged.token)
    assert client.post(url(submission), data).status_code == 302
    assert not Evidence.objects.exists()
    assert StagedUpload.objects.filter(pk=staged.pk).exists()


def test_staged_files_older_than_a_day_are_cleaned(submission, row, officer):
    import datetime as dt

    from django.utils import timezone

    from reports.models import StagedUpload
    from reports.tasks import clean_staged_uploads

    uploads = EvidenceField().clean(
        [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]
    )
    old, fresh = services.evidence_stage(
        submission=submission, report=row, uploads=uploads, user=officer
    )
    StagedUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    path = Path(old.file.path)
    assert path.exists()
    assert clean_staged_uploads() == 1
    assert clean_staged_uploads() == 0  # safe to run twice
    assert not path.exists()
    assert list(StagedUpload.objects.all()) == [fresh]
