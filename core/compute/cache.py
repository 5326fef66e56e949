"""The one disk cache of the project: joblib files under ``cache/``.

Entries are keyed by a namespace and a key that callers build from the model's
fingerprint (see :func:`core.compute.model.model_fingerprint`) and the data's
(:attr:`core.compute.data.Dataset.fingerprint`), so new weights or data never
serve stale results, and by the version of the code that computes them
(:func:`code_version` of the computing function: its module and every module of
``core`` that it imports, directly or not), so a result computed by older code is
not served either, while a change elsewhere (a chart, the CSV reader) keeps it.
Every file starts with an HMAC-SHA256 of its payload under a secret that only
this cache knows (``cache/.secret``); a file that does not verify, because it is
damaged, truncated or was not written here, is deleted and recomputed and is
never unpickled. Writes go to a temporary file that is then renamed, so a killed
process leaves no half-written entry. Where the folder cannot be written (some
hosts have no writable disk) the cache turns itself off, logs one warning, and
every call simply computes.
"""

from __future__ import annotations

import ast
import hashlib
import hmac
import inspect
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

__all__ = ["CACHE_DIR", "CORE_DIR", "DiskCache", "default_cache", "code_version", "imported_modules"]

CACHE_DIR = Path(__file__).resolve().parents[2] / "cache"
CORE_DIR = Path(__file__).resolve().parents[1]  # the package whose imports code_version follows
_DIGEST = hashlib.sha256().digest_size
_STALE_TMP_SECONDS = 3600  # a temporary file this old was left by a killed write, not one in progress
log = logging.getLogger(__name__)
T = TypeVar("T")


def _module_file(base: Path, dotted: str) -> Path | None:
    """The file of module ``dotted`` (``"compute.stepper"``) under folder ``base``, or None if there is none."""
    path = base.joinpath(*dotted.split(".")) if dotted else base
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return path / "__init__.py" if (path / "__init__.py").is_file() else None


def _direct_imports(module: Path, root: Path) -> set[Path]:
    """The modules of the package at ``root`` that ``module`` imports itself (``from .x import y``,
    ``from ..compute import x``, ``import core.compute.x``), as files; packages' ``__init__`` files only where
    their own names are imported."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            dotted = node.module or ""
            if node.level:  # from .x (level 1: this folder), from ..x (level 2: its parent)...
                base = module.parents[node.level - 1]
            elif dotted.split(".")[0] == root.name:  # from core.compute.x
                base, dotted = root, dotted.partition(".")[2]
            else:
                continue
            target = _module_file(base, dotted)
            for alias in node.names:  # "from . import stepper": the names may be modules themselves
                submodule = _module_file(base, ".".join(filter(None, (dotted, alias.name))))
                if submodule is not None and submodule.name != "__init__.py":
                    found.add(submodule)
                elif target is not None:
                    found.add(target)
        elif isinstance(node, ast.Import):  # import core.compute.x
            for alias in node.names:
                head, _, rest = alias.name.partition(".")
                if head == root.name and (target := _module_file(root, rest)) is not None:
                    found.add(target)
    return found


def imported_modules(module: str | Path, root: str | Path = CORE_DIR) -> list[Path]:
    """``module`` and every module of the package at ``root`` that it imports, directly or through others.

    Parameters
    ----------
    module : path
        A Python file inside ``root``.
    root : path
        The package folder (``core/``); imports from outside it (torch, NumPy) are not followed.

    Returns
    -------
    list of Path
        Sorted, ``module`` included.
    """
    root, todo, seen = Path(root).resolve(), [Path(module).resolve()], set()
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(_direct_imports(current, root) - seen)
    return sorted(seen)


@lru_cache(maxsize=64)
def _version_of(module: Path, root: Path) -> str:
    digest = hashlib.sha256()
    for path in imported_modules(module, root):
        digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def code_version(function: Callable, root: str | Path = CORE_DIR) -> str:
    """SHA-256 of the code that ``function`` runs: the source of its module and of every module of ``root``
    (``core/``) that module imports, directly or not (:func:`imported_modules`), with their paths.

    A change to one of those modules (or a move) changes it; a change to any other module of ``core`` (a chart, a
    sentence, the CSV reader) does not.
    """
    return _version_of(Path(inspect.getsourcefile(inspect.unwrap(function))).resolve(), Path(root).resolve())


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

    Every method takes ``code``, the function that computes the entry's value: its :func:`code_version` is part
    of the entry's name, so that entries of older code are left unread (they age out under ``max_entries``).
    ``None`` is for a value that no code of ``core`` computes (its key says all it depends on).
    """

    def __init__(self, root: str | Path = CACHE_DIR, *, max_entries: int = 64):
        self.root = Path(root)
        self.max_entries = max_entries
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

    def path_for(self, namespace: str, key, code: Callable | None = None) -> Path:
        """Where the entry for ``(namespace, key)`` computed by ``code`` lives; the name is a hash, never user
        text."""
        if not namespace.isidentifier():
            raise ValueError(f"namespace must be an identifier, got {namespace!r}")
        version = "" if code is None else code_version(code)
        name = hashlib.sha256(repr((namespace, key, version)).encode()).hexdigest()
        return self.root / namespace / f"{name}.joblib"

    def load(self, namespace: str, key, code: Callable | None = None):
        """Return ``(True, value)`` for a valid entry, else ``(False, None)``."""
        secret = self._load_secret()
        if secret is None:
            return False, None
        path = self.path_for(namespace, key, code)
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

    def store(self, namespace: str, key, value, code: Callable | None = None) -> None:
        """Write an entry; on a read-only disk, turn the cache off instead of failing."""
        secret = self._load_secret()
        if secret is None:
            return
        buffer = io.BytesIO()
        joblib.dump(value, buffer)
        payload = buffer.getvalue()
        path = self.path_for(namespace, key, code)
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

    def get_or_compute(self, namespace: str, key, compute: Callable[[], T], code: Callable | None = None) -> T:
        """Return the cached value for ``(namespace, key)``, computing and storing it if absent.

        Parameters
        ----------
        namespace : str
            A folder name: which kind of result this is.
        key : hashable with a stable ``repr``
            Everything the result depends on, the model's and the data's fingerprints included.
        compute : callable
            Makes the value when there is no valid entry.
        code : callable, optional
            The function that does the work of ``compute`` (``run_batch`` for traces): its :func:`code_version`
            is part of the entry's name.
        """
        hit, value = self.load(namespace, key, code)
        if hit:
            return value
        value = compute()
        self.store(namespace, key, value, code)
        return value


_default: DiskCache | None = None


def default_cache() -> DiskCache:
    """The process-wide cache under ``CACHE_DIR`` (``LSTM_EXPLORER_CACHE`` overrides the folder)."""
    global _default
    if _default is None:
        _default = DiskCache(os.environ.get("LSTM_EXPLORER_CACHE", CACHE_DIR))
    return _default
