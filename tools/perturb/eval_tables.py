#!/usr/bin/env python3
"""Markdown tables (mean ± sd over seeds) from `genocircuit-cli perturb eval --json` output,
one table per kind, for docs/model-card.md. Usage: eval_tables.py EVAL.json [KIND ...]"""
import json
import sys

METRICS = ["pearson_delta", "pearson_delta_top20", "mse_top20", "direction_top20", "l2_top_expressed",
           "top50_accuracy"]
LOWER_IS_BETTER = {"mse_top20", "l2_top_expressed"}


def cell(m):
    mean, sd = m.get("mean"), m.get("sd")
    if mean is None:
        return "n/a"
    return f"{mean:.3f}" + (f" ± {sd:.3f}" if sd is not None else "")


def main():
    report = json.load(open(sys.argv[1]))
    kinds = sys.argv[2:] or list(report["splits"].keys())
    for kind in kinds:
        split = report["splits"][kind]
        results = split["results"]
        print(f"*{kind} (test items per seed: {' '.join(str(n) for n in split['test_items'])})*\n")
        print("| | " + " | ".join(m.replace("_", " ") for m in METRICS) + " |")
        print("| --- " * (len(METRICS) + 1) + "|")
        best = {}
        for m in METRICS:
            values = [(r[m]["mean"], name) for name, r in results.items() if r[m].get("mean") is not None]
            if values:
                best[m] = (min if m in LOWER_IS_BETTER else max)(values)[1]
        for name, r in results.items():
            cells = [("**" + cell(r[m]) + "**") if best.get(m) == name else cell(r[m]) for m in METRICS]
            print(f"| {name.replace('_', ' ')} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
