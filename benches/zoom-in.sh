#!/usr/bin/env bash
# A user opens a world file at the region's view, fits it (F), then zooms in five times: the
# viewer's resident memory at the end and its peak (/proc), and the levels of detail it made
# (whole or of a part, from its log). Binaries are alternated run by run, for A/B pairs on the
# same machine. The pauses between keys are the user's pace, not synchronisation.
# Needs: Xvfb, xdotool. Run: bash benches/zoom-in.sh FILE [RUNS] [BINARY...]
#   (default: 3 runs of this checkout's release build)
set -euo pipefail
# shellcheck source=benches/ab-args.sh
source "$(dirname "$0")/ab-args.sh"
# shellcheck source=benches/xvfb.sh
source benches/xvfb.sh
kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$pid/status"; }
echo "| run | binary | RSS at the end KiB | peak KiB | levels made (whole / part) |"
echo "|---|---|---|---|---|"
for i in $(seq "$runs"); do
    for bl in "${bins[@]}"; do
        RUST_LOG=borderlens=info "$bl" view "$file" --size 1600x1000 --no-demo >/dev/null 2>"$log" &
        pid=$!
        sleep 6
        win=$(xdotool search --pid "$pid" | tail -1)
        xdotool windowfocus --sync "$win"
        xdotool key f
        sleep 4
        for _ in 1 2 3 4 5; do
            xdotool key plus
            sleep 2.5
        done
        sleep 3
        whole=$(grep -c "level .* (whole) made" "$log" || true)
        part=$(grep -c "level .* (part .*) made" "$log" || true)
        echo "| $i | $(basename "$bl") | $(kib VmRSS) | $(kib VmHWM) | $whole / $part |"
        kill "$pid"
        wait "$pid" 2>/dev/null || true
        pid=""
    done
done
