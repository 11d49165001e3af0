#!/usr/bin/env bash
# Builds seed corpora (tiny valid inputs + tests/data/bad) and runs each fuzz target for
# SECONDS_PER_TARGET seconds. Usage: fuzz/run_fuzzers.sh BUILD_DIR [SECONDS_PER_TARGET] [TARGET...]
# Crashes are written to BUILD_DIR/fuzz-artifacts/<target>/; corpora grow in BUILD_DIR/fuzz-corpus/.
set -euo pipefail
build=${1:?usage: run_fuzzers.sh BUILD_DIR [SECONDS] [TARGET...]}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))
src=$(cd "$(dirname "$0")/.." && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_fasta fuzz_annotation fuzz_bed fuzz_vcf fuzz_h5ad fuzz_text_matrix fuzz_edge_list fuzz_json)
fi
corpus="$build/fuzz-corpus"
seeds="$build/fuzz-seeds"
rm -rf "$seeds"
"$build/fuzz/make_fuzz_seeds" "$seeds"
bad="$src/tests/data/bad"
declare -A bad_glob=(
  [fuzz_fasta]="*.fa" [fuzz_annotation]="*.gtf" [fuzz_bed]="*.bed" [fuzz_vcf]="*.vcf"
  [fuzz_text_matrix]="expr_matrix_*" [fuzz_edge_list]="expr_refnetwork_*" [fuzz_h5ad]="*.h5ad" [fuzz_json]="*.json"
)
# Leaks inside HDF5 itself (not our handles) are suppressed; see lsan.supp. The suppression
# matches a function name, so leak stacks must be unwound fully (HDF5 has no frame pointers).
export LSAN_OPTIONS="suppressions=$src/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$corpus/$t" "$build/fuzz-artifacts/$t"
  cp -n "$seeds/$t"/* "$corpus/$t/" 2>/dev/null || true
  for f in $bad/${bad_glob[$t]}; do
    [ -f "$f" ] && cp -n "$f" "$corpus/$t/"
  done
  echo "== $t (${seconds}s)"
  if ! "$build/fuzz/$t" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=20 \
       -artifact_prefix="$build/fuzz-artifacts/$t/" "$corpus/$t" 2>"$build/fuzz-artifacts/$t.log"; then
    echo "   FAILED: see $build/fuzz-artifacts/$t.log"
    status=1
  fi
  grep -E "^(#[0-9]+\s+DONE|Done [0-9]+ runs)" "$build/fuzz-artifacts/$t.log" | tail -1 || true
done
exit $status
