# Sourced by the window benchmarks that take `FILE [RUNS] [BINARY...]`: sets `file`, `runs`
# (default 3) and `bins` (default: this checkout's release build, built first), and moves to
# the checkout's root.
file=$(realpath "$1")
runs=${2:-3}
shift $(($# < 2 ? $# : 2))
bins=()
for b in "$@"; do bins+=("$(realpath "$b")"); done
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ${#bins[@]} -eq 0 ]; then
    cargo build --release --quiet
    bins=("$(realpath "${CARGO_TARGET_DIR:-target}/release/borderlens")")
fi
