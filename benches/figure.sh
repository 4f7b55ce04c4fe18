#!/usr/bin/env bash
# A figure against a bare render of the same view (issue 13: each within 2x): for N rounds,
# `render ARTICLE --no-frame -o bare.png`, `render ARTICLE -o fig.png`, `render ARTICLE -o fig.svg`
# under GNU time; prints kind, wall time, user seconds and peak RSS (KB) per run, then medians.
# Usage: benches/figure.sh [ARTICLE] [ROUNDS]   (build first: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/borderlens
article=${1:-data/articles/026-sotk-shelling.txt}
rounds=${2:-7}
out=$(mktemp -d)
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$out}
for _ in $(seq "$rounds"); do
  for kind in bare png svg; do
    case $kind in
      bare) args=(render "$article" --no-frame -o "$out/bare.png") ;;
      png) args=(render "$article" -o "$out/fig.png") ;;
      svg) args=(render "$article" -o "$out/fig.svg") ;;
    esac
    /usr/bin/time -v "$bin" "${args[@]}" 2>"$out/time.txt" >/dev/null
    wall=$(awk '/Elapsed \(wall/ {print $NF}' "$out/time.txt")
    user=$(awk '/User time/ {print $NF}' "$out/time.txt")
    rss=$(awk '/Maximum resident/ {print $NF}' "$out/time.txt")
    echo "$kind $wall $user $rss"
  done
done | tee "$out/runs.txt"
echo "medians (wall, user s, RSS KB):"
for kind in bare png svg; do
  grep "^$kind " "$out/runs.txt" | awk '{split($2, t, ":"); print t[1] * 60 + t[2], $3, $4}' |
    sort -n | awk -v k="$kind" '{w[NR]=$1; u[NR]=$2; r[NR]=$3} END {m=int((NR+1)/2); print k, w[m], u[m], r[m]}'
done
