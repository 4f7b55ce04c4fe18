"""Maki icons for simplestyle's `marker-symbol`: the SVG path of each icon of the npm package
`@mapbox/maki` (CC0 1.0), written to data/maki.json as {"version", "license", "icons": {name: d}}.

Every Maki icon is one <path> on a 15x15 view box with no transform (checked here); the viewer
and `render` tessellate the paths with lyon when a feature first asks for one.

    python3 data/build/maki.py        # uses BORDERLENS_DATA_CACHE like build.py
"""
import glob
import json
import os
import re
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sources  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main():
    cache = os.environ.get("BORDERLENS_DATA_CACHE") or tempfile.mkdtemp(prefix="borderlens-data-")
    os.makedirs(cache, exist_ok=True)
    ver = sources.NPM["@mapbox/maki"]
    tgz = os.path.join(cache, f"mapbox-maki-{ver}.tgz")
    if not os.path.exists(tgz):
        sources._run(["npm", "pack", f"@mapbox/maki@{ver}"], cache)
    out_dir = os.path.join(cache, "maki")
    with tarfile.open(tgz) as t:
        t.extractall(out_dir)
    icons = {}
    for f in sorted(glob.glob(os.path.join(out_dir, "package", "icons", "*.svg"))):
        root = ET.parse(f).getroot()
        assert root.get("viewBox") == "0 0 15 15", f
        paths = [e for e in root.iter() if e.tag.endswith("}path")]
        others = [e for e in root.iter() if not e.tag.endswith(("}path", "}svg", "}g"))]
        assert len(paths) == 1 and not others, f"{f}: not one plain path"
        assert not any("transform" in e.attrib for e in root.iter()), f
        d = re.sub(r"\s+", " ", paths[0].get("d")).strip()
        icons[os.path.basename(f)[:-4]] = d
    out = os.path.join(DATA, "maki.json")
    with open(out, "w") as fh:
        json.dump({"package": "@mapbox/maki", "version": ver, "license": "CC0-1.0",
                   "icons": icons}, fh, separators=(",", ":"), sort_keys=True)
        fh.write("\n")
    print(f"maki.json: {len(icons)} icons, {os.path.getsize(out) / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
