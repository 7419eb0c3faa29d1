"""Charts for the printed report as hand-written SVG: vector, no JavaScript, no chart library,
and the text set in the report's own font (WeasyPrint draws inline SVG itself)."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from dashboard import figures
from tasks.models import TaskStatus

from .content import nfc, status_text, vn_number

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


def _text(x: float, y: float, text: str, *, size: float = 9, anchor: str = "start", **extra):
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


MIN_FONT = 9.0  # pt: the smallest text in a printed chart


def nice_ticks(values: list[Decimal], count: int = 5) -> list[Decimal]:
    """Round axis ticks covering the values: a step of 1, 2, 2.5 or 5 × 10^k, starting at 0
    when the values are all positive and not far from it (38,5 / 35,1 never: 30 / 35 / 40)."""
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    if low >= 0 and low < (high - low):
        low = Decimal(0)
    raw = (high - low) / (count - 1)
    magnitude = Decimal(10) ** (raw.adjusted())
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        step = factor * magnitude
        if step >= raw:
            break
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = [first]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return [t.quantize(Decimal(1)) if t == t.to_integral() else t.normalize() for t in ticks]


def target_chart(figure: figures.TargetFigure, first_year: int, width: float = 340) -> str:
    """A target's reported value per year (solid, dots) against its course to the horizon
    (dashed). Empty string for a qualitative target or one with nothing to draw."""
    target = figure.target
    if target.is_qualitative or not (figure.actuals or figure.path):
        return ""
    years = list(range(min([first_year, *figure.actuals, *figure.path]), target.year + 1))
    values = [*figure.actuals.values(), *figure.path.values()]
    ticks = nice_ticks(values)
    low, high = float(ticks[0]), float(ticks[-1])
    height, left, right, top, bottom = 190.0, 40.0, 10.0, 34.0, 30.0
    plot_w, plot_h = width - left - right, height - top - bottom
    title_lines = _wrap(f"{target.code}. {target.name}", 60)
    top += 11 * (len(title_lines) - 1)
    height += 11 * (len(title_lines) - 1)

    def x(year: int) -> float:
        return left + plot_w * (year - years[0]) / max(1, len(years) - 1)

    def y(value: Decimal) -> float:
        return top + plot_h * (1 - (float(value) - low) / (high - low))

    body = [
        _text(left, 10 + 11 * n, line, size=9.5, font_weight="bold")
        for n, line in enumerate(title_lines)
    ]
    # The unit is written on the axis, once, above its values.
    body.append(_text(4, top - 8, f"Đơn vị: {target.unit}" if target.unit else "", size=MIN_FONT))
    for tick in ticks:  # horizontal grid with round values
        gy = y(tick)
        body.append(
            f'<line x1="{left}" y1="{gy:.1f}" x2="{width - right}" y2="{gy:.1f}" '
            f'stroke="#ccc" stroke-width="0.5"/>'
        )
        body.append(_text(left - 3, gy + 3, vn_number(tick), anchor="end", size=MIN_FONT))
    for year in years:
        if len(years) <= 8 or year % 2 == 0:
            body.append(_text(x(year), height - 14, str(year), anchor="middle", size=MIN_FONT))
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
            body.append(
                _text(x(yr), y(value) - 5, vn_number(value), anchor="middle", size=MIN_FONT)
            )
    legend_y = height - 0.5
    body.append(
        f'<line x1="{left}" y1="{legend_y - 3}" x2="{left + 18}" y2="{legend_y - 3}" '
        f'stroke="#0b4a8b" stroke-width="1.6"/>'
    )
    body.append(_text(left + 21, legend_y, "Thực hiện", size=MIN_FONT))
    body.append(
        f'<line x1="{left + 80}" y1="{legend_y - 3}" x2="{left + 98}" y2="{legend_y - 3}" '
        f'stroke="#555" stroke-dasharray="4 3"/>'
    )
    body.append(_text(left + 101, legend_y, f"Lộ trình đến năm {target.year}", size=MIN_FONT))
    return _svg(width, height + 2, body, f"{target.code} {target.name}")


def status_by_agency_chart(task_figures: list[figures.TaskFigure], width: float = 460) -> str:
    """Stacked horizontal bars: each answering agency's tasks by derived status."""
    groups = figures.status_counts_by(task_figures, "agency")
    if not groups:
        return ""
    names = sorted(groups, key=lambda name: (-sum(groups[name].values()), name))
    most = max(sum(c.values()) for c in groups.values())
    label_w, bar_h, gap, top = 170.0, 12.0, 4.0, 6.0
    plot_w = width - label_w - 30
    per_row = 3
    legend_rows = -(-len(TaskStatus) // per_row)
    height = top + len(names) * (bar_h + gap) + 14 * legend_rows + 8
    body = []
    for i, name in enumerate(names):
        y = top + i * (bar_h + gap)
        body.append(_text(label_w - 4, y + bar_h - 2.5, name[:38], anchor="end", size=MIN_FONT))
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
        body.append(_text(x + 3, y + bar_h - 2.5, str(total), size=MIN_FONT))
    legend_y = top + len(names) * (bar_h + gap) + 8
    for i, status in enumerate(TaskStatus):
        lx = 4 + (i % per_row) * (width / per_row)
        ly = legend_y + (i // per_row) * 14
        body.append(
            f'<rect x="{lx:.1f}" y="{ly:.1f}" width="9" height="9" '
            f'fill="{STATUS_COLOURS[status]}"/>'
        )
        body.append(_text(lx + 12, ly + 8, status_text(status), size=MIN_FONT))
    return _svg(width, height, body, "Tình trạng nhiệm vụ theo cơ quan")
