"""The one disk cache of the project: joblib files under ``cache/``.

Entries are keyed by a namespace and a key that callers build from the model's
fingerprint (see :func:`core.compute.model.model_fingerprint`), so new weights never
serve stale results, and by a hash of the code that computes them
(``core.compute`` and ``core.analyses``), so results computed by an older version
of that code are not served either. Every file starts with an
HMAC-SHA256 of its payload under a secret that only this cache knows
(``cache/.secret``); a file that does not verify, because it is damaged,
truncated or was not written here, is deleted and recomputed and is never
unpickled. Writes go to a temporary file that is then renamed, so a killed
process leaves no half-written entry. Where the folder cannot be written (some
hosts have no writable disk) the cache turns itself off, logs one warning, and
every call simply computes.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import os
import secrets
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import joblib

from .atomic import atomic_write_bytes

__all__ = ["CACHE_DIR", "DiskCache", "default_cache", "computation_fingerprint", "source_fingerprint"]

CACHE_DIR = Path(__file__).resolve().parents[2] / "cache"
COMPUTING_PACKAGES = ("compute", "analyses")  # the packages of core whose code computes cached results
_DIGEST = hashlib.sha256().digest_size
_STALE_TMP_SECONDS = 3600  # a temporary file this old was left by a killed write, not one in progress
log = logging.getLogger(__name__)
T = TypeVar("T")


def source_fingerprint(*folders: str | Path) -> str:
    """SHA-256 of the names (relative to their folder) and contents of the Python modules in ``folders``, subfolders
    included."""
    digest = hashlib.sha256()
    for folder in map(Path, folders):
        for module in sorted(folder.rglob("*.py")):
            digest.update(module.relative_to(folder.parent).as_posix().encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def computation_fingerprint() -> str:
    """:func:`source_fingerprint` of the code that computes cached results (:data:`COMPUTING_PACKAGES` of
    ``core``), besides the model and the data; charts, tables and wording are not part of it."""
    core_dir = Path(__file__).resolve().parents[1]
    return source_fingerprint(*(core_dir / name for name in COMPUTING_PACKAGES))


def _unlink_quietly(path: Path) -> None:
    """Remove ``path`` if it is there; another process may have removed it, or the disk may be read-only."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


class DiskCache:
    """Memoise expensive results as signed joblib files.

    Parameters
    ----------
    root : path
        The folder; created if missing.
    max_entries : int
        Per namespace; the least recently written entries beyond it are removed.
    code_version : str, optional
        Part of every entry's name; defaults to :func:`computation_fingerprint`, so that a change to the code
        that computes results (``core.compute``, ``core.analyses``) leaves the old entries unread (they age out
        under ``max_entries``), while a change to a chart or a sentence (``core.presentation``) keeps them.
    """

    def __init__(self, root: str | Path = CACHE_DIR, *, max_entries: int = 64, code_version: str | None = None):
        self.root = Path(root)
        self.max_entries = max_entries
        self.code_version = computation_fingerprint() if code_version is None else code_version
        self._secret: bytes | None = None
        self._disabled_reason: str | None = None

    def _disable(self, reason: str) -> None:
        if self._disabled_reason is None:
            self._disabled_reason = reason
            log.warning("disk cache at %s is off, results are computed each time: %s", self.root, reason)

    def _load_secret(self) -> bytes | None:
        if self._secret is not None or self._disabled_reason is not None:
            return self._secret
        path = self.root / ".secret"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                try:
                    # Servers starting together must agree on one secret: the first to write it wins, the others
                    # read it (had each kept its own, each would take the others' entries for forgeries).
                    atomic_write_bytes(path, secrets.token_bytes(32), mode=0o600, exclusive=True)
                except FileExistsError:
                    pass
            secret = path.read_bytes()
            if len(secret) != 32:  # damaged: a new secret orphans every old entry
                secret = secrets.token_bytes(32)
                atomic_write_bytes(path, secret, mode=0o600)
            self._secret = secret
        except OSError as exc:
            self._disable(str(exc))
        return self._secret

    def path_for(self, namespace: str, key) -> Path:
        """Where the entry for ``(namespace, key)`` lives; the name is a hash, never user text."""
        if not namespace.isidentifier():
            raise ValueError(f"namespace must be an identifier, got {namespace!r}")
        name = hashlib.sha256(repr((namespace, key, self.code_version)).encode()).hexdigest()
        return self.root / namespace / f"{name}.joblib"

    def load(self, namespace: str, key):
        """Return ``(True, value)`` for a valid entry, else ``(False, None)``."""
        secret = self._load_secret()
        if secret is None:
            return False, None
        path = self.path_for(namespace, key)
        try:
            blob = path.read_bytes()
        except OSError:
            return False, None
        signature, payload = blob[:_DIGEST], blob[_DIGEST:]
        if len(blob) <= _DIGEST or not hmac.compare_digest(signature, hmac.new(secret, payload, "sha256").digest()):
            self._discard(path, "it does not verify")
            return False, None
        try:
            return True, joblib.load(io.BytesIO(payload))
        except Exception as exc:  # signed by us but unreadable (e.g. another library version)
            self._discard(path, str(exc))
            return False, None

    @staticmethod
    def _discard(path: Path, reason: str) -> None:
        """Delete a bad entry; on a read-only disk it stays, is never trusted, and the result is computed."""
        log.info("discarding cache entry %s: %s", path, reason)
        _unlink_quietly(path)

    def store(self, namespace: str, key, value) -> None:
        """Write an entry; on a read-only disk, turn the cache off instead of failing."""
        secret = self._load_secret()
        if secret is None:
            return
        buffer = io.BytesIO()
        joblib.dump(value, buffer)
        payload = buffer.getvalue()
        path = self.path_for(namespace, key)
        try:
            atomic_write_bytes(path, hmac.new(secret, payload, "sha256").digest() + payload)
        except OSError as exc:
            self._disable(str(exc))
            return
        self._prune(path.parent)

    def _prune(self, folder: Path) -> None:
        """Keep the newest ``max_entries``; remove stale temporary files of killed writes.

        Other sessions' threads write and prune the same folder at the same time, so a file may vanish between
        listing and use: that is skipped, and never turns the cache off.
        """

        def mtime(p: Path) -> float | None:
            try:
                return p.stat().st_mtime
            except OSError:
                return None

        entries = [(m, p) for p in folder.glob("*.joblib") if (m := mtime(p)) is not None]
        for _, old in sorted(entries, reverse=True)[self.max_entries :]:
            _unlink_quietly(old)
        stale = time.time() - _STALE_TMP_SECONDS
        for tmp in folder.glob(".*.tmp"):  # left by a process killed between writing and renaming
            if (m := mtime(tmp)) is not None and m < stale:
                _unlink_quietly(tmp)

    def get_or_compute(self, namespace: str, key, compute: Callable[[], T]) -> T:
        """Return the cached value for ``(namespace, key)``, computing and storing it if absent.

        Parameters
        ----------
        namespace : str
            A folder name: which kind of result this is.
        key : hashable with a stable ``repr``
            Everything the result depends on, the model fingerprint included.
        compute : callable
            Makes the value when there is no valid entry.
        """
        hit, value = self.load(namespace, key)
        if hit:
            return value
        value = compute()
        self.store(namespace, key, value)
        return value


_default: DiskCache | None = None


def default_cache() -> DiskCache:
    """The process-wide cache under ``CACHE_DIR`` (``LSTM_EXPLORER_CACHE`` overrides the folder)."""
    global _default
    if _default is None:
        _default = DiskCache(os.environ.get("LSTM_EXPLORER_CACHE", CACHE_DIR))
    return _default
