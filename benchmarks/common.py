"""What every figure shares: results, timing statistics, machine facts, the app's snapshot, the page instruments.

Servers, Chromium and waiting for a run to end come from :mod:`devtools.browser`, shared with the browser tests.
Every server and browser is stopped in a ``finally``/``with`` block.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import platform
import shutil
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from devtools.browser import CHROMIUM, STREAMLIT_WIRE_JS, launch_chromium, process_tree

__all__ = [
    "REPO",
    "BASELINE_APPS",
    "Result",
    "fmt",
    "median",
    "percentile",
    "spread",
    "machine_facts",
    "loadavg",
    "cpu_now",
    "app_script",
    "take_snapshot",
    "repo_version",
    "app_copy",
    "INSTRUMENT",
    "ANSWER_JS",
    "chromium",
    "new_page",
    "count_exceptions",
    "Reloaded",
    "doc_id",
    "answer_ms",
    "event_count",
]

REPO = Path(__file__).resolve().parent.parent
BASELINE_APPS = Path(__file__).resolve().parent / "baseline_apps"


# --------------------------------------------------------------------------- results


@dataclass
class Result:
    """One row of the table.

    ``met`` is True/False when the target was judged, None when it cannot be
    (e.g. a reduced ``--quick`` run, or the figure has no target).
    """

    name: str  # the --only name of the figure that produced it
    figure: str
    ours: float | None
    baseline: float | None
    unit: str
    target: str
    met: bool | None
    ratio: float | None = None
    how: str = ""
    details: list[str] = field(default_factory=list)
    error: str | None = None
    table: str = ""  # a Markdown table for the results file, after the details

    def cells(self) -> list[str]:
        if self.error:
            return [self.figure, "error", "", "", self.target, "ERROR"]
        return [
            self.figure,
            fmt(self.ours, self.unit),
            fmt(self.baseline, self.unit),
            "" if self.ratio is None else f"{self.ratio:.2f}x",
            self.target,
            {True: "met", False: "NOT met", None: "not judged"}[self.met],
        ]


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.0f} ms" if value >= 10 else f"{value:.2f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "%":
        return f"{value:.2f} %"
    return f"{value:.3g} {unit}".strip()


def median(values) -> float:
    return float(statistics.median(values))


def percentile(values, q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation, as numpy's default."""
    xs = sorted(values)
    if not xs:
        raise ValueError("no values")
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def spread(values, unit: str = "ms") -> str:
    """``n=…, median …, min … max …`` for the details."""
    vs = list(values)
    if not vs:
        return "n=0"
    return (
        f"n={len(vs)}, median {fmt(median(vs), unit)}, p95 {fmt(percentile(vs, 95), unit)}, "
        f"min {fmt(min(vs), unit)}, max {fmt(max(vs), unit)}"
    )


# --------------------------------------------------------------------------- machine facts


def machine_facts() -> dict[str, str]:
    import torch

    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    try:
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        load = "unknown"
    import altair
    import streamlit

    chromium = "unknown"
    with contextlib.suppress(Exception):
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    return {
        "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cores": str(os.cpu_count()),
        "CPU model": cpu,
        "memory": mem,
        "load average at start (1, 5, 15 min)": load,
        "torch threads (default in this process)": str(torch.get_num_threads()),
        "Python": platform.python_version(),
        "torch": torch.__version__,
        "Streamlit": streamlit.__version__,
        "Altair": altair.__version__,
        "browser": chromium,
        "OS": platform.platform(),
    }


def loadavg() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


# --------------------------------------------------------------------------- CPU time


def _cpu_seconds(pids) -> float:
    """User + system CPU time of ``pids`` so far, in seconds (processes that have gone count nothing)."""
    ticks = 0
    for p in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_now(server_pid: int) -> tuple[float, float]:
    """CPU seconds used so far by the server ``server_pid`` (with its children) and by the browser (every
    Chromium process this benchmark started); differences of two readings say where a measurement's CPU went."""
    ours = process_tree(os.getpid())
    browser = []
    for p in ours:
        with contextlib.suppress(OSError):
            if Path(f"/proc/{p}/comm").read_text().startswith("chrom"):
                browser.append(p)
    return _cpu_seconds(process_tree(server_pid)), _cpu_seconds(browser)


# --------------------------------------------------------------------------- the app's snapshot


_SNAPSHOT: Path | None = None


def app_script() -> Path:
    """The entry point every server of this run starts: a snapshot of the app taken once per run.

    The work tree may change while a long run goes on (others edit it); a copy
    taken at the first use keeps every figure on one version of the app. Set by
    :func:`take_snapshot`; the repo's own file before that.
    """
    return _SNAPSHOT or REPO / "streamlit_app.py"


def take_snapshot(tmp: Path) -> Path:
    global _SNAPSHOT
    _SNAPSHOT = app_copy(tmp / "app")
    return _SNAPSHOT


