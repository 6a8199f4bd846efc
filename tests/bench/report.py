#!/usr/bin/env python3
"""The table and the JSON of `make bench`, from the "BENCH <id> key=value …" lines
that every benchmark prints (format: tests/bench/stats.py).

Usage: report.py LINES_FILE RESULTS_JSON
Writes RESULTS_JSON = {"meta": {...}, "sections": {name: {...}}, "figures": {id: {...}}}
(numbers as numbers; a missing figure carries "na": reason) and prints the
table. A figure listed below but never printed shows as "n/a"; a figure printed
but not listed shows under "Other figures", so nothing measured is dropped.
"""

import json
import re
import sys

STARTUP = [
    ("window", "launch → window mapped"),
    ("paint", "launch → first interactive paint"),
    ("page", "launch → page loaded"),
    ("self", "first paint, from the app's main()"),
    ("rss", "RSS, app + WebKit, at 5 s"),
    ("pss", "PSS, app + WebKit, at 5 s"),
]

GROUPS = [
    ("Sizes", [
        ("size.appdeck_desktop_stripped", "appdeck-desktop binary, stripped"),
        ("size.deb", ".deb package"),
        ("size.appdeck_stripped", "appdeck CLI binary, stripped"),
        ("size.tauri_baseline_stripped", "baseline binary, stripped"),
    ]),
    ("Install flow and keychain (release build)", [
        ("install.flow", "install flow, local sandbox, auto-consent"),
        ("keychain.write", "keychain write"),
        ("keychain.read", "keychain read"),
        ("keychain.delete", "keychain delete"),
    ]),
    ("Manifest, whole process (appdeck CLI)", [
        ("manifest.validate_each_total", "validate every fixture, a process each (sum)"),
        ("manifest.validate_per_file", "validate one fixture (medians across files)"),
        ("manifest.validate_all_one_process", "validate every fixture in one process"),
        ("manifest.grant", "grant permission"),
        ("manifest.revoke", "revoke permission"),
        ("manifest.cli_version", "appdeck --version (process floor)"),
    ]),
    ("Local sandbox (wrk -t2 -c64)", [
        ("sandbox.get", "GET /v1/customers/{id}"),
        ("sandbox.post", "POST /v1/customers"),
        ("sandbox.seed_100k", "seed 100,000 customers"),
        ("sandbox.rss_start", "RSS at start"),
        ("sandbox.rss_100k", "RSS with 100,000 customers"),
        ("sandbox.rss_after_post", "RSS after the wrk runs (POSTed objects kept)"),
    ]),
    ("API console", [
        ("viewer.first_paint", "20 MB response: viewer first paint"),
        ("viewer.longest_stall", "20 MB response: longest main-thread stall"),
        ("viewer.fetch_all", "20 MB response: fetch all pages"),
        ("api.get_10.appdeck", "appdeck api get /v1/customers"),
        ("api.get_10.curl", "curl, same call"),
        ("api.get_10.ratio", "appdeck / curl"),
        ("api.get_100.appdeck", "appdeck api get ?limit=100"),
        ("api.get_100.curl", "curl, same call"),
        ("api.get_100.ratio", "appdeck / curl"),
    ]),
    ("Desktop memory across API calls through the UI's backend", [
        ("api_memory.calls", "calls made"),
        ("api_memory.call", "one api_send from the page"),
        ("api_memory.rss_before", "RSS before (app + WebKit)"),
        ("api_memory.rss_after", "RSS after"),
        ("api_memory.rss_growth", "RSS growth"),
        ("api_memory.pss_before", "PSS before"),
        ("api_memory.pss_after", "PSS after"),
        ("api_memory.pss_growth", "PSS growth"),
    ]),
    ("QA runner (qa run, 3 accounts)", [
        ("qa.total", "whole command"),
        ("qa.loop", "one loop (3 installs, calls, uninstalls)"),
    ]),
]


def parse(path):
    figures = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"BENCH (\S+)\s*(.*)$", line.strip())
        if not m:
            continue
        ident, rest = m[1], m[2]
        fields = {}
        na = re.search(r"(?:^|\s)na=(.*)$", rest)
        if na:
            fields["na"] = na[1].strip()
            rest = rest[: na.start()]
        for k, v in re.findall(r"(\w+)=(\S+)", rest):
            if ident.startswith("meta."):
                fields[k] = v  # commit ids and dates stay text
                continue
            try:
                fields[k] = int(v) if re.fullmatch(r"-?\d+", v) else float(v)
            except ValueError:
                fields[k] = v
        figures[ident] = fields
    return figures


def num(x):
    if not isinstance(x, (int, float)):
        return str(x)
    a = abs(x)
    if a >= 100 or x == int(x):
        return f"{x:.0f}"
    return f"{x:.1f}" if a >= 10 else f"{x:.2f}"


def unit(f):
    u = f.get("unit", "")
    return {"mb": "MB", "gb": "GB", "x": "×", "calls": ""}.get(u, u)


