"""Checks on the generated data/*.geojson (run by build.py, or alone:
python3 data/build/validate.py)."""
import json
import os
import sys

from pyproj import Geod
from shapely.geometry import Point, shape

GEOD = Geod(ellps="WGS84")
BOX = (36.0, 36.0, 52.0, 46.0)
REQUIRED = {
    "countries.geojson": ["ARM", "AZE", "GEO", "IRN", "TUR", "RUS"],
    "borders.geojson": ["ARM-AZE", "AZE-IRN", "AZE-TUR", "ARM-GEO", "ARM-IRN", "ARM-TUR",
                        "AZE-GEO", "AZE-RUS", "GEO-RUS", "GEO-TUR"],
    "regions.geojson": ["nagorno-karabakh", "nakhchivan", "abkhazia", "south-ossetia",
                        "adjara", "syunik", "lachin-corridor"],
    "provinces.geojson": ["arm-syunik", "geo-ajaria"],
    "places.geojson": ["baku", "yerevan", "tbilisi", "ganja", "gyumri", "vanadzor", "batumi",
                       "kutaisi", "sukhumi", "tskhinvali", "stepanakert", "shusha", "lachin",
                       "nakhchivan-city", "agdam", "fizuli", "jabrayil", "goris", "kapan",
                       "jermuk", "meghri", "tabriz", "derbent", "vladikavkaz", "kars", "igdir",
                       "makhachkala", "erzurum", "van", "ardabil"],
    "water.geojson": ["caspian-sea", "black-sea", "lake-sevan", "lake-van", "lake-urmia",
                      "mingachevir-reservoir"],
}


def coords_iter(c):
    if isinstance(c[0], (int, float)):
        yield tuple(c)
    else:
        for x in c:
            yield from coords_iter(x)


def run(data_dir):
    errors = []
    fcs = {}
    for fname in REQUIRED:
        with open(os.path.join(data_dir, fname), encoding="utf-8") as fh:
            fc = json.load(fh)
        fcs[fname] = fc
        ids = set()
        for f in fc["features"]:
            p = f["properties"]
            for k in ("id", "name", "kind"):
                if not isinstance(p.get(k), str) or not p[k]:
                    errors.append(f"{fname}: feature without {k}: {p}")
            if p["id"] in ids:
                errors.append(f"{fname}: duplicate id {p['id']}")
            ids.add(p["id"])
            for x, y in coords_iter(f["geometry"]["coordinates"]):
                if not (BOX[0] <= x <= BOX[2] and BOX[1] <= y <= BOX[3]):
                    errors.append(f"{fname}:{p['id']}: coordinate outside box {x},{y}")
                    break
                if round(x, 5) != x or round(y, 5) != y:
                    errors.append(f"{fname}:{p['id']}: coordinate not rounded {x},{y}")
                    break
            g = shape(f["geometry"])
            if not g.is_valid:
                errors.append(f"{fname}:{p['id']}: invalid geometry")
            if g.geom_type == "MultiPolygon":
                for poly in g.geoms:  # RFC 7946: exteriors CCW, holes CW
                    if not poly.exterior.is_ccw or any(h.is_ccw for h in poly.interiors):
                        errors.append(f"{fname}:{p['id']}: ring orientation not RFC 7946")
                        break
        for need in REQUIRED[fname]:
            if need not in ids:
                errors.append(f"{fname}: missing id {need}")

    countries = {f["properties"]["id"]: f for f in fcs["countries.geojson"]["features"]}
    verts = {k: set(coords_iter(f["geometry"]["coordinates"])) for k, f in countries.items()}
    borders = {f["properties"]["id"]: f for f in fcs["borders.geojson"]["features"]}
    for bid, f in borders.items():
        a, b = f["properties"]["a"], f["properties"]["b"]
        bad = [v for v in coords_iter(f["geometry"]["coordinates"]) if v not in verts[a] or v not in verts[b]]
        if bad:
            errors.append(f"border {bid}: {len(bad)} vertices not on both outlines, e.g. {bad[:3]}")
    print(f"  borders: {len(borders)} checked against country vertices")
    aab = borders["ARM-AZE"]["geometry"]["coordinates"]
    print(f"  ARM-AZE parts: {len(aab)}; AZE-IRN parts: {len(borders['AZE-IRN']['geometry']['coordinates'])};"
          f" AZE-TUR parts: {len(borders['AZE-TUR']['geometry']['coordinates'])}")

    regions = {f["properties"]["id"]: f for f in fcs["regions.geojson"]["features"]}
    aze = shape(countries["AZE"]["geometry"])
    nk = shape(regions["nagorno-karabakh"]["geometry"])
    area = abs(GEOD.geometry_area_perimeter(nk)[0]) / 1e6
    print(f"  NK area {area:.0f} km2")
    if not (4300 * 0.9 <= area <= 4300 * 1.1):
        errors.append(f"NK area {area:.0f} km2 not within 10% of 4300")
    outside = abs(GEOD.geometry_area_perimeter(nk.difference(aze))[0]) / 1e6 if not nk.difference(aze).is_empty else 0
    if outside > 0.01:
        errors.append(f"NK not inside AZE ({outside:.3f} km2 outside)")
    for rid, f in regions.items():
        g = shape(f["geometry"])
        host = shape(countries[f["properties"]["country"]]["geometry"])
        if rid not in ("adjara", "syunik"):
            out = g.difference(host)
            if not out.is_empty and abs(GEOD.geometry_area_perimeter(out)[0]) / 1e6 > 0.01:
                errors.append(f"region {rid} not inside {f['properties']['country']}")
    nakh = set(coords_iter(regions["nakhchivan"]["geometry"]["coordinates"]))
    for bid in ("ARM-AZE", "AZE-IRN", "AZE-TUR"):
        shared = nakh & set(coords_iter(borders[bid]["geometry"]["coordinates"]))
        print(f"  Nakhchivan shares {len(shared)} vertices with {bid}")
        if len(shared) < 2:
            errors.append(f"Nakhchivan shares no vertices with {bid}")

    places = {f["properties"]["id"]: f["properties"] for f in fcs["places.geojson"]["features"]}
    for pid, cc in (("stepanakert", "AZE"), ("shusha", "AZE"), ("sukhumi", "GEO"), ("tskhinvali", "GEO")):
        if places.get(pid, {}).get("country") != cc:
            errors.append(f"place {pid} country != {cc}")
    for pid in ("baku", "yerevan", "tbilisi"):
        if places.get(pid, {}).get("capital") is not True:
            errors.append(f"place {pid} not capital")

    total = sum(os.path.getsize(os.path.join(data_dir, f)) for f in os.listdir(data_dir)
                if f.endswith(".geojson"))
    if total > 4.2e6:
        errors.append(f"data too big: {total} bytes")
    for e in errors:
        print("  ERROR:", e)
    print("  validation", "OK" if not errors else f"FAILED ({len(errors)} errors)")
    return not errors


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    sys.exit(0 if run(os.path.dirname(here)) else 1)
