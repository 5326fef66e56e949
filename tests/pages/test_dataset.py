"""The Dataset page through AppTest."""

import json

from app_helpers import open_app, screen_text


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
