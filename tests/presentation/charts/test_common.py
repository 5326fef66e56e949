"""What every chart shares: the colour scale of each quantity."""

import numpy as np
import pytest

from core.presentation import charts


@pytest.mark.parametrize(
    "quantity, domain",
    [
        ("hidden", [-1, 1]),
        ("cell candidate", [-1, 1]),
        ("input", [0, 1]),
        ("forget", [0, 1]),
        ("output", [0, 1]),
    ],
)
def test_fixed_scales_fit_the_quantity(quantity, domain):
    assert charts.scale_for(quantity).domain == domain


def test_cell_scale_is_symmetric_and_fitted():
    assert charts.scale_for("cell", np.array([[-0.5, 2.5]])).domain == [-2.5, 2.5]
    with pytest.raises(ValueError, match="unknown quantity"):
        charts.scale_for("weights")


def test_class_colours_keep_the_nine_speakers_and_cycle_after_twenty():
    assert charts.class_colours(9) == charts.CLASS_COLOURS[:9]
    assert charts.class_colours(9)[0] == "#4e79a7" and charts.class_colours(9)[8] == "#9c755f"
    assert len(set(charts.CLASS_COLOURS)) == 20
    assert charts.class_colours(22)[20:] == charts.CLASS_COLOURS[:2]
    with pytest.raises(ValueError, match="positive number of classes, got 0"):
        charts.class_colours(0)


def test_class_labels_show_names_or_the_numbers_of_plain_names(bm_info):
    from core.compute.datasets import dataset_info
    from core.presentation.charts.common import class_labels_expr, class_name_expr

    assert class_labels_expr(bm_info) == '["standing", "running", "walking", "badminton"][datum.value - 1]'
    numbers = class_labels_expr(dataset_info("japanese_vowels"))  # "speaker 3" is labelled 3 under "Speaker"
    assert numbers == '["1", "2", "3", "4", "5", "6", "7", "8", "9"][datum.value - 1]'
    assert class_name_expr("true activity", bm_info).endswith('[datum["true activity"] - 1]')
