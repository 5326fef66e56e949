"""The disk cache: hits and misses, the code version, signed entries, damaged files recomputed (also under the
app, page by page), read-only and missing folders, and names that never become paths.

The app's sessions are opened with AppTest; the disk cache is a temporary folder (``LSTM_EXPLORER_CACHE``) so
that these tests may damage it freely.
"""

import dataclasses
import errno
import hmac
import io
import logging
import math
import os
import re
from pathlib import Path

import joblib
import numpy as np
import pytest
from app_helpers import clear_streamlit_caches, open_app, visit_pages
from hostile_input import HOSTILE_PATH, Payload
from numpy.testing import assert_array_equal

import core


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_hit_after_miss(tmp_cache):
    compute, calls = counting({"a": np.arange(3)})
    first = tmp_cache.get_or_compute("demo", ("k", 1), compute)
    second = tmp_cache.get_or_compute("demo", ("k", 1), compute)
    assert len(calls) == 1
    assert_array_equal(second["a"], first["a"])


def test_split_traces_are_keyed_by_the_weights(tmp_cache, model):
    first = core.split_traces(model, "test", cache=tmp_cache)
    assert len(list((tmp_cache.root / "split_traces").glob("*.joblib"))) == 1
    assert_array_equal(core.split_traces(model, "test", cache=tmp_cache).probs, first.probs)
    changed = core.LSTMClassifier(model.config)
    changed.load_state_dict(model.state_dict())
    with __import__("torch").no_grad():
        changed.fc.bias += 1.0
    core.split_traces(changed, "test", cache=tmp_cache)
    assert len(list((tmp_cache.root / "split_traces").glob("*.joblib"))) == 2


def test_entries_written_by_other_code_are_not_served(tmp_path, monkeypatch):
    compute, calls = counting("old result")
    core.DiskCache(tmp_path).get_or_compute("demo", "k", compute, code=core.run_batch)
    monkeypatch.setattr(core.compute.cache, "code_version", lambda code, root=None: "after the fix")
    compute_again, calls_again = counting("new result")
    assert core.DiskCache(tmp_path).get_or_compute("demo", "k", compute_again, code=core.run_batch) == "new result"
    assert len(calls_again) == 1


def _core_copy(tmp_path):
    import shutil

    shutil.copytree(core.CACHE_DIR.parent / "core", tmp_path / "core", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "core"


def _version_in(copy, module: str) -> str:
    """The code version of ``module``'s code in the copy ``copy`` of core (a fresh computation, not the cached one)."""
    return core.compute.cache._version_of.__wrapped__((copy / module).resolve(), copy.resolve())


def test_the_traces_code_follows_the_stepper_and_what_it_imports():
    names = {p.relative_to(core.compute.cache.CORE_DIR).as_posix() for p in imported_modules_of(core.run_batch)}
    # run_batch -> stepper -> model, data, checks, shortening; model -> atomic (checkpoints)
    assert names == {
        "compute/stepper.py",
        "compute/model.py",
        "compute/data.py",
        "compute/checks.py",
        "compute/shortening.py",
        "compute/atomic.py",
    }


def imported_modules_of(function):
    import inspect

    return core.compute.cache.imported_modules(inspect.getsourcefile(inspect.unwrap(function)))


@pytest.mark.parametrize("module", ["compute/stepper.py", "compute/model.py", "compute/shortening.py"])
def test_the_code_version_changes_with_an_edit_to_the_computing_code(tmp_path, module):
    copy = _core_copy(tmp_path)
    assert _version_in(copy, "compute/stepper.py") == core.code_version(core.run_batch)
    edited = copy / module
    edited.write_text(edited.read_text() + "\n# an edit\n")
    assert _version_in(copy, "compute/stepper.py") != core.code_version(core.run_batch)


@pytest.mark.parametrize(
    "module",
    ["presentation/charts/units.py", "presentation/glossary.py", "compute/dataset_upload.py", "compute/upload.py"],
)
def test_the_code_version_ignores_charts_wording_and_readers(tmp_path, module):
    copy = _core_copy(tmp_path)
    edited = copy / module
    edited.write_text(edited.read_text().replace("#e15759", "#ff0000") + "\n# a new sentence\n")
    assert _version_in(copy, "compute/stepper.py") == core.code_version(core.run_batch)


def test_a_moved_module_changes_the_code_version(tmp_path):
    copy = _core_copy(tmp_path)
    (copy / "compute" / "shortening.py").rename(copy / "compute" / "blocks.py")
    stepper = copy / "compute" / "model.py"
    stepper.write_text(stepper.read_text().replace("from .shortening import", "from .blocks import"))
    assert _version_in(copy, "compute/stepper.py") != core.code_version(core.run_batch)


def test_traces_from_the_disk_cache_are_read_only_like_computed_ones(tmp_cache, model):
    computed = core.split_traces(model, "test", cache=tmp_cache)
    from_disk = core.split_traces(model, "test", cache=core.DiskCache(tmp_cache.root))
    assert from_disk is not computed
    for name in ("hidden", "cell", "gates", "probs", "lengths"):
        assert not getattr(computed, name).flags.writeable
        assert not getattr(from_disk, name).flags.writeable, name
        assert_array_equal(getattr(from_disk, name), getattr(computed, name))
    with pytest.raises(ValueError, match="read-only"):
        from_disk.hidden[0, 0, 0] = 1.0


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(os.urandom(4096)),
    ],
)
def test_damaged_entry_is_recomputed(tmp_cache, damage):
    compute, calls = counting([1, 2, 3])
    tmp_cache.get_or_compute("demo", "k", compute)
    damage(tmp_cache.path_for("demo", "k"))
    assert tmp_cache.get_or_compute("demo", "k", compute) == [1, 2, 3]
    assert len(calls) == 2
    assert tmp_cache.get_or_compute("demo", "k", compute) == [1, 2, 3]
    assert len(calls) == 2, "the recomputed value was stored again"


