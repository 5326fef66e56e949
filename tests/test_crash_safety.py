"""Killed half-way, nothing is half written; sessions writing one disk cache at once never turn it off.

A training run (``python -m core.train``) and a cache write are killed with SIGKILL in a child process;
eight threads of this process write and prune one cache folder, as the sessions of one server do.
"""

import logging
import os
import signal
import subprocess
import sys

from app_helpers import ROOT

import core

PYTHON = sys.executable


def _read_line(proc: subprocess.Popen, wanted: str, timeout: float) -> list[str]:
    """Lines of ``proc``'s output up to the first containing ``wanted`` (fails after ``timeout`` seconds)."""
    import selectors
    import time

    lines, buffer = [], b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buffer += chunk
            *done, buffer = buffer.split(b"\n")
            lines += [line.decode() for line in done]
            if any(wanted in line for line in lines):
                return lines
    raise AssertionError(f"no line with {wanted!r} within {timeout} s: {lines + [buffer.decode()]}")


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_a_training_run_killed_half_way_leaves_no_checkpoint(tmp_path):
    out = tmp_path / "out" / "m.pt"
    out.parent.mkdir()
    env = {**os.environ, "LSTM_EXPLORER_CACHE": str(tmp_path / "cache")}  # the shipped results' computation
    command = [PYTHON, "-m", "core.train", "--epochs", "50", "--threads", "1", "--out", str(out)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        lines = _read_line(proc, "epoch   1/50", timeout=120)
        assert proc.poll() is None, "still training when killed"
    finally:
        _kill(proc)
    assert proc.returncode == -signal.SIGKILL and not any("wrote" in line for line in lines)
    assert list(out.parent.iterdir()) == [], "no checkpoint, no log, no temporary file"

    done = subprocess.run(
        [*command[:3], "--epochs", "2", *command[5:]], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    loaded, meta = core.load_checkpoint(out)
    assert len(meta["history"]) == 2 and loaded.config.hidden_size == 100
    assert sorted(p.name for p in out.parent.iterdir()) == ["m.log.csv", "m.pt", "m.results.json"]


_HELD_WRITE = """
import os, sys, time
from core.compute.cache import DiskCache
cache = DiskCache(sys.argv[1])
assert cache.load("demo", "key") == (False, None)  # the secret is in place before the entry's write is held up
def held(fd):
    print("writing", flush=True)
    time.sleep(120)
os.fsync = held  # the entry's bytes are in its temporary file; the rename has not happened
cache.get_or_compute("demo", "key", lambda: list(range(200_000)))
"""


def test_a_cache_write_killed_half_way_leaves_no_entry(tmp_path):
    folder = tmp_path / "cache"
    proc = subprocess.Popen(
        [PYTHON, "-c", _HELD_WRITE, str(folder)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _read_line(proc, "writing", timeout=120)
    finally:
        _kill(proc)
    cache = core.DiskCache(folder)
    entry = cache.path_for("demo", "key")
    (leftover,) = entry.parent.glob(".*.tmp")
    assert not entry.exists() and leftover.stat().st_size > 0, "killed between write and rename"
    calls = []
    assert cache.get_or_compute("demo", "key", lambda: calls.append(1) or [1, 2]) == [1, 2] and calls == [1]
    assert cache.load("demo", "key") == (True, [1, 2])
    # A leftover from a killed write is removed by a later write once it is clearly stale (an hour old).
    os.utime(leftover, (leftover.stat().st_atime - 7200, leftover.stat().st_mtime - 7200))
    cache.get_or_compute("demo", "other", lambda: 3)
    assert not leftover.exists()


def test_concurrent_writers_and_pruners_never_turn_the_cache_off(tmp_path, caplog):
    """Sessions run in threads of one process and share its cache; files vanish under each other's prunes."""
    import threading

    cache = core.DiskCache(tmp_path / "cache", max_entries=3)
    assert cache.load("demo", "key") == (False, None)  # the secret is written before the sessions start
    errors = []

    def session(n):
        try:
            for i in range(60):
                assert cache.get_or_compute("demo", (n, i), lambda: list(range(50))) == list(range(50))
                cache.load("demo", (n, i - 1))
        except Exception as exc:
            errors.append(repr(exc))

    with caplog.at_level(logging.WARNING, logger="core.compute.cache"):
        threads = [threading.Thread(target=session, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors and not any(t.is_alive() for t in threads)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], "the cache never warned it is off"
    cache.store("demo", "after", [3])
    assert cache.load("demo", "after") == (True, [3])
    assert len(list((tmp_path / "cache" / "demo").glob("*.joblib"))) <= 3 + 8  # bounded (each writer may be mid-prune)
