#!/usr/bin/env bash
# GenoCircuit Studio set-up for a fresh Debian 12 machine: installs the Debian packages of
# DESIGN §3, makes OpenBLAS the active BLAS, then configures and builds. Idempotent: re-running
# it only rebuilds what changed.
#
#   installers/setup.sh [PRESET]      PRESET: release (default), ci, dev, asan, minimal
#   installers/setup.sh --deps-only   install packages only
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset="release"
deps_only=0
for arg in "$@"; do
  case "$arg" in
    --deps-only) deps_only=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) preset="$arg" ;;
  esac
done

packages=(
  build-essential g++ cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev
  libvtk9-dev
  libtorch-dev libopenblas0-pthread libopenblas-pthread-dev
  libhdf5-dev libhts-dev libeigen3-dev zlib1g-dev libbigwig-dev libcurl4-gnutls-dev
  xvfb xauth libgl1-mesa-dri
  # the DEB: cpack's dependency list (dpkg-shlibdeps) and the desktop entry's check (test_deb)
  dpkg-dev desktop-file-utils
  # GRNBoost2 (XGBoost); scikit-learn only runs the reference GENIE3 of `bench grn`
  libxgboost-dev python3-sklearn
)
if [ "$preset" = "minimal" ]; then
  packages=(build-essential g++ cmake ninja-build ccache pkg-config git libtorch-dev libopenblas0-pthread)
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

# Debian's LibTorch links the generic libblas.so.3: point it (and LAPACK) at OpenBLAS, or matrix
# products run on the reference BLAS at ~1/40 of the speed.
arch_dir="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
for lib in libblas.so.3 liblapack.so.3; do
  alt="$lib-$(basename "$arch_dir")"
  target="$arch_dir/openblas-pthread/$lib"
  if [ -e "$target" ] && update-alternatives --query "$alt" >/dev/null 2>&1; then
    current="$(update-alternatives --query "$alt" | sed -n 's/^Value: //p')"
    if [ "$current" != "$target" ]; then
      "${sudo_cmd[@]}" update-alternatives --set "$alt" "$target"
    fi
  fi
done
blas="$(readlink -f "$arch_dir/libblas.so.3" || true)"
case "$blas" in
  *openblas*) echo "setup: BLAS is OpenBLAS ($blas)" ;;
  *) echo "setup: WARNING: BLAS is $blas, not OpenBLAS; LibTorch will be slow" >&2 ;;
esac

[ "$deps_only" -eq 1 ] && exit 0

cd "$here"
cmake --preset "$preset"
cmake --build --preset "$preset" -j "$(nproc)"
echo "setup: built preset '$preset' in $here/build/$preset"
