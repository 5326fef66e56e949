"""requirements.txt resolves alike under uv and pip: torch's CPU wheel from PyTorch's page, the rest from PyPI.

A local HTTP server stands in for download.pytorch.org. Like the real one, its ``/whl/cpu/`` index lists
torch and also a copy of numpy, here only at an older version than our pin. The requirement files are
resolved with PyTorch's address replaced by the local server's (uv: ``uv pip compile``; pip:
``pip install --dry-run --report``), for Linux x86_64 and Python 3.11, the tag of this machine's torch
wheel. The default index is PyPI in every case, as on Streamlit Community Cloud.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest

REPO = Path(__file__).resolve().parent.parent
PYTORCH_CPU = "https://download.pytorch.org/whl/cpu"
TORCH_WHEEL = "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl"
OLD_NUMPY_WHEEL = "numpy-2.4.1-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl"
WHEEL_FOLDERS = ("/opt/wheels", "/opt/pypi-more/files")
TARGET = ("--python-version", "3.11")
# pip takes only the platform tags it is given: every manylinux tag that glibc 2.28 on x86_64 accepts.
PIP_PLATFORMS = [arg for glibc_minor in range(28, 4, -1) for arg in ("--platform", f"manylinux_2_{glibc_minor}_x86_64")]
PIP_PLATFORMS += [
    arg for legacy in ("manylinux2014", "manylinux2010", "manylinux1") for arg in ("--platform", f"{legacy}_x86_64")
]

# The layout requirements.txt avoids, kept as a control: PyTorch's whole index added beside PyPI.
EXTRA_INDEX_REQUIREMENTS = f"""\
--extra-index-url {PYTORCH_CPU}
torch==2.13.0
streamlit==1.67.0
altair==6.3.0
numpy==2.4.6
pandas==3.1.1
joblib==1.6.0
"""

pytestmark = pytest.mark.registry


def _wheel(name: str) -> Path:
    for folder in WHEEL_FOLDERS:
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    pytest.skip(f"{name} is not on this machine (looked in {', '.join(WHEEL_FOLDERS)})")


def _link_page(*wheels: Path) -> str:
    links = "".join(f'<a href="../{quote(w.name)}">{w.name}</a><br>\n' for w in wheels)
    return f"<!DOCTYPE html><html><body>\n{links}</body></html>\n"


@pytest.fixture(scope="module")
def pytorch_index(tmp_path_factory):
    """Serve a stand-in for ``PYTORCH_CPU`` on loopback; yield its address.

    ``/whl/cpu/torch/`` lists this machine's torch CPU wheel (a find-links page and an index page alike),
    ``/whl/cpu/numpy/`` lists numpy 2.4.1 only; every other package is absent (404).
    """
    root = tmp_path_factory.mktemp("pytorch-index")
    cpu = root / "whl" / "cpu"
    for project, wheel in (("torch", _wheel(TORCH_WHEEL)), ("numpy", _wheel(OLD_NUMPY_WHEEL))):
        (cpu / project).mkdir(parents=True)
        (cpu / wheel.name).symlink_to(wheel)
        (cpu / project / "index.html").write_text(_link_page(wheel))
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/whl/cpu"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def closed_address():
    """An address on loopback where nothing listens: PyTorch's server out of reach."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/whl/cpu"


