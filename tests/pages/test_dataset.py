"""The Dataset page through AppTest: the training split by link; the lengths of the recordings, as bars on an axis
of every length with an exact caption, or in a sentence when they are all the same."""

import json

import numpy as np
import pytest
from app_helpers import open_app, screen_text, table_with
from numpy.testing import assert_array_equal

from core.presentation import charts


def chart_titles(at) -> list[str]:
    titles = []
    for element in at.get("vega_lite_chart"):
        title = json.loads(element.proto.spec).get("title")
        titles.append(title.get("text") if isinstance(title, dict) else title)
    return titles


def test_training_split_is_reachable():
    at = open_app({"split": "Training set", "obs": "270"}, "pages/dataset.py")
    assert "Training recording 270 (speaker 9)" in chart_titles(at)


def test_the_recording_s_name_is_said_once():
    at = open_app(page="pages/dataset.py")
    assert "Test recording 1 (speaker 1)" in chart_titles(at)
    assert "Test recording 1 (speaker 1)" not in [h.value for h in at.subheader]


def test_the_recordings_per_class_name_their_noun():
    at = open_app(page="pages/dataset.py")
    assert (
        "The training set has 30 recordings of each speaker; the test set has between 24 and 88 recordings of each "
        "speaker." in screen_text(at)
    )
    at = open_app({"data": "BasicMotions"}, "pages/dataset.py")
    assert (
        "The training set has 10 recordings of each activity; the test set has 10 recordings of each activity."
        in screen_text(at)
    )


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