def repo_version() -> str:
    """The commit and how many files differ from it (read-only git commands)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=20
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, timeout=20
        ).stdout.splitlines()
        return f"{head or 'unknown'}" + (f" plus {len(dirty)} uncommitted file(s)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"


def app_copy(dest: Path) -> Path:
    """A copy of the app (code, model, data, Streamlit config) in ``dest``; returns the copied entry point."""
    for name in ("core", "ui", "pages", "models", "data", ".streamlit"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "streamlit_app.py", dest / "streamlit_app.py")
    return dest / "streamlit_app.py"


# --------------------------------------------------------------------------- browser

# Installed in every page after STREAMLIT_WIRE_JS: records each change of the app's script state as drawn, and
# each key press / click, with performance.now(), so answer times are measured inside the page.
INSTRUMENT = (
    STREAMLIT_WIRE_JS
    + r"""
(() => {
  const b = window.__bench = {states: [], keys: [], clicks: [], errors: [], doc: String(Math.random())};
  window.addEventListener('keydown', e => b.keys.push(performance.now()), true);
  window.addEventListener('click', e => b.clicks.push(performance.now()), true);
  const install = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app) { setTimeout(install, 5); return; }
    b.states.push({t: performance.now(), s: app.getAttribute('data-test-script-state')});
    new MutationObserver(records => {
      const t = performance.now();
      // each record holds the value before it; the value after record k is the old value of record k+1
      for (let k = 0; k < records.length; k++) {
        const s = k + 1 < records.length ? records[k + 1].oldValue : app.getAttribute('data-test-script-state');
        b.states.push({t, s});
      }
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', install); else install();
})();
"""
)

# Resolves to the time from the n-th recorded event (key press or click) to the app idle again after the run it
# caused, and to that run's start; false while that has not happened; {reload: true} if the document was
# replaced. The run is the first whose start the server announced after the event (the wire); idle is the first
# "notRunning" drawn once that run's chain has finished, or, when React drew no change of state at all (a short
# run under load), the arrival of the finishing message.
ANSWER_JS = r"""
([kind, n, doc]) => {
  const b = window.__bench, wire = window.__stWire;
  if (!b || !wire) return false;
  if (b.doc !== doc) return {reload: true};
  const start = b[kind][n];
  if (start === undefined) return false;
  const began = wire.events.find(e => e.t >= start && e.s === 'running');
  if (!began) return false;
  const ended = wire.events.find(e => e.t >= began.t && e.s === 'notRunning');
  if (!ended) return false;
  const drawn = b.states.find(e => e.t >= ended.t && e.s === 'notRunning');
  const app = document.querySelector("[data-testid='stApp']");
  if (!drawn && !(app && app.getAttribute('data-test-script-state') === 'notRunning')) return false;
  const idleAt = drawn ? drawn.t : ended.t;
  return {ms: idleAt - start, toRunning: began.t - start, idleAt};
}
"""


@contextlib.asynccontextmanager
async def chromium():
    """A headless Debian Chromium driven by Playwright, closed on exit."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await launch_chromium(pw)
        try:
            yield browser
        finally:
            await browser.close()


async def new_page(browser, *, width: int = 1400, height: int = 1000):
    context = await browser.new_context(viewport={"width": width, "height": height})
    await context.add_init_script(INSTRUMENT)
    page = await context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page._bench_errors = errors
    return context, page


async def count_exceptions(page) -> int:
    return await page.locator("[data-testid='stException']").count()


class Reloaded(Exception):
    """The browser loaded a new document instead of answering in the running page (a new session)."""


async def doc_id(page) -> str:
    """An id of the page's current document (a full reload changes it)."""
    return str(await page.evaluate("window.__bench.doc"))


async def answer_ms(page, kind: str, n: int, doc: str, timeout: float = 60_000) -> tuple[float, float]:
    """Milliseconds from event ``n`` of ``kind`` ("keys" or "clicks") to the app idle again after running,
    and from that event to the start of the run. Raises :class:`Reloaded` if the document ``doc`` was
    replaced, TimeoutError if no run answered in time."""
    try:
        handle = await page.wait_for_function(ANSWER_JS, arg=[kind, n, doc], timeout=timeout, polling=10)
    except Exception as exc:
        seen = "unknown"
        try:
            recorded = await page.evaluate(
                f"JSON.stringify({{n: window.__bench.{kind}.length, doc: window.__bench.doc, "
                "states: window.__bench.states.slice(-6), wire: window.__stWire.events.slice(-6)})"
            )
            seen = f"{recorded} (expected doc {doc})"
        except Exception as diag:
            seen = f"unknown ({type(diag).__name__}: {str(diag)[:200]})"
        raise TimeoutError(
            f"no run answered {kind}[{n}] within {timeout / 1000:.0f} s on {page.url}; recorded: "
            f"{seen}; exceptions on the page: {await count_exceptions(page)}"
        ) from exc
    value = await handle.json_value()
    if value.get("reload"):
        raise Reloaded(page.url)
    return float(value["ms"]), float(value["toRunning"])


async def event_count(page, kind: str) -> int:
    return int(await page.evaluate(f"window.__bench.{kind}.length"))
