"""Model lab: settings validation, the disk cache of variants, and what a variant can do."""

import hmac
import io
import os
from dataclasses import asdict, replace

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from bad_calls import assert_bad_call_named, bad_call_cases
from hostile_input import Payload
from numpy.testing import assert_allclose

import core
from core.analyses import lab
from core.analyses.lab import LAB_NAMESPACE, LabSettings, train_variant, variant_key, variant_label
from core.compute.training import TrainConfig

QUICK = LabSettings(hidden_size=10, epochs=2, seed=3)


def cache_entries(cache):
    return list((cache.root / LAB_NAMESPACE).glob("*.joblib"))


@pytest.mark.parametrize(
    "field, value, match",
    [
        ("hidden_size", 9, "hidden_size must be an integer from 10 to 200, got 9"),
        ("hidden_size", 201, "hidden_size must be an integer from 10 to 200, got 201"),
        ("epochs", -1, "epochs must be an integer from 0 to 3000, got -1"),
        ("epochs", 3001, "epochs must be an integer from 0 to 3000, got 3001"),
        ("seed", 10_001, "seed must be an integer from 0 to 10000, got 10001"),
        ("seed", -1, "seed must be an integer from 0 to 10000, got -1"),
        ("epochs", 2.5, "epochs must be an integer from 0 to 3000, got 2.5"),
        ("hidden_size", True, "hidden_size must be an integer from 10 to 200, got True"),
        ("num_layers", 0, "num_layers must be an integer from 1 to 3, got 0"),
        ("num_layers", 4, "num_layers must be an integer from 1 to 3, got 4"),
    ],
)
def test_settings_validation(field, value, match):
    with pytest.raises(ValueError, match=match):
        LabSettings(**{field: value})


def test_settings_become_the_default_recipe_with_four_changes():
    assert asdict(LabSettings().to_train_config()) == asdict(TrainConfig())  # the lab opens on the recipe itself
    settings = LabSettings(hidden_size=np.int64(20), epochs=30, seed=1)
    assert type(settings.hidden_size) is int
    expected = asdict(TrainConfig())
    expected.update(hidden_size=20, epochs=30, seed=1)
    assert asdict(settings.to_train_config()) == expected
    assert settings.num_layers == 1 and expected["num_layers"] == 1
    expected.update(num_layers=2)
    assert asdict(LabSettings(hidden_size=20, epochs=30, seed=1, num_layers=np.int64(2)).to_train_config()) == expected


def test_every_data_set_trains_with_the_default_recipe(dataset, bm_dataset):
    assert QUICK.to_train_config() == QUICK.to_train_config(dataset)
    motions = QUICK.to_train_config(bm_dataset)
    assert motions == replace(QUICK.to_train_config(), dataset="basicmotions")
    assert (motions.max_steps, motions.validation_share, motions.sort_by_length) == (60, 0.2, False)


def test_an_upload_is_trained_each_time_and_never_written_to_disk(tmp_cache, bm_dataset):
    # BasicMotions's numbers under another key: an upload of 40 training recordings
    mine = core.Dataset(bm_dataset.train, bm_dataset.test, replace(bm_dataset.info, key="upload-0123456789"))
    assert QUICK.to_train_config(mine).dataset == "upload-0123456789"
    reports = []
    result = train_variant(QUICK, callback=reports.append, cache=tmp_cache, dataset=mine)
    tries = [(c, e, False) for c in ("plain", "regularised") for e in (1, 2)]
    assert [(r.candidate, r.epoch, r.final) for r in reports] == [
        *tries,
        (result.summary["kept"], 1, True),
        (result.summary["kept"], 2, True),
    ]
    assert not result.from_cache and not cache_entries(tmp_cache)
    again = train_variant(QUICK, cache=tmp_cache, dataset=mine)  # trained again, the same network
    assert not again.from_cache and not cache_entries(tmp_cache)
    assert core.model_fingerprint(again.model) == core.model_fingerprint(result.model)
    assert result.model.config.n_classes == 4 and result.model.config.n_features == 6
    assert result.summary["plan"]["validation"] == 8 and result.model.config.step_block == 2  # 100 steps, 60 at most


def test_key_and_label():
    assert (variant_key(LabSettings()), variant_label(LabSettings())) == ("lab-h100-s0", "Lab: 100 units, seed 0")
    assert variant_key(LabSettings(hidden_size=20, epochs=30, seed=1)) == "lab-h20-e30-s1"
    assert variant_label(LabSettings(hidden_size=20, epochs=30, seed=1)) == "Lab: 20 units, 30 epochs, seed 1"
    assert variant_label(LabSettings(hidden_size=10, epochs=1, seed=0)) == "Lab: 10 units, 1 epoch, seed 0"
    stacked = LabSettings(hidden_size=20, epochs=30, seed=1, num_layers=2)
    assert variant_key(stacked) == "lab-h20-e30-s1-l2"
    assert variant_label(stacked) == "Lab: 2 layers of 20 units, 30 epochs, seed 1"


@pytest.fixture()
def two_torch_threads():
    """Torch at 2 threads, unlike the recipe's 1, so that using and restoring the count are both visible."""
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)


