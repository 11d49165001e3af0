#!/usr/bin/env bash
# Runs `genocircuit-cli info` and `fasta` over tests/data/bad plus truncated copies of a small
# demo world (bgzip/gzip FASTA, GTF, BED, VCF, .h5ad, .mcool), e.g. with a sanitizer build:
#   ASAN_OPTIONS=detect_leaks=0 tests/badinput/run_corpus.sh build/asan/app/cli/genocircuit-cli
# Fails when any run exits with a code other than 0 or 2 (1 = internal error or an ASan report,
# >2 = crash) or prints a sanitizer report (UBSan reports and continues by default).
set -uo pipefail
cli=${1:?usage: run_corpus.sh GENOCIRCUIT_CLI [WORK_DIR]}
work=${2:-$(mktemp -d)}
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work/world" "$work/cut"
"$cli" simulate --out "$work/world" --preset small --json > /dev/null || { echo "simulate failed"; exit 1; }
gzip -dc "$work/world/genome.fa.gz" | gzip -c > "$work/world/genome_plain_gzip.fa.gz"
for f in "$work"/world/*; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  size=$(stat -c %s "$f")
  for frac in 10 50 90 99; do
    head -c $(( size * frac / 100 )) "$f" > "$work/cut/${frac}pct_$name"
  done
done
status=0
checked=0
for f in "$src"/tests/data/bad/* "$work"/cut/*; do
  for cmd in "info $f --json" "fasta $f --region chr1:1-100 --json"; do
    # shellcheck disable=SC2086
    "$cli" $cmd > "$work/out.txt" 2> "$work/err.txt"
    rc=$?
    checked=$((checked + 1))
    if { [ $rc -ne 0 ] && [ $rc -ne 2 ]; } || grep -qE "runtime error:|Sanitizer" "$work/err.txt"; then
      echo "FAIL (exit $rc): genocircuit-cli $cmd"
      head -c 3000 "$work/err.txt"
      status=1
    fi
  done
done
echo "$checked runs, status $status"
exit $status
