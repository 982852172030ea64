"""Geography for the maps: Natural Earth outlines with the dates their borders held, projected and cut to a view.

The outlines in ``data/geo/europe_countries.geojson`` (see ``data/geo/README.md``)
carry the first and last day each holds, from 1 January 1993 to 31 December
2010; ``load_countries(borders=...)`` returns those of one date. They are
projected with a Lambert azimuthal equal-area projection centred on Europe, in
km, and cut to the box a map shows. No drawing here (``maps.py`` draws).
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .data import data_dir
from .text import format_date

GEOMETRY = Path("geo") / "europe_countries.geojson"
CENTRE = (15.0, 53.0)  # longitude, latitude of the projection's centre
EARTH_RADIUS_KM = 6371.0


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Lambert azimuthal equal-area (spherical), in km from :data:`CENTRE`."""
    lam, phi = math.radians(longitude - CENTRE[0]), math.radians(latitude)
    phi0 = math.radians(CENTRE[1])
    k = math.sqrt(2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)))
    x = EARTH_RADIUS_KM * k * math.cos(phi) * math.sin(lam)
    y = EARTH_RADIUS_KM * k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return x, y


@lru_cache(maxsize=2)
def _read_outlines(path: str) -> tuple[tuple[date, date], tuple[tuple[date | None, date | None, dict], ...]]:
    """The first and last day the file covers, and each feature with the day it starts and the day it ends."""
    collection = json.loads(Path(path).read_text(encoding="utf-8"))
    covered = [_iso_date(collection.get("properties", {}).get(field), f"{path}: the collection's properties.{field}",
                         nullable=False) for field in ("borders_from", "borders_until")]
    dated = []
    for index, feature in enumerate(collection["features"]):
        properties = feature["properties"]
        missing = [field for field in ("from", "until") if field not in properties]
        if missing:
            raise ValueError(f"{path}: feature {index} ({properties.get('iso3')}) has no field {missing[0]!r}; every "
                             "outline says from when and until when it holds (null: from the range's start, or to its "
                             "end). Remake the file with tools/make_europe_geojson.py.")
        dated.append(tuple(_iso_date(properties[field], f"{path}: feature {index} ({properties.get('iso3')}), "
                                     f"field {field!r}") for field in ("from", "until")) + (feature,))
    return (covered[0], covered[1] - timedelta(days=1)), tuple(dated)


def _iso_date(value, where: str, nullable: bool = True) -> date | None:
    if value is None and nullable:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where} is {value!r}; expected an ISO date such as '2008-02-17'"
                         + (" or null" if nullable else "")) from None


def borders_date(borders) -> date:
    """The date a map's borders are drawn for, from a date or an ISO string such as ``"2010-12-31"``."""
    if isinstance(borders, datetime):
        return borders.date()
    if isinstance(borders, date):
        return borders
    if isinstance(borders, str):
        try:
            return date.fromisoformat(borders)
        except ValueError:
            pass
    raise ValueError(f"borders={borders!r} is not a date; give one such as '2010-12-31' or datetime.date(2010, 12, 31)")


def borders_text(borders) -> str:
    """'Borders as of 31 December 2010', the note every map carries."""
    return f"Borders as of {format_date(pd.Timestamp(borders_date(borders)))}"


def load_countries(folder: Path | None = None, *, borders) -> dict[str, dict]:
    """Country outlines as they stood on the date ``borders``, by ISO 3166 alpha-3 code.

    ``XKX`` is Kosovo (drawn apart from 17 February 2008), ``YUG`` the Federal
    Republic of Yugoslavia and ``SCG`` Serbia and Montenegro (before 3 June
    2006); ``data/geo/README.md`` lists the dated outlines. A date outside
    the range the file covers raises ``ValueError``.
    """
    path = (folder or data_dir()) / GEOMETRY
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: the maps need the country outlines (see data/geo/README.md).")
    when = borders_date(borders)
    (first, last), features = _read_outlines(str(path))
    if not first <= when <= last:
        raise ValueError(f"borders={when.isoformat()}: {path.name} holds the borders of {first.isoformat()} "
                         f"to {last.isoformat()} (both included) only; choose a date in that range.")
    countries: dict[str, dict] = {}
    for starts, ends, feature in features:
        if (starts is None or starts <= when) and (ends is None or when < ends):
            code = feature["properties"]["iso3"]
            if code in countries:
                raise ValueError(f"{path}: two outlines of {code} hold on {when.isoformat()}; "
                                 "their from/until dates must not overlap.")
            countries[code] = feature
    return countries


def clip(points: list[tuple[float, float]], box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """A ring cut to a box (west, south, east, north): Sutherland–Hodgman, one side at a time."""
    west, south, east, north = box
    sides = [(lambda p: p[0] >= west, 0, west), (lambda p: p[0] <= east, 0, east),
             (lambda p: p[1] >= south, 1, south), (lambda p: p[1] <= north, 1, north)]
    for inside, axis, value in sides:
        if not points:
            break
        kept = []
        for current, following in zip(points, points[1:] + points[:1]):
            if inside(current):
                kept.append(current)
            if inside(current) != inside(following):
                t = (value - current[axis]) / (following[axis] - current[axis])
                kept.append(tuple(c + t * (f - c) for c, f in zip(current, following)))
        points = kept
    return points


def outline_xy(feature: dict, box: tuple[float, float, float, float]) -> tuple[list, list]:
    """Projected x and y of every ring cut to the box, rounded to 1 km, ``None`` between rings."""
    xs, ys = [], []
    for polygon in feature["geometry"]["coordinates"]:
        for ring in polygon:
            cut = clip([project(lon, lat) for lon, lat in ring], box)
            if len(cut) < 3:
                continue
            xs += [round(x) for x, _ in cut] + [round(cut[0][0]), None]
            ys += [round(y) for _, y in cut] + [round(cut[0][1]), None]
    return xs[:-1], ys[:-1]


def label_point(feature: dict, box=None, west_of: float | None = None) -> tuple[float, float]:
    """Centroid of the country's largest polygon, as far as it lies in the box (or west of a longitude)."""
    polygons = feature["geometry"]["coordinates"]
    if west_of is not None:
        polygons = [p for p in polygons if max(lon for lon, _ in p[0]) < west_of]
    rings = [[project(lon, lat) for lon, lat in polygon[0]] for polygon in polygons]
    if box is not None:
        rings = [clip(ring, box) for ring in rings]
    ring = max(rings, key=lambda r: _area(r) if len(r) >= 3 else 0)
    signed = _signed_area(ring)
    pairs = list(zip(ring, ring[1:] + ring[:1]))
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in pairs) / (6 * signed)
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in pairs) / (6 * signed)
    return cx, cy


def _signed_area(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1])) / 2


def _area(ring) -> float:
    return abs(_signed_area(ring))


def view_box(view: list[tuple[float, float]], margin_km: float = 80) -> tuple[float, float, float, float]:
    """The projected box (west, south, east, north, in km) that holds the view's points."""
    points = [project(lon, lat) for lon, lat in view]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs) - margin_km, min(ys) - margin_km, max(xs) + margin_km, max(ys) + margin_km
