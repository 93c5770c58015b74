"""A map that needs no tile server: the province's communes as points on a blank background (an
equirectangular projection scaled by the latitude's cosine), the unit in view highlighted, each point
a link. Tiles are drawn on top only when MAP_TILE_URL is configured."""

from __future__ import annotations

import math
from dataclasses import dataclass

from units.models import Unit, UnitKind

WIDTH = 400
PAD = 12


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    unit: Unit
    current: bool


@dataclass(frozen=True)
class PointMap:
    width: int
    height: int
    points: list[Point]
    province: Unit


def province_of(unit: Unit) -> Unit | None:
    if unit.kind == UnitKind.PROVINCE:
        return unit
    return next((a for a in unit.ancestors() if a.kind == UnitKind.PROVINCE), None)


def point_map(unit: Unit) -> PointMap | None:
    province = province_of(unit)
    if province is None:
        return None
    communes = list(
        Unit.objects.filter(path__startswith=province.path, kind=UnitKind.COMMUNE, latitude__isnull=False, longitude__isnull=False)
        .only("id", "name", "code", "edition", "latitude", "longitude", "path")
        .order_by("name")
    )
    if len(communes) < 2:
        return None
    lats = [c.latitude or 0.0 for c in communes]
    lons = [c.longitude or 0.0 for c in communes]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * scale_x, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    inner = WIDTH - 2 * PAD
    height = round(inner * span_y / span_x) + 2 * PAD
    if height > WIDTH * 1.5:  # a tall province: fit the height instead
        factor = (WIDTH * 1.5 - 2 * PAD) / (height - 2 * PAD)
        inner = round(inner * factor)
        height = round(WIDTH * 1.5)
    points = [
        Point(
            x=round(PAD + ((c.longitude or 0.0) - min(lons)) * scale_x / span_x * inner, 1),
            y=round(PAD + (max(lats) - (c.latitude or 0.0)) / span_y * (height - 2 * PAD), 1),
            unit=c,
            current=unit.path.startswith(c.path),
        )
        for c in communes
    ]
    points.sort(key=lambda p: p.current)  # the highlighted point drawn last, on top
    return PointMap(width=WIDTH, height=height, points=points, province=province)
