"""A server-rendered bar chart (inline SVG, no JavaScript). The table next to it is its text alternative."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Colours with at least 3:1 against white (WCAG 1.4.11 for graphics), told apart by the legend too.
SERIES_COLOURS = ["#0062BA", "#7A4B00", "#1E7B3A"]
ROW_HEIGHT = 14
GAP = 10
LABEL_WIDTH = 170
BAR_WIDTH = 330


def grouped_bars(title_id: str, rows: list[tuple[str, list[int | None]]], series: list[str]) -> str:
    """Horizontal grouped bars: one group per row label, one bar per series, the value printed after it."""
    largest = max([v or 0 for _label, values in rows for v in values] + [1])
    group_height = ROW_HEIGHT * len(series) + GAP
    legend_height = 24
    height = legend_height + group_height * max(len(rows), 1) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 50
    parts = [
        f'<svg class="bro-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{escape(title_id)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="11" width="100%" style="max-width: 44rem; height: auto">'
    ]
    x = 0
    for i, name in enumerate(series):
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{SERIES_COLOURS[i % 3]}"/>')
        parts.append(f'<text x="{x + 16}" y="14" fill="#1E2B3C">{escape(name)}</text>')
        x += 16 + 7 * len(name) + 20
    for r, (label, values) in enumerate(rows):
        top = legend_height + r * group_height
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{top + ROW_HEIGHT * len(series) / 2 + 4}" text-anchor="end" '
            f'fill="#1E2B3C">{escape(label[:28])}</text>'
        )
        for s, value in enumerate(values):
            y = top + s * ROW_HEIGHT
            length = round(BAR_WIDTH * (value or 0) / largest)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 1}" width="{length}" height="{ROW_HEIGHT - 3}" '
                f'fill="{SERIES_COLOURS[s % 3]}"/>'
            )
            shown = "–" if value is None else str(value)
            parts.append(
                f'<text x="{LABEL_WIDTH + length + 4}" y="{y + ROW_HEIGHT - 3}" fill="#1E2B3C">{shown}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
