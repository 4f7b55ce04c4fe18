#!/usr/bin/env bash
# Runs every borderlens test. Installs the system packages the tests need when they are
# missing (software Vulkan driver, Xvfb, xdotool, ImageMagick), or prints the line to run.
set -euo pipefail
cd "$(dirname "$0")/.."

packages="mesa-vulkan-drivers libvulkan1 libxcursor1 libxi6 libxkbcommon-x11-0 libegl1 libegl-mesa0 libgl1-mesa-dri xvfb xauth xdotool imagemagick x11-apps xclip dbus-daemon"
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
