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
# A session over the world's files (paths relative to the session), then figures of every view
# made from it by the same code as File > Export Figure, and a screenshot of the main window.
cat > "$out/demo.gcsession.json.tmp" <<'JSON'
{"format": "genocircuit-session", "version": 3,
 "files": ["world/genome.fa.gz", "world/genes.gtf", "world/regulatory_elements.bed",
           "world/compartments.bedgraph", "world/variants.vcf.gz", "world/hic.mcool",
           "world/expression.h5ad"],
 "current_view": "browser",
 "views": {"browser": {"locus": "chr1:110001-330000"}},
 "figures": [
   {"view": "browser", "out": "figure-browser.svg", "dpi": 300, "width_mm": 180},
   {"view": "browser", "out": "figure-browser.pdf", "dpi": 300, "width_mm": 180},
   {"view": "browser", "out": "figure-browser.png", "dpi": 300, "width_mm": 180},
   {"view": "hic", "out": "figure-hic.svg", "dpi": 300, "width_mm": 180},
   {"view": "hic", "out": "figure-hic.pdf", "dpi": 300, "width_mm": 180},
   {"view": "hic", "out": "figure-hic.png", "dpi": 300, "width_mm": 180}]}
JSON
mv "$out/demo.gcsession.json.tmp" "$out/demo.gcsession.json"
# Every figure the session specifies, made headless from it by the views' own renderers.
"$bin/cli/genocircuit-cli" export-figure --session "$out/demo.gcsession.json" --json > "$out/figures.json"
# The 3D view renders with OpenGL, so it needs a (virtual) display.
xvfb-run -a -s "-screen 0 1600x1000x24" "$bin/cli/genocircuit-cli" export-figure \
  --session "$out/demo.gcsession.json" --view 3d --out "$out/figure-3d.png" --dpi 300 --width-mm 180
xvfb-run -a -s "-screen 0 1600x1000x24" "$bin/gui/genocircuit" --screenshot "$out/main-window.png" \
  --quit-after 60000 --session "$out/demo.gcsession.json"
echo "run-demo: wrote $out/report.json (the world's manifest), $out/world/, $out/figure-{browser,hic}.{svg,pdf,png}," \
  "$out/figure-3d.png and $out/main-window.png"
