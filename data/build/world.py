#!/usr/bin/env python3
"""The low-detail world around the region (data/world.geojson) and the world test file.

    python3 data/build/world.py            # reuses BORDERLENS_DATA_CACHE like build.py

world.geojson: Natural Earth 1:50m countries from the npm package world-atlas 2.0.2
(countries-50m.json, public domain), coordinates rounded to 0.01 degree (about 1 km, finer than
the 1:50m data's own vertex spacing). The map draws it beneath the detailed layers, fill only,
so the detailed box (36-52E, 36-46N) has no cut edge. Antimeridian-crossing rings are kept as
written: borderlens cuts them at load time. Countries get ISO alpha-3 ids (from names.py, else
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


def countries(topo_path, by_name):
    topo = json.load(open(topo_path))
    arcs = build.decode_topology(topo)
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

    feats, neighbours = countries(paths["world_atlas"] + "/countries-50m.json", by_name)
    colour = colouring(neighbours, fixed)
    out = []
    for a3, name, geom in feats:
        out.append({"geometry": geom, "properties": {
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
