import logging
import os

import numpy as np
import pytest
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


def test_entries_written_by_other_code_are_not_served(tmp_path):
    compute, calls = counting("old result")
    core.DiskCache(tmp_path, code_version="before the fix").get_or_compute("demo", "k", compute)
    compute_again, calls_again = counting("new result")
    now = core.DiskCache(tmp_path, code_version="after the fix")
    assert now.get_or_compute("demo", "k", compute_again) == "new result"
    assert len(calls_again) == 1
    assert core.DiskCache(tmp_path).code_version == core.computation_fingerprint()


def _core_copy(tmp_path):
    import shutil
    shutil.copytree(core.CACHE_DIR.parent / "core", tmp_path / "core", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "core"


@pytest.mark.parametrize("module", ["compute/stepper.py", "analyses/units.py"])
def test_the_code_version_changes_with_an_edit_to_the_computing_code(tmp_path, module):
    copy = _core_copy(tmp_path)
    packages = [copy / name for name in core.compute.cache.COMPUTING_PACKAGES]
    assert core.compute.cache.source_fingerprint(*packages) == core.computation_fingerprint()
    edited = copy / module
    edited.write_text(edited.read_text() + "\n")
    assert core.compute.cache.source_fingerprint(*packages) != core.computation_fingerprint()


@pytest.mark.parametrize("module", ["presentation/charts/units.py", "presentation/glossary.py"])
def test_the_code_version_ignores_charts_and_wording(tmp_path, module):
    copy = _core_copy(tmp_path)
    edited = copy / module
    edited.write_text(edited.read_text().replace("#e15759", "#ff0000") + "\n# a new sentence\n")
    packages = [copy / name for name in core.compute.cache.COMPUTING_PACKAGES]
    assert core.compute.cache.source_fingerprint(*packages) == core.computation_fingerprint()


def test_a_moved_module_changes_the_code_version(tmp_path):
    copy = _core_copy(tmp_path)
    (copy / "compute" / "stepper.py").rename(copy / "analyses" / "stepper.py")
    packages = [copy / name for name in core.compute.cache.COMPUTING_PACKAGES]
    assert core.compute.cache.source_fingerprint(*packages) != core.computation_fingerprint()


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


@pytest.mark.parametrize("damage", [
    lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    lambda p: p.write_bytes(b""),
    lambda p: p.write_bytes(os.urandom(4096)),
])
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


def test_an_exclusive_atomic_write_keeps_the_file_that_is_there(tmp_path):
    path = tmp_path / "file"
    core.compute.atomic.atomic_write_bytes(path, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        core.compute.atomic.atomic_write_bytes(path, b"second", exclusive=True)
    assert path.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # no temporary file left behind


def test_read_only_folder_turns_the_cache_off_with_one_warning(tmp_path, caplog):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the cache folder should be")
    cache = core.DiskCache(blocker / "cache")
    compute, calls = counting(1)
    with caplog.at_level(logging.WARNING, logger="core.compute.cache"):
        assert cache.get_or_compute("demo", "k", compute) == 1
        assert cache.get_or_compute("demo", "k", compute) == 1
    assert len(calls) == 2 and not cache.enabled
    assert len([r for r in caplog.records if "disk cache" in r.message]) == 1


def test_entries_are_bounded(tmp_path):
    cache = core.DiskCache(tmp_path, max_entries=3)
    for i in range(6):
        cache.get_or_compute("demo", i, lambda: i)
    assert len(list((tmp_path / "demo").glob("*.joblib"))) == 3


def test_namespace_cannot_be_a_path(tmp_cache):
    with pytest.raises(ValueError, match="namespace must be an identifier"):
        tmp_cache.path_for("../outside", "k")