def test_foreign_file_is_never_unpickled(tmp_cache, tmp_path):
    import joblib

    compute, calls = counting("ours")
    tmp_cache.get_or_compute("demo", "k", compute)
    marker = tmp_path / "ran"
    path = tmp_cache.path_for("demo", "k")

    class Evil:
        def __reduce__(self):
            return (marker.touch, ())

    joblib.dump(Evil(), path)  # a valid joblib file, but not signed by this cache
    assert tmp_cache.get_or_compute("demo", "k", compute) == "ours"
    assert not marker.exists()


def test_damaged_secret_orphans_old_entries(tmp_cache):
    compute, calls = counting(7)
    tmp_cache.get_or_compute("demo", "k", compute)
    (tmp_cache.root / ".secret").write_bytes(b"short")
    fresh = core.DiskCache(tmp_cache.root)
    assert fresh.get_or_compute("demo", "k", compute) == 7
    assert len(calls) == 2


def test_servers_starting_together_agree_on_one_secret(tmp_path, monkeypatch):
    """Two caches find no secret; the other one writes its secret before this one does: both use the other's."""
    root = tmp_path / "cache"
    other = core.DiskCache(root)
    make_token = core.compute.cache.secrets.token_bytes

    def other_wins_the_race(n):
        monkeypatch.setattr(core.compute.cache.secrets, "token_bytes", make_token)
        other.get_or_compute("demo", "k", lambda: "stored by the other server")
        return make_token(n)

    monkeypatch.setattr(core.compute.cache.secrets, "token_bytes", other_wins_the_race)
    late = core.DiskCache(root)
    compute, calls = counting("recomputed")
    assert late.get_or_compute("demo", "k", compute) == "stored by the other server"
    assert calls == []
    assert late.get_or_compute("demo", "j", lambda: 1) == 1
    assert core.DiskCache(root).get_or_compute("demo", "j", compute) == 1  # the late one's entries are valid too


def test_read_only_folder_turns_the_cache_off_with_one_warning(tmp_path, caplog):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the cache folder should be")
    cache = core.DiskCache(blocker / "cache")
    compute, calls = counting(1)
    with caplog.at_level(logging.WARNING, logger="core.compute.cache"):
        assert cache.get_or_compute("demo", "k", compute) == 1
        assert cache.get_or_compute("demo", "k", compute) == 1
    assert len(calls) == 2
    assert len([r for r in caplog.records if "disk cache" in r.message]) == 1


def test_entries_are_bounded(tmp_path):
    cache = core.DiskCache(tmp_path, max_entries=3)
    for i in range(6):
        cache.get_or_compute("demo", i, lambda i=i: i)
    assert len(list((tmp_path / "demo").glob("*.joblib"))) == 3


