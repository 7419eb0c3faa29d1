"""Charts for the printed report as hand-written SVG: vector, no JavaScript, no chart library,
and the text set in the report's own font (WeasyPrint draws inline SVG itself)."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from dashboard import figures
from tasks.models import TaskStatus

from .content import nfc, vn_number

FONT = "LiberationSerifBundled"
# Grey-friendly colours: the report is often printed in black and white.
STATUS_COLOURS = {
    TaskStatus.DONE_ON_TIME: "#1b5e20",
    TaskStatus.DONE_LATE: "#81c784",
    TaskStatus.IN_PROGRESS: "#1565c0",
    TaskStatus.OVERDUE: "#c62828",
    TaskStatus.NOT_STARTED: "#ffb300",
    TaskStatus.ONGOING: "#90caf9",
    TaskStatus.NOT_REPORTED: "#bdbdbd",
}


def _text(x: float, y: float, text: str, *, size: float = 8, anchor: str = "start", **extra):
    attributes = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in extra.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="#000"{attributes}>{escape(nfc(text))}</text>'
    )


def _svg(width: float, height: float, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}pt" height="{height:.0f}pt" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{escape(nfc(label))}">'
        + "".join(body)
        + "</svg>"
    )


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _nice_range(values: list[Decimal]) -> tuple[float, float]:
    low, high = float(min(values)), float(max(values))
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    low = 0.0 if low >= 0 and low - pad < (high - low) else low - pad
    return low, high + pad


def target_chart(figure: figures.TargetFigure, first_year: int, width: float = 340) -> str:
    """A target's reported value per year (solid, dots) against its course to the horizon
    (dashed). Empty string for a qualitative target or one with nothing to draw."""
    target = figure.target
    if target.is_qualitative or not (figure.actuals or figure.path):
        return ""
    years = list(range(min([first_year, *figure.actuals, *figure.path]), target.year + 1))
    values = [*figure.actuals.values(), *figure.path.values()]
    low, high = _nice_range(values)
    height, left, right, top, bottom = 170.0, 34.0, 10.0, 22.0, 24.0
    plot_w, plot_h = width - left - right, height - top - bottom
    title_lines = _wrap(f"{target.code}. {target.name}", 72)
    top += 10 * (len(title_lines) - 1)
    height += 10 * (len(title_lines) - 1)

    def x(year: int) -> float:
        return left + plot_w * (year - years[0]) / max(1, len(years) - 1)

    def y(value: Decimal) -> float:
        return top + plot_h * (1 - (float(value) - low) / (high - low))

    body = [
        _text(left, 10 + 10 * n, line, size=8.5, font_weight="bold")
        for n, line in enumerate(title_lines)
    ]
    for step in range(5):  # horizontal grid with values
        value = low + (high - low) * step / 4
        gy = top + plot_h * (1 - step / 4)
        body.append(
            f'<line x1="{left}" y1="{gy:.1f}" x2="{width - right}" y2="{gy:.1f}" '
            f'stroke="#ccc" stroke-width="0.5"/>'
        )
        body.append(_text(left - 3, gy + 3, vn_number(Decimal(f"{value:.1f}")), anchor="end"))
    for year in years:
        if len(years) <= 12 or year % 2 == 0:
            body.append(_text(x(year), height - 8, str(year), anchor="middle", size=7))
    if figure.path:
        points = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in sorted(figure.path.items()))
        body.append(
            f'<polyline points="{points}" fill="none" stroke="#555" stroke-width="1" '
            f'stroke-dasharray="4 3"/>'
        )
    if figure.actuals:
        actuals = sorted(figure.actuals.items())
        points = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in actuals)
        body.append(
            f'<polyline points="{points}" fill="none" stroke="#0b4a8b" stroke-width="1.6"/>'
        )
        for yr, value in actuals:
            body.append(f'<circle cx="{x(yr):.1f}" cy="{y(value):.1f}" r="2.4" fill="#0b4a8b"/>')
            body.append(_text(x(yr), y(value) - 5, vn_number(value), anchor="middle", size=7))
    legend_y = height - 0.5
    body.append(
        f'<line x1="{left}" y1="{legend_y - 3}" x2="{left + 18}" y2="{legend_y - 3}" '
        f'stroke="#0b4a8b" stroke-width="1.6"/>'
    )
    body.append(_text(left + 21, legend_y, "Thực hiện", size=7))
    body.append(
        f'<line x1="{left + 70}" y1="{legend_y - 3}" x2="{left + 88}" y2="{legend_y - 3}" '
        f'stroke="#555" stroke-dasharray="4 3"/>'
    )
    body.append(_text(left + 91, legend_y, f"Lộ trình đến năm {target.year}", size=7))
    return _svg(width, height + 2, body, f"{target.code} {target.name}")


def status_by_agency_chart(task_figures: list[figures.TaskFigure], width: float = 480) -> str:
    """Stacked horizontal bars: each answering agency's tasks by derived status."""
    groups = figures.status_counts_by(task_figures, "agency")
    if not groups:
        return ""
    names = sorted(groups, key=lambda name: (-sum(groups[name].values()), name))
    most = max(sum(c.values()) for c in groups.values())
    label_w, bar_h, gap, top = 150.0, 11.0, 4.0, 6.0
    plot_w = width - label_w - 30
    legend_rows = 2
    height = top + len(names) * (bar_h + gap) + 14 * legend_rows + 8
    body = []
    for i, name in enumerate(names):
        y = top + i * (bar_h + gap)
        body.append(_text(label_w - 4, y + bar_h - 2.5, name[:40], anchor="end", size=7.5))
        x = label_w
        total = 0
        for status, count in groups[name].items():
            if not count:
                continue
            w = plot_w * count / most
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{STATUS_COLOURS[status]}" stroke="#fff" stroke-width="0.4"/>'
            )
            x += w
            total += count
        body.append(_text(x + 3, y + bar_h - 2.5, str(total), size=7.5))
    legend_y = top + len(names) * (bar_h + gap) + 8
    per_row = 4
    for i, status in enumerate(TaskStatus):
        lx = label_w - 140 + (i % per_row) * 130
        ly = legend_y + (i // per_row) * 14
        body.append(
            f'<rect x="{lx:.1f}" y="{ly:.1f}" width="9" height="9" '
            f'fill="{STATUS_COLOURS[status]}"/>'
        )
        body.append(_text(lx + 12, ly + 8, str(status.label), size=7))
    return _svg(width, height, body, "Tình trạng nhiệm vụ theo cơ quan")
