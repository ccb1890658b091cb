#!/usr/bin/env bash
# The user guide's pictures (docs/guide.md), made by the workbench itself: `merganser --screenshot` on the
# demo project. Generated, never committed (docs/images/ is ignored by git).
#   docs/make_screenshots.sh [DEMO_DIR] [MERGANSER]
# DEMO_DIR: the demo zoo (default build/demo; packaging/dev.sh run makes it); MERGANSER: the program
# (default build/app/merganser). Each picture is 1600×1000.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
demo=$(cd "${1:-$here/../build/demo}" && pwd)
merganser=${2:-$here/../build/app/merganser}
out="$here/images"
mkdir -p "$out"
project="$demo/demo.mgproj"
[ -f "$project" ] || { echo "make_screenshots: no $project (packaging/dev.sh run makes the demo)" >&2; exit 2; }
export QT_QPA_PLATFORM=offscreen

# The id of the node titled $1 in $2 (ids are the demo's own; looked up so that a changed demo still works).
node_id() {
  python3 -c 'import json, sys
for n in json.load(open(sys.argv[2]))["nodes"]:
    if n["title"] == sys.argv[1]: print(n["id"]); break
else: sys.exit("no node titled " + sys.argv[1])' "$1" "$2"
}

# shot NAME [merganser options...]: docs/images/NAME.png of the demo project.
shot() {
  local name=$1
  shift
  "$merganser" --screenshot "$out/$name.png" --size 1600x1000 "$@" 2>/dev/null
  echo "docs/images/$name.png"
}

# The results of the last run are saved beside the project (demo.scores.h5): no run is needed for them.
shot overview --results-tab Compare "$project"
shot properties --select "$(node_id TIES "$project")" --results-tab Compare "$project"
shot sweep --results-tab Sweep "$project"
shot interference --results-tab Interference "$project"
shot routing --results-tab Routing "$project"
shot map --results-tab Map "$project"
shot merge-gain --results-tab "Merge gain" "$project"
shot training --select "$(node_id "16-shot rotate+invert" "$project")" --results-tab Training "$project"

# Organised: the routers collapsed into a group, the merges in an open one.
grouped="$demo/guide-grouped.mgproj"
python3 - "$project" "$grouped" <<'PY'
import json, sys
project = json.load(open(sys.argv[1]))
routers = [n["id"] for n in project["nodes"] if n["type"].startswith("route.")]
merges = [n["id"] for n in project["nodes"] if n["type"].startswith("merge.")]
project["groups"] = [{"id": 1, "title": "Routers", "collapsed": True, "members": routers},
                     {"id": 2, "title": "Merges", "collapsed": False, "members": merges}]
json.dump(project, open(sys.argv[2], "w"), indent=2)
PY
shot groups "$grouped"
rm -f "$grouped"
