"""`manage.py build_report` for operators."""

import io
import re
import subprocess

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
        assert load_workbook(io.BytesIO(data)).sheetnames == [
            "Chỉ tiêu",
            "Nhiệm vụ",
            "Cơ quan báo cáo",
        ]


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


def test_it_writes_a_signed_pdf_with_the_signature_at_the_signature_block(
    annual_round, tmp_path, monkeypatch
):
    import hashlib

    import pdfplumber

    from signing.services import verify_pdf
    from tests.signing_support import P12_PASSWORD, build_pki, pdfsig

    pki = build_pki()
    p12 = tmp_path / "sct.p12"
    p12.write_bytes(pki.p12())
    output = tmp_path / "bc-ky.pdf"
    monkeypatch.setenv("SIGN_PW", P12_PASSWORD)
    out = io.StringIO()
    call_command(
        "build_report", "--plan", annual_round.plan.code, "--year", "2026", "--format", "pdf",
        "-o", str(output), "--sign-pkcs12", str(p12), "--sign-password-env", "SIGN_PW",
        stdout=out,
    )  # fmt: skip
    assert "Signed PAdES B-B" in out.getvalue()
    data = output.read_bytes()
    (check,) = verify_pdf(data, trust_roots=[pki.ca_cert])
    assert check.ok and check.signer and not check.modified
    report = pdfsig(output)
    assert "Signature is Valid" in report and "Total document signed" in report
    # The visible signature (agency, time with +07:00) is on the page of "Nơi nhận",
    # under the signer's authority, not in a corner of the last page.
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        number, page = next(
            (n, p) for n, p in enumerate(pdf.pages, 1) if "Nơi nhận:" in (p.extract_text() or "")
        )
        (widget,) = page.annots  # the signature field, nothing else
        authority = page.search("PHÓ GIÁM ĐỐC")[0]
        assert widget["top"] >= authority["bottom"] - 1
        assert widget["x0"] > page.width * 0.45 and widget["x1"] <= page.width - 15 * 72 / 25.4
    stamp = subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), str(output), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert f"Cơ quan: {annual_round.plan.focal_agency.name}" in " ".join(stamp.split())
    assert re.search(r"Thời gian ký: \d\d:\d\d:\d\d \d\d/\d\d/\d{4} \+07:00", stamp)
    # A byte changed after signing is reported as a modified document.
    at = 2000  # inside the first revision, which the signature covers
    tampered = bytearray(data)
    tampered[at] = (tampered[at] + 1) % 256
    (check,) = verify_pdf(bytes(tampered), trust_roots=[pki.ca_cert])
    assert check.modified and not check.ok
    assert hashlib.sha256(data).hexdigest() in out.getvalue()
