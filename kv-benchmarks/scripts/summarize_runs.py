#!/usr/bin/env python3
"""Summarizes several reports of `java -jar benchmarks.jar` (kv-benchmarks/target/benchmark-report.md
of each run) into tables of the first run's figures with the range (min-max) over all runs.

    python3 kv-benchmarks/scripts/summarize_runs.py report-1.md report-2.md report-3.md
"""
import re
import sys


def tables(path):
    """{section heading: [rows as lists of cells]} of one report."""
    sections, heading, rows = {}, None, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("### "):
            heading = line[4:]
            rows = sections.setdefault(heading, [])
        elif line.startswith("|") and rows is not None and not line.startswith("| ---"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return sections


def number(cell):
    try:
        return float(cell)
    except ValueError:
        return None


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    low, high = min(values), max(values)
    return f"{low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f}-{high:.2f}"


def merged(reports, heading, key_columns, value_columns, ranges=False):
    """Rows of the first report's table; ratio columns (all with ranges=True) as 'first (min-max)'."""
    keyed = []
    for report in reports:
        rows = report.get(heading, [])[1:]  # without the header row
        keyed.append({tuple(row[i] for i in key_columns): row for row in rows})
    header = reports[0][heading][0]
    out = ["| " + " | ".join([header[i] for i in key_columns] + [header[i] for i in value_columns]) + " |",
           "| " + " | ".join(["---"] * (len(key_columns) + len(value_columns))) + " |"]
    for key, row in keyed[0].items():
        cells = list(key)
        for i in value_columns:
            cell = row[i] if i < len(row) else "n/a"
            ranged = ranges or "ratio" in header[i]
            values = [number(k[key][i]) if key in k and i < len(k[key]) else None for k in keyed]
            cells.append(f"{cell} ({spread(values)})" if len(reports) > 1 and ranged else cell)
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(paths):
    reports = [tables(path) for path in paths]
    print(f"Figures of {paths[0]}; in brackets the range of the ratios (and Redis times) over all {len(paths)} runs.\n")
    print("### Against raw Lettuce\n")
    print(merged(reports, "Single-key operations against raw Lettuce", [0, 1, 2], [3, 4, 5, 6, 7, 8]))
    print("\n### Against the peers\n")
    print(merged(reports, "Single-key operations against the peers", [0, 1, 2], [3, 4, 5, 6]))
    print("\n### Listing 1000 keys with metadata\n")
    print(merged(reports, "Listing 1000 keys with metadata", [0], [1, 2, 3]))
    print("\n### Full listing\n")
    print(merged(reports, "Full listing", [], [0, 1, 2], ranges=True))
    print("\n### Streams\n")
    print(merged(reports, "Streams", [0], [1, 2, 3]))
    print("\n### Redis time per operation\n")
    print(merged(reports, "Redis time per operation", [0, 1], [2, 3, 4], ranges=True))
    print("\n### Round trips\n")
    print(merged(reports, "Round trips per operation", [0], [1, 2, 3, 4]))


if __name__ == "__main__":
    main(sys.argv[1:])
