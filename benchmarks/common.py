"""What every figure shares: results, timing statistics, machine facts, Streamlit servers, Chromium, memory.

Servers listen on 127.0.0.1 only, on a port the operating system picks, and are
checked to be *ours* (the listening socket belongs to the process we started),
because other people may run Streamlit servers on the same machine. Every
server and browser is stopped in a ``finally``/``with`` block.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASELINE_APPS = Path(__file__).resolve().parent / "baseline_apps"
CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


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

    def cells(self) -> list[str]:
        if self.error:
            return [self.figure, "error", "", "", self.target, "ERROR"]
        return [self.figure, fmt(self.ours, self.unit), fmt(self.baseline, self.unit),
                "" if self.ratio is None else f"{self.ratio:.2f}x", self.target,
                {True: "met", False: "NOT met", None: "not judged"}[self.met]]


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
    return (f"n={len(vs)}, median {fmt(median(vs), unit)}, p95 {fmt(percentile(vs, 95), unit)}, "
            f"min {fmt(min(vs), unit)}, max {fmt(max(vs), unit)}")


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
    import streamlit
    import altair
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
        return "%.2f" % os.getloadavg()[0]
    except OSError:
        return "?"


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    """pid and every process below it (from /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) of ``pid`` and its children, in MB (MiB)."""
    total = 0
    for p in _descendants(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


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
    ours = _descendants(os.getpid())
    browser = []
    for p in ours:
        with contextlib.suppress(OSError):
            if Path(f"/proc/{p}/comm").read_text().startswith("chrom"):
                browser.append(p)
    return _cpu_seconds(_descendants(server_pid)), _cpu_seconds(browser)


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                    inodes.add(parts[9])
    return inodes


def _owns_port(pid: int, port: int) -> bool:
    inodes = _listening_inodes(port)
    if not inodes:
        return False
    for p in _descendants(pid):
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{p}/fd").iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        return True
    return False


class Server:
    """A ``streamlit run`` process of our own on 127.0.0.1.

    Parameters
    ----------
    script : path of the entry point; the server's working folder is its folder.
    env : extra environment variables.
    """

    def __init__(self, script: Path, *, env: dict[str, str] | None = None, name: str = "app",
                 log_dir: Path | None = None):
        self.script = Path(script)
        self.env = dict(env or {})
        self.name = name
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="bench-log-"))
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.started_at = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> float:
        """Launch and wait until our process answers the health check; returns the launch time (perf_counter)."""
        for attempt in range(5):  # another process may take the port between picking and binding it
            self.port = free_port()
            cmd = [sys.executable, "-m", "streamlit", "run", str(self.script.name),
                   "--server.address", "127.0.0.1", "--server.port", str(self.port), "--server.headless", "true",
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
                   "--server.runOnSave", "false", "--global.developmentMode", "false"]
            env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
            self.log = self.log_dir / f"{self.name}-{self.port}.log"
            self.started_at = time.perf_counter()
            self.proc = subprocess.Popen(cmd, cwd=self.script.parent, env=env, stdout=self.log.open("wb"),
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            if self._wait_healthy(timeout):
                return self.started_at
            self.stop()
            if "is not available" not in self.log_text():
                break
        raise RuntimeError(f"streamlit server {self.name} did not start; log {self.log}:\n{self.log_text()[-3000:]}")

    def _wait_healthy(self, timeout: float) -> bool:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200 and _owns_port(self.proc.pid, self.port):
                        return True
            except OSError:
                pass
            time.sleep(0.02)
        return False

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def rss_mb(self) -> float:
        return rss_mb(self.proc.pid)

    def stop(self) -> None:
        """SIGTERM to our process group, SIGKILL after 10 s."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


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
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              timeout=20).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True,
                               timeout=20).stdout.splitlines()
        return f"{head or 'unknown'}" + (f" plus {len(dirty)} uncommitted file(s)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"


def app_copy(dest: Path) -> Path:
    """A copy of the app outside the repo whose torch thread count comes from ``LSTM_EXPLORER_TORCH_THREADS``.

    Unset, the copy behaves exactly as the repo's app (1 thread). The patch is
    applied only if ``ui/loaders.py`` does not read that variable itself (see the
    proposal in RESULTS.md). Returns the copied entry point.
    """
    for name in ("core", "ui", "pages", "models", "data", ".streamlit"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "streamlit_app.py", dest / "streamlit_app.py")
    loaders = dest / "ui" / "loaders.py"
    text = loaders.read_text()
    if "LSTM_EXPLORER_TORCH_THREADS" not in text:
        old = "torch.set_num_threads(1)"
        if old not in text:
            raise RuntimeError("ui/loaders.py no longer calls torch.set_num_threads(1); update benchmarks.common.app_copy")
        text = text.replace(old, 'torch.set_num_threads(int(__import__("os").environ.get("LSTM_EXPLORER_TORCH_THREADS", "1")))')
        loaders.write_text(text)
    return dest / "streamlit_app.py"


def loaders_read_threads_env() -> bool:
    return "LSTM_EXPLORER_TORCH_THREADS" in (REPO / "ui" / "loaders.py").read_text()


# --------------------------------------------------------------------------- browser

def _wire_numbers() -> dict[str, int]:
    """Field numbers and finish statuses of Streamlit's ForwardMsg, from the installed Streamlit itself."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    fields = ForwardMsg.DESCRIPTOR.fields_by_name
    return {"NEW_SESSION": fields["new_session"].number, "SCRIPT_FINISHED": fields["script_finished"].number,
            "EARLY_FOR_RERUN": ForwardMsg.FINISHED_EARLY_FOR_RERUN}


# Follows the script runs in the messages the server sends (ForwardMsg protobufs on the app's WebSocket), not
# only in what React has drawn: on a loaded machine React may draw a short run's "running" and "notRunning"
# states in one go, so that the page's script-state attribute never changes, and one action may cause a chain
# of runs (a button's callback and st.switch_page, st.rerun) with a script_finished(FINISHED_EARLY_FOR_RERUN)
# between them. window.__stWire.running is true from a run's new_session until a script_finished that ends its
# chain; .finished counts the chains ended; .events lists {t: performance.now(), s: "running" | "notRunning"}.
# The browser tests and the benchmark both install it in every page.
STREAMLIT_WIRE_JS = """
(() => {
  const N = %s;
  const wire = window.__stWire = {finished: 0, running: false, events: []};
  const scan = (data) => {
    if (!(data instanceof ArrayBuffer)) return;
    const b = new Uint8Array(data);
    let i = 0;
    const varint = () => { let r = 0, s = 0, x; do { x = b[i++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80 && i < b.length); return r; };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), type = tag & 7;
      if (type === 0) {
        const value = varint();
        if (field === N.SCRIPT_FINISHED && value !== N.EARLY_FOR_RERUN) {
          wire.running = false; wire.finished += 1; wire.events.push({t: performance.now(), s: 'notRunning'});
        }
      } else if (type === 2) {
        const length = varint();
        if (field === N.NEW_SESSION) { wire.running = true; wire.events.push({t: performance.now(), s: 'running'}); }
        i += length;
      } else if (type === 1) { i += 8; } else if (type === 5) { i += 4; } else { return; }
    }
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => scan(event.data));
    }
  };
})();
""" % json.dumps(_wire_numbers())

# Installed in every page after STREAMLIT_WIRE_JS: records each change of the app's script state as drawn, and
# each key press / click, with performance.now(), so answer times are measured inside the page.
INSTRUMENT = STREAMLIT_WIRE_JS + r"""
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
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
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
    page._bench_errors = errors  # noqa: SLF001 - our own bookkeeping
    return context, page


async def wait_idle(page, timeout: float = 60_000) -> None:
    """Until the app has finished its current run (and shows no spinner of a running script)."""
    await page.wait_for_selector(IDLE, timeout=timeout)


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
                "states: window.__bench.states.slice(-6), wire: window.__stWire.events.slice(-6)})")
            seen = f"{recorded} (expected doc {doc})"
        except Exception as diag:  # noqa: BLE001 - only for the message
            seen = f"unknown ({type(diag).__name__}: {str(diag)[:200]})"
        raise TimeoutError(f"no run answered {kind}[{n}] within {timeout / 1000:.0f} s on {page.url}; recorded: "
                           f"{seen}; exceptions on the page: {await count_exceptions(page)}") from exc
    value = await handle.json_value()
    if value.get("reload"):
        raise Reloaded(page.url)
    return float(value["ms"]), float(value["toRunning"])


async def event_count(page, kind: str) -> int:
    return int(await page.evaluate(f"window.__bench.{kind}.length"))
