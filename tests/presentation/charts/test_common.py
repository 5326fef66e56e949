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
