"""The Dataset page through AppTest."""

from app_helpers import open_app


def test_training_split_is_reachable():
    at = open_app({"split": "Training set", "obs": "270"}, "pages/dataset.py")
    assert "Training recording 270" in " ".join(h.value for h in at.subheader)
