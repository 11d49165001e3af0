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
echo "run-demo: no display; running the headless pipeline into $out"
# The demo world (genome, annotation, expression, CRISPR screen, Hi-C, variants, ground truth),
# then the main window with its files open, rendered on a virtual display.
"$bin/cli/genocircuit-cli" simulate --out "$out/world" --preset demo --json > "$out/report.json.tmp"
mv "$out/report.json.tmp" "$out/report.json"
xvfb-run -a -s "-screen 0 1600x1000x24" "$bin/gui/genocircuit" --screenshot "$out/main-window.png" \
  --quit-after 2000 "$out/world/genome.fa.gz" "$out/world/genes.gtf" "$out/world/hic.mcool" \
  "$out/world/variants.vcf.gz" "$out/world/expression.h5ad"
echo "run-demo: wrote $out/report.json (the world's manifest), $out/world/ and $out/main-window.png"
