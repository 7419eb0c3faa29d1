"""The upload and review pages: who may use them, edits kept on a validation error, and a
review page whose query count does not grow with the number of tasks."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from planning import services
from planning.models import PlanImport
from tests.plan_documents_samples import build_table_docx, build_table_xlsx

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _upload(client, path, **extra):
    with open(path, "rb") as handle:
        upload = SimpleUploadedFile(path.name, handle.read())
    return client.post(reverse("plans:import_new"), {"document": upload, **extra})


def test_it_reads_an_upload_into_a_draft(client, reviewer, tmp_path):
    client.force_login(reviewer)
    response = _upload(client, build_table_docx(tmp_path / "ke-hoach.docx"))
    draft = PlanImport.objects.get()
    assert response.url == reverse("plans:import_review", args=[draft.pk])
    assert draft.source_kind == "docx" and draft.source_name == "ke-hoach.docx"
    page = client.get(response.url).content.decode()
    assert "Cơ quan chủ trì" in page or "Leads" in page
    leads = [part.split("<", 1)[0] for part in page.split('class="task-lead">')[1:]]
    assert any(lead.count("; ") == 2 for lead in leads)  # "A; B; C": all three leads kept
    assert "table 2 row 6" in page  # the source line beside the item
    assert "items left to check" in page or "mục cần kiểm tra" in page


def test_pasted_text_and_a_wrong_file_kind(client, reviewer):
    client.force_login(reviewer)
    bad = SimpleUploadedFile("ke-hoach.exe", b"MZ")
    response = client.post(reverse("plans:import_new"), {"document": bad})
    assert response.status_code == 200 and not PlanImport.objects.exists()
    text = "KẾ HOẠCH\nPhát triển công nghiệp\nI. MỤC TIÊU\n1. Sở Công Thương chủ trì tổng hợp."
    response = client.post(reverse("plans:import_new"), {"text": text})
    assert PlanImport.objects.get().source_kind == "text"


def test_an_officer_and_leadership_may_not_import(client, officer, leader):
    for user in (officer, leader):
        client.force_login(user)
        assert client.get(reverse("plans:import_new")).status_code == 403


def test_a_reviewer_of_another_agency_may_not_open_the_draft(client, seed_plan, reviewer):
    from accounts.models import User
    from plans.models import Agency
    from tests.factories import UserFactory

    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    other = UserFactory(
        username="stc.rv", role=User.Role.REVIEWER, agency=Agency.objects.get(abbreviation="STC")
    )
    client.force_login(other)
    assert client.get(reverse("plans:import_review", args=[draft.pk])).status_code == 403


def test_a_bad_edit_keeps_what_was_typed_and_changes_nothing(client, seed_plan, reviewer):
    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    task = draft.proposal["tasks"][0]
    client.force_login(reviewer)
    url = reverse("plans:import_review", args=[draft.pk])
    response = client.post(
        url,
        {
            "form": "task",
            "key": task["code"],
            "code": task["code"],
            "section": task["section"],
            "lead": task["lead"],
            "content": "",
            "output": "Sản phẩm mới gõ",
            "timeframe": "Quý IV/2027",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sản phẩm mới gõ" in page and "Quý IV/2027" in page
    draft.refresh_from_db()
    assert draft.proposal["tasks"][0] == task


def test_a_good_edit_saves_to_the_draft(client, seed_plan, reviewer):
    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    task = draft.proposal["tasks"][0]
    client.force_login(reviewer)
    response = client.post(
        reverse("plans:import_review", args=[draft.pk]),
        {
            "form": "task",
            "key": task["code"],
            "code": task["code"],
            "section": task["section"],
            "lead": "STC",
            "coordinators": ["SCT"],
            "content": "Nội dung đã sửa",
            "output": "",
            "timeframe": "Quý IV/2027",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    saved = draft.proposal["tasks"][0]
    assert saved["content"] == "Nội dung đã sửa" and saved["lead"] == "STC"
    assert saved["timeframe"]["end"] == "2027-12-31"


def test_the_header_form_reads_dates_and_document_lists(client, seed_plan, reviewer):
    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    client.force_login(reviewer)
    url = reverse("plans:import_review", args=[draft.pk])
    form = client.get(url + "?edit=header&key=plan").context["form"]
    data = {k: form[k].value() for k in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data |= {
        "form": "header",
        "key": "plan",
        "issued_on": "05/03/2026",
        "implements": "124/NQ-CP | 03/09/2020 | Chính phủ | Chương trình hành động",
        "recipients": "Bộ Công Thương\nLưu: VT",
    }
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    info = draft.proposal["plan"]
    assert info["issued_on"] == "2026-03-05"
    assert info["implements"][0] == {
        "number": "124/NQ-CP",
        "date": "2020-09-03",
        "issuer": "Chính phủ",
        "title": "Chương trình hành động",
    }
    data["issued_on"] = "31/02/2026"
    data["horizon_year"] = "1999"
    response = client.post(url, data)
    assert response.status_code == 200 and "31/02/2026" in response.content.decode()


def test_xlsx_columns_can_be_chosen_and_read_again(client, reviewer, tmp_path, seed_plan):
    header = ["TT", "Nội dung", "Đơn vị thực hiện", "Phối hợp", "Kết quả", "Thời gian"]
    client.force_login(reviewer)
    _upload(client, build_table_xlsx(tmp_path / "nv.xlsx", header=header))
    draft = PlanImport.objects.get()
    assert draft.source_kind == "xlsx" and draft.column_mappings
    table = draft.column_mappings[0]["table"]
    url = reverse("plans:import_review", args=[draft.pk])
    assert client.get(url + f"?edit=columns&key={table}").status_code == 200
    prefix = f"t{table}-"
    columns = {"number": 0, "content": 1, "lead": 2, "coordinators": 3, "output": 4}
    data = {"form": "columns", "key": str(table)}
    data |= {prefix + k: str(v) for k, v in columns.items()}
    data |= {prefix + "timeframe": "5", prefix + "note": ""}
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.proposal["tasks"][0]["timeframe"]["text"] == "Quý IV/2026"
    data[prefix + "lead"] = "1"  # the content's column twice
    response = client.post(url, data)
    assert response.status_code == 200


def _draft_with(seed_plan, reviewer, count: int) -> PlanImport:
    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    model = draft.proposal["tasks"][0]
    draft.proposal["tasks"] = [
        {**model, "code": f"X.{n}", "content": f"Nhiệm vụ {n}"} for n in range(count)
    ]
    draft.leads = {f"X.{n}": [model["lead"]] for n in range(count)}
    draft.flags = [
        {"path": f"tasks[X.{n}].lead", "message_vi": "Kiểm tra", "message_en": "Check"}
        for n in range(count)
    ]
    draft.save()
    return draft


def test_the_review_page_query_count_does_not_grow_with_tasks(client, seed_plan, reviewer):
    client.force_login(reviewer)
    counts = []
    for count in (20, 200):
        draft = _draft_with(seed_plan, reviewer, count)
        url = reverse("plans:import_review", args=[draft.pk])
        client.get(url)  # session and caches warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert (
            response.content.decode().count('class="border rounded p-2 mb-2 small review-task')
            == count
        )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_publish_from_the_page(client, seed_plan, reviewer):
    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    client.force_login(reviewer)
    response = client.post(reverse("plans:import_publish", args=[draft.pk]))
    assert response.url == reverse("plans:detail", args=[seed_plan.pk])
    draft.refresh_from_db()
    assert draft.status == "published"
