#!/usr/bin/env python3
"""Run the preparation benchmark several times and report each scheme's client/floor ratio per
run and its median.

Each run is a separate process. Between processes the ratio moves by a few percent (code and
heap layout differ), more than criterion's confidence interval within one run shows, so a goal
is judged on the median of several runs.

Usage: python3 benches/scripts/prepare_runs.py [RUNS]   (default 5)
"""

import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CRITERION = REPO / "target" / "criterion"
SCHEMES = ("roa_v1", "acs3")


def median_ns(group, name):
    path = CRITERION / group / name / "new" / "estimates.json"
    return json.loads(path.read_text())["median"]["point_estimate"]


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    ratios = {scheme: [] for scheme in SCHEMES}
    for run in range(1, runs + 1):
        subprocess.run(
            ["cargo", "bench", "-q", "-p", "acs-benches", "--bench", "prepare", "--", "prepare_"],
            cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        cells = []
        for scheme in SCHEMES:
            client = median_ns(f"prepare_{scheme}", "client")
            floor = median_ns(f"prepare_{scheme}", "floor")
            ratios[scheme].append(client / floor)
            cells.append(f"{scheme} {client:.0f} / {floor:.0f} ns = {client / floor:.2f}x")
        print(f"run {run}: " + ", ".join(cells), flush=True)
    for scheme in SCHEMES:
        values = sorted(ratios[scheme])
        print(f"{scheme}: median {statistics.median(values):.2f}x "
              f"(min {values[0]:.2f}x, max {values[-1]:.2f}x, {runs} runs)")


if __name__ == "__main__":
    main()
