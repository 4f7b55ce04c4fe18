#!/usr/bin/env python3
"""A GeoNames-like point file for benchmarks: N villages over the South Caucasus, each with
the twelve properties a GeoNames export has (ids, names, codes, population, elevation).
Deterministic. Run: python3 benches/points.py OUT.geojson [N]   (300000 points: about 105 MB)"""
import json
import random
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 300_000
random.seed(1)
with open(out, "w") as f:
    f.write('{"type":"FeatureCollection","features":[\n')
    for i in range(n):
        p = {
            "geonameid": 1_000_000 + i,
            "name": f"village {i}",
            "asciiname": f"village {i}",
            "feature_class": "P",
            "feature_code": "PPL",
            "country_code": random.choice(["AM", "AZ", "GE"]),
            "admin1_code": str(random.randint(1, 12)),
            "population": random.randint(0, 5000),
            "elevation": random.randint(0, 2500),
            "timezone": "Asia/Yerevan",
            "modification_date": "2024-01-01",
            "dem": random.randint(0, 2500),
        }
        g = {
            "type": "Point",
            "coordinates": [round(random.uniform(40, 50.5), 5), round(random.uniform(38.5, 43.5), 5)],
        }
        f.write(json.dumps({"type": "Feature", "properties": p, "geometry": g}, separators=(",", ":")))
        f.write(",\n" if i < n - 1 else "\n")
    f.write("]}\n")
