#!/usr/bin/env python3
"""GENIE3 with scikit-learn, the way arboreto's genie3 runs it (what BEELINE calls GENIE3).

Reference for `genocircuit-cli bench grn`: reads a BEELINE ExpressionData.csv (genes x cells,
first column = gene names), fits for every target gene a RandomForestRegressor(n_estimators,
max_features='sqrt') on all other genes (or on the --regulators among them), and writes
Gene1,Gene2,EdgeWeight (regulator, target, feature importance), sorted by decreasing weight,
dropping zero importances as arboreto does. Prints the wall time of the inference (reading and
writing excluded) as one JSON line on stdout.
"""
import argparse
import csv
import json
import os
import sys
import tempfile
import time

import numpy as np
from sklearn.ensemble import RandomForestRegressor


def read_expression(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    genes = [r[0] for r in rows[1:]]
    values = np.array([[float(v) for v in r[1:]] for r in rows[1:]], dtype=np.float64)
    return genes, values.T  # cells x genes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("expression", help="BEELINE ExpressionData.csv (genes x cells)")
    parser.add_argument("out", help="output CSV: Gene1,Gene2,EdgeWeight")
    parser.add_argument("--trees", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="n_jobs of each forest")
    parser.add_argument("--regulators", help="file with one regulator name per line")
    args = parser.parse_args()

    genes, x = read_expression(args.expression)
    regulators = genes
    if args.regulators:
        with open(args.regulators) as f:
            wanted = {line.strip() for line in f if line.strip()}
        regulators = [g for g in genes if g in wanted]
    index = {g: i for i, g in enumerate(genes)}

    start = time.perf_counter()
    edges = []
    for t, target in enumerate(genes):
        inputs = [r for r in regulators if r != target]
        if not inputs:
            continue
        forest = RandomForestRegressor(n_estimators=args.trees, max_features="sqrt",
                                       n_jobs=args.jobs, random_state=args.seed + t)
        forest.fit(x[:, [index[r] for r in inputs]], x[:, t])
        for r, w in zip(inputs, forest.feature_importances_):
            if w > 0:
                edges.append((r, target, float(w)))
    seconds = time.perf_counter() - start
    edges.sort(key=lambda e: (-e[2], e[0], e[1]))

    # Written next to the destination, then renamed, so a crash leaves no partial file.
    directory = os.path.dirname(os.path.abspath(args.out))
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["Gene1", "Gene2", "EdgeWeight"])
            for r, t, v in edges:
                w.writerow([r, t, repr(v)])
        os.replace(tmp, args.out)
    except BaseException:
        os.unlink(tmp)
        raise
    print(json.dumps({"seconds": seconds, "genes": len(genes), "cells": int(x.shape[0]),
                      "edges": len(edges), "trees": args.trees}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
