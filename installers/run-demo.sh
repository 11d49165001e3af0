#!/usr/bin/env bash
# Set-up from a fresh Debian 12 machine, then the main job: the GUI when a display exists;
# without one, the headless pipeline writing its figures and a JSON report to a folder.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/installers/setup.sh" release
bin="$here/build/release/app"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$bin/gui/genocircuit" "$@"
fi
out="${GENOCIRCUIT_DEMO_OUT:-$here/demo-output}"
mkdir -p "$out"
echo "run-demo: no display; running headless into $out"
# Until the demo world exists (core/simulate), the headless job renders the main window on a
# virtual display and records the build's self-description.
xvfb-run -a -s "-screen 0 1600x1000x24" "$bin/gui/genocircuit" --screenshot "$out/main-window.png" --quit-after 2000
"$bin/cli/genocircuit-cli" --version --json > "$out/report.json.tmp" && mv "$out/report.json.tmp" "$out/report.json"
echo "run-demo: wrote $out/main-window.png and $out/report.json"
