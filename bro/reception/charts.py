"""A small server-side SVG bar chart: no JavaScript, and every chart has a table next to it."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

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
