#!/usr/bin/env bash
# Runs every borderlens test. Installs the system packages the tests need when they are
# missing (software Vulkan driver, Xvfb, xdotool, ImageMagick, xclip, tesseract), or prints the line to run.
set -euo pipefail
cd "$(dirname "$0")/.."

packages="mesa-vulkan-drivers libvulkan1 libxcursor1 libxi6 libxkbcommon-x11-0 libegl1 libegl-mesa0 libgl1-mesa-dri xvfb xauth xdotool imagemagick x11-apps xclip tesseract-ocr tesseract-ocr-eng dbus-daemon"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "The tests need these packages. Run:"
    echo "  sudo apt-get install -y$missing"
    exit 1
  fi
fi

# Mesa warns on every start without it.
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "$XDG_RUNTIME_DIR" ]; then
  export XDG_RUNTIME_DIR="$(mktemp -d)"
  chmod 700 "$XDG_RUNTIME_DIR"
fi

cargo test --locked "$@"

# The real-news dev set lives outside the repository (its articles are copyrighted). When it is
# there (CI has it), the geoparser must stay above these F1 thresholds on it; the debug build
# of the tests above is reused.
dev=../shared/eval-dev
if [ -d "$dev/gold" ] && [ -d "$dev/articles" ]; then
  echo "eval-dev: scoring the geoparser on $dev"
  cargo run --locked --quiet -- eval "$dev/articles" "$dev/gold" \
    --min-f1 country=0.95 --min-f1 region=0.95 --min-f1 border=0.90 --min-f1 place=0.90
  echo "eval-dev: passed"
else
  echo "eval-dev: skipped ($dev not found)"
fi
