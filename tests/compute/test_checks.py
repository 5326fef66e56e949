"""The argument checks every public function of core uses: what passes, and the message of what does not."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from core.analyses.lab import LabSettings
from core.analyses.projection import PCA
from core.analyses.units import Selectivity
from core.compute.checks import bound_text, check_int, check_layer, check_type, counted, is_int, real_array
from core.compute.model import LSTMClassifier
from core.compute.stepper import BatchTrace


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, True),
        (np.int64(3), True),
        (np.uint8(0), True),
        (True, False),
        (np.bool_(True), False),
        (3.0, False),
        ("3", False),
        (None, False),
    ],
)
def test_is_int_takes_python_and_numpy_integers_but_not_bools(value, expected):
    assert is_int(value) is expected


@pytest.mark.parametrize(
    "expected, article", [(LSTMClassifier, "an"), (BatchTrace, "a"), (PCA, "a"), (Selectivity, "a"), (LabSettings, "a")]
)
def test_check_type_names_the_argument_and_the_type_with_its_article(expected, article):
    """ "an LSTMClassifier" (read "el-es-tee-em"), "a PCA" (read "pee-see-ay"), "a BatchTrace"."""
    with pytest.raises(TypeError, match=rf"^thing must be {article} {expected.__name__}, got str$"):
        check_type("text", expected, "thing")


def test_check_type_passes_an_instance():
    assert check_type(LabSettings(), LabSettings, "settings") is None


def test_check_int_returns_a_plain_int_within_the_bounds():
    assert check_int(np.int32(9), "k", 1, 9) == 9 and type(check_int(np.int32(9), "k", 1, 9)) is int
    for bad in (0, 10, 2.0, True, "5"):
        with pytest.raises(ValueError, match=rf"^k must be an integer from 1 to 9, got {bad!r}$"):
            check_int(bad, "k", 1, 9)


def test_check_layer_returns_a_0_based_index_and_names_a_bad_layer():
    assert [check_layer(v, "layer", 3) for v in (0, 2, -1, -3, np.int64(1))] == [0, 2, 2, 0, 1]
    for bad in (3, -4, 1.0, True, None, "1"):
        with pytest.raises(ValueError, match=r"^layer must be from 0 to 2 \(or -1 for the top\), got"):
            check_layer(bad, "layer", 3)


def test_real_array_converts_numbers_and_names_what_is_not():
    assert_array_equal(real_array([[1, 2], [3, 4]], "v"), np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert real_array([1, 2], "v", dtype=np.float32).dtype == np.float32
    assert np.isnan(real_array([np.nan], "v", finite=False)[0])
    with pytest.raises(ValueError, match="^v contains NaN or infinite values$"):
        real_array([1.0, np.inf], "v")
    with pytest.raises(TypeError, match="^v must be a numeric array of real numbers, got None$"):
        real_array(None, "v")
    with pytest.raises(TypeError, match="got complex128 values"):
        real_array([1 + 2j], "v")
    with pytest.raises(TypeError, match="got ragged list"):
        real_array([[1, 2], [3]], "v")
    with pytest.raises(ValueError, match="^v must be a numeric array of real numbers, got <U1 values$"):
        real_array(["a"], "v", not_numbers=ValueError)


@pytest.mark.parametrize(
    "n, noun, plural, expected",
    [
        (1, "channel", None, "1 channel"),
        (0, "channel", None, "0 channels"),
        (2_000, "time step", None, "2,000 time steps"),
        (np.int64(1), "recording", None, "1 recording"),
        (1, "class", "classes", "1 class"),
        (3, "class", "classes", "3 classes"),
    ],
)
def test_counted_says_one_thing_in_the_singular_and_others_in_the_plural(n, noun, plural, expected):
    assert counted(n, noun, plural) == expected


def test_counted_takes_integers_only():
    with pytest.raises(TypeError, match="n must be an integer, got 1.0"):
        counted(1.0, "channel")


@pytest.mark.parametrize(
    "limit, text",
    [(1000.0, "1,000"), (16_000.0, "16,000"), (2.5e14, "250,000,000,000,000"), (1e30, "10³⁰"), (1.3e20, "1.3 × 10²⁰")],
)
def test_a_bound_reads_as_the_number_it_is(limit, text):
    assert bound_text(limit) == text
