"""Shared fixtures: the shipped data and model are loaded once per test session; empty disk caches."""

import pytest
import torch

import core

# One thread, as every app session runs (ui/loaders.py), whichever test comes first: float32 sums differ in the last
# bit between thread counts, and the cache tests compare a cached result with a fresh one bit for bit.
torch.set_num_threads(1)


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


@pytest.fixture(scope="session")
def bm_info():
    """BasicMotions's words: class word "activity", classes standing to badminton, channels accelerometer x to
    gyroscope z."""
    return core.compute.datasets.dataset_info("basicmotions")


@pytest.fixture(scope="session")
def toy_info():
    """A made-up data set's words: 2 classes of "animal", 3 channels."""
    return core.compute.data.DatasetInfo(
        key="toy",
        title="Toy",
        class_word="animal",
        class_names=("cat", "dog"),
        channel_names=("left", "right", "up"),
        source="made up for the tests",
        licence="none",
    )


@pytest.fixture()
def tmp_cache(tmp_path):
    return core.DiskCache(tmp_path / "cache")


@pytest.fixture()
def fresh_cache(monkeypatch, tmp_path):
    """An empty disk cache, so that the lab really trains (the app uses core.compute.cache.default_cache())."""
    cache = core.DiskCache(tmp_path / "cache")
    monkeypatch.setattr(core.compute.cache, "_default", cache)
    return cache
