"""Shared fixtures: the shipped data and model are loaded once per test session."""

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