def _clean_env(tmp_path: Path) -> dict[str, str]:
    """The environment less this machine's pip and uv settings, so that PyPI is the only default index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        UV_NO_CONFIG="1",
        UV_CACHE_DIR=str(tmp_path / "uv-cache"),
    )
    return env


def _requirements(tmp_path: Path, text: str, pytorch_url: str) -> Path:
    path = tmp_path / "requirements.txt"
    path.write_text(text.replace(PYTORCH_CPU, pytorch_url))
    return path


def uv_compile(requirements: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """Resolve ``requirements`` with ``uv pip compile`` for Linux x86_64, Python 3.11."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        pytest.fail("uv is not installed (it is in requirements-dev.txt)")
    return subprocess.run(
        [
            uv,
            "pip",
            "compile",
            str(requirements),
            *TARGET,
            "--python-platform",
            "x86_64-manylinux_2_28",
            "--no-header",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        env=_clean_env(tmp_path),
        timeout=600,
    )


def pip_resolve(requirements: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, dict[str, dict]]:
    """Resolve ``requirements`` with ``pip install --dry-run`` for Linux x86_64, Python 3.11.

    Returns the finished process and, when pip succeeded, its report's items by package name
    (``{"version": ..., "url": ...}``).
    """
    report = tmp_path / "pip-report.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--report",
            str(report),
            "--retries",
            "0",
            "--timeout",
            "10",
            "--only-binary=:all:",
            *PIP_PLATFORMS,
            *TARGET,
            "--target",
            str(tmp_path / "not-written"),
            "-r",
            str(requirements),
        ],
        capture_output=True,
        text=True,
        env=_clean_env(tmp_path),
        timeout=600,
    )
    if done.returncode != 0:
        return done, {}
    items = json.loads(report.read_text())["install"]
    return done, {
        item["metadata"]["name"].lower(): {"version": item["metadata"]["version"], "url": item["download_info"]["url"]}
        for item in items
    }


def _pins(compiled: str) -> dict[str, str]:
    pins = {}
    for line in compiled.splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.split(";")[0].strip()
    return pins


def test_uv_resolves_the_cpu_torch_and_the_rest_from_pypi(pytorch_index, tmp_path):
    requirements = _requirements(tmp_path, (REPO / "requirements.txt").read_text(), pytorch_index)
    done = uv_compile(requirements, tmp_path)
    assert done.returncode == 0, done.stderr
    pins = _pins(done.stdout)
    assert pins["torch"] == "2.13.0+cpu"
    assert pins["numpy"] == "2.4.6"
    assert not [name for name in pins if name.startswith("nvidia")]


def test_uv_stops_on_the_extra_index_file(pytorch_index, tmp_path):
    """The simulation reproduces the known failure of the extra-index layout (uv issues #4890, #7554, #9647)."""
    done = uv_compile(_requirements(tmp_path, EXTRA_INDEX_REQUIREMENTS, pytorch_index), tmp_path)
    assert done.returncode != 0
    assert "numpy" in done.stderr
    assert "2.4.6" in done.stderr


def test_pip_resolves_the_cpu_torch_and_the_rest_from_pypi(pytorch_index, tmp_path):
    requirements = _requirements(tmp_path, (REPO / "requirements.txt").read_text(), pytorch_index)
    done, items = pip_resolve(requirements, tmp_path)
    assert done.returncode == 0, done.stderr
    assert items["torch"]["version"] == "2.13.0+cpu"
    assert items["torch"]["url"].startswith(pytorch_index)
    assert items["numpy"]["version"] == "2.4.6"
    assert not items["numpy"]["url"].startswith(pytorch_index)
    assert not [name for name in items if name.startswith("nvidia")]


def test_pip_stops_when_pytorch_cannot_be_reached(closed_address, tmp_path):
    done, _ = pip_resolve(_requirements(tmp_path, (REPO / "requirements.txt").read_text(), closed_address), tmp_path)
    assert done.returncode != 0
    assert "torch==2.13.0+cpu" in done.stderr


def test_pip_takes_the_cuda_build_silently_with_the_extra_index_file(closed_address, tmp_path):
    """With the extra-index layout and PyTorch's index out of reach, pip takes PyPI's CUDA build, with no error."""
    done, items = pip_resolve(_requirements(tmp_path, EXTRA_INDEX_REQUIREMENTS, closed_address), tmp_path)
    assert done.returncode == 0, done.stderr
    assert items["torch"]["version"] == "2.13.0"
    assert [name for name in items if name.startswith("nvidia")]
