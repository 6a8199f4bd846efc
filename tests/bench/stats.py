#!/usr/bin/env python3
"""Turns numbers into one machine-readable benchmark line, for every bench script.

Usage: stats.py ID UNIT [LABEL] < numbers (one a line; anything else is ignored)
Prints: BENCH ID n=… median=… q1=… q3=… p95=… min=… max=… mean=… unit=UNIT [label=…]
or, with no number at all: BENCH ID na=no-samples unit=UNIT.

The line format (read by tests/bench/report.py, which `make bench` runs last):
"BENCH <id> key=value …", values without spaces, except `na=`, which is always
last and takes the rest of the line (the reason a figure is missing).
Quantiles are by linear interpolation (numpy's default), so the median of an
even count is the mean of the two middle values.
"""

import statistics
import sys


def quantile(xs, q):
    if len(xs) == 1:
        return xs[0]
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def fmt(x):
    return f"{x:.3f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: stats.py ID UNIT [LABEL] < numbers")
    ident, unit = sys.argv[1], sys.argv[2]
    label = sys.argv[3].replace(" ", "_") if len(sys.argv) > 3 else None
    xs = []
    for line in sys.stdin:
        try:
            xs.append(float(line.strip()))
        except ValueError:
            pass
    extra = f" label={label}" if label else ""
    if not xs:
        print(f"BENCH {ident} unit={unit}{extra} na=no samples")
        return
    xs.sort()
    fields = {
        "n": len(xs),
        "median": quantile(xs, 0.5),
        "q1": quantile(xs, 0.25),
        "q3": quantile(xs, 0.75),
        "p95": quantile(xs, 0.95),
        "min": xs[0],
        "max": xs[-1],
        "mean": statistics.fmean(xs),
    }
    body = " ".join(f"{k}={fmt(v)}" for k, v in fields.items())
    print(f"BENCH {ident} {body} unit={unit}{extra}")


if __name__ == "__main__":
    main()
