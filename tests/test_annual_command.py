"""`manage.py build_report` for operators."""

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from annual.models import AnnualReport


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_it_writes_the_report_of_the_years_annual_round(annual_round, tmp_path, fmt):
    output = tmp_path / f"bao-cao.{fmt}"
    out = io.StringIO()
    call_command(
        "build_report",
        "--plan",
        annual_round.plan.code,
        "--year",
        "2026",
        "--format",
        fmt,
        "-o",
        str(output),
        stdout=out,
    )
    data = output.read_bytes()
    assert "built from 7 accepted submission(s)" in out.getvalue()
    if fmt == "pdf":
        assert "Phụ lục III" in PdfReader(io.BytesIO(data)).pages[-1].extract_text()
    elif fmt == "docx":
        assert "BÁO CÁO" in [p.text for p in Document(io.BytesIO(data)).paragraphs]
    else:
        assert load_workbook(io.BytesIO(data)).sheetnames == ["Targets", "Tasks", "Agencies"]


def test_it_uses_the_saved_text_and_finds_the_plan_by_id(annual_round, tmp_path):
    AnnualReport.objects.create(round=annual_round, number=7, signer_name="Trần Thị Lan")
    output = tmp_path / "bc.docx"
    call_command(
        "build_report",
        "--plan",
        str(annual_round.plan.pk),
        "--year",
        "2026",
        "--format",
        "docx",
        "-o",
        str(output),
        stdout=io.StringIO(),
    )
    document = Document(str(output))
    assert "Số: 07/BC-SCT" in document.tables[0].rows[0].cells[0].text
    assert any("Trần Thị Lan" in t.rows[0].cells[1].text for t in document.tables)


def test_unknown_plan_or_year_is_an_error(annual_round, tmp_path):
    args = ["--year", "2026", "--format", "pdf", "-o", str(tmp_path / "x.pdf")]
    with pytest.raises(CommandError, match="no-such-plan"):
        call_command("build_report", "--plan", "no-such-plan", *args)
    with pytest.raises(CommandError, match="no annual round for 2031"):
        call_command(
            "build_report",
            "--plan",
            annual_round.plan.code,
            "--year",
            "2031",
            "--format",
            "pdf",
            "-o",
            str(tmp_path / "x.pdf"),
        )
    assert not (tmp_path / "x.pdf").exists()
