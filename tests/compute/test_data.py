import dataclasses

import numpy as np
import pytest
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_allclose

import core
from core.compute.data import parse_ts


def test_split_sizes_shapes_and_labels(dataset):
    assert len(dataset.train) == 270 and len(dataset.test) == 370
    for split in (dataset.train, dataset.test):
        assert all(s.shape[0] == 12 and s.dtype == np.float64 for s in split.sequences)
        assert split.labels.min() == 1 and split.labels.max() == 9
    lengths = np.concatenate([dataset.train.lengths, dataset.test.lengths])
    assert lengths.min() == 7 and lengths.max() == 29
    assert np.bincount(dataset.train.labels)[1:].tolist() == [30] * 9


def test_known_values_from_the_files(dataset):
    # First training utterance, first and second features, as written in JapaneseVowels_TRAIN.ts.
    first = dataset.train.sequences[0]
    assert first.shape == (12, 20)
    assert_allclose(first[0, :3], [1.860936, 1.891651, 1.939205])
    assert_allclose(first[1, 0], -0.207383)
    assert dataset.train.labels[0] == 1


def test_values_are_raw_not_padded(dataset):
    # No normalisation: the raw first coefficient averages well above zero (z-scores would average 0).
    stacked = np.concatenate(dataset.test.sequences, axis=1)
    assert stacked[0].mean() > 0.5
    assert stacked.shape[1] == dataset.test.lengths.sum()


def test_loaded_arrays_are_read_only(dataset):
    with pytest.raises(ValueError, match="read-only"):
        dataset.test.sequences[0][0, 0] = 5.0


def test_split_by_name(dataset):
    assert dataset.split("test") is dataset.test
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        dataset.split("validation")


HEADER = "# a comment\n@problemName tiny\n@classLabel true Walk Run\n@data\n"


def test_parse_ts_numbers_the_classes_in_the_order_the_header_lists_them():
    split, labels = parse_ts(HEADER + "1,2,3:4,5,6:Run\n7,8:9,10:Walk\n")
    assert labels == ("Walk", "Run")
    assert split.labels.tolist() == [2, 1]
    assert_allclose(split.sequences[0], [[1, 2, 3], [4, 5, 6]])
    assert split.sequences[1].shape == (2, 2)


@pytest.mark.parametrize(
    "text, message",
    [
        ("@problemName x\n", "no @data section"),
        ("@data\n1,2:3,4:1\n", "no @classLabel line"),
        ("@classLabel false\n@data\n1,2:3,4:1\n", "line 1: @classLabel must be 'true'"),
        (HEADER + "1,2:3,4:Walk\n1,2:Run\n", "line 6: expected 2 channels as on the lines before it, found 1"),
        (HEADER + "1:Walk\n1,2:3,4:Run\n1:Walk\n", "line 6: expected 1 channel as on the lines before it, found 2"),
        (HEADER + "1,2:3:Walk\n", "line 5: channels have different lengths"),
        (HEADER + "1,2,3\n4,5:Run\n", "line 5: no ':' between the values and the class label"),
        (HEADER + "1,2:3,4:Swim\n", "line 5: class 'Swim' is not one of @classLabel's Walk, Run"),
    ],
)
def test_parse_ts_rejects_bad_files(text, message):
    with pytest.raises(ValueError, match=message):
        parse_ts(text)


# The header of aeon's Covid3Month_TRAIN.ts (a regression problem: each recording's last value is a death rate).
REGRESSION_HEADER = (
    "# Dataset Information\n@problemname Covid3Month\n@timestamps false\n@missing false\n@univariate true\n"
    "@equallength true\n@targetlabel true\n@data\n"
)


@pytest.mark.parametrize(
    "text",
    [
        REGRESSION_HEADER + "0.0,0.0,5.0,12.0:0.0\n0.0,2.0,7.0,9.0:0.07758620689655173\n",
        REGRESSION_HEADER,
        "@classLabel false\n@targetLabel true\n@data\n1,2:0.5\n",
    ],
)
def test_parse_ts_says_a_file_of_numbers_to_predict_is_not_one_of_classes(text):
    with pytest.raises(ValueError, match=r"^each recording comes with a number to predict, not a class \(the header"):
        parse_ts(text)


WHOLE = "1,2,3:4,5,6:Walk\n7,8:9,10:Run\n"  # lines 5 and 6