def assert_same(a, b, where="value"):
    """Deep equality for what the cache holds: arrays bit for bit, dataclasses, dicts, lists; timings ignored."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        keys = set(a) - {"seconds"}  # a training log's wall-clock time per epoch
        assert keys == set(b) - {"seconds"}, where
        for k in keys:
            assert_same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray):
        assert_array_equal(a, b, err_msg=where)
    elif hasattr(a, "equals"):  # pandas
        assert a.equals(b), where
    elif isinstance(a, float) and math.isnan(a):  # a training's held-out accuracy when nothing is held out
        assert isinstance(b, float) and math.isnan(b), where
    else:
        assert a == b, where


def cache_snapshot(folder: Path, secret: bytes | None = None) -> dict[str, object]:
    """Every entry of a cache folder that verifies under its secret (or ``secret``), unpickled."""
    secret, entries = secret or (folder / ".secret").read_bytes(), {}
    for path in sorted(folder.rglob("*.joblib")):
        blob = path.read_bytes()
        if hmac.compare_digest(blob[:32], hmac.new(secret, blob[32:], "sha256").digest()):
            entries[str(path.relative_to(folder))] = joblib.load(io.BytesIO(blob[32:]))
    return entries


KINDS = ("truncated", "emptied", "random bytes", "pickle payload")


NAMESPACES = {"split_traces", "single_unit_effects", "hidden_pca", "lab_variants"}


# Pages that read the disk cache without the minutes-long recomputations of pages/units.py (single_unit_effects over
# the whole test split); the damaged-cache test visits every page.
CACHED_PAGES = [
    "pages/home.py",
    "pages/model.py",
    "pages/activations.py",
    "pages/mistakes.py",
    "pages/paths.py",
    "pages/ablation.py",
    "pages/lab.py",
]


def _damage(kind: str, path: Path, marker: Path) -> None:
    if kind == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif kind == "emptied":
        path.write_bytes(b"")
    elif kind == "random bytes":  # same length: a random 32-byte .secret is a valid-looking secret
        path.write_bytes(os.urandom(path.stat().st_size or 64))
    elif kind == "pickle payload":  # a valid joblib file that runs code when unpickled
        joblib.dump(Payload(marker), path)
    else:
        raise ValueError(kind)


def _fill_every_namespace(model, dataset, lab: bool = True) -> None:
    """An entry in every namespace of the disk cache, whichever pages use it (a short split keeps it quick)."""
    core.split_traces(model, "test")
    core.split_traces(model, "train")
    core.analyses.ablation.single_unit_effects(model, core.Split(dataset.test.sequences[:30], dataset.test.labels[:30]))
    core.analyses.projection.fit_hidden_pca(model, "train")
    if lab:  # seconds of training on a busy machine: the other namespaces exercise the same code
        core.analyses.lab.train_variant(core.analyses.lab.LabSettings(hidden_size=10, epochs=1, seed=11))


def _use_cache_folder(folder: Path, monkeypatch) -> None:
    """Point the app (and core's default cache) at ``folder``, as a freshly started server would be."""
    monkeypatch.setenv("LSTM_EXPLORER_CACHE", str(folder))
    monkeypatch.setattr(core.compute.cache, "_default", None)
    clear_streamlit_caches()


@pytest.fixture(scope="module")
def warm(tmp_path_factory, model, dataset):
    """A cache folder filled by every page and namespace, what each page showed, and the entries' values."""
    folder = tmp_path_factory.mktemp("warm") / "cache"
    with pytest.MonkeyPatch.context() as mp:
        _use_cache_folder(folder, mp)
        _fill_every_namespace(model, dataset)
        shown = visit_pages(open_app())
    clear_streamlit_caches()
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert folder / ".secret" in files and NAMESPACES <= {p.parent.name for p in files}
    return folder, shown, cache_snapshot(folder)


def _copy_of(warm_folder: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(warm_folder, tmp_path / "cache"))


def test_every_file_of_the_cache_damaged_the_app_recomputes_the_same_and_shows_no_error(
    warm, tmp_path, monkeypatch, caplog, model, dataset
):
    """Each file (.secret included) gets one of the four kinds of damage, in turn; then a new server starts."""
    warm_folder, shown_before, before = warm
    folder = _copy_of(warm_folder, tmp_path)
    marker = tmp_path / "payload_ran"
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for i, path in enumerate(files):
        _damage(KINDS[i % len(KINDS)], path, marker)
    _use_cache_folder(folder, monkeypatch)
    try:
        with caplog.at_level(logging.INFO, logger="core.compute.cache"):
            _fill_every_namespace(model, dataset)
            shown_after = visit_pages(open_app())  # no exception, no error on any page
    finally:
        clear_streamlit_caches()
    assert not marker.exists(), "a planted pickle is never loaded"
    assert not _cache_warnings(caplog), "damaged files do not turn the cache off"
    assert any("does not verify" in r.getMessage() for r in caplog.records)
    assert_same(shown_after, shown_before, "the pages' charts")
    after = cache_snapshot(folder)
    assert set(after) == set(before), "every entry was written again, under the same name"
    assert_same(after, before, "the recomputed entries")
    assert not list(folder.rglob("*.tmp"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("restart", [True, False], ids=["new process", "same process"])
def test_every_file_damaged_alike_is_recomputed(warm, tmp_path, monkeypatch, caplog, model, dataset, kind, restart):
    """The same at the level of core, for each kind of damage to every file, in a new and in the same process."""
    warm_folder, _, before = warm
    folder = _copy_of(warm_folder, tmp_path)
    _use_cache_folder(folder, monkeypatch)
    if not restart:
        # this process reads the secret before the files are damaged
        assert core.default_cache().load("demo", "probe") == (False, None)
    marker = tmp_path / "payload_ran"
    for path in (p for p in folder.rglob("*") if p.is_file()):
        _damage(kind, path, marker)
    with caplog.at_level(logging.INFO, logger="core.compute.cache"):
        _fill_every_namespace(model, dataset, lab=restart)  # (the lab's namespace once per kind is enough)
    assert not marker.exists() and not _cache_warnings(caplog)
    after = cache_snapshot(folder, core.default_cache()._load_secret())  # the entries written again
    expected = NAMESPACES if restart else NAMESPACES - {"lab_variants"}
    assert {key.split("/")[0] for key in after} == expected and set(after) <= set(before)
    assert_same(after, {key: before[key] for key in after}, "the recomputed entries")


def _cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "core.compute.cache" and r.levelno >= logging.WARNING]


def test_a_missing_cache_folder_is_created(tmp_path, monkeypatch, caplog):
    folder = tmp_path / "not" / "yet" / "there"
    _use_cache_folder(folder, monkeypatch)
    try:
        with caplog.at_level(logging.WARNING, logger="core.compute.cache"):
            visit_pages(open_app(), ["pages/model.py", "pages/activations.py"])
    finally:
        clear_streamlit_caches()
    assert (folder / ".secret").stat().st_mode & 0o777 == 0o600
    assert list(folder.rglob("*.joblib")) and not _cache_warnings(caplog)


def _run_app_without_its_cache(model, dataset, caplog) -> dict:
    """Two sessions over the pages that use the cache, and the cached core functions twice; all must work."""
    try:
        with caplog.at_level(logging.WARNING, logger="core.compute.cache"):
            shown = visit_pages(open_app(), CACHED_PAGES)
            visit_pages(open_app({"obs": "3"}), ["pages/model.py", "pages/activations.py"])
            _fill_every_namespace(model, dataset)
            _fill_every_namespace(model, dataset, lab=False)
    finally:
        clear_streamlit_caches()
    return shown


def test_a_cache_folder_that_cannot_be_created_turns_the_cache_off_with_one_warning(
    warm, tmp_path, monkeypatch, caplog, model, dataset
):
    blocker = tmp_path / "a_file"
    blocker.write_text("a file where a folder should be")
    _use_cache_folder(blocker / "cache", monkeypatch)
    shown = _run_app_without_its_cache(model, dataset, caplog)
    warnings = _cache_warnings(caplog)
    assert len(warnings) == 1 and "disk cache" in warnings[0] and str(blocker) in warnings[0], warnings
    core.default_cache().store("demo", "probe", 1)
    assert core.default_cache().load("demo", "probe") == (False, None), "off: nothing is kept"
    assert_same(shown, {page: warm[1][page] for page in CACHED_PAGES}, "the pages' charts")


def _make_read_only(folder: Path, monkeypatch) -> None:
    """Writes and deletions under ``folder`` fail as on a read-only disk (EROFS).

    Simulated, because chmod does not stop root and these tests run as root on the build machine; the real
    thing is tried as well when they run as another user (``test_a_chmod_read_only_cache_folder``).
    """
    folder = folder.resolve()

    def refuse(path):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    real_unlink, real_write = Path.unlink, core.compute.cache.atomic_write_bytes

    def unlink(self, missing_ok=False):
        if folder in Path(self).resolve().parents:
            refuse(self)
        return real_unlink(self, missing_ok=missing_ok)

    def write(path, data, **kwargs):
        if folder in Path(path).resolve().parents:
            refuse(path)
        return real_write(path, data, **kwargs)

    monkeypatch.setattr(Path, "unlink", unlink)
    monkeypatch.setattr(core.compute.cache, "atomic_write_bytes", write)


@pytest.mark.parametrize(
    "contents, n_warnings",
    [
        ("only its secret", 1),  # every result is computed, the first write fails
        ("no secret", 1),  # the secret cannot be written
        ("entries, traces damaged", 1),  # the damaged entries can be neither deleted nor replaced
        ("entries", 0),  # nothing needs writing: the cache is read and works
    ],
)
def test_a_read_only_cache_folder_works_and_warns_at_most_once(
    warm, tmp_path, monkeypatch, caplog, model, dataset, contents, n_warnings
):
    folder = _copy_of(warm[0], tmp_path)
    if contents in ("only its secret", "no secret"):
        for entry in folder.rglob("*.joblib"):
            entry.unlink()
    if contents == "no secret":
        (folder / ".secret").unlink()
    if contents == "entries, traces damaged":  # every one, so that those the pages read are among them
        for entry in (folder / "split_traces").glob("*.joblib"):
            entry.write_bytes(entry.read_bytes()[:100])
    _use_cache_folder(folder, monkeypatch)
    _make_read_only(folder, monkeypatch)
    shown = _run_app_without_its_cache(model, dataset, caplog)
    warnings = _cache_warnings(caplog)
    assert len(warnings) == n_warnings and all("disk cache" in w for w in warnings), warnings
    assert_same(shown, {page: warm[1][page] for page in CACHED_PAGES}, "the pages' charts")


@pytest.mark.skipif(os.geteuid() == 0, reason="chmod does not stop root; the simulated read-only disk covers this")
def test_a_chmod_read_only_cache_folder(tmp_path, monkeypatch, caplog, model, dataset):
    folder = tmp_path / "cache"
    core.DiskCache(folder).load("demo", "probe")  # writes the secret; then no more writing
    _use_cache_folder(folder, monkeypatch)
    folder.chmod(0o555)
    try:
        _run_app_without_its_cache(model, dataset, caplog)
    finally:
        folder.chmod(0o755)
    assert len(_cache_warnings(caplog)) == 1


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), RuntimeError("bad disk")])
def test_an_exception_inside_a_cache_write_leaves_no_entry_and_no_temporary_file(
    tmp_cache, monkeypatch, caplog, failure
):
    assert tmp_cache.load("demo", "key") == (False, None)  # the secret is written before the disk fails

    def fail(fd):
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    if isinstance(failure, OSError):  # the disk is full: the cache warns that it is off, the result is returned
        with caplog.at_level(logging.WARNING, logger="core.compute.cache"):
            assert tmp_cache.get_or_compute("demo", "key", lambda: [1, 2]) == [1, 2]
        assert [r.getMessage() for r in caplog.records] == [
            f"disk cache at {tmp_cache.root} is off, results are computed each time: [Errno 28] No space left on device"
        ]
    else:
        with pytest.raises(RuntimeError, match="bad disk"):
            tmp_cache.store("demo", "key", [1, 2])
    monkeypatch.undo()
    assert not tmp_cache.path_for("demo", "key").exists()
    assert [p.name for p in tmp_cache.root.rglob("*") if p.is_file()] == [".secret"]


