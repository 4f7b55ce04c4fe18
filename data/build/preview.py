#!/usr/bin/env python3
"""Quick look at data/*.geojson: python3 data/build/preview.py [out.png] [lon0 lat0 lon1 lat1]"""
import json
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from shapely.geometry import shape

DATA = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PALETTE = ["#e8d8b0", "#c9dcb3", "#f2c9c9", "#c8d3ea", "#e6cde8", "#f3e3a1"]


def load(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as fh:
        return json.load(fh)["features"]


def polys(g):
    return list(getattr(g, "geoms", [g]))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/databuild/preview.png"
    ext = [float(x) for x in sys.argv[2:6]] if len(sys.argv) >= 6 else [36, 36, 52, 46]
    fig, ax = plt.subplots(figsize=(16, 10), dpi=110)
    for f in load("countries.geojson"):
        for p in polys(shape(f["geometry"])):
            ax.fill(*p.exterior.xy, color=PALETTE[f["properties"]["color_index"]], lw=0)
            for h in p.interiors:
                ax.fill(*h.xy, color="white", lw=0)
    for f in load("water.geojson"):
        g = shape(f["geometry"])
        if f["properties"]["kind"] == "river":
            for l in polys(g):
                ax.plot(*l.xy, color="#4a7fc1", lw=0.8)
        else:
            for p in polys(g):
                ax.fill(*p.exterior.xy, color="#a9cbe8", lw=0.3, ec="#4a7fc1")
    for f in load("provinces.geojson"):
        for p in polys(shape(f["geometry"])):
            ax.plot(*p.exterior.xy, color="#999999", lw=0.3)
    colors = {"nagorno-karabakh": "red", "nakhchivan": "purple", "abkhazia": "orange",
              "south-ossetia": "orange", "adjara": "green", "syunik": "green", "lachin-corridor": "magenta"}
    for f in load("regions.geojson"):
        for p in polys(shape(f["geometry"])):
            ax.plot(*p.exterior.xy, color=colors.get(f["properties"]["id"], "k"), lw=1.2, ls="--")
    for f in load("borders.geojson"):
        for l in polys(shape(f["geometry"])):
            ax.plot(*l.xy, color="#333333", lw=1.0)
    for f in load("places.geojson"):
        x, y = f["geometry"]["coordinates"]
        if ext[0] <= x <= ext[2] and ext[1] <= y <= ext[3]:
            big = f["properties"]["population"] > 300000 or f["properties"]["capital"]
            ax.plot(x, y, "o", ms=3 if big else 1.5, color="k")
            ax.text(x + 0.03, y + 0.03, f["properties"]["name"], fontsize=7 if big else 5)
    ax.set_xlim(ext[0], ext[2])
    ax.set_ylim(ext[1], ext[3])
    ax.set_aspect(1 / 0.77)
    fig.savefig(out, bbox_inches="tight")
    print("wrote", out)


if __name__ == "__main__":
    main()
