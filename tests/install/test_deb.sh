#!/usr/bin/env bash
# The packages end to end (installers/): builds the DEB and the TGZ from a built tree with cpack,
# installs the DEB with apt-get, runs the installed genocircuit-cli and genocircuit (the demo
# world under Xvfb, and a session given as a file, as a double-click passes it), checks the
# desktop entry and the MIME types, removes the package and checks that it is gone.
#   tests/install/test_deb.sh BUILD_DIR VERSION PNG_STATS
# It changes the machine, so it needs root and apt-get: without them it exits 77 (CTest: skipped).
# The package is removed on every way out (trap), and runs of this test on one machine take turns.
set -euo pipefail

build="$(cd "$1" && pwd)"
version="$2"
png_stats="$3"

skip() {
  echo "test_deb: SKIPPED: $*"
  exit 77
}
fail() {
  echo "test_deb: FAILED: $*" >&2
  exit 1
}
step() { echo "test_deb: [${SECONDS} s] $*"; }
# Runs a command with its output in a log, shown when it fails.
logged() { # LOG CMD...
  local log="$1"
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    return 1
  fi
}

[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then skip "no apt-get/dpkg on this machine"; fi
command -v cpack >/dev/null || fail "cpack (CMake) is not on PATH"
[ -f "$build/CPackConfig.cmake" ] || fail "$build is not a configured build tree (no CPackConfig.cmake)"

lock_dir=/run/lock
[ -d "$lock_dir" ] || lock_dir=/tmp
exec 9>"$lock_dir/genocircuit-test-deb.lock"
flock -w 300 9 || fail "another test_deb held $lock_dir/genocircuit-test-deb.lock for 5 minutes"
status() { dpkg-query -W -f='${db:Status-Abbrev}' genocircuit 2>/dev/null || true; }
case "$(status)" in
  i*) skip "a genocircuit package is installed on this machine: this test would replace it, then remove" \
        "it (apt-get remove genocircuit lets it run)" ;;
esac

work="$(mktemp -d /tmp/genocircuit-test-deb.XXXXXX)"
installed=0
cleanup() {
  local rc=$?
  if [ "$installed" -eq 1 ]; then
    echo "test_deb: removing the package"
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq -o DPkg::Lock::Timeout=300 genocircuit >/dev/null 2>&1 ||
      dpkg --remove genocircuit >/dev/null 2>&1 || echo "test_deb: could not remove genocircuit" >&2
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$work"

# --- the packages ------------------------------------------------------------------------------
step "cpack -G DEB"
logged "$work/cpack-deb.log" cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" ||
  fail "cpack -G DEB failed"
debs=("$work"/pkg/genocircuit_"$version"_*.deb)
deb="${debs[0]}"
[ -f "$deb" ] || fail "cpack wrote no genocircuit_${version}_*.deb: $(ls "$work/pkg")"
echo "test_deb: $(basename "$deb"): $(du -k "$deb" | cut -f1) KiB"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "test_deb: Depends: $depends"
[ "$(dpkg-deb -f "$deb" Package)" = genocircuit ] || fail "the package is not named genocircuit"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the package's version is not $version"
for dep in libqt6core6 libqt6widgets6 qt6-qpa-plugins libhdf5-103-1 libhts3 'libtorch[0-9.]+' 'libvtk9[0-9.]*'; do
  grep -Eq "(^|, )$dep( |,|$)" <<<"$depends" || fail "Depends does not name $dep"
done
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents"
for f in usr/bin/genocircuit usr/bin/genocircuit-cli usr/lib/genocircuit/plugins/gc-pairs-importer.so \
  usr/share/genocircuit/demo-world/manifest.json usr/share/genocircuit/demo-world/hic.mcool \
  usr/share/genocircuit/chrom_aliases.tsv usr/share/applications/genocircuit.desktop \
  usr/share/icons/hicolor/scalable/apps/genocircuit.svg usr/share/mime/packages/genocircuit.xml \
  usr/share/doc/genocircuit/README.md usr/share/doc/genocircuit/user-guide.md \
  usr/share/doc/genocircuit/model-card.md; do
  grep -qx "\./$f" "$work/contents" || fail "the DEB has no /$f"
done
outside="$(grep -v '^\./$' "$work/contents" | grep -v '^\./usr/' || true)"
[ -z "$outside" ] || fail "the DEB installs outside /usr: $outside"

step "cpack -G TGZ"
logged "$work/cpack-tgz.log" cpack --config "$build/CPackConfig.cmake" -G TGZ -B "$work/pkg" ||
  fail "cpack -G TGZ failed"
tgzs=("$work"/pkg/genocircuit-"$version"-*.tar.gz)
tgz="${tgzs[0]}"
[ -f "$tgz" ] || fail "cpack wrote no genocircuit-${version}-*.tar.gz: $(ls "$work/pkg")"
echo "test_deb: $(basename "$tgz"): $(du -k "$tgz" | cut -f1) KiB"
tar -tzf "$tgz" >"$work/tgz-contents"
grep -Eq '^[^/]+/bin/genocircuit-cli$' "$work/tgz-contents" || fail "the TGZ has no bin/genocircuit-cli"
# Unpacked anywhere, the tarball's CLI finds its plugins beside it.
mkdir "$work/tgz" && tar -xzf "$tgz" -C "$work/tgz"
tgz_cli=("$work"/tgz/*/bin/genocircuit-cli)
"${tgz_cli[0]}" plugins --json >"$work/tgz-plugins.json"
grep -q "\"file\":\"$work/tgz/[^\"]*/lib/genocircuit/plugins/gc-pairs-importer.so\"" "$work/tgz-plugins.json" ||
  fail "the unpacked TGZ's genocircuit-cli does not load its own plugin: $(cat "$work/tgz-plugins.json")"

# --- install -----------------------------------------------------------------------------------
step "apt-get install $(basename "$deb")"
installed=1
logged "$work/install.log" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  -o DPkg::Lock::Timeout=300 "$deb" || fail "apt-get install failed"
case "$(status)" in
  ii*) ;;
  *) fail "after apt-get install, dpkg says genocircuit is '$(status)'" ;;
