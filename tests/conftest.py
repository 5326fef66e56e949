"""Shared fixtures: the shipped data and model are loaded once per test session; empty disk caches."""

import pytest

import core


@pytest.fixture(scope="session")
def dataset():
    return core.load_dataset()


@pytest.fixture(scope="session")
def model():
    return core.load_model()


@pytest.fixture()
def tmp_cache(tmp_path):
    return core.DiskCache(tmp_path / "cache")


@pytest.fixture()
def fresh_cache(monkeypatch, tmp_path):
    """An empty disk cache, so that the lab really trains (the app uses core.compute.cache.default_cache())."""
    cache = core.DiskCache(tmp_path / "cache")
    monkeypatch.setattr(core.compute.cache, "_default", cache)
    return cache
