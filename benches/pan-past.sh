#!/usr/bin/env bash
# A user zooms in on a heavy file and pans away while the zoomed view's image is still being
# made: the time from the zoom key to the last image taken in (the exact map of where the view
# ended), how many images were taken in, and the slowest frames meanwhile (the window's own
# log). Real keys under Xvfb. The pauses between keys are the user's pace, not
# synchronisation: the script measures what the window logs.
# Needs: Xvfb, xdotool. Run: bash benches/pan-past.sh FILE [RUNS] [BINARY]
set -euo pipefail
file=$(realpath "$1")
runs=${2:-3}
bl=${3:+$(realpath "$3")}
cd "$(dirname "$0")/.."
if [ -z "$bl" ]; then
    cargo build --release --quiet
    bl=$(realpath "${CARGO_TARGET_DIR:-target}/release/borderlens")
fi
# shellcheck source=benches/xvfb.sh
source benches/xvfb.sh
ms() { date -u -d "$1" +%s%3N; }
# The log's own time (date and time, UTC) of the last image taken in, if any.
last_image() { grep "image of layer .* in after" "$log" | tail -1 | grep -o "[0-9-]*T[0-9:.]*Z" || true; }
echo "| run | zoom key to the last image | images taken in | slowest frames (ms) |"
echo "|---|---|---|---|"
for i in $(seq "$runs"); do
    RUST_LOG=borderlens=debug "$bl" view "$file" --size 1600x1000 --no-demo 2>"$log" &
    pid=$!
    # The file open and its first image in (at most 60 s).
    for _ in $(seq 600); do
        [ -n "$(last_image)" ] && break
        sleep 0.1
    done
    [ -n "$(last_image)" ] || { echo "run $i: no image in 60 s" >&2; exit 1; }
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
    # Until the log has been quiet for two seconds after an image taken in since the zoom
    # (at most 60 s).
    for _ in $(seq 600); do
        last=$(last_image)
        quiet=$(($(date -u +%s) - $(stat -c %Y "$log")))
        if [ "$(ms "$last")" -gt "$t0" ] && [ "$quiet" -ge 2 ]; then
            break
        fi
        sleep 0.1
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
    last=$(last_image)
    images=$(grep -c "image of layer .* in after" "$log" || true)
    slowest=$(awk '/frame [0-9]+ .*took/ {for (i = 1; i <= NF; i++) if ($i == "took") print $(i + 1)}' "$log" |
        tail -80 | sort -n | tail -3 | tr '\n' ' ')
    if [ "$(ms "$last")" -le "$t0" ]; then
        echo "| $i | no image after the zoom | $images | $slowest|"
    else
        echo "| $i | $(($(ms "$last") - t0)) ms | $images | $slowest|"
    fi
done