esac
for exe in /usr/bin/genocircuit /usr/bin/genocircuit-cli /usr/lib/genocircuit/plugins/gc-pairs-importer.so; do
  [ -f "$exe" ] || fail "$exe was not installed"
  missing="$(ldd "$exe" | grep 'not found' || true)"
  [ -z "$missing" ] || fail "$exe needs libraries that are not installed: $missing"
  # Nothing may point back into the build tree or to libraries outside Debian's packages.
  paths="$(readelf -d "$exe" | grep -E 'RPATH|RUNPATH' || true)"
  ! grep -Eq "$build|/usr/local" <<<"$paths" || fail "$exe has a run path outside the system: $paths"
done

step "/usr/bin/genocircuit-cli --version"
cli_version="$(/usr/bin/genocircuit-cli --version)"
echo "test_deb: $cli_version"
[[ "$cli_version" == "genocircuit-cli $version "* ]] || fail "--version printed '$cli_version'"
/usr/bin/genocircuit-cli plugins --json >"$work/plugins.json"
grep -q '"file":"/usr/lib/genocircuit/plugins/gc-pairs-importer.so"' "$work/plugins.json" ||
  fail "the installed CLI does not load /usr/lib/genocircuit/plugins/gc-pairs-importer.so: $(cat "$work/plugins.json")"
grep -q '"problems":\[\]' "$work/plugins.json" || fail "the installed CLI refused a plugin: $(cat "$work/plugins.json")"

# --- the application, as a user starts it -----------------------------------------------------
# A private home for the run: the demo world must come from the installation, not be generated.
export XDG_CACHE_HOME="$work/home/cache" XDG_CONFIG_HOME="$work/home/config" XDG_DATA_HOME="$work/home/data"
export XDG_RUNTIME_DIR="$work/home/run"
mkdir -p "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
gui() { # LOG ARGS...: the installed application on the display, or on a private Xvfb
  local log="$1"
  shift
  if [ -n "${DISPLAY:-}" ]; then
    logged "$log" env QT_QPA_PLATFORM=xcb timeout 150 /usr/bin/genocircuit "$@"
  else
    command -v xvfb-run >/dev/null || fail "no display and no xvfb-run (installers/setup.sh installs xvfb)"
    logged "$log" env QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" \
      timeout 150 /usr/bin/genocircuit "$@"
  fi
}
check_png() { # PNG: a window's worth of pixels in many colours, not a blank or one-colour grab
  local stats
  stats="$("$png_stats" "$1")" || fail "$1 is not a readable PNG"
  echo "test_deb: $(basename "$1"): $(du -k "$1" | cut -f1) KiB, width height colours dominant = $stats"
  read -r w h colours dominant <<<"$stats"
  if [ "$w" -lt 640 ] || [ "$h" -lt 400 ]; then fail "$1 is only ${w}x${h}"; fi
  [ "$colours" -ge 64 ] || fail "$1 has only $colours colours"
  awk -v d="$dominant" 'BEGIN { exit !(d < 0.9) }' || fail "one colour covers $dominant of $1"
}