def test_miss_trains_with_its_thread_count_then_hit_loads(tmp_cache, dataset, two_torch_threads):
    assert TrainConfig.threads == 1
    threads_seen = []
    trained = train_variant(
        QUICK, callback=lambda r: threads_seen.append((r.epoch, torch.get_num_threads())), cache=tmp_cache
    )
    assert not trained.from_cache
    assert threads_seen == [(1, 1), (2, 1)] * 3  # two candidates, then the final training
    assert torch.get_num_threads() == 2
    assert len(cache_entries(tmp_cache)) == 1

    calls = []
    loaded = train_variant(QUICK, callback=calls.append, cache=tmp_cache)
    assert loaded.from_cache and calls == []
    assert loaded.settings == QUICK
    assert pd.DataFrame(loaded.history).equals(pd.DataFrame(trained.history))  # the final training's: nan held out
    assert core.model_fingerprint(loaded.model) == core.model_fingerprint(trained.model)
    assert not loaded.model.training and not any(p.requires_grad for p in loaded.model.parameters())
    sequences = dataset.test.sequences[:20]
    assert_allclose(core.run_batch(loaded.model, sequences).probs, core.run_batch(trained.model, sequences).probs)
    assert loaded.test_accuracy == trained.test_accuracy and loaded.summary == trained.summary


def test_other_settings_are_another_entry(tmp_cache):
    train_variant(QUICK, cache=tmp_cache)
    other = train_variant(LabSettings(hidden_size=10, epochs=2, seed=4), cache=tmp_cache)
    assert not other.from_cache
    assert len(cache_entries(tmp_cache)) == 2


def test_a_stacked_variant_is_another_entry_and_has_its_layers(tmp_cache, dataset):
    one = train_variant(QUICK, cache=tmp_cache)
    two = train_variant(LabSettings(hidden_size=10, epochs=2, seed=3, num_layers=2), cache=tmp_cache)
    assert not two.from_cache and one.model.config.num_layers == 1 and two.model.config.num_layers == 2
    assert len(cache_entries(tmp_cache)) == 2
    loaded = train_variant(LabSettings(hidden_size=10, epochs=2, seed=3, num_layers=2), cache=tmp_cache)
    assert loaded.from_cache and loaded.model.config.num_layers == 2
    sequences = dataset.test.sequences[:5]
    assert_allclose(core.run_batch(loaded.model, sequences).probs, core.run_batch(two.model, sequences).probs)


def test_damaged_entry_is_retrained(tmp_cache):
    train_variant(QUICK, cache=tmp_cache)
    (entry,) = cache_entries(tmp_cache)
    entry.write_bytes(entry.read_bytes()[:100])
    assert not train_variant(QUICK, cache=tmp_cache).from_cache


def test_settings_are_checked(tmp_cache):
    with pytest.raises(TypeError, match="settings must be LabSettings"):
        train_variant({"hidden_size": 10}, cache=tmp_cache)


# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
BAD_CALLS = [
    ("lab.LabSettings/None", lambda a: lab.LabSettings(hidden_size=None), ValueError, "hidden_size must be"),
    ("lab.LabSettings/text", lambda a: lab.LabSettings(hidden_size="20"), ValueError, "hidden_size must be"),
    ("lab.LabSettings/NaN", lambda a: lab.LabSettings(epochs=np.nan), ValueError, "epochs must be"),
    ("lab.LabSettings/float", lambda a: lab.LabSettings(epochs=20.0), ValueError, "epochs must be"),
    ("lab.LabSettings/huge", lambda a: lab.LabSettings(hidden_size=10**100), ValueError, "hidden_size must be"),
    ("lab.LabSettings/negative seed", lambda a: lab.LabSettings(seed=-5), ValueError, "seed must be"),
    ("lab.train_variant/dict", lambda a: lab.train_variant({"hidden_size": 20}), TypeError, "settings must be"),
    ("lab.variant_label/None", lambda a: lab.variant_label(None), TypeError, "settings must be a LabSettings"),
    ("lab.variant_key/None", lambda a: lab.variant_key(None), TypeError, "settings"),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(name, call, error, match):
    assert_bad_call_named({}, name, call, error, match)


def test_a_planted_payload_in_the_lab_cache_is_never_run(tmp_cache, tmp_path, monkeypatch):
    settings = core.analyses.lab.LabSettings(hidden_size=10, epochs=1, seed=5)
    keys = []
    real_load = tmp_cache.load
    monkeypatch.setattr(
        tmp_cache, "load", lambda namespace, key, code: keys.append((namespace, key)) or real_load(namespace, key, code)
    )
    first = core.analyses.lab.train_variant(settings, cache=tmp_cache)
    ((namespace, key),) = keys
    entry = tmp_cache.path_for(namespace, key, core.train_model)
    assert namespace == core.analyses.lab.LAB_NAMESPACE and entry.exists()
    signature = entry.read_bytes()[:32]
    marker = tmp_path / "payload_ran"
    payload = io.BytesIO()
    joblib.dump(Payload(marker), payload)
    payload = payload.getvalue()
    torch_file = io.BytesIO()
    torch.save({"state_dict": Payload(marker)}, torch_file)
    forgeries = {
        "unsigned joblib file": payload,
        "signed with another secret": hmac.new(os.urandom(32), payload, "sha256").digest() + payload,
        "a real entry's signature": signature + payload,
        "a torch file": torch_file.getvalue(),
    }
    for name, blob in forgeries.items():
        entry.write_bytes(blob)
        assert real_load(namespace, key, core.train_model) == (False, None), name
        assert not marker.exists() and not entry.exists(), f"{name}: refused and deleted, never unpickled"
    entry.write_bytes(signature + payload)
    again = core.analyses.lab.train_variant(settings, cache=tmp_cache)  # and the lab trains it again
    assert not again.from_cache and not marker.exists()
    assert core.model_fingerprint(again.model) == core.model_fingerprint(first.model)
