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
  "$merganser" --language en --screenshot "$out/$name.png" --size 1600x1000 "$@" 2>/dev/null
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

# Organised: the sources in a frame with a note, the routers collapsed into a group, the merges in an open
# one, and a comment beside the sinks.
organised="$demo/guide-organised.mgproj"
python3 - "$project" "$organised" <<'PY'
import json, sys
project = json.load(open(sys.argv[1]))
nodes = project["nodes"]
routers = [n["id"] for n in nodes if n["type"].startswith("route.")]
merges = [n["id"] for n in nodes if n["type"].startswith("merge.")]
sources = [n for n in nodes if n["type"].startswith("source.")]
left = min(n["position"][0] for n in sources) - 30
top = min(n["position"][1] for n in sources) - 70
bottom = max(n["position"][1] for n in sources) + 110
sinks = [n for n in nodes if n["type"] in ("sink.compare", "sink.merge_gain")]
right = max(n["position"][0] for n in sinks) + 260
project["groups"] = [{"id": 1, "title": "Routers", "collapsed": True, "members": routers},
                     {"id": 2, "title": "Merges", "collapsed": False, "members": merges}]
project["frames"] = [{"id": 1, "title": "Specialists and data", "colour": "green",
                      "rect": [left, top - 40, 300, bottom - top + 40],
                      "comment": "Three **LoRA** specialists, a full fine-tune and the task files."}]
project["comments"] = [{"id": 2, "rect": [right, top, 260, 130],
                        "text": "**Compare** lines up every model; *Merge gain* checks the task map."}]
json.dump(project, open(sys.argv[2], "w"), indent=2)
PY
cp "$demo/demo.scores.h5" "$demo/guide-organised.scores.h5" # the demo's results in the dock, as above
shot organised --results-tab Compare "$organised"
rm -f "$organised" "$demo/guide-organised.scores.h5"
