#!/usr/bin/env python3
"""The low-detail world around the region (data/world.geojson) and the world test file.

    python3 data/build/world.py            # reuses BORDERLENS_DATA_CACHE like build.py

world.geojson: Natural Earth 1:50m countries from the npm package world-atlas 2.0.2
(countries-50m.json, public domain), coordinates rounded to 0.01 degree (about 1 km, finer than
the 1:50m data's own vertex spacing). The map draws it beneath the detailed layers, fill only,
cut out of the detailed box (36-52E, 36-46N), whose own layers cover it edge to edge. Near the
region (NEAR) the 1:50m detail is kept; farther away each shared arc is simplified. Rings across
the antimeridian are cut there, and every country is cut by a 5-degree grid into one feature
per cell, so that a view culls what it does not show. Countries get ISO alpha-3 ids (from names.py, else
from QGIS's world_map.gpkg by name) and a graph colouring over shared arcs, with the detailed
layer's colour index kept for the countries it holds.

tests/fixtures/world-110m.geojson: the 1:110m countries, the small world file tests use.
"""
import json
import os
import sqlite3
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sources  # noqa: E402
import names    # noqa: E402
import build    # noqa: E402  (TopoJSON decoding, GeoJSON writing)

ROOT = os.path.dirname(build.DATA)


def a3_by_name(gpkg):
    c = sqlite3.connect(gpkg)
    return {n: a for n, a in c.execute("SELECT NAME, ISO_A3 FROM countries") if a and a != "-99"}


# Around the region the 1:50m detail is kept; farther away each TopoJSON arc is simplified
# (Douglas-Peucker, 0.05 degree, about 5 km): arcs are shared, so neighbours still meet exactly.
NEAR = (30.0, 31.0, 58.0, 51.0)
FAR_TOLERANCE = 0.05


def simplified_arcs(arcs):
    from shapely.geometry import LineString, box
    near = box(*NEAR)
    out = []
    for a in arcs:
        if len(a) > 2 and not LineString(a).intersects(near):
            s = LineString(a).simplify(FAR_TOLERANCE, preserve_topology=False)
            out.append(build.np.array(s.coords))
        else:
            out.append(a)
    return out


def countries(topo_path, by_name, simplify_far=False):
    topo = json.load(open(topo_path))
    arcs = build.decode_topology(topo)
    if simplify_far:
        arcs = simplified_arcs(arcs)
    out, users = [], {}
    for g in topo["objects"]["countries"]["geometries"]:
        geom, used = build.topo_geometry(arcs, g)
        if geom is None or geom.is_empty:
            continue
        name = g["properties"].get("name", "")
        gid = g.get("id")
        a3 = names.ISO_NUM_TO_A3.get(gid) or by_name.get(name) or f"N{gid or name}"
        out.append((a3, name, geom))
        for a in used:
            users.setdefault(a if a >= 0 else ~a, set()).add(a3)
    neighbours = {a3: set() for a3, _, _ in out}
    for u in users.values():
        if len(u) == 2:
            a, b = sorted(u)
            neighbours[a].add(b)
            neighbours[b].add(a)
    return out, neighbours


GRID = 5.0


def cut_at_antimeridian(p):
    """A ring written across ±180 (a jump of over 180 degrees) unwrapped and cut into the parts
    on each side, so that no world feature spans the map's seam (its bounds would cover the
    whole map and it would never be culled)."""
    from shapely import make_valid
    from shapely.affinity import translate
    from shapely.geometry import Polygon, box
    xs, ys = zip(*p.exterior.coords)
    ux = [xs[0]]
    for a, b in zip(xs, xs[1:]):
        ux.append(ux[-1] + ((b - a + 180) % 360) - 180)
    ring = list(zip(ux, ys))
    if abs(ring[-1][0] - ring[0][0]) > 180:  # round a pole: close through it
        pole = -90.0 if sum(ys) < 0 else 90.0
        ring += [(ring[-1][0], pole), (ring[0][0], pole), ring[0]]
    whole = make_valid(Polygon(ring))
    out = []
    for k in (-1, 0, 1):
        part = whole.intersection(box(-180 + 360 * k, -90, 180 + 360 * k, 90))
        out.extend(build.polys_of(translate(part, -360 * k, 0)))
    return out


