"""The Dataset page through AppTest: the training split by link; the lengths of the recordings, as bars on an axis
of every length with an exact caption, or in a sentence when they are all the same."""

import numpy as np
import pytest
from app_helpers import open_app, screen_text, table_with
from numpy.testing import assert_array_equal

from core.presentation import charts


def test_training_split_is_reachable():
    at = open_app({"split": "Training set", "obs": "270"}, "pages/dataset.py")
    assert "Training recording 270" in " ".join(h.value for h in at.subheader)


LENGTH_COLUMNS = ("first", "last", "lengths", "split", "recordings", "low", "high", "left", "right")


def test_the_lengths_are_drawn_with_every_length_in_its_place_and_an_exact_caption(dataset):
    at = open_app(page="pages/dataset.py")
    bars = table_with(at, *LENGTH_COLUMNS)
    counts = np.bincount(np.concatenate([dataset.train.lengths, dataset.test.lengths]))  # recordings by length
    assert_array_equal(bars.groupby("first")["recordings"].sum(), counts[counts > 0])
    caption = charts.length_caption(dataset.train.lengths, dataset.test.lengths)
    assert caption.startswith("Each bar counts the recordings of exactly that many time steps, from 7 to 29")
    assert caption in [c.value for c in at.caption] and "about that many" not in screen_text(at)


def test_recordings_of_one_length_are_said_to_be_so_in_a_sentence_instead_of_a_chart():
    at = open_app({"data": "BasicMotions"}, "pages/dataset.py")
    assert "Every recording has the same length, 100 time steps: all 80 recordings (40 training, 40 test)." in [
        m.value for m in at.markdown
    ]
    assert len(at.get("vega_lite_chart")) == 2  # the recordings per activity and the chosen recording
    with pytest.raises(AssertionError, match="no chart has a table"):
        table_with(at, *LENGTH_COLUMNS)
