"""The domains of link parameters (ui.state): reading link text, fitting a kept value into range, writing it back."""

import pytest

from ui import state


def test_whole_numbers_in_a_range():
    steps = state.int_in(1, 29)
    assert steps.parse("7") == 7 and steps.parse(" +7 ") == 7
    for bad in ("0", "30", "abc", "1.5", ""):
        with pytest.raises(ValueError):
            steps.parse(bad)
    assert [steps.fit(v, 1) for v in (-3, 12, 40)] == [1, 12, 29]  # a kept step of a longer recording
    assert steps.write(12) == "12"


def test_ranges():
    units = state.range_in(1, 100)
    assert units.parse("5-25") == (5, 25) and units.parse("3-3") == (3, 3)
    for bad in ("25-5", "0-10", "1-101", "5", "a-b", "1-2-3"):
        with pytest.raises(ValueError):
            units.parse(bad)
    assert state.range_in(1, 10).fit((21, 40), (1, 10)) == (10, 10)  # a smaller network
    assert units.write((5, 25)) == "5-25"


def test_one_of_a_set_of_options():
    cells = state.one_of({"all": "All mistakes", "2-8": "Speaker 2 taken for speaker 8"})
    assert cells.parse("2-8") == "2-8"
    with pytest.raises(ValueError):
        cells.parse("3-9")
    assert cells.fit("3-9", "all") == "all" and cells.fit("2-8", "all") == "2-8"  # another network's mistakes
    assert cells.write("2-8") == "2-8"


def test_lists_of_whole_numbers():
    units = state.list_in(1, 100)
    assert units.parse("42,3,17,3") == [3, 17, 42] and units.parse("") == [] and units.parse(" 5 , ") == [5]
    for bad in ("0", "3,101", "3;4", "x"):
        with pytest.raises(ValueError):
            units.parse(bad)
    assert state.list_in(1, 10).fit([3, 64, 93], []) == [3]
    assert units.write([3, 17, 42]) == "3,17,42" and units.write([]) == ""  # no units: still in the link


def test_text():
    search = state.text_up_to(5)
    assert search.parse("memory") == "memor"
    assert search.write("  gate ") == "gate" and search.write("   ") is None  # empty: left out of the link
    assert search.fit("gate", "") == "gate"
