#!/usr/bin/env bash
# Re-makes the screenshots of docs/user-guide.md with a built application, under Xvfb with the
# real xcb platform:  docs/make-screenshots.sh [BUILD_DIR] (default build/release).
# The demo world is generated into a private cache folder, so the user's cache is left alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build/release}"
app="$build/app/gui/genocircuit"
shared="$here/../shared/data"
out="$here/docs/images"
cache="$(mktemp -d)"
trap 'rm -rf "$cache"' EXIT
shot() { # OUT.png ARGS...
  local png="$1"
  shift
  XDG_CACHE_HOME="$cache" QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$app" --screenshot "$out/$png" --quit-after 60000 "$@"
  echo "wrote docs/images/$png"
}
shot main-demo-browser.png --view browser
shot main-demo-hic.png --view hic
shot main-demo-3d.png --view 3d
# GENIE3 on the demo world takes minutes on a small machine: the graph shot waits for it (the
# last --quit-after counts).
shot main-demo-graph.png --view graph --quit-after 600000
if [ -d "$shared" ]; then
  yeast=("$shared/genome/yeast_R64-1-1/Saccharomyces_cerevisiae.R64-1-1.dna.toplevel.fa.gz"
         "$shared/genome/yeast_R64-1-1/Saccharomyces_cerevisiae.R64-1-1.96.gtf.gz"
         "$shared/hic/cooler/yeast.10kb.cool")
  shot main-yeast-browser.png --view browser --locus II:100,001-300,000 "${yeast[@]}"
  shot main-yeast-bases.png --view browser --locus VI:54,001-54,150 "${yeast[@]}"
  shot main-yeast-hic.png --view hic --locus II:100,001-300,000 "${yeast[@]}"
  shot main-yeast-3d.png --view 3d --locus II:100,001-300,000 "${yeast[@]}"
  shot main-pairs-hic.png --view hic "$shared/hic/cooler/mm9.sample1.pairs"
else
  echo "make-screenshots: ../shared/data is absent: the yeast screenshots were not remade" >&2
fi
