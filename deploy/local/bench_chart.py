#!/usr/bin/env python3
"""Draws a benchmark run (the JSON of `webhooks-bench --json`) as a PNG: the rate of every scenario
that has one, and the p50/p99 latency of those that measured it.

    python3 deploy/local/bench_chart.py .run/bench/results.json bench.png
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def short(name: str) -> str:
    head, _, rest = name.partition(":")
    return head if len(name) < 28 else f"{head}:\n{rest.strip()[:40]}"


def labels(results: list) -> list:
    """Short names, told apart by their ends where the beginnings are the same (classic/quorum)."""
    first = [short(r["scenario"]) for r in results]
    names = list(first)
    for i, r in enumerate(results):
        if first.count(first[i]) > 1:
            head, _, rest = r["scenario"].partition(":")
            names[i] = f"{head}:\n…{rest.strip()[-40:]}"
    return names


def main(source: str, target: str) -> None:
    with open(source) as f:
        run = json.load(f)
    rated = [r for r in run["results"] if r.get("rate")]
    timed = [r for r in rated if r.get("latency")]
    fig, axes = plt.subplots(1, 2, figsize=(15, max(4, 0.6 * len(rated) + 1.5)),
                             gridspec_kw={"width_ratios": [3, 2]})
    rates, lat = axes
    names = labels(rated)
    values = [r["rate"] for r in rated]
    bars = rates.barh(names, values, color="#4c72b0")
    rates.set_xscale("log")
    rates.invert_yaxis()
    rates.set_xlabel("per second (log scale)")
    rates.set_title("Throughput")
    for bar, r in zip(bars, rated):
        rates.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                   f" {r['rate']:,.0f} {r.get('rate_unit', '')}", va="center", fontsize=8)
    if timed:
        names = labels(timed)
        p50 = [r["latency"]["p50_ms"] for r in timed]
        p99 = [r["latency"]["p99_ms"] for r in timed]
        y = range(len(timed))
        lat.barh([i - 0.2 for i in y], p50, height=0.4, label="p50", color="#55a868")
        lat.barh([i + 0.2 for i in y], p99, height=0.4, label="p99", color="#c44e52")
        lat.set_yticks(list(y), names, fontsize=8)
        lat.set_xscale("log")
        lat.invert_yaxis()
        lat.set_xlabel("milliseconds (log scale)")
        lat.set_title("Latency")
        lat.legend()
    else:
        lat.axis("off")
    fig.suptitle(f"webhooks-bench, {run['started_at']}, {run['cores']} cores")
    fig.tight_layout()
    fig.savefig(target, dpi=110)
    print(f"chart written to {target}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: bench_chart.py RESULTS.json CHART.png")
    main(sys.argv[1], sys.argv[2])
