"""Shared fixtures: the shipped data and model are loaded once per test session; empty disk caches."""

import pytest

import core


@pytest.fixture(scope="session")
def dataset():
    return core.load_dataset()


@pytest.fixture(scope="session")
def model():
    return core.load_model()


@pytest.fixture(scope="session")
def bm_dataset():
    """The shipped BasicMotions data: 6 channels, 4 classes."""
    return core.load_dataset("basicmotions")


@pytest.fixture(scope="session")
def bm_model():
    """The shipped BasicMotions network."""
    return core.load_model(core.checkpoint_path("basicmotions"))


@pytest.fixture()
def tmp_cache(tmp_path):
    return core.DiskCache(tmp_path / "cache")


@pytest.fixture()
def fresh_cache(monkeypatch, tmp_path):
    """An empty disk cache, so that the lab really trains (the app uses core.compute.cache.default_cache())."""
    cache = core.DiskCache(tmp_path / "cache")
    monkeypatch.setattr(core.compute.cache, "_default", cache)
    return cache
