"""“Your own sequence” through AppTest: good and bad uploads, pasting, and every page showing an upload."""

import numpy as np
import pytest
from app_helpers import open_app, table_with

import core
from core.compute import upload
from core.presentation.numbers import percent
from ui import navigation, state

PAGE = "pages/upload.py"


def csv_of(x: np.ndarray) -> bytes:
    return upload.template_csv(x).encode()


def send_file(at, content: bytes, name: str = "mine.csv"):
    return at.file_uploader(key="up_file").set_value((name, content, "text/csv")).run()


def test_page_without_a_sequence_explains_itself():
    at = open_app(page=PAGE)
    assert at.title[0].value == "Your own sequence"
    assert len(at.get("vega_lite_chart")) == 0
    assert "No sequence yet" in at.info[0].value
    assert at.get("download_button")[0].proto.label == "Download the example CSV"
    assert state.stores.own_sequence("japanese_vowels", at.session_state) is None


def test_a_good_file_is_stored_read_only_and_answered(model, dataset):
    x = dataset.test.sequences[4]  # (12, T)
    at = send_file(open_app(page=PAGE), csv_of(x))
    assert not at.exception and not at.error
    stored = state.stores.own_sequence("japanese_vowels", at.session_state)
    assert stored.dtype == np.float64 and stored.shape == x.shape and not stored.flags.writeable
    np.testing.assert_array_equal(stored, upload.parse_sequence_csv(csv_of(x)))
    assert len(at.get("vega_lite_chart")) == 2
    trace = core.run_sequence(model, x)
    facts = core.presentation.summary.summary_facts(trace)
    shown = [str(x.shape[1]), f"speaker {facts.predicted}", percent(facts.confidence)]
    assert [m.value for m in at.metric] == shown
    np.testing.assert_allclose(
        table_with(at, "speaker", "probability", "true speaker")["probability"], trace.probs[-1], atol=1e-6
    )
    features = table_with(at, "step", "channel", "value")
    np.testing.assert_allclose(
        features["value"].to_numpy(), core.presentation.frames.features_long(x)["value"], atol=1e-12
    )


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"1,2,3\n4,5,6\n", "row 1 has 3 columns; expected 12"),
        (b"", "the input is empty"),
        (b"\x00\x01\x02", "not a text file"),
        (b"\xff\xfe1,2", "not UTF-8"),
        (("f," * 11 + "f\n").encode(), "there are no data rows"),
        (("1," * 11 + "abc\n").encode() * 3, "row 1, column 12: 'abc' is not a number"),
        (("1," * 11 + "nan\n").encode() * 3, "NaN or infinite"),
        (("1," * 11 + "1\n\n" + "1," * 11 + "1\n").encode(), "row 2 is blank"),
        (("1," * 11 + "1\n").encode() * 2001, "too many rows: 2,001 time steps"),
        (("1," * 11 + "1\n").encode(), "too few rows: 1 time step"),
        (("1e38," * 11 + "1e38\n").encode() * 3, "'1e38' is too large"),
    ],
)
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_a_bad_file_is_reported_and_nothing_is_stored(content, problem):
    at = send_file(open_app(page=PAGE), content, "bad.csv")
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert message.startswith("The file “bad.csv” could not be") and problem in message
    assert "Nothing was stored" in message
    assert state.stores.own_sequence("japanese_vowels", at.session_state) is None
    assert len(at.get("vega_lite_chart")) == 0


def test_a_bad_file_keeps_the_earlier_good_one(dataset):
    x = dataset.test.sequences[0]
    at = send_file(open_app(page=PAGE), csv_of(x))
    send_file(at, b"1,2\n", "bad.csv")
    assert "row 1 has 2 columns" in at.error[0].value
    np.testing.assert_array_equal(state.stores.own_sequence("japanese_vowels", at.session_state), x)


def test_pasting_the_example_and_a_typo(dataset):
    at = open_app(page=PAGE)
    at.button(key="up_example").click().run()
    example = upload.template_csv(dataset.test.sequences[0], channel_names=dataset.info.channel_names)
    assert at.text_area(key="up_text").value == example
    at.button(key="up_paste").click().run()
    np.testing.assert_array_equal(
        state.stores.own_sequence("japanese_vowels", at.session_state), dataset.test.sequences[0]
    )
    at.text_area(key="up_text").input("1,2,3").run()
    at.button(key="up_paste").click().run()
    assert "The pasted text could not be read: row 1 has 3 columns" in at.error[0].value
    np.testing.assert_array_equal(
        state.stores.own_sequence("japanese_vowels", at.session_state), dataset.test.sequences[0]
    )


def test_explore_then_forget(dataset):
    at = send_file(open_app(page=PAGE), csv_of(dataset.test.sequences[0]))
    at.button(key="up_explore").click().run()
    assert at.session_state["split"] == "upload"
    assert at.sidebar.radio(key="split").value == "upload"
    assert at.query_params["split"] == "My own sequence"
    assert "Every page now shows your sequence" in at.success[0].value
    at.button(key="up_forget").click().run()
    assert not at.exception
    assert state.stores.own_sequence("japanese_vowels", at.session_state) is None
    assert at.session_state["split"] == "test" and at.sidebar.radio(key="split").options == ["Test set", "Training set"]


def test_every_page_works_with_an_uploaded_sequence(model, dataset):
    """A sequence longer than any recording (three test recordings in a row), chosen in the sidebar, on every page."""
    x = np.concatenate([dataset.test.sequences[0], dataset.test.sequences[1], dataset.test.sequences[2]], axis=1)
    at = send_file(open_app(page=PAGE), csv_of(x))
    at.button(key="up_explore").click().run()
    broken = {}
    for page in navigation.PAGES:
        at.switch_page(page.file).run()
        if at.exception:
            broken[page.file] = at.exception[0].value
        elif at.query_params.get("split") != "My own sequence":
            broken[page.file] = f"the link says split={at.query_params.get('split')}"
    assert not broken, broken
    at.switch_page("pages/activations.py").run()
    heat = table_with(at, "unit", "step", "value")
    expected = core.run_sequence(model, x).hidden[:, :10]
    np.testing.assert_allclose(heat.pivot(index="step", columns="unit", values="value").to_numpy(), expected, atol=1e-5)


@pytest.mark.parametrize(("query", "rows"), [({}, "7 to 29 rows"), ({"data": "BasicMotions"}, "100 rows")])
def test_the_intro_gives_the_data_set_s_recording_lengths(query, rows):
    at = open_app(query, page=PAGE)
    intro = at.markdown[0].value
    assert f"The recordings in the data set have {rows}." in intro
    assert "{" not in intro and "}" not in intro
