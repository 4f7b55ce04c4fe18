# Sourced by the window benchmarks: a 1600×1000 Xvfb display of their own on a free-ish
# number (DISPLAY exported), a runtime folder for Mesa, and a scratch log file (`$log`). The
# display, the viewer (`$pid`, when set) and the log go when the script exits.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
export DISPLAY=:$((90 + RANDOM % 100))
log=$(mktemp)
pid=""
Xvfb "$DISPLAY" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb $pid 2>/dev/null; rm -f "$log"' EXIT
sleep 1
kill -0 "$xvfb" 2>/dev/null || { echo "Xvfb did not start on $DISPLAY" >&2; exit 1; }
