"""A second generator of big overlay files for the benchmarks, independent of `borderlens synth`:
polygons (a third with a hole) and some lines over the South Caucasus made with shapely and
written by GDAL's GeoJSON driver through geopandas/pyogrio, as desktop GIS exports are.

Needs: pip install geopandas pyogrio shapely
Run:   python3 benches/rings.py OUT.geojson [FEATURES]   (default 50,000: about 100 MB)
"""

import random
import sys

import geopandas
from shapely.geometry import LineString, Point


def main() -> None:
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    rnd = random.Random(2026)
    palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]
    geoms, names, values, fills = [], [], [], []
    for i in range(n):
        x, y = rnd.uniform(38.0, 51.0), rnd.uniform(37.5, 44.5)
        if i % 10 == 9:
            pts = [(x, y)]
            for _ in range(rnd.randint(16, 64)):
                x += rnd.uniform(-0.02, 0.02)
                y += rnd.uniform(-0.02, 0.02)
                pts.append((x, y))
            geoms.append(LineString(pts))
        else:
            r = rnd.uniform(0.02, 0.15)
            # quad_segs 4..16: 16..64 vertices a ring, jittered so that no two are alike.
            ring = Point(x, y).buffer(r, quad_segs=rnd.randint(4, 16))
            ring = ring.simplify(0)  # GDAL keeps what shapely gives
            if i % 3 == 0:
                ring = ring.difference(Point(x, y).buffer(r * 0.35, quad_segs=3))
            geoms.append(ring)
        names.append(f"ring {i}")
        values.append(rnd.randint(0, 9999))
        fills.append(palette[i % len(palette)])
    df = geopandas.GeoDataFrame(
        {"name": names, "value": values, "fill": fills, "fill-opacity": 0.5},
        geometry=geoms,
        crs="EPSG:4326",
    )
    df.to_file(out, driver="GeoJSON", engine="pyogrio")


if __name__ == "__main__":
    main()
