#!/usr/bin/env bash
# Checks a built .deb as a user's machine would see it: unpacked into a fresh root (dpkg-deb -x, no chroot
# needed), every library the programs need resolves, both programs start from there, and the desktop entry,
# AppStream metainfo, MIME type, icons and man pages are where a desktop looks for them.
#   packaging/test-deb.sh build/deb/merganser_0.1.0_amd64.deb
set -euo pipefail
deb=${1:?usage: test-deb.sh PACKAGE.deb}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "test-deb: $deb: $*" >&2; exit 1; }

dpkg-deb -x "$deb" "$root"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libtorch libqt6widgets6 libhdf5 libqt6charts6 qt6-qpa-plugins; do
  [[ $depends == *"$lib"* ]] || fail "Depends does not name $lib: $depends"
done
for program in merganser merganser-cli; do
  binary="$root/usr/bin/$program"
  [ -x "$binary" ] || fail "no /usr/bin/$program"
  missing=$(ldd "$binary" | grep "not found" || true)
  [ -z "$missing" ] || fail "$program: libraries not found: $missing"
  [ -s "$root/usr/share/man/man1/$program.1.gz" ] || fail "no man page for $program"
  zcat "$root/usr/share/man/man1/$program.1.gz" | grep -q '^\.SH' || fail "$program.1 is not a man page"
done

"$root/usr/bin/merganser-cli" --version | grep -q '^LibTorch ' || fail "merganser-cli --version names no LibTorch"
shot="$root/shot.png"
QT_QPA_PLATFORM=offscreen "$root/usr/bin/merganser" --screenshot "$shot" --size 1000x700 2>/dev/null
[ "$(stat -c %s "$shot")" -gt 10000 ] || fail "merganser --screenshot wrote no picture"

app=io.github.merganser.Merganser
desktop-file-validate "$root/usr/share/applications/$app.desktop" || fail "the desktop entry is invalid"
grep -q '^MimeType=application/x-merganser-project;' "$root/usr/share/applications/$app.desktop" ||
  fail "the desktop entry does not open .mgproj files"
appstreamcli validate --no-net "$root/usr/share/metainfo/$app.metainfo.xml" >/dev/null ||
  fail "appstreamcli rejects the metainfo"
grep -q 'pattern="\*.mgproj"' "$root/usr/share/mime/packages/$app.xml" || fail "no MIME glob for *.mgproj"
for size in 16 32 48 64 128 256; do
  [ -s "$root/usr/share/icons/hicolor/${size}x${size}/apps/$app.png" ] || fail "no ${size}px icon"
done
[ -s "$root/usr/share/icons/hicolor/scalable/apps/$app.svg" ] || fail "no scalable icon"
[ -s "$root/usr/share/doc/merganser/guide.md" ] || fail "no user guide (Help > User Guide reads it)"
echo "test-deb: $deb: ok ($(du -h "$deb" | cut -f1); Depends: $depends)"
