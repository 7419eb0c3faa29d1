"""The report as PDF: a Django template rendered to HTML, laid out by WeasyPrint."""

from __future__ import annotations

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


@dataclass
class Pdf:
    data: bytes
    pages: int


def html_to_pdf(html: str) -> Pdf:
    """WeasyPrint's own work on finished HTML (what bench/report.py times on its own)."""
    from weasyprint import HTML

    document = HTML(
        string=html, base_url=str(FONT_DIR.parent) + "/", url_fetcher=_fonts_only()
    ).render()
    return Pdf(data=document.write_pdf(), pages=len(document.pages))


def build_pdf(content: ReportContent) -> Pdf:
    return html_to_pdf(render_html(content))
