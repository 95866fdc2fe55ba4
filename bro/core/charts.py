"""Server-rendered SVG charts (no JavaScript). Each page shows the numbers in a table beside the chart,
which is its text alternative, so nothing is only in the picture."""

from __future__ import annotations

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 36, 24, 12


def bar_chart(points: list[tuple[str, int, int | None]], *, title: str, chart_id: str) -> SafeString:
    """Bars for (label, value, limit) points; a limit (capacity) is drawn as a dark line across its bar.

    The SVG is one image with a title (``role="img"``); the numbers are in the table the page shows
    beside it, so nothing is only in the picture.
    """
    top_value = max([1, *(v for _l, v, _c in points), *(c for _l, _v, c in points if c is not None)])
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(1, len(points))
    bar_w = slot * 0.6

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / top_value

    bars, limits, labels = [], [], []
    for i, (label, value, limit) in enumerate(points):
        x = LEFT + i * slot + (slot - bar_w) / 2
        bars.append((f"{x:.1f}", f"{y(value):.1f}", f"{bar_w:.1f}", f"{plot_h * value / top_value:.1f}"))
        if limit is not None:
            limits.append((f"{x - 2:.1f}", f"{y(limit):.1f}", f"{x + bar_w + 2:.1f}", f"{y(limit):.1f}"))
        labels.append((f"{x + bar_w / 2:.1f}", str(HEIGHT - 6), label))
    return format_html(
        '<svg class="bro-chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="{id}-title"'
        ' preserveAspectRatio="xMidYMid meet" style="max-width: 48rem; height: auto">'
        '<title id="{id}-title">{title}</title>'
        '<line x1="{left}" y1="{base}" x2="{w}" y2="{base}" stroke="currentColor" stroke-width="1"/>'
        '<text x="{lx}" y="{ty}" font-size="11" text-anchor="end" fill="currentColor">{top}</text>'
        '<text x="{lx}" y="{base}" font-size="11" text-anchor="end" fill="currentColor">0</text>'
        "{bars}{limits}{labels}</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        left=LEFT,
        base=TOP + plot_h,
        lx=LEFT - 4,
        ty=TOP + 4,
        top=top_value,
        bars=format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" style="fill: var(--ds-color-accent-base-default)"/>',
            bars,
        ),
        limits=format_html_join(
            "",
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" stroke-width="2" stroke-dasharray="4 2"/>',
            limits,
        ),
        labels=format_html_join(
            "",
            '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="currentColor">{}</text>',
            labels,
        ),
    )


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
