#!/usr/bin/env python3
"""Scores GRN methods on BEELINE folders with `genocircuit-cli grn --truth`, over several seeds,
and prints per-family medians of AUPRC ratio and EPR (BEELINE's summary) as a Markdown table.

Every method runs on the same folders in the same run; the seeds apply to every method that
uses one (GenoCircuit, GENIE3, GRNBoost2). Standard library only.

  tools/grn/evaluate_beeline.py --cli build/ci/app/cli/genocircuit-cli \
      --beeline ../shared/data/beeline --per-family 3 --seeds 1,2,3 --json results.json
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def folders(root, per_family):
    out = []
    for group in sorted(os.listdir(root)):
        for family in sorted(os.listdir(os.path.join(root, group))):
            fam_dir = os.path.join(root, group, family)
            sets = sorted(d for d in os.listdir(fam_dir)
                          if os.path.isfile(os.path.join(fam_dir, d, "ExpressionData.csv")))
            for d in sets[:per_family] if per_family > 0 else sets:
                out.append((family, os.path.join(fam_dir, d)))
    return out


def run(cli, method, folder, seed, threads, tmp):
    out = os.path.join(tmp, "ranked.csv")
    cmd = [cli, "grn", "--expr", folder, "--truth", os.path.join(folder, "refNetwork.csv"),
           "--method", method, "--out", out, "--seed", str(seed), "--threads", str(threads), "--json"]
    start = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {p.stderr.strip().splitlines()[-1:]}")
    m = json.loads(p.stdout)["metrics"]
    return {"auprc_ratio": m["auprc_ratio"], "epr": m["epr"], "auroc": m["auroc"],
            "seconds": time.time() - start}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--beeline", required=True)
    ap.add_argument("--methods", default="genocircuit,genie3,grnboost2,pidc,pearson")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--per-family", type=int, default=0, help="folders per family (0 = all)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json", help="write every score here")
    a = ap.parse_args()
    methods = a.methods.split(",")
    seeds = [int(s) for s in a.seeds.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for family, folder in folders(a.beeline, a.per_family):
            for method in methods:
                for seed in seeds if method not in ("pearson", "spearman", "pidc") else seeds[:1]:
                    r = run(a.cli, method, folder, seed, a.threads, tmp)
                    r.update(family=family, folder=os.path.basename(folder), method=method, seed=seed)
                    rows.append(r)
                    print(f"{family:6} {r['folder']:18} {method:12} seed {seed}: AUPRC ratio "
                          f"{r['auprc_ratio']:.3f} EPR {r['epr']:.3f} ({r['seconds']:.1f} s)", file=sys.stderr)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)
    families = sorted({r["family"] for r in rows})

    def cell(family, method, key):
        # Mean over seeds per folder, then the median over the family's folders.
        per_folder = {}
        for r in rows:
            if r["method"] == method and (family is None or r["family"] == family):
                per_folder.setdefault((r["family"], r["folder"]), []).append(r[key])
        vals = [statistics.mean(v) for v in per_folder.values()]
        return statistics.median(vals) if vals else float("nan")

    for key, title in (("auprc_ratio", "median AUPRC ratio"), ("epr", "median EPR")):
        print(f"\n{title} (mean over seeds {a.seeds} per data set, median over data sets)\n")
        print("| family | " + " | ".join(methods) + " |")
        print("| --- |" + " --- |" * len(methods))
        for family in families + [None]:
            name = family or "**all**"
            print(f"| {name} | " + " | ".join(f"{cell(family, m, key):.3f}" for m in methods) + " |")
    total = {m: sum(r["seconds"] for r in rows if r["method"] == m) for m in methods}
    print("\nwall seconds per method (all runs): " + ", ".join(f"{m} {s:.0f}" for m, s in total.items()))


if __name__ == "__main__":
    main()
