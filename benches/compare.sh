#!/usr/bin/env bash
# Side-by-side: GeoJSON file → 1600x1000 PNG with borderlens, mapnik and geopandas+matplotlib,
# on the same files in the same run. Wall time and peak RSS from GNU time.
# Needs: apt-get install python3-mapnik time, and geopandas with matplotlib (apt-get install
# python3-geopandas python3-matplotlib, or pip install geopandas matplotlib pyogrio).
# Run: bash benches/compare.sh [OUTDIR]   (results as a Markdown table on stdout)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
cargo build --release --quiet
bl=${CARGO_TARGET_DIR:-target}/release/borderlens
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

# The python3 on PATH if it has geopandas (a pip install), else Debian's.
gpd_python=python3
python3 -c "import geopandas, matplotlib" 2>/dev/null || gpd_python=/usr/bin/python3

cp data/countries.geojson "$out/caucasus.geojson"
[ -f "$out/synth-10.geojson" ] || $bl synth --mb 10 --seed 1 -o "$out/synth-10.geojson"
[ -f "$out/synth-100.geojson" ] || $bl synth --mb 100 --seed 1 -o "$out/synth-100.geojson"

cat > "$out/mapnik_render.py" <<'PY'
import sys, mapnik
src, dst = sys.argv[1], sys.argv[2]
m = mapnik.Map(1600, 1000, "+proj=longlat +datum=WGS84 +no_defs")
m.background = mapnik.Color("#a9cfe8")
s = mapnik.Style(); r = mapnik.Rule()
r.symbols.append(mapnik.PolygonSymbolizer())
ls = mapnik.LineSymbolizer(); ls.stroke = mapnik.Color("#555555"); ls.stroke_width = 2.0
r.symbols.append(ls); s.rules.append(r); m.append_style("s", s)
layer = mapnik.Layer("l"); layer.datasource = mapnik.Datasource(type="geojson", file=src)
layer.styles.append("s"); m.layers.append(layer)
m.zoom_all(); mapnik.render_to_file(m, dst, "png")
PY
cat > "$out/gpd_render.py" <<'PY'
import sys, geopandas, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
src, dst = sys.argv[1], sys.argv[2]
df = geopandas.read_file(src)
fig = plt.figure(figsize=(16, 10), dpi=100); ax = fig.add_axes([0, 0, 1, 1]); ax.set_axis_off()
df.plot(ax=ax, facecolor="#555555", edgecolor="#555555", linewidth=2, alpha=0.6)
fig.savefig(dst, dpi=100)
PY

measure() { # name file command...
  local name=$1 file=$2; shift 2
  if /usr/bin/time -o "$out/time.txt" -f "%e %M" "$@" >/dev/null 2>"$out/err.txt"; then
    read -r secs kb <"$out/time.txt"
    # GNU time's %M is in KiB; the ratio is to the file's size in bytes.
    printf "| %s | %s | %.2f s | %d MiB | %.1f× |\n" "$(basename "$file")" "$name" "$secs" \
      $((kb / 1024)) "$(awk -v kb="$kb" -v b="$(stat -c %s "$file")" 'BEGIN { print kb * 1024 / b }')"
  else
    printf "| %s | %s | failed: %s | | |\n" "$(basename "$file")" "$name" "$(tail -1 "$out/err.txt")"
  fi
}

echo "| file | tool | wall time | peak RSS | RSS / file size |"
echo "|---|---|---|---|---|"
for f in "$out/caucasus.geojson" "$out/synth-10.geojson" "$out/synth-100.geojson"; do
  echo "<!-- $(basename "$f"): $(stat -c %s "$f") bytes -->"
  measure borderlens "$f" $bl render "$f" --no-base --no-labels --size 1600x1000 -o "$out/bl.png"
  measure mapnik "$f" /usr/bin/python3 "$out/mapnik_render.py" "$f" "$out/mapnik.png"
  measure "geopandas+matplotlib" "$f" "$gpd_python" "$out/gpd_render.py" "$f" "$out/gpd.png"
done
