#!/usr/bin/env python3
"""Print the `prepare` benchmark's results (target/criterion/*/*/new/estimates.json, written by
`cargo bench -p acs-benches --bench prepare`) as the Markdown table of BENCHMARKS.md:
median and 95% confidence interval per routine, and each scheme's client/floor ratio."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "target" / "criterion"


def median(group, name):
    path = ROOT / group / name / "new" / "estimates.json"
    data = json.loads(path.read_text())["median"]
    interval = data["confidence_interval"]
    return data["point_estimate"], interval["lower_bound"], interval["upper_bound"]


def show(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"


print("| scheme | client (validate + serialize + sign) | floor | client / floor |")
print("|---|---:|---:|---:|")
for scheme in ("roa_v1", "acs3"):
    client = median(f"prepare_{scheme}", "client")
    floor = median(f"prepare_{scheme}", "floor")
    print(f"| {scheme} | {show(client[0])} ({show(client[1])}–{show(client[2])}) "
          f"| {show(floor[0])} ({show(floor[1])}–{show(floor[2])}) | {client[0] / floor[0]:.2f}x |")
print()
print("| part | median |")
print("|---|---:|")
for part in sorted(p.name for p in (ROOT / "parts").iterdir() if (p / "new").is_dir()):
    print(f"| {part} | {show(median('parts', part)[0])} |")