def test_a_value_that_cannot_be_pickled_leaves_no_entry(tmp_cache):
    import threading

    with pytest.raises(TypeError):
        tmp_cache.store("demo", "key", threading.Lock())
    assert [p.name for p in tmp_cache.root.rglob("*") if p.is_file()] == [".secret"]


def test_the_cache_secret_is_private(tmp_cache):
    assert tmp_cache.load("demo", "key") == (False, None)  # writes the secret
    assert (tmp_cache.root / ".secret").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("namespace", ["../outside", "a/b", "", "..", "/tmp", "x\x00", "lab variants", "a.b"])
def test_cache_namespaces_cannot_be_paths(tmp_cache, namespace):
    with pytest.raises(ValueError, match="namespace must be an identifier"):
        tmp_cache.path_for(namespace, "key")


@pytest.mark.parametrize("key", [HOSTILE_PATH, "/etc/passwd", b"\x00..", ("..", "..", "x"), "\\..\\..\\x", "%2e%2e/x"])
def test_cache_keys_never_leave_their_folder(tmp_cache, key):
    path = tmp_cache.path_for("demo", key)
    assert path.parent.resolve() == (tmp_cache.root / "demo").resolve()
    assert re.fullmatch(r"[0-9a-f]{64}\.joblib", path.name)
