#!/usr/bin/env python3
"""Scores GRN methods on DREAM4 in-silico networks with `genocircuit-cli grn --truth`, over several
seeds, and prints AUPR and AUROC per network as a Markdown table: both as the DREAM4 organisers
computed them (the JSON's metrics.dream: ranked list, interpolated precision, random tail) and as
BEELINE does (metrics.auprc / auroc: sklearn trapezoids, ties averaged).

Each network folder (insilico_size100_N under --dream4) is read as `grn --expr FOLDER` reads it
(knockouts, knockdowns, wild type, time series; the multifactorial file renames its genes and is
left out) and scored against DREAM4_GoldStandard_InSilico_Size100_N.tsv. Every method runs on the
same folders in the same run; the seeds apply to the seeded methods. Standard library only.

  tools/grn/evaluate_dream4.py --cli build/ci/app/cli/genocircuit-cli \\
      --dream4 ../shared/data/perturb/dream4 --seeds 1,2,3 --json results.json
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

UNSEEDED = ("pearson", "spearman", "pidc")


def networks(root):
    out = []
    for folder in sorted(glob.glob(os.path.join(root, "insilico_size*_*"))):
        name = os.path.basename(folder)  # insilico_size100_1
        size, number = name[len("insilico_size"):].split("_", 1)
        gold = os.path.join(folder, f"DREAM4_GoldStandard_InSilico_Size{size}_{number}.tsv")
        if os.path.isfile(gold):
            out.append((name, folder, gold))
    return out


def run(cli, method, folder, gold, seed, threads, tmp):
    out = os.path.join(tmp, "ranked.tsv")
    cmd = [cli, "grn", "--expr", folder, "--truth", gold, "--method", method, "--out", out,
           "--seed", str(seed), "--threads", str(threads), "--json"]
    start = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {p.stderr.strip().splitlines()[-1:]}")
    m = json.loads(p.stdout)["metrics"]
    d = m["dream"]
    if d is None:
        raise RuntimeError(f"{' '.join(cmd)}: no DREAM scoring in the JSON (is {gold} a gold standard?)")
    return {"dream_aupr": d["aupr"], "dream_auroc": d["auroc"], "auprc": m["auprc"], "auroc": m["auroc"],
            "seconds": time.time() - start}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--dream4", required=True, help="folder holding insilico_size100_N folders")
    ap.add_argument("--methods", default="genocircuit,genie3,grnboost2,pidc,pearson")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json", help="write every score here")
    a = ap.parse_args()
    methods = a.methods.split(",")
    seeds = [int(s) for s in a.seeds.split(",")]
    nets = networks(a.dream4)
    if not nets:
        sys.exit(f"no insilico_size*_N folders with their gold standard under {a.dream4}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder, gold in nets:
            for method in methods:
                for seed in seeds[:1] if method in UNSEEDED else seeds:
                    r = run(a.cli, method, folder, gold, seed, a.threads, tmp)
                    r.update(network=name, method=method, seed=seed)
                    rows.append(r)
                    print(f"{name} {method:12} seed {seed}: DREAM AUPR {r['dream_aupr']:.3f} AUROC "
                          f"{r['dream_auroc']:.3f}, BEELINE AUPRC {r['auprc']:.3f} AUROC {r['auroc']:.3f} "
                          f"({r['seconds']:.1f} s)", file=sys.stderr)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)

    def cell(network, method, key):
        vals = [r[key] for r in rows if r["network"] == network and r["method"] == method]
        if len(vals) == 1:
            return f"{vals[0]:.3f}"
        return f"{statistics.mean(vals):.3f} ({min(vals):.3f}–{max(vals):.3f})"

    names = [n for n, _, _ in nets]
    print(f"\nmean over seeds {a.seeds} (range) for the seeded methods\n")
    head = [f"{n} {k}" for n in names for k in ("DREAM AUPR", "DREAM AUROC", "AUPRC", "AUROC")]
    print("| method | " + " | ".join(head) + " |")
    print("| --- |" + " --- |" * len(head))
    for m in methods:
        cells = [cell(n, m, k) for n in names for k in ("dream_aupr", "dream_auroc", "auprc", "auroc")]
        print(f"| {m} | " + " | ".join(cells) + " |")
    total = {m: sum(r["seconds"] for r in rows if r["method"] == m) for m in methods}
    print("\nwall seconds per method (all runs): " + ", ".join(f"{m} {s:.0f}" for m, s in total.items()))


if __name__ == "__main__":
    main()
