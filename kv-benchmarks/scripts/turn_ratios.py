#!/usr/bin/env python3
"""Medians of a plain JMH run of a turns benchmark (`-rf json -rff result.json`): for each
benchmark and parameter, the operations per turn of two aux counters, and the median
(quartiles) of the ratio of each turn of the second to the turn of the first just before it.

    python3 kv-benchmarks/scripts/turn_ratios.py result.json kvOperations kvStagedOperations
"""
import json
import statistics
import sys


def main(path, first, second):
    for benchmark in json.load(open(path)):
        a = benchmark["secondaryMetrics"][first]["rawData"][0]
        b = benchmark["secondaryMetrics"][second]["rawData"][0]
        ratios = [b[i + 1] / a[i] for i in range(len(a) - 1) if a[i] > 0 and b[i + 1] > 0]
        turn_us = float(benchmark["measurementTime"].split()[0]) * 1000 * benchmark["threads"]
        unit = benchmark["measurementTime"].split()[1]
        if unit == "s":
            turn_us *= 1000
        per_a = turn_us / statistics.median([x for x in a if x > 0])
        per_b = turn_us / statistics.median([x for x in b if x > 0])
        q = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
        params = ",".join(f"{k}={v}" for k, v in benchmark.get("params", {}).items())
        print(f"{benchmark['benchmark'].split('.')[-1]} {params} threads={benchmark['threads']}: "
              f"{first} {per_a:.2f} µs, {second} {per_b:.2f} µs per op of one thread; "
              f"time ratio {first}/{second} {statistics.median(ratios):.2f} (quartiles {q[0]:.2f}-{q[2]:.2f}, {len(ratios)} pairs)")


if __name__ == "__main__":
    main(*sys.argv[1:4])
