"""The report as PDF: a Django template rendered to HTML, laid out by WeasyPrint."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from . import charts
from .content import LANGUAGE, ReportContent

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
CHARTS_PER_ROW = 2  # 2 × 340 pt in Phụ lục I's landscape text width (252 mm ≈ 714 pt)


def _fonts_only():
    """A fetcher that loads the bundled fonts and nothing else: no network, no other file,
    whatever text a user typed into the report."""
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(url.removeprefix("file://")).resolve()
            if not url.startswith("file://") or path.parent != FONT_DIR.resolve():
                raise ValueError(f"refused to fetch {url!r}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols={"file"})


def render_html(content: ReportContent) -> str:
    """The finished HTML of the document, NFC-normalised (charts included, inline SVG)."""
    with translation.override(LANGUAGE):
        task_figures = [row.figure for row in content.tasks]
        target_charts = [
            mark_safe(svg)
            for row in content.targets
            if (svg := charts.target_chart(row.figure, content.plan.start_year))
        ]
        context = {
            "c": content,
            "r": content.report,
            # Rows of charts as they fit across the landscape page, each kept on one page.
            "target_chart_rows": [
                target_charts[i : i + CHARTS_PER_ROW]
                for i in range(0, len(target_charts), CHARTS_PER_ROW)
            ],
            "status_chart": mark_safe(charts.status_by_agency_chart(task_figures)),
        }
        html = render_to_string("annual/document.html", context)
    return unicodedata.normalize("NFC", html)


SIGNATURE_ID = "signature-place"
PX = 0.75  # WeasyPrint lays out in CSS px; PDF points are 3/4 of one


@dataclass
class Pdf:
    data: bytes
    pages: int
    # Where the agency's visible signature goes (Decree 30/2020 Appendix I): the space left
    # for it under the signer's authority, as (page index, (x1, y1, x2, y2)) in PDF points
    # from the bottom left, the form signing.services takes.
    signature_place: tuple[int, tuple[int, int, int, int]] | None = None


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def signature_place(document) -> tuple[int, tuple[int, int, int, int]] | None:
    """The page and box of the element with id 'signature-place' in a rendered document."""
    for index, page in enumerate(document.pages):
        for box in _boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == SIGNATURE_ID:
                x, y = box.content_box_x() * PX, box.content_box_y() * PX
                width, height = box.width * PX, box.height * PX
                top = page.height * PX - y
                return index, (round(x), round(top - height), round(x + width), round(top))
    return None


def html_to_pdf(html: str) -> Pdf:
    """WeasyPrint's own work on finished HTML (what bench/report.py times on its own)."""
    from weasyprint import HTML

    document = HTML(
        string=html, base_url=str(FONT_DIR.parent) + "/", url_fetcher=_fonts_only()
    ).render()
    return Pdf(
        data=document.write_pdf(),
        pages=len(document.pages),
        signature_place=signature_place(document),
    )


def svg_to_png(svg: str, *, dpi: int = 200) -> tuple[bytes, float, float]:
    """A chart's SVG (the one the PDF draws) as PNG for Word, drawn by WeasyPrint and rasterised
    by pdfium: the same picture in both files. Returns the PNG and its size in points."""
    import re

    import pypdfium2
    from weasyprint import HTML

    width, height = (
        float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
    )
    html = (
        f"<style>{_font_faces()}@page {{ size: {width}pt {height}pt; margin: 0 }} "
        f"body {{ margin: 0 }} svg {{ display: block }}</style>{svg}"
    )
    pdf = HTML(
        string=html, base_url=str(FONT_DIR.parent) + "/", url_fetcher=_fonts_only()
    ).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), width, height


def _font_faces() -> str:
    css = render_to_string("annual/print.css")
    return "".join(line + "\n" for line in css.splitlines() if line.startswith("@font-face"))


def build_pdf(content: ReportContent) -> Pdf:
    return html_to_pdf(render_html(content))
