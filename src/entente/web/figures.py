"""The conferences drawn on the server as SVG: a chart per year against the treaty's minimum, and a map.

The map's outlines are Natural Earth's (1:50m), shipped in the npm package
world-atlas as TopoJSON; they are today's borders, and the map says so.  The
places are located from ``data/places.json`` (each place's coordinates, by its
English name).  No tiles, no script: the page works with no network.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from entente.vocabulary.treaty import Treaty

HERE = Path(__file__).parent
OUTLINES = HERE / "static" / "vendor" / "world-atlas" / "countries-50m.json"
PLACES = HERE / "data" / "places.json"


def minimum_per_year(treaties: Mapping[str, Treaty]) -> tuple[str, int] | None:
    """(instrument, minimum) of the first rule that asks for a number of meetings every calendar year."""
    for treaty in treaties.values():
        for article in treaty.articles:
            for rule in article.rules:
                settings = rule.settings
                if rule.kind == "periodic_meetings" and settings.get("period", "calendar_year") == "calendar_year":
                    return treaty.instrument, int(settings["minimum"])
    return None


def per_year(rows: Sequence[dict[str, Any]], minimum: tuple[str, int] | None) -> dict[str, Any] | None:
    """Bars (conferences of the instrument per year, every year from its first to its last) and the minimum line."""
    if minimum is None:
        return None
    instrument, least = minimum
    years = Counter(int(r["start"][:4]) for r in rows if r["instrument"] == instrument)
    if not years:
        return None
    span = list(range(min(years), max(years) + 1))
    top = max(max(years.values()), least) + 1
    width, height, left, bottom, bar = 60 * len(span) + 50, 220, 40, 30, 36
    scale = (height - bottom - 10) / top

    def y(value: float) -> float:
        return round(height - bottom - value * scale, 1)

    return {
        "instrument": instrument, "minimum": least, "width": width, "height": height, "left": left,
        "ticks": [{"value": v, "y": y(v)} for v in range(top + 1)],
        "bars": [{"year": year, "count": years[year], "x": left + 12 + 60 * i, "y": y(years[year]),
                  "height": round(years[year] * scale, 1), "width": bar, "below": years[year] < least}
                 for i, year in enumerate(span)],
        "min_y": y(least), "axis_y": y(0),
    }


@cache
def _countries() -> list[tuple[str, list[list[tuple[float, float]]]]]:
    """Every country of the outline data as (name, rings of (longitude, latitude))."""
    topology = json.loads(OUTLINES.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:  # quantized, each point a delta from the one before
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            out.extend(arcs[i] if i >= 0 else arcs[~i][::-1])
        return out

    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        countries.append((geometry.get("properties", {}).get("name", ""),
                          [ring(r) for polygon in polygons for r in polygon]))
    return countries


@cache
def _places() -> dict[str, tuple[float, float]]:
    return {name: (lon, lat) for name, (lon, lat) in json.loads(PLACES.read_text(encoding="utf-8")).items()}


def host_map(rows: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The places the conferences met, with how many met there, over the outlines of the countries around them."""
    met = Counter(r["place"] for r in rows if r["place"] in _places())
    return _drawn(tuple(sorted(met.items()))) if met else None


@cache
def _drawn(met: tuple[tuple[str, int], ...], width: int = 560) -> dict[str, Any]:
    lons = [_places()[p][0] for p, _ in met]
    lats = [_places()[p][1] for p, _ in met]
    south, north = min(lats) - 2.5, max(lats) + 2.5
    squash = math.cos(math.radians((north + south) / 2))  # equirectangular, true to scale at mid-latitude
    # At least half as wide again as it is tall, centred on the places.
    half = max((max(lons) - min(lons)) / 2 + 4, 0.75 * (north - south) / squash)
    west, east = (min(lons) + max(lons)) / 2 - half, (min(lons) + max(lons)) / 2 + half
    scale = width / ((east - west) * squash)
    height = round((north - south) * scale)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - west) * squash * scale, 1), round((north - lat) * scale, 1)

    def clamped(lon: float, lat: float) -> tuple[float, float]:
        # Points beyond the frame are pulled onto a band just outside it: what shows inside is unchanged.
        x, y = xy(lon, lat)
        return min(max(x, -10), width + 10), min(max(y, -10), height + 10)

    def near(ring: list[tuple[float, float]]) -> bool:
        return any(west < lon < east and south < lat < north for lon, lat in ring)

    def path(ring: list[tuple[float, float]]) -> str:
        points = [clamped(lon, lat) for lon, lat in ring]
        kept = [points[0]]
        for x, y in points[1:]:  # a point under a pixel from the last one kept adds nothing to see
            if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 1.5:
                kept.append((x, y))
        return "M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z"

    outlines = [{"name": name, "path": " ".join(path(r) for r in rings if near(r))}
                for name, rings in _countries() if any(near(r) for r in rings)]
    at = {name: xy(*_places()[name]) for name, _ in met}

    def crowded(name: str) -> bool:  # a close neighbour to the east: the label goes on the west side
        x, y = at[name]
        return any(0 < ox - x < 40 and abs(oy - y) < 14 for ox, oy in at.values())

    places = [{"name": name, "count": count, "x": at[name][0], "y": at[name][1], "r": 4 + 2 * count,
               "left": crowded(name)} for name, count in met]
    return {"width": width, "height": height, "outlines": outlines, "places": places}
