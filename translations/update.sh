#!/usr/bin/env bash
# Brings the catalogues in step with the sources: regenerates widgets/i18n/core_text_list.cpp (core's texts:
# node types, result labels) and runs lupdate over widgets/ into merganser_de.ts and merganser_fr.ts. New
# texts arrive "unfinished" and texts no longer in the sources are dropped; translate the unfinished ones
# (Qt Linguist: linguist translations/merganser_de.ts) — widgets.test_translations fails until every entry
# is finished. Run from anywhere, after a configure of $BUILD_DIR (default build).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$here/build}
lupdate=${LUPDATE:-/usr/lib/qt6/bin/lupdate}

cmake --build "$build_dir" --target merganser_dump_core_text_list >/dev/null
"$build_dir/translations/merganser_dump_core_text_list" >"$here/widgets/i18n/core_text_list.cpp.new"
mv "$here/widgets/i18n/core_text_list.cpp.new" "$here/widgets/i18n/core_text_list.cpp"

# No source locations: line numbers would change the catalogues on every edit of a widget; the context
# (class name) and the text are what a translator needs, and Qt Linguist shows both.
cd "$here"
"$lupdate" -silent -locations none -no-obsolete widgets \
  -ts translations/merganser_*.ts
