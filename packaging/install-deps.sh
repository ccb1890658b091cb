#!/usr/bin/env bash
# Installs the Debian 12 packages Merganser needs to build, test and run.
# Idempotent: asks apt only for what is missing. Runs as root, or through sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-svg-dev libqt6opengl6-dev libgl-dev libxkbcommon-dev
  qt6-translations-l10n # Qt's own strings (dialog buttons, shortcuts) in German and French
  libtorch-dev libopenblas0-pthread lld
  git libhdf5-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libxxhash-dev zlib1g-dev libyaml-cpp-dev
  libpcre2-dev libicu-dev # tokenizers: Unicode regexes (PCRE2 UTF + UCP) and normalization forms (ICU)
  libopenmpi-dev openmpi-bin # mpirun/srun spread merge, eval and run over processes (core/cluster)
  python3 python3-torch python3-numpy # the independent reference implementations the tests compare against
  dataset-fashion-mnist
  xvfb xauth fonts-dejavu-core
  # packaging/dev.sh deb: the .deb's icons (rsvg-convert), man pages (help2man), its Depends
  # (dpkg-shlibdeps), and the checks of its desktop entry and AppStream metainfo
  librsvg2-bin help2man dpkg-dev desktop-file-utils appstream
)
# `install-deps.sh fuzz` adds what packaging/dev.sh fuzz needs: clang and its libFuzzer runtime.
case "${1:-}" in
  "") ;;
  fuzz) packages+=(clang libclang-rt-14-dev) ;;
  *) echo "usage: install-deps.sh [fuzz]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
