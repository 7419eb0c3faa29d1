"""One entry point from gathered content to file bytes, whatever the format."""

from __future__ import annotations

from dataclasses import dataclass

from .content import ReportContent

FORMATS = ("pdf", "docx", "xlsx")


@dataclass
class Built:
    data: bytes
    pages: int | None = None  # PDF only


def build(fmt: str, content: ReportContent) -> Built:
    if fmt == "pdf":
        from .pdf import build_pdf

        pdf = build_pdf(content)
        return Built(pdf.data, pdf.pages)
    if fmt == "docx":
        from .docx import build_docx

        return Built(build_docx(content))
    if fmt == "xlsx":
        from .xlsx import build_xlsx

        return Built(build_xlsx(content))
    raise ValueError(f"unknown format {fmt!r}")
