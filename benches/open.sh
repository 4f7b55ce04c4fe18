#!/usr/bin/env bash
# The viewer against `render` on one file, in alternating pairs on the same machine: `render`'s
# wall time (GNU time) and the viewer's "exact map after open" (`view --bench-frames`, from the
# process's start to the first exact frame of the file at its full extent, the window left
# alone), with each process's peak RSS. Prints a Markdown table and the median ratio.
# Needs: Xvfb, GNU time. Run: bash benches/open.sh FILE [PAIRS]   (default: 5 pairs)
set -euo pipefail
cd "$(dirname "$0")/.."
file=$(realpath "$1")
pairs=${2:-5}
cargo build --release --quiet
bl=$(realpath "${CARGO_TARGET_DIR:-target}/release/borderlens")
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null' EXIT
sleep 1
out=$(mktemp -d)
echo "| pair | render s | render MB | exact map after open s | view MB | ratio |"
echo "|---|---|---|---|---|---|"
ratios=()
for i in $(seq "$pairs"); do
    /usr/bin/time -f '%e %M' -o "$out/render.time" \
        "$bl" render "$file" --fit --no-base --no-labels --size 1600x1000 -o "$out/r.png" 2>/dev/null
    DISPLAY=$display /usr/bin/time -f '%e %M' -o "$out/view.time" \
        "$bl" view "$file" --size 1600x1000 --bench-frames 3 >"$out/view.txt" 2>/dev/null
    read -r rs rkb <"$out/render.time"
    read -r _ vkb <"$out/view.time"
    ms=$(sed -n 's/^exact map after open: \([0-9]*\) ms$/\1/p' "$out/view.txt")
    ratio=$(awk -v a="$ms" -v b="$rs" 'BEGIN { printf "%.2f", a / 1000 / b }')
    ratios+=("$ratio")
    echo "| $i | $rs | $((rkb / 1024)) | $(awk -v a="$ms" 'BEGIN { printf "%.2f", a / 1000 }') | $((vkb / 1024)) | $ratio |"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END { printf "\nmedian ratio (exact map after open / render): %s\n", r[int((NR + 1) / 2)] }'
