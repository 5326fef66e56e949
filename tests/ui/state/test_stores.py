"""ui.state.stores: a session's own data set, own sequences and lab networks, kept in that session's state only.

Each test gives the module a session state of its own (a dict in place of ``st.session_state``); that two sessions
of one server never see each other's is ``tests/test_isolation.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import small_dataset_zip

import core
from core.compute.dataset_upload import read_uploaded_dataset
from ui.state import stores


@pytest.fixture()
def session(monkeypatch) -> dict:
    """This test's session state."""
    state = {}
    monkeypatch.setattr(stores.st, "session_state", state)
    return state


@pytest.fixture(scope="module")
def uploads() -> tuple[core.Dataset, core.Dataset]:
    """Two uploaded data sets (other seeds, other keys)."""
    return tuple(read_uploaded_dataset([("small.zip", small_dataset_zip(seed))]) for seed in (0, 1))


def network(label: str) -> stores.LabNetwork:
    return stores.LabNetwork(label, result=None)  # the store keeps the result as it is


def test_nothing_of_ones_own_before_anything_is_kept(session):
    assert stores.own_dataset() is None and stores.own_sequence("japanese_vowels") is None
    assert stores.lab_networks("japanese_vowels") == {}


def test_a_sequence_is_kept_read_only_for_its_data_set(session):
    x = np.arange(24, dtype=np.float64).reshape(12, 2)
    stores.keep_sequence("japanese_vowels", x)
    kept = stores.own_sequence("japanese_vowels")
    assert kept is x and not kept.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        kept[0, 0] = 1.0
    assert stores.own_sequence("basicmotions") is None
    stores.drop_sequence("japanese_vowels")
    stores.drop_sequence("japanese_vowels")  # nothing left: no error
    assert stores.own_sequence("japanese_vowels") is None


def test_lab_networks_are_kept_per_data_set_and_handed_out_as_copies(session):
    stores.keep_lab_network("japanese_vowels", "lab-a", network("A"))
    stores.keep_lab_network("japanese_vowels", "lab-b", network("B"))
    stores.keep_lab_network("basicmotions", "lab-c", network("C"))
    mine = stores.lab_networks("japanese_vowels")
    assert [(key, lab.label) for key, lab in mine.items()] == [("lab-a", "A"), ("lab-b", "B")], "in training order"
    mine.clear()
    assert list(stores.lab_networks("japanese_vowels")) == ["lab-a", "lab-b"]
    assert list(stores.lab_networks("basicmotions")) == ["lab-c"]


def test_a_new_data_set_replaces_the_old_one_with_its_networks_and_sequence(session, uploads):
    first, second = uploads
    assert first.key != second.key and not first.shipped
    stores.keep_dataset(first)
    stores.keep_lab_network(first.key, "lab-a", network("A"))
    stores.keep_sequence(first.key, np.zeros((3, 9)))
    stores.keep_lab_network("japanese_vowels", "lab-jv", network("JV"))
    stores.keep_sequence("japanese_vowels", np.zeros((12, 9)))
    stores.keep_dataset(second)
    assert stores.own_dataset() is second
    assert stores.lab_networks(first.key) == {} and stores.own_sequence(first.key) is None
    assert list(stores.lab_networks("japanese_vowels")) == ["lab-jv"], "a shipped data set's networks stay"
    assert stores.own_sequence("japanese_vowels") is not None
    stores.drop_dataset()
    assert stores.own_dataset() is None and list(stores.lab_networks("japanese_vowels")) == ["lab-jv"]
    stores.drop_dataset()  # nothing left: no error


def test_another_sessions_state_is_read_when_given(session, uploads):
    other = {}
    stores.keep_dataset(uploads[0])
    assert stores.own_dataset(other) is None and stores.own_dataset(session) is uploads[0]
    assert stores.lab_networks("japanese_vowels", other) == {} and stores.own_sequence("japanese_vowels", other) is None
