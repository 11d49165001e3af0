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
  targets=(fuzz_fasta fuzz_annotation fuzz_bed fuzz_vcf fuzz_h5ad fuzz_text_matrix fuzz_edge_list fuzz_json
           fuzz_motifs fuzz_peaks fuzz_bedgraph fuzz_pairs fuzz_session fuzz_probe)
fi
corpus="$build/fuzz-corpus"
seeds="$build/fuzz-seeds"
rm -rf "$seeds"
"$build/fuzz/make_fuzz_seeds" "$seeds"
# Heads of small real files from the shared data folder, when it is there (read in place; the
# seeds live in the build folder only).
shared=${GC_SHARED_DATA_DIR:-$src/../shared/data}
if [ -d "$shared" ]; then
  add_head() { # TARGET LINES FILE
    [ -f "$3" ] && head -n "$2" "$3" >"$seeds/$1/shared_$(basename "$3")"
    return 0
  }
  for f in "$shared"/motifs/*pfm*.txt; do add_head fuzz_motifs 120 "$f"; done
  for f in "$shared"/tracks/*.narrowPeak; do add_head fuzz_peaks 40 "$f"; done
  add_head fuzz_bedgraph 40 "$shared/tracks/bedgraph_chrx_2e6_5e6.bg"
  for f in toy.pairs toy_hash.pairs mm9.sample1.pairs hg19.sample1.pairs; do
    add_head fuzz_pairs 60 "$shared/hic/cooler/$f"
  done
  [ -f "$shared/hic/cooler/toy_hash.pairs.gz" ] && cp "$shared/hic/cooler/toy_hash.pairs.gz" "$seeds/fuzz_pairs/"
fi
# fuzz_probe's first byte picks the file name (its `names` table): 0 .fa, 2 .gtf, 4 .bed,
# 5 .narrowPeak, 7 .bedGraph, 8 .vcf, 10 .h5ad, 11 .csv, 13 .pairs, 18 .jaspar, 19 .meme, 21 .txt.
mkdir -p "$seeds/fuzz_probe"
declare -A probe_index=(
  [fuzz_fasta]=0 [fuzz_annotation]=2 [fuzz_bed]=4 [fuzz_peaks]=5 [fuzz_bedgraph]=7 [fuzz_vcf]=8 [fuzz_h5ad]=10
  [fuzz_text_matrix]=11 [fuzz_pairs]=13 [fuzz_motifs]=21 [fuzz_session]=21
)
for t in "${!probe_index[@]}"; do
  for f in "$seeds/$t"/*; do
    [ -f "$f" ] || continue
    { printf "\\$(printf '%03o' "${probe_index[$t]}")"; cat "$f"; } >"$seeds/fuzz_probe/${t}_$(basename "$f")"
  done
done
bad="$src/tests/data/bad"
declare -A bad_glob=(
  [fuzz_fasta]="*.fa" [fuzz_annotation]="*.gtf" [fuzz_bed]="*.bed" [fuzz_vcf]="*.vcf"
  [fuzz_text_matrix]="expr_matrix_*" [fuzz_edge_list]="expr_refnetwork_*" [fuzz_h5ad]="*.h5ad" [fuzz_json]="*.json"
)
# Leaks inside HDF5 itself (not our handles) are suppressed; see lsan.supp. The suppression
# matches a function name, so leak stacks must be unwound fully (HDF5 has no frame pointers).
export LSAN_OPTIONS="suppressions=$src/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
# UBSan only prints by default; halting makes undefined behaviour a libFuzzer finding.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$corpus/$t" "$build/fuzz-artifacts/$t"
  cp -n "$seeds/$t"/* "$corpus/$t/" 2>/dev/null || true
  if [ -n "${bad_glob[$t]:-}" ]; then
    for f in $bad/${bad_glob[$t]}; do
      [ -f "$f" ] && cp -n "$f" "$corpus/$t/"
    done
  fi
  echo "== $t (${seconds}s)"
  if ! "$build/fuzz/$t" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=20 \
       -artifact_prefix="$build/fuzz-artifacts/$t/" "$corpus/$t" 2>"$build/fuzz-artifacts/$t.log"; then
    echo "   FAILED: see $build/fuzz-artifacts/$t.log"
    status=1
  fi
  grep -E "^(#[0-9]+\s+DONE|Done [0-9]+ runs)" "$build/fuzz-artifacts/$t.log" | tail -1 || true
done
exit $status
