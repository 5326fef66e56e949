"""The app in a real browser: Streamlit servers of our own, Debian's Chromium, and waiting for a run to end.

Shared by the browser tests (``tests/browser/``, Playwright's sync API) and the benchmark (``benchmarks/``,
Playwright's async API). Functions that drive a page return what Playwright returns, so the async callers
``await`` them and the sync ones do not.

Servers listen on 127.0.0.1 only, on a port the operating system picks, and are checked to be *ours* (the
listening socket belongs to the process started here), because other people may run Streamlit servers on the
same machine. :class:`Server` is a context manager that stops its process group on exit.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "START_TIMEOUT_S",
    "STREAMLIT_WIRE_JS",
    "SETTLED_JS",
    "launch_chromium",
    "wait_settled",
    "free_port",
    "process_tree",
    "rss_mb",
    "Server",
]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # Debian's Chromium: Playwright never downloads one
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
START_TIMEOUT_S = 90  # a server's first answer to its health check on a loaded 2-core machine


def _wire_numbers() -> dict[str, int]:
    """Field numbers and finish statuses of Streamlit's ForwardMsg, from the installed Streamlit itself."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    fields = ForwardMsg.DESCRIPTOR.fields_by_name
    return {
        "NEW_SESSION": fields["new_session"].number,
        "SCRIPT_FINISHED": fields["script_finished"].number,
        "EARLY_FOR_RERUN": ForwardMsg.FINISHED_EARLY_FOR_RERUN,
    }


# An init script for every browser context. It follows the script runs in the messages the server sends
# (ForwardMsg protobufs on the app's WebSocket), not only in what React has drawn: on a loaded machine React may
# draw a short run's "running" and "notRunning" states in one go, so that the page's script-state attribute never
# changes, and one action may cause a chain of runs (a button's callback and st.switch_page, st.rerun) with a
# script_finished(FINISHED_EARLY_FOR_RERUN) between them. window.__stWire.running is true from a run's
# new_session until a script_finished that ends its chain; .finished counts the chains ended; .events lists
# {t: performance.now(), s: "running" | "notRunning"}.
STREAMLIT_WIRE_JS = """
(() => {
  const N = WIRE_NUMBERS;
  const wire = window.__stWire = {finished: 0, running: false, events: []};
  const scan = (data) => {
    if (!(data instanceof ArrayBuffer)) return;
    const b = new Uint8Array(data);
    let i = 0;
    const varint = () => {
      let r = 0, s = 0, x;
      do { x = b[i++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80 && i < b.length);
      return r;
    };
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
""".replace("WIRE_NUMBERS", json.dumps(_wire_numbers()))

# True when no run is going (by the server's messages, when STREAMLIT_WIRE_JS is installed, and on screen), nothing
# on screen is stale or still loading (a skeleton: Streamlit loads the code of charts and tables lazily), and every
# Vega chart has drawn (a canvas or an svg of marks).
SETTLED_JS = """
() => {
  if (window.__stWire && window.__stWire.running) return false;
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector("[data-testid='stStatusWidget']")) return false;
  if (document.querySelector("[data-stale='true'], [data-testid='stSkeleton']")) return false;
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
  return charts.every(c => c.querySelector('canvas, svg.marks'));
}
"""


def launch_chromium(playwright):
    """Launch headless Debian Chromium with :data:`CHROMIUM_ARGS`.

    Parameters
    ----------
    playwright : Playwright or async Playwright
        The object ``sync_playwright()`` or ``async_playwright()`` yields.

    Returns
    -------
    Browser (sync API) or an awaitable of it (async API)
    """
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_settled(page, timeout_ms: float, *, polling: float | str = "raf"):
    """Wait until the app shows no run going, nothing stale and every chart drawn (:data:`SETTLED_JS`).

    Parameters
    ----------
    page : Page (sync or async API)
    timeout_ms : float
        Playwright's ``TimeoutError`` after this many milliseconds.
    polling : float or "raf"
        Milliseconds between checks, or once per animation frame.

    Returns
    -------
    JSHandle (sync API) or an awaitable of it (async API)
    """
    return page.wait_for_function(SETTLED_JS, timeout=timeout_ms, polling=polling)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process below it, from /proc/*/stat.

    Returns
    -------
    list of int, of length 1 + the number of descendants
    """
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
    """Resident memory (VmRSS) of ``pid`` and its descendants, in MB (MiB)."""
    total = 0
    for p in process_tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


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
    for p in process_tree(pid):
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{p}/fd").iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        return True
    return False


class Server:
    """A ``streamlit run`` process of our own on 127.0.0.1; ``with Server(...) as server:`` starts and stops it.

    Parameters
    ----------
    script : Path
        The entry point; the server's working folder is its folder.
    name : str
        Names the log file and the server in error messages.
    log_dir : Path
        The server's output goes to ``log_dir / f"{name}.log"`` (created; emptied at each start).
    env : dict of str to str, optional
        Extra environment variables (e.g. ``LSTM_EXPLORER_CACHE``).
    args : sequence of str
        Extra ``streamlit run`` options (e.g. ``("--theme.base", "dark")``).

    Attributes
    ----------
    url : str
        ``http://127.0.0.1:<port>``, once started.
    proc : subprocess.Popen or None
        The server process (the leader of its own process group) while it runs.
    started_at : float
        ``time.perf_counter()`` at the launch.
    """

    def __init__(
        self,
        script: Path,
        *,
        name: str,
        log_dir: Path,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] | list[str] = (),
    ):
        self.script = Path(script)
        self.name = name
        self.log = Path(log_dir) / f"{name}.log"
        self.env = dict(env or {})
        self.args = list(args)
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.started_at = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = START_TIMEOUT_S) -> float:
        """Launch and wait until our process answers the health check; returns the launch time (perf_counter).

        Raises ``RuntimeError`` with the log's tail if the server exits or never answers within ``timeout`` s.
        """
        self.log.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(5):  # another process may take the port between picking and binding it
            self.port = free_port()
            cmd = [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                self.script.name,
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(self.port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                # Files edited while a run goes on must not make the app offer a rerun.
                "--server.fileWatcherType",
                "none",
                "--server.runOnSave",
                "false",
                "--global.developmentMode",
                "false",
                *self.args,
            ]
            with self.log.open("w") as log:  # the child keeps its own copy of the file
                log.write("$ " + " ".join(cmd) + "".join(f"\n# {k}={v}" for k, v in self.env.items()) + "\n")
                log.flush()
                self.started_at = time.perf_counter()
                self.proc = subprocess.Popen(
                    cmd,
                    cwd=self.script.parent,
                    env={**os.environ, **self.env, "PYTHONUNBUFFERED": "1"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
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
            time.sleep(0.02)  # the poll's interval, not a synchronisation
        return False

    def log_text(self) -> str:
        """Everything the server has written so far ("" before it starts)."""
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def rss_mb(self) -> float:
        """Resident memory of the server and its children, in MB."""
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

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
