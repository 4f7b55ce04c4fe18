#!/usr/bin/env bash
# A user zoomed in on a heavy file holds an arrow key down: 60 pans of 120 px, 40 ms apart
# (a key's autorepeat). Reports the levels of parts made and stopped (from the viewer's log),
# and the time from the last key to the last level taken in (negative: the parts were made
# ahead of the view): the view's own part, after any asked on the way. Binaries are alternated run by run, for A/B pairs on the same machine. The
# pauses are the user's pace, not synchronisation.
# Needs: Xvfb, xdotool. Run: bash benches/pan-away.sh FILE [RUNS] [BINARY...]
#   (default: 3 runs of this checkout's release build)
set -euo pipefail
# shellcheck source=benches/ab-args.sh
source "$(dirname "$0")/ab-args.sh"
# shellcheck source=benches/xvfb.sh
source benches/xvfb.sh
echo "| run | binary | parts made after the pan | stopped | last key → last level in, ms |"
echo "|---|---|---|---|---|"
for i in $(seq "$runs"); do
    for bl in "${bins[@]}"; do
        RUST_LOG=borderlens=info "$bl" view "$file" --size 1600x1000 --no-demo >/dev/null 2>"$log" &
        pid=$!
        sleep 6
        win=$(xdotool search --pid "$pid" | tail -1)
        xdotool windowfocus --sync "$win"
        xdotool key plus
        sleep 2
        xdotool key plus
        sleep 4
        before=$(grep -c "made in" "$log" || true)
        xdotool key --delay 40 $(printf 'Right %.0s' $(seq 60))
        last_key=$(date -u +%s.%N)
        sleep 8
        python3 - "$log" "$before" "$last_key" "$i" "$(basename "$bl")" <<'PY'
import re, sys, datetime
log, before, last_key, run, name = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
lines = open(log).read().splitlines()
made = [l for l in lines if "made in" in l][before:]
parts = sum("(part" in l for l in made)
stopped = sum("not made: the view moved on" in l for l in lines)
ins = [l for l in lines if re.search(r"level .* km of layer .* in after", l)]
def at(l):
    t = re.match(r"\[(\S+)Z", l).group(1)
    return datetime.datetime.fromisoformat(t).replace(tzinfo=datetime.timezone.utc).timestamp()
last_in = max((at(l) for l in ins), default=None)
# Negative: every level was in before the last key.
wait = "-" if last_in is None else f"{(last_in - last_key) * 1000:.0f}"
print(f"| {run} | {name} | {parts} | {stopped} | {wait} |")
PY
        kill "$pid"
        wait "$pid" 2>/dev/null || true
        pid=""
    done
done
