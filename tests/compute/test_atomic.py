"""Atomic writes: a file is either written whole or not at all, and no temporary file is left behind."""

import pytest

import core


def test_an_exclusive_atomic_write_keeps_the_file_that_is_there(tmp_path):
    path = tmp_path / "file"
    core.compute.atomic.atomic_write_bytes(path, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        core.compute.atomic.atomic_write_bytes(path, b"second", exclusive=True)
    assert path.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # no temporary file left behind


def test_a_write_replaces_the_file_with_the_mode_asked_for(tmp_path):
    path = tmp_path / "sub" / "file"
    core.compute.atomic.atomic_write_bytes(path, b"first")
    core.compute.atomic.atomic_write_bytes(path, b"second", mode=0o600)
    assert path.read_bytes() == b"second" and path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["file"]


def test_a_write_that_fails_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "file"
    core.compute.atomic.atomic_write_bytes(path, b"old")

    def fail(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(core.compute.atomic.os, "fsync", fail)
    with pytest.raises(OSError, match="No space left"):
        core.compute.atomic.atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