def describe(f):
    """One cell: the figure and its spread."""
    if f is None:
        return "n/a (not measured)"
    if "na" in f and "value" not in f and "median" not in f and "rps" not in f:
        return f"n/a ({f['na']})"
    u = unit(f)
    if "rps" in f:
        s = (f"{num(f['rps'])} req/s; latency p50 {num(f['p50'])}, p75 {num(f['p75'])}, "
             f"p90 {num(f['p90'])}, p99 {num(f['p99'])}, max {num(f['max'])} ms")
        errs = f.get("errors", 0) + f.get("non2xx", 0)
        return s + (f"; {errs} errors/non-2xx" if errs else "")
    if "median" in f:
        s = f"{num(f['median'])} {u}".rstrip()
        spread = []
        if "min" in f and "max" in f:
            spread.append(f"{num(f['min'])}–{num(f['max'])}")
        if "q1" in f and "q3" in f:
            spread.append(f"IQR {num(f['q1'])}–{num(f['q3'])}")
        if "p95" in f:
            spread.append(f"p95 {num(f['p95'])}")
        if "n" in f:
            spread.append(f"n={f['n']}")
        return s + (f" [{', '.join(spread)}]" if spread else "")
    if "value" in f:
        s = f"{num(f['value'])} {u}".rstrip()
        extra = [f"{k} {num(v)}" for k, v in f.items() if k not in ("value", "unit", "na")]
        return s + (f" ({', '.join(extra)})" if extra else "")
    if "mean" in f:
        return f"{num(f['mean'])} {u} (mean, n={f.get('n', '?')})"
    return " ".join(f"{k}={v}" for k, v in f.items())


def short(f):
    """A startup cell: median [min–max]."""
    if f is None or "median" not in f:
        return "n/a" if f is None else f"n/a ({f.get('na', '?')})"
    return f"{num(f['median'])} {unit(f)} [{num(f['min'])}–{num(f['max'])}]"


def main():
    lines, out = sys.argv[1], sys.argv[2]
    figures = parse(lines)

    # Per-file validate figures: summarized as one row, all kept in the JSON.
    per_file = {k: v for k, v in figures.items() if k.startswith("manifest.validate_file.")}
    meds = sorted(v["median"] for v in per_file.values() if "median" in v)
    if meds:
        figures["manifest.validate_per_file"] = {
            "median": (meds[(len(meds) - 1) // 2] + meds[len(meds) // 2]) / 2, "min": meds[0], "max": meds[-1], "n": len(meds), "unit": "ms"}

    meta = {k[5:]: v for k, v in figures.items() if k.startswith("meta.")}
    sections = {k[8:]: v for k, v in figures.items() if k.startswith("section.")}
    result = {
        "meta": meta,
        "sections": sections,
        "figures": {k: v for k, v in figures.items() if not k.startswith(("meta.", "section."))},
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2, ensure_ascii=False)
        fh.write("\n")

    def val(ident, key="value"):
        return meta.get(ident, {}).get(key, "?")

    print()
    print(f"Appdeck benchmarks: commit {val('commit')}, started {val('started')}, "
          f"{val('cpus')} CPUs, {val('memory')} GB, load {val('load_before')} before / "
          f"{val('load_after')} after, {val('total')} s in all")
    print(f"Runs: {' '.join(f'{k}={v}' for k, v in meta.get('runs', {}).items())}")
    print("Medians; [min–max, IQR q1–q3, p95, n]. Nothing is asserted.")
    print()

    used = set(per_file) | {"manifest.validate_per_file"}
    w = 46
    print("Start-up and memory vs a hello-world Tauri 2 app (release, runs interleaved)")
    print(f"  {'figure':<{w}} {'Appdeck':<24} {'baseline':<24} Appdeck/baseline (goal ≤ 1.2)")
    for key, label in STARTUP:
        a, b, r = (figures.get(f"startup.{who}.{key}") for who in ("appdeck", "baseline", "ratio"))
        used.update(f"startup.{who}.{key}" for who in ("appdeck", "baseline", "ratio"))
        ratio = num(r["value"]) if r and "value" in r else "n/a"
        print(f"  {label:<{w}} {short(a):<24} {short(b):<24} {ratio}")
    for title, items in GROUPS:
        print()
        print(title)
        for ident, label in items:
            used.add(ident)
            print(f"  {label:<{w}} {describe(figures.get(ident))}")
    rest = [k for k in result["figures"] if k not in used]
    if rest:
        print()
        print("Other figures")
        for ident in rest:
            print(f"  {ident:<{w}} {describe(figures[ident])}")
    print()
    print("Benchmarks run (seconds)")
    for name, f in sections.items():
        status = f"FAILED: {f['na']}" if "na" in f else "ok"
        print(f"  {name:<{w}} {num(f.get('value', 0)):>6} s  {status}")


if __name__ == "__main__":
    main()
