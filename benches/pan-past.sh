#!/usr/bin/env bash
# A user zooms in on a heavy file and pans away while the zoomed view's image is still being
# made: the time from the zoom key to the last image taken in (the exact map of where the view
# ended), how many images were taken in, and the slowest frames meanwhile (the window's own
# log). Real keys under Xvfb. The pauses between keys are the user's pace, not
# synchronisation: the script measures what the window logs.
# Needs: Xvfb, xdotool. Run: bash benches/pan-past.sh FILE [RUNS] [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
file=$(realpath "$1")
runs=${2:-3}
if [ -n "${3:-}" ]; then
    bl=$(realpath "$3")
else
    cargo build --release --quiet
    bl=$(realpath "${CARGO_TARGET_DIR:-target}/release/borderlens")
fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
export DISPLAY=:$((90 + RANDOM % 100))
Xvfb "$DISPLAY" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null' EXIT
sleep 1
log=$(mktemp)
ms() { date -u -d "$(date -u +%F) $1" +%s%3N; }
echo "| run | zoom key to the last image | images taken in | slowest frames (ms) |"
echo "|---|---|---|---|"
for i in $(seq "$runs"); do
    RUST_LOG=borderlens=debug "$bl" view "$file" --size 1600x1000 --no-demo 2>"$log" &
    pid=$!
    # The file open and its first image in (at most 60 s).
    for _ in $(seq 600); do
        grep -q "image of layer .* in after" "$log" && break
        sleep 0.1
    done
    window=$(xdotool search --pid "$pid" | tail -1)
    xdotool windowfocus --sync "$window"
    t0=$(date -u +%s%3N)
    xdotool key plus
    sleep 0.3
    # Eight arrow keys of 120 px: past the zoomed image's quarter-view margin.
    for _ in 1 2 3 4 5 6 7 8; do
        xdotool key Right
        sleep 0.05
    done
    sleep 5
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    last=$(grep "in after" "$log" | tail -1 | grep -o "T[0-9:.]*Z" | tr -d TZ)
    images=$(grep -c "image of layer .* in after" "$log")
    slowest=$(awk '/frame [0-9]+ .*took/ {for (i = 1; i <= NF; i++) if ($i == "took") print $(i + 1)}' "$log" |
        tail -80 | sort -n | tail -3 | tr '\n' ' ')
    echo "| $i | $(($(ms "$last") - t0)) ms | $images | $slowest|"
done
rm -f "$log"
