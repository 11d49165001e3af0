#!/usr/bin/env bash
# GenoCircuit on the demo world against its true GRN, with and without the Hi-C and motif priors,
# the model-card ablations and the baselines, all in one run on the same data:
#   tools/grn/evaluate_demo.sh CLI WORLD_DIR [SEEDS]      (WORLD_DIR from `genocircuit-cli simulate`)
# Prints one line per run: label, seed, AUROC, AUPRC, AUPRC ratio, EPR, seconds.
set -euo pipefail
cli=$1 world=$2 seeds=${3:-"1 2"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
priors=(--genome "$world/genome.fa.gz" --gtf "$world/genes.gtf" --peaks "$world/elements.bed"
        --hic "$world/hic.mcool" --motifs "$world/motifs.jaspar")
common=(--expr "$world/expression.h5ad" --tfs "$world/tfs.txt" --truth "$world/grn.csv" --json)
score() { # label seed json
  python3 -c 'import json,sys
j = json.load(open(sys.argv[3])); m = j["metrics"]
print("%-28s seed %s  AUROC %.4f  AUPRC %.4f  ratio %.3f  EPR %.3f  %.0f s" % (sys.argv[1], sys.argv[2],
      m["auroc"], m["auprc"], m["auprc_ratio"], m["epr"], j["seconds"]["total"]))' "$@"
}
ablation() { printf '{"ablation": "%s"}' "$1" > "$tmp/$1.json"; echo "$tmp/$1.json"; }
for seed in $seeds; do
  "$cli" grn "${common[@]}" --method genocircuit "${priors[@]}" --seed "$seed" --out "$tmp/r.csv" > "$tmp/r.json" 2>/dev/null
  score "genocircuit (Hi-C + motifs)" "$seed" "$tmp/r.json"
  "$cli" grn "${common[@]}" --method genocircuit --seed "$seed" --out "$tmp/r.csv" > "$tmp/r.json" 2>/dev/null
  score "genocircuit (expression)" "$seed" "$tmp/r.json"
  for a in no_attention no_graph; do
    "$cli" grn "${common[@]}" --method genocircuit "${priors[@]}" --config "$(ablation $a)" --seed "$seed" \
      --out "$tmp/r.csv" > "$tmp/r.json" 2>/dev/null
    score "genocircuit $a" "$seed" "$tmp/r.json"
  done
  "$cli" grn "${common[@]}" --method genie3 --seed "$seed" --out "$tmp/r.csv" > "$tmp/r.json" 2>/dev/null
  score "genie3" "$seed" "$tmp/r.json"
  "$cli" grn "${common[@]}" --method grnboost2 --seed "$seed" --out "$tmp/r.csv" > "$tmp/r.json" 2>/dev/null
  score "grnboost2" "$seed" "$tmp/r.json"
done
"$cli" grn "${common[@]}" --method genocircuit "${priors[@]}" --config "$(ablation prior_only)" \
  --out "$tmp/r.csv" > "$tmp/r.json" 2>/dev/null
score "static prior alone" - "$tmp/r.json"
"$cli" grn "${common[@]}" --method pearson --out "$tmp/r.csv" > "$tmp/r.json" 2>/dev/null
score "pearson" - "$tmp/r.json"