@pytest.mark.parametrize(
    "cut, why",
    [
        (len(WHOLE) - len(",10:Run\n"), "1 channel of the 2 that the lines before it have, and no class label"),
        (len(WHOLE) - len("10:Run\n"), "1 channel of the 2 that the lines before it have, and no class label"),
        (len(WHOLE) - len("Run\n"), "its class label is missing"),
        (len(WHOLE) - len("n\n"), "its class label 'Ru' is the start of a longer one"),
        (len("1,2,3:4,5,6:Walk\n7,"), "it has values but no ':' and class label after them"),
    ],
)
def test_parse_ts_says_a_file_whose_last_line_is_cut_seems_cut_off(cut, why):
    text = HEADER + WHOLE[:cut]
    assert len(parse_ts(HEADER + WHOLE)[0]) == 2, "the whole file reads"
    with pytest.raises(ValueError, match=rf"^line 6 ends early \({why}\): the file seems cut off there"):
        parse_ts(text)
    with pytest.raises(ValueError, match=r"^line 5 ends early \(it ends in values with no class label after them\)"):
        parse_ts(HEADER + "1,2,3:4,5,")  # the first data line, cut: no line before it to compare with


def test_parse_ts_reads_a_last_line_with_a_label_that_starts_another_and_no_final_newline():
    split, labels = parse_ts("@classLabel true 1 10\n@data\n1,2:10\n3,4:1")
    assert labels == ("1", "10") and split.labels.tolist() == [2, 1]


@pytest.mark.parametrize(
    "bad, error, message",
    [
        (np.zeros((11, 5)), ValueError, r"shape \(12, T\)"),
        (np.zeros(12), ValueError, r"shape \(12, T\)"),
        (np.zeros((12, 0)), ValueError, "empty sequence"),
        (np.full((12, 3), np.nan), ValueError, "NaN or infinite"),
        (np.full((12, 3), np.inf), ValueError, "NaN or infinite"),
        ([["a"] * 3] * 12, TypeError, "numeric array"),
        (None, TypeError, "x must be a numeric array of real numbers, got None"),
        (np.ones((12, 3)) * 1j, TypeError, "got complex128 values"),
        ([[1.0, 2.0], [3.0]] * 6, TypeError, "got ragged list"),
    ],
)
def test_validate_sequence_names_the_problem(bad, error, message):
    with pytest.raises(error, match=message):
        core.validate_sequence(bad)


def test_fingerprints_change_with_the_data(dataset):
    changed_test = core.Split(dataset.test.sequences, dataset.test.labels[::-1])
    changed = core.Dataset(train=dataset.train, test=changed_test, info=dataset.info)
    assert core.dataset_fingerprint(dataset) == core.dataset_fingerprint(core.load_dataset())
    assert core.dataset_fingerprint(changed) != core.dataset_fingerprint(dataset)
    assert core.split_fingerprint(changed_test) != core.split_fingerprint(dataset.test)
    assert core.split_fingerprint(dataset.train) == core.split_fingerprint(core.load_dataset().train)


NAN = np.full((12, 5), np.nan)  # a (12, T) sequence of NaN


# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
BAD_CALLS = [
    ("validate_sequence/text", lambda a: core.validate_sequence("abc"), TypeError, "numeric array"),
    (
        "validate_sequence/objects",
        lambda a: core.validate_sequence(np.array([[object()] * 3] * 12)),
        TypeError,
        "numeric array",
    ),
    ("validate_sequence/NaN", lambda a: core.validate_sequence(NAN), ValueError, "NaN or infinite"),
    ("validate_sequence/empty", lambda a: core.validate_sequence(np.zeros((12, 0))), ValueError, "empty"),
    ("validate_sequence/complex", lambda a: core.validate_sequence(np.ones((12, 3)) * 1j), TypeError, "numeric"),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(name, call, error, match):
    assert_bad_call_named({}, name, call, error, match)


@pytest.mark.parametrize(
    "word, plural, with_article",
    [
        ("speaker", "speakers", "a speaker"),
        ("activity", "activities", "an activity"),
        ("class", "classes", "a class"),
        ("day", "days", "a day"),
        ("Animal", "Animals", "an Animal"),
    ],
)
def test_the_class_word_in_more_than_one_and_with_its_article(toy_info, word, plural, with_article):
    info = dataclasses.replace(toy_info, class_word=word)
    assert (info.class_word_plural, info.a_class_word) == (plural, with_article)


def test_class_counts_by_hand():
    from numpy.testing import assert_array_equal

    assert_array_equal(core.class_counts([2, 2, 3, 2], 4), [0, 3, 1, 0])
    with pytest.raises(ValueError, match="labels must be classes from 1 to 2, got 1 to 3"):
        core.class_counts([1, 3], 2)
