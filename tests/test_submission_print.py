"""The agency's report printed to sign: PDF and Word with the agency's header."""

import io

import docx
import pypdfium2
import pytest
from django.urls import reverse

from tests.conftest import fill_submission

pytestmark = pytest.mark.usefixtures("before_due")


def test_the_pdf_and_the_word_file_carry_the_agency_and_its_answers(client, officer, submission):
    fill_submission(submission, officer)
    client.force_login(officer)
    response = client.get(reverse("reports:print_pdf", args=[submission.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "SỞ TÀI CHÍNH" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Đánh giá chung: cơ bản hoàn thành kế hoạch năm." in text

    response = client.get(reverse("reports:print_docx", args=[submission.pk]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    words = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "SỞ TÀI CHÍNH" in cells
    assert "Đánh giá chung: cơ bản hoàn thành kế hoạch năm." in words
    task = submission.task_reports.first()
    assert f"Kết quả {task.task.code}" in cells


def test_another_agency_cannot_print_it(client, other_officer, submission):
    client.force_login(other_officer)
    assert client.get(reverse("reports:print_pdf", args=[submission.pk])).status_code == 404