def gridded(parts):
    """The parts cut by a GRID-degree grid, one MultiPolygon per cell."""
    from shapely import make_valid
    from shapely.geometry import box
    cells = {}
    for p in parts:
        x0, y0, x1, y1 = p.bounds
        for i in range(int((x0 + 180) // GRID), int((x1 + 180) // GRID) + 1):
            for j in range(int((y0 + 90) // GRID), int((y1 + 90) // GRID) + 1):
                b = box(-180 + i * GRID, -90 + j * GRID, -180 + (i + 1) * GRID, -90 + (j + 1) * GRID)
                if p.intersects(b):
                    cells.setdefault((i, j), []).extend(build.polys_of(make_valid(p).intersection(b)))
    return [build.MultiPolygon(v) for v in cells.values() if v]


def colouring(neighbours, fixed):
    colour = dict(fixed)
    for c in sorted(neighbours, key=lambda c: (-len(neighbours[c]), c)):
        if c in colour:
            continue
        used = {colour[n] for n in neighbours[c] if n in colour}
        colour[c] = min(k for k in range(6) if k not in used)
    return colour


def main():
    cache = os.environ.get("BORDERLENS_DATA_CACHE") or tempfile.mkdtemp(prefix="borderlens-data-")
    paths = sources.fetch_all(cache)
    by_name = a3_by_name(paths["gpkg"])
    detailed = json.load(open(os.path.join(build.DATA, "countries.geojson")))
    fixed = {f["properties"]["id"]: f["properties"]["color_index"] for f in detailed["features"]}

    feats, neighbours = countries(paths["world_atlas"] + "/countries-50m.json", by_name, True)
    colour = colouring(neighbours, fixed)
    out = []
    from shapely import make_valid
    for a3, name, geom in feats:
        # The detailed layers cover the box: the world is drawn only around it (no overdraw in
        # the region's views; fills meet the box's fills edge to edge, so no seam shows).
        # Parts written across the antimeridian are cut there first (they are not planar shapes).
        parts = []
        for p in build.polys_of(geom):
            xs = [c[0] for c in p.exterior.coords]
            if any(abs(b - a) > 180 for a, b in zip(xs, xs[1:])):
                parts.extend(cut_at_antimeridian(p))
            elif p.intersects(build.BOXGEOM):
                parts.extend(build.polys_of(make_valid(p).difference(build.BOXGEOM)))
            else:
                parts.append(p)
        # One feature per grid cell of each country: the renderer culls by feature bounds, so
        # the world's far parts cost nothing in a view of the region (fills only: the cuts do
        # not show).
        for cell in gridded(parts):
            out.append({"geometry": cell, "properties": {
                "id": a3, "name": name, "kind": "country", "color_index": colour[a3]}})
    old = build.PREC
    build.PREC = 2
    p = build.write_fc("world.geojson", out)
    build.PREC = old
    print(f"world.geojson {len(out)} features {os.path.getsize(p) / 1024:.0f} KiB")

    feats, _ = countries(paths["world_atlas"] + "/countries-110m.json", by_name)
    fixture = [{"geometry": g, "properties": {"id": a3, "name": n}} for a3, n, g in feats]
    build.PREC = 3
    tmp = build.write_fc("world-110m.geojson", fixture)
    build.PREC = old
    dst = os.path.join(ROOT, "tests", "fixtures", "world-110m.geojson")
    os.replace(tmp, dst)
    print(f"tests/fixtures/world-110m.geojson {len(fixture)} features "
          f"{os.path.getsize(dst) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