step "/usr/bin/genocircuit --screenshot (the demo world)"
gui "$work/gui-demo.log" --screenshot "$work/demo.png" --quit-after 90000 ||
  fail "genocircuit --screenshot failed"
[ -f "$work/demo.png" ] || fail "genocircuit wrote no screenshot"
check_png "$work/demo.png"
! grep -q "plugin .* skipped" "$work/gui-demo.log" || fail "genocircuit skipped a plugin: $(cat "$work/gui-demo.log")"
[ ! -e "$XDG_CACHE_HOME/genocircuit/demo-world" ] ||
  fail "genocircuit generated the demo world into the cache instead of opening /usr/share/genocircuit/demo-world"
grep -q "opened /usr/share/genocircuit/demo-world/hic.mcool" "$work/gui-demo.log" ||
  fail "genocircuit did not open the installed demo world: $(cat "$work/gui-demo.log")"

step "/usr/bin/genocircuit SESSION.gcsession.json (a double-clicked session)"
world=/usr/share/genocircuit/demo-world
mkdir "$work/session"
cat >"$work/session/demo.gcsession.json" <<EOF
{"format": "genocircuit-session", "version": 3,
 "files": ["$world/genome.fa.gz", "$world/genes.gtf", "$world/hic.mcool"],
 "current_view": "hic"}
EOF
# A session that cannot be read, or one taken for a data file, exits 2.
gui "$work/gui-session.log" "$work/session/demo.gcsession.json" --screenshot "$work/session.png" \
  --quit-after 60000 || fail "genocircuit did not open the session given as a file"
for f in genome.fa.gz genes.gtf hic.mcool; do
  grep -q "opened $world/$f" "$work/gui-session.log" ||
    fail "genocircuit did not open the session's $f: $(cat "$work/gui-session.log")"
done
check_png "$work/session.png"

step "desktop entry and MIME types"
desktop=/usr/share/applications/genocircuit.desktop
if command -v desktop-file-validate >/dev/null; then
  logged "$work/validate.log" desktop-file-validate "$desktop" || fail "desktop-file-validate $desktop"
  [ ! -s "$work/validate.log" ] || fail "desktop-file-validate: $(cat "$work/validate.log")"
  # desktop-file-utils' trigger: the entry is a handler of our types.
  grep -q '^application/x-mcool=.*genocircuit.desktop' /usr/share/applications/mimeinfo.cache ||
    fail "update-desktop-database did not register $desktop for application/x-mcool"
else
  echo "test_deb: desktop-file-validate is not installed: the desktop entry is not validated"
fi
grep -qx 'Exec=genocircuit %F' "$desktop" || fail "$desktop does not run 'genocircuit %F'"
mime_types=(application/x-cooler application/x-mcool application/x-hic text/x-4dn-pairs
  application/x-4dn-pairs-gzip application/x-anndata application/x-genocircuit-session
  application/x-genocircuit-model application/x-genocircuit-perturbation-model)
if command -v update-mime-database >/dev/null; then
  # shared-mime-info's trigger rebuilt the database with our types.
  for t in "${mime_types[@]}"; do
    grep -qx "$t" /usr/share/mime/types || fail "$t is not in /usr/share/mime/types after installation"
  done
  grep -qx '50:application/x-genocircuit-session:\*\.gcsession\.json' /usr/share/mime/globs2 ||
    fail "*.gcsession.json is not a glob of application/x-genocircuit-session"
fi

# --- remove ------------------------------------------------------------------------------------
step "apt-get remove genocircuit"
logged "$work/remove.log" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -o DPkg::Lock::Timeout=300 \
  genocircuit || fail "apt-get remove failed"
installed=0
case "$(status)" in
  ii*) fail "genocircuit is still installed after apt-get remove" ;;
esac
for f in /usr/bin/genocircuit /usr/bin/genocircuit-cli /usr/lib/genocircuit /usr/share/genocircuit \
  "$desktop" /usr/share/mime/packages/genocircuit.xml /usr/share/doc/genocircuit; do
  [ ! -e "$f" ] || fail "$f is left after apt-get remove"
done
if command -v update-mime-database >/dev/null; then
  ! grep -qx application/x-mcool /usr/share/mime/types || fail "application/x-mcool is still registered"
fi
if [ -f /usr/share/applications/mimeinfo.cache ]; then
  ! grep -q genocircuit.desktop /usr/share/applications/mimeinfo.cache ||
    fail "mimeinfo.cache still names genocircuit.desktop"
fi
step "passed"
