#!/usr/bin/env bash
# The README's two commands:
#   packaging/dev.sh run    install what is missing, build, open the workbench on the demo zoo
#                           (trained into $BUILD_DIR/demo on first run); extra arguments go to merganser
#   packaging/dev.sh test   install what is missing, build, run the whole test suite (headless)
# Environment: BUILD_DIR (default build), JOBS (default: number of cores).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}

"$here/packaging/install-deps.sh"

# ccache: share objects between checkouts (CI clones elsewhere) and accept precompiled headers.
export CCACHE_BASEDIR="$here"
export CCACHE_NOHASHDIR=1 # debug info names the build folder; without this a second clone never hits
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}

configure() {
  cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
}

case "${1:-}" in
  run)
    shift
    configure
    cmake --build "$build_dir" -j "$jobs" --target merganser merganser-cli
    if [ $# -eq 0 ]; then
      # First run: train the demo zoo (about a minute on two cores) and open its project.
      demo="$build_dir/demo"
      [ -f "$demo/demo.mgproj" ] || "$build_dir/app/merganser-cli" demo --out "$demo"
      set -- "$demo/demo.mgproj"
    fi
    exec "$build_dir/app/merganser" "$@"
    ;;
  test)
    shift
    configure
    cmake --build "$build_dir" -j "$jobs"
    cd "$build_dir"
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 900 -j "$jobs" "$@"
    ;;
  *)
    echo "usage: packaging/dev.sh run|test" >&2
    exit 2
    ;;
esac
