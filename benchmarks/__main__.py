"""``python -m benchmarks [--quick] [--only NAME[,NAME]] [--out PATH]``

Runs every figure, prints the table (figure, ours, baseline, ratio, target, met) and writes it with the
machine's facts and how each figure is measured to ``benchmarks/RESULTS.md`` (``--quick``: to
``test-artifacts/benchmark-quick.md``, so a CI or test run never overwrites the full results).

The machine may be shared, so every speed target is a ratio against a baseline measured in the same run,
with the repetitions of ours and the baseline interleaved; a few are absolute bounds or, for the panel,
accuracies against simple rules. ``--quick`` runs each measurement once with minimal repetitions (2 sessions
instead of 10; the panel on one small data set for a few epochs; the long figure on a small generated set of
ACSF1's shape with the lab's smallest network) to prove that every code path works: it does not judge targets.
Unmet targets never fail the run; the exit status is 1 only if a figure crashed (or a correctness check inside
a figure failed).

Figures in the browser (``BROWSER``) share one Chromium; the others run in this process or children of it. The
panel and the long figure read aeon's data sets from its wheel, downloaded from PyPI once
(``benchmarks/aeon_data.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import common
from .common import REPO, Result

__all__ = ["FIGURES", "main"]

FIGURES = {
    "core": "batched core vs nn.LSTM and vs the core.step loop (+ correctness)",
    "slider": "slider answer time on /activations vs a bare heatmap app",
    "cold_start": "cold start to the first chart vs a bare app that imports torch",
    "cold_cloud": "a freshly woken Cloud app: first visit of every page, peak memory with 3 sessions",
    "pages": "page switch from the menu at the top, every page",
    "users": "10 sessions at once, torch threads 1 vs 2",
    "memory": "server memory with 10 sessions that visited every page",
    "training": "python -m core.train on 2 threads",
    "basicmotions": "on BasicMotions: slider answer, page switch of every page, memory with 10 sessions",
    "panel": "aeon 1.6.0's 8 classification data sets trained with the Model lab's defaults, against 1-NN",
    "long": "an ACSF1-sized set uploaded and trained in the browser: first visit of every page",
    "training_neighbour": "slider answer while another session trains in the Model lab, against nobody training",
}
BROWSER = (
    "cold_start",
    "cold_cloud",
    "slider",
    "pages",
    "users",
    "memory",
    "basicmotions",
    "long",
    "training_neighbour",
)


def _parse(argv):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="each measurement once, minimal repetitions; targets are not judged (for CI)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only these figures (repeat or comma-separate): " + ", ".join(FIGURES),
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="where to write the results (default: benchmarks/RESULTS.md, "
        "or test-artifacts/benchmark-quick.md with --quick)",
    )
    args = parser.parse_args(argv)
    only = [n.strip() for item in args.only for n in item.split(",") if n.strip()]
    unknown = [n for n in only if n not in FIGURES]
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    args.figures = only or list(FIGURES)
    if args.out is None:
        args.out = REPO / "test-artifacts" / "benchmark-quick.md" if args.quick else REPO / "benchmarks" / "RESULTS.md"
    return args


def _error(name: str, exc: BaseException, tmp: Path) -> Result:
    text = "".join(traceback.format_exception(exc)).strip()
    logs = []
    for log in sorted(tmp.glob("*.log")):
        tail = log.read_text(errors="replace")[-1500:]
        if "Traceback" in tail or "Error" in tail:
            logs.append(f"server log {log.name}:\n{tail}")
    return Result(name, f"{name}: {FIGURES[name]}", None, None, "", "", None, error=text + "\n" + "\n".join(logs))


def _figure(name: str, run, tmp: Path) -> list[Result]:
    """The results of ``run()``, the figure ``name``, or one error row if it crashed."""
    print(f"[benchmarks] {name} ...", flush=True)
    try:
        return run()
    except Exception as exc:
        return [_error(name, exc, tmp)]


async def _browser_figures(names, tmp: Path, quick: bool, timeout: float) -> list[Result]:
    from . import browser_bench as bb
    from . import long_bench, neighbour_bench

    results: list[Result] = []
    async with common.chromium() as browser:
        jobs = []
        if "cold_start" in names:
            jobs.append(("cold_start", lambda: bb.cold_start(browser, tmp, quick)))
        if "cold_cloud" in names:
            jobs.append(("cold_cloud", lambda: bb.cold_cloud(browser, tmp, quick)))
        if "slider" in names:
            jobs.append(("slider", lambda: bb.slider(browser, tmp, quick)))
        if "pages" in names:
            jobs.append(("pages", lambda: bb.page_switch(browser, tmp, quick)))
        if "users" in names or "memory" in names:
            jobs.append(
                (
                    "users" if "users" in names else "memory",
                    lambda: bb.many_users(
                        browser, tmp, quick, want_users="users" in names, want_memory="memory" in names
                    ),
                )
            )
        if "basicmotions" in names:

            async def on_basicmotions() -> list[Result]:
                return (
                    await bb.slider(browser, tmp, quick, dataset="basicmotions")
                    + await bb.page_switch(browser, tmp, quick, dataset="basicmotions")
                    + await bb.many_users(browser, tmp, quick, want_users=False, dataset="basicmotions")
                )

            jobs.append(("basicmotions", on_basicmotions))
        if "long" in names:
            jobs.append(("long", lambda: long_bench.long_recordings(browser, tmp, quick)))
        if "training_neighbour" in names:
            jobs.append(("training_neighbour", lambda: neighbour_bench.training_neighbour(browser, tmp, quick)))
        for name, job in jobs:
            start = time.perf_counter()
            print(f"[benchmarks] {name} ...", flush=True)
            try:
                results += await asyncio.wait_for(job(), timeout)
            except Exception as exc:  # a crash of one figure: record it, run the others
                results.append(_error(name, exc, tmp))
            print(f"[benchmarks] {name} done in {time.perf_counter() - start:.1f} s", flush=True)
    return results


def _table(results: list[Result]) -> str:
    rows = [["figure", "ours", "baseline", "ratio", "target", "met"]] + [r.cells() for r in results]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(" --- " for _ in rows[0]) + "|"]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _report(results, facts, args, started: float, load_before: str, argv) -> str:
    mode = "quick (minimal repetitions; targets not judged)" if args.quick else "full"
    command = "python -m benchmarks " + " ".join(argv)
    out = [
        "# Benchmark results",
        "",
        f"Written by `{command.strip()}` on {facts['date']} ({mode}); the run took "
        f"{time.perf_counter() - started:.0f} s. Re-run it to refresh this file.",
        "",
        "**The machine is shared** with other people's servers, browsers and tests while this runs, so absolute "
        "times are noisy (load average below). Every speed target is therefore a ratio against a baseline measured "
        "in the same run, repetitions interleaved, medians reported; only the page switch (< 500 ms), a page's "
        "first visit (< 3 s, also on an ACSF1-sized set), the What if? sweep (< 1 s), Why did it decide?'s map with "
        "its checks (< 3 s), memory (< 700 MB) and training (< 2 min, also per data set of the panel) are absolute "
        "bounds. The panel's accuracy targets compare the network with the 1-nearest-neighbour rule on the same data.",
        "",
        "| machine | |",
        "| --- | --- |",
    ]
    facts = {**facts, "load average (1 min) before / after the run": f"{load_before} / {common.loadavg()}"}
    out += [f"| {k} | {v} |" for k, v in facts.items()]
    out += [
        "",
        "## Results",
        "",
        _table(results),
        "",
        "A ratio is ours / baseline, except the step-loop row (loop / run_batch, a speed-up) and the many-users rows "
        "(p95 under load / single-session median).",
        "",
        "## How each figure is measured",
        "",
    ]
    seen_how = set()
    for r in results:
        out += [f"### {r.figure}", ""]
        if r.error:
            out += ["```", r.error[-6000:], "```", ""]
            continue
        if r.how and r.how not in seen_how:
            out += [r.how, ""]
            seen_how.add(r.how)
        out += [f"- {d}" for d in r.details] + [""]
        if r.table:
            out += [r.table, ""]
    return "\n".join(out).rstrip() + "\n"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parse(argv)
    started = time.perf_counter()
    load_before = common.loadavg()
    facts = common.machine_facts()
    print("[benchmarks] " + ", ".join(f"{k}: {v}" for k, v in facts.items()), flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="lstm-bench-"))
    facts["app version"] = common.repo_version() + " (the servers run a snapshot copied at the start of the run)"
    results: list[Result] = []
    timeout = 300 if args.quick else 1800
    try:
        if "core" in args.figures:
            from . import core_bench

            results += _figure("core", lambda: core_bench.run(args.quick), tmp)
        if "panel" in args.figures:
            from . import panel_bench

            results += _figure("panel", lambda: panel_bench.run(args.quick), tmp)
        browser_names = [n for n in BROWSER if n in args.figures]
        if browser_names:
            common.take_snapshot(tmp)
            try:
                results += asyncio.run(_browser_figures(browser_names, tmp, args.quick, timeout))
            except Exception as exc:  # the browser itself did not start
                results.append(_error(browser_names[0], exc, tmp))
        if "training" in args.figures:
            from . import train_bench

            results += _figure("training", lambda: train_bench.run(args.quick, tmp), tmp)
    finally:
        if any(r.error for r in results):
            print(f"[benchmarks] a figure crashed: server logs kept in {tmp}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(_table(results))
    report = _report(results, facts, args, started, load_before, argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(f"\n[benchmarks] wrote {args.out} in {time.perf_counter() - started:.0f} s", flush=True)
    crashed = [r for r in results if r.error]
    for r in crashed:
        print(f"\n[benchmarks] {r.figure} CRASHED:\n{r.error}", file=sys.stderr)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
