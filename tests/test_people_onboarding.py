"""Bulk onboarding from an XLSX list: preview with per-row errors, nothing saved until confirmed."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import User
from people.onboarding import SheetError, read_sheet
from people.views import SESSION_KEY
from tests.conftest import page_text

HEADER = ["STT", "Cơ quan", "Họ và tên", "Thư điện tử", "Chức danh"]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Danh sách cán bộ đề nghị cấp tài khoản"])  # a title row above the header
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: Client, content: bytes, name="danh-sach.xlsx"):
    return client.post(reverse("people:import"), {"file": SimpleUploadedFile(name, content)})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


GOOD = [
    [1, "Sở Tài chính", "Trần Thị An", "an@stc.gov.vn", "Chuyên viên"],
    [2, "STC", "Lê Bình", "binh@stc.gov.vn", ""],
]


def test_the_headers_are_recognised_in_vietnamese_below_a_title_row():
    rows = read_sheet(io.BytesIO(xlsx(GOOD)))
    assert [(r.number, r.agency, r.name, r.email) for r in rows] == [
        (4, "Sở Tài chính", "Trần Thị An", "an@stc.gov.vn"),
        (5, "STC", "Lê Bình", "binh@stc.gov.vn"),
    ]


def test_a_file_without_the_columns_is_refused():
    with pytest.raises(SheetError, match="Họ và tên"):
        read_sheet(io.BytesIO(xlsx(GOOD, header=["A", "B", "C", "D", "E"])))


def test_a_file_that_is_no_workbook_is_refused(admin_user):
    response = upload(signed_in(admin_user), b"not a workbook", name="ds.xlsx")
    assert "không phải là bảng tính Excel" in page_text(response)
    assert SESSION_KEY not in signed_in(admin_user).session


def test_the_preview_lists_every_error_by_row_and_saves_nothing(admin_user, officer, seed_plan):
    officer.email = "trung@stc.gov.vn"
    officer.save()
    rows = [
        [1, "Sở Tài chính", "Trần Thị An", "an@stc.gov.vn", "Chuyên viên"],
        [2, "Sở Không Có", "Lê Bình", "binh@stc.gov.vn", "Chuyên viên"],
        [3, "Sở Tài chính", "Phạm Văn Cường", "cuong-at-stc", "Chuyên viên"],
        [4, "Sở Tài chính", "Vũ Thị Dung", "AN@stc.gov.vn", "Chuyên viên"],
        [5, "Sở Tài chính", "Hoàng Minh Trung", "trung@stc.gov.vn", "Chuyên viên"],
        [6, "Sở Tài chính", "Đỗ Văn Em", "em@stc.gov.vn", "Thủ quỹ"],
        [7, "Sở Kế hoạch và Đầu tư", "Ngô Thị Giang", "giang@skhdt.gov.vn", "Chuyên viên"],
    ]
    response = upload(signed_in(admin_user), xlsx(rows))
    errors = {check.number: " ".join(check.errors) for check in response.context["checks"]}
    assert errors[4] == ""
    assert "Không tìm thấy cơ quan “Sở Không Có”" in errors[5]
    assert "không phải là địa chỉ thư điện tử hợp lệ" in errors[6]
    assert "trùng với dòng 4" in errors[7]
    assert "đã là của một người dùng" in errors[8]
    assert "Không nhận ra vai trò “Thủ quỹ”" in errors[9]
    assert "đã hợp nhất: nay là" in errors[10]
    text = page_text(response)
    assert "6 dòng có lỗi" in text
    assert 'action="/people/import/confirm/"' not in text  # no confirm button
    assert not User.objects.filter(email="an@stc.gov.vn").exists()
    assert mail.outbox == []


def test_a_head_inviting_outside_their_agency_or_a_head_is_told_per_row(head, seed_plan):
    rows = [
        [1, "Sở Tài chính", "Trần Thị An", "an@stc.gov.vn", "Chuyên viên"],
        [2, "Sở Khoa học và Công nghệ", "Lê Bình", "binh@skhcn.gov.vn", "Chuyên viên"],
        [3, "Sở Tài chính", "Phạm Văn Cường", "cuong@stc.gov.vn", "Lãnh đạo"],
    ]
    response = upload(signed_in(head), xlsx(rows))
    errors = {check.number: " ".join(check.errors) for check in response.context["checks"]}
    assert errors[4] == ""
    assert "chỉ được mời người của cơ quan mình" in errors[5]
    assert "chỉ mời chuyên viên" in errors[6]


def test_confirming_creates_the_users_and_mails_them_once_committed(
    admin_user, seed_plan, django_capture_on_commit_callbacks
):
    client = signed_in(admin_user)
    preview = upload(client, xlsx(GOOD))
    assert not User.objects.filter(email__in=["an@stc.gov.vn", "binh@stc.gov.vn"]).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("people:import_confirm"), {"token": preview.context["token"]}
        )
    assert response.status_code == 302 and response.url == reverse("people:list")
    assert mail.outbox == []  # nothing goes out before the transaction commits
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["an@stc.gov.vn", "binh@stc.gov.vn"]
    an = User.objects.get(email="an@stc.gov.vn")
    assert (an.last_name, an.first_name, an.role, an.agency.abbreviation) == (
        "Trần Thị",
        "An",
        "officer",
        "STC",
    )
    assert SESSION_KEY not in client.session


def test_confirming_twice_creates_nothing_more(admin_user, seed_plan):
    client = signed_in(admin_user)
    token = upload(client, xlsx(GOOD)).context["token"]
    client.post(reverse("people:import_confirm"), {"token": token})
    again = client.post(reverse("people:import_confirm"), {"token": token}, follow=True)
    assert "không còn hiệu lực" in page_text(again)
    assert User.objects.filter(email="an@stc.gov.vn").count() == 1


def test_a_row_taken_since_the_preview_stops_the_whole_list(admin_user, agency):
    client = signed_in(admin_user)
    token = upload(client, xlsx(GOOD)).context["token"]
    User.objects.create_user(username="an2", email="an@stc.gov.vn")
    response = client.post(reverse("people:import_confirm"), {"token": token}, follow=True)
    assert "chưa có gì được lưu" in page_text(response)
    assert not User.objects.filter(email="binh@stc.gov.vn").exists()


def test_the_file_is_not_kept_in_media(admin_user, seed_plan, media_root):
    upload(signed_in(admin_user), xlsx(GOOD))
    assert not media_root.exists() or not any(media_root.rglob("*"))
