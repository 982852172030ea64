"""Make ``data/geo/europe_countries.geojson`` from Natural Earth's countries, as shipped by ``world-atlas``.

The book draws its maps from this small file, so no page ever fetches a base
map. Run it only to rebuild the file (the output is committed)::

    npm pack world-atlas@2.0.2          # Natural Earth 4.1.0 as TopoJSON (no install needed)
    tar xzf world-atlas-2.0.2.tgz package/countries-50m.json
    python tools/make_europe_geojson.py package/countries-50m.json

Steps: decode the TopoJSON arcs; keep the countries that reach into Europe
and western Asia; simplify each shared arc once (Douglas–Peucker), so that
neighbours keep one common border; drop islands too small to see at this
scale; clip to the map's box; round to 0.01° (about 1 km). Standard library
only.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from nato_russia.maps import clip  # noqa: E402  (the same clipping the maps use)

OUTPUT = ROOT / "data" / "geo" / "europe_countries.geojson"
BOX = (-26.0, 30.0, 90.0, 82.0)  # west, south, east, north in degrees; beyond every map view
TOLERANCE = 0.04  # degrees kept by the simplification
SMALLEST_ISLAND = 0.08  # square degrees; smaller extra rings are dropped
DECIMALS = 2

# ISO 3166-1 numeric -> alpha-3 for every country the box touches, and the
# state each territory belongs to (whose NATO status it shares on the map).
ISO3 = {
    "008": "ALB", "012": "DZA", "020": "AND", "031": "AZE", "040": "AUT", "051": "ARM", "056": "BEL",
    "070": "BIH", "100": "BGR", "112": "BLR", "191": "HRV", "196": "CYP", "203": "CZE", "208": "DNK",
    "233": "EST", "234": "FRO", "246": "FIN", "248": "ALA", "250": "FRA", "268": "GEO", "275": "PSE",
    "276": "DEU", "300": "GRC", "304": "GRL", "336": "VAT", "348": "HUN", "352": "ISL", "364": "IRN",
    "368": "IRQ", "372": "IRL", "376": "ISR", "380": "ITA", "398": "KAZ", "400": "JOR", "414": "KWT",
    "422": "LBN", "428": "LVA", "434": "LBY", "438": "LIE", "440": "LTU", "442": "LUX", "470": "MLT",
    "492": "MCO", "498": "MDA", "499": "MNE", "504": "MAR", "528": "NLD", "578": "NOR", "616": "POL",
    "620": "PRT", "642": "ROU", "643": "RUS", "674": "SMR", "682": "SAU", "688": "SRB", "703": "SVK",
    "705": "SVN", "724": "ESP", "752": "SWE", "756": "CHE", "760": "SYR", "788": "TUN", "792": "TUR",
    "795": "TKM", "804": "UKR", "807": "MKD", "818": "EGY", "826": "GBR", "831": "GGY", "832": "JEY",
    "833": "IMN", "840": "USA", "860": "UZB", "004": "AFG", "417": "KGZ", "762": "TJK", "586": "PAK",
    "156": "CHN", "496": "MNG",
}
UNNUMBERED = {"Kosovo": "XKX", "N. Cyprus": "CYN"}  # no ISO number in Natural Earth
SOVEREIGN = {"FRO": "DNK", "GRL": "DNK", "ALA": "FIN", "GGY": "GBR", "JEY": "GBR", "IMN": "GBR"}
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


def area(points: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))) / 2


def rounded(points):
    out = []
    for x, y in points:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def features(topology: dict) -> list[dict]:
    arcs = [simplify(arc, TOLERANCE) for arc in decode_arcs(topology)]
    found = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        code = ISO3.get(geometry.get("id")) or UNNUMBERED.get(name)
        if code is None:
            continue
        if code in SKIP:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes = []
        for polygon in polygons:
            rings = [clip(ring(r, arcs), BOX) for r in polygon]
            if len(rings[0]) >= 3:
                shapes.append([rounded(r) for r in rings if len(r) >= 3])
        shapes = [s for s in shapes if len(s[0]) >= 4]
        if not shapes:
            continue
        largest = max(area(shape[0]) for shape in shapes)
        shapes = [s for s in shapes if area(s[0]) >= SMALLEST_ISLAND or area(s[0]) == largest]
        shapes = [[r for r in s if len(r) >= 4] for s in shapes]
        shapes = [s for s in shapes if s and len(s[0]) >= 4]
        if not shapes:  # a microstate that simplifies to nothing at this scale
            continue
        found.append({
            "type": "Feature",
            "properties": {"iso3": code, "name": name, "sovereign": SOVEREIGN.get(code, code)},
            "geometry": {"type": "MultiPolygon", "coordinates": shapes},
        })
    return sorted(found, key=lambda f: f["properties"]["iso3"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="countries-50m.json from the world-atlas npm package")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    unknown = [g["properties"]["name"] for g in topology["objects"]["countries"]["geometries"]
               if g.get("id") is None and g["properties"]["name"] not in UNNUMBERED]
    collection = {
        "type": "FeatureCollection",
        "properties": {
            "source": "Natural Earth 4.1.0 Admin 0 countries, 1:50m, via the world-atlas 2.0.2 npm package (TopoJSON)",
            "made_by": "tools/make_europe_geojson.py",
            "box_west_south_east_north": list(BOX),
            "simplified_to_degrees": TOLERANCE,
        },
        "features": features(topology),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(collection['features'])} countries, {args.output.stat().st_size / 1024:.0f} KB"
          + (f"; skipped unnumbered shapes outside the box: {unknown}" if unknown else ""))


if __name__ == "__main__":
    main()
