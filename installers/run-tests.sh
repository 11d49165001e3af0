#!/usr/bin/env bash
# Set-up from a fresh Debian 12 machine, then the whole test suite (CI runs exactly this).
# GUI tests need a display with OpenGL: they run under Xvfb.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/installers/setup.sh" ci
cd "$here"
if [ ! -d ../shared/data ]; then
  echo "run-tests: ../shared/data is absent: tests on real data will be skipped" >&2
fi
xvfb-run -a -s "-screen 0 1600x1000x24" ctest --preset ci -j 2
