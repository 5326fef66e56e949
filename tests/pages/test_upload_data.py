"""“Your own data set” through AppTest: a good upload is read, checked and chosen; every bad one is named and
nothing is kept; a new upload replaces the old one with its networks; forgetting goes back to the default."""

import io
import zipfile

import pytest
from app_helpers import SMALL_CHANNELS, SMALL_CLASSES, open_app, small_dataset_zip, upload_small_dataset

from core.compute.dataset_upload import read_uploaded_dataset
from ui import state

PAGE = "pages/upload_data.py"


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def send(at, *files: tuple[str, bytes]):
    return (
        at.file_uploader(key="upd_files")
        .set_value([(name, data, "application/octet-stream") for name, data in files])
        .run()
    )


def test_the_page_explains_itself_before_an_upload():
    at = open_app(page=PAGE)
    assert at.title[0].value == "Your own data set"
    assert "No data set of yours yet" in at.info[0].value and state.stores.own_dataset(at.session_state) is None
    assert at.sidebar.radio(key="data").options == ["Japanese Vowels", "BasicMotions"]


def test_a_good_upload_is_read_checked_and_chosen_on_every_page():
    at = upload_small_dataset(open_app(), train=False)
    mine = state.stores.own_dataset(at.session_state)
    expected = read_uploaded_dataset([("small.zip", small_dataset_zip())])
    assert mine.info == expected.info and mine.info.channel_names == SMALL_CHANNELS
    assert set(mine.info.class_names) == set(SMALL_CLASSES)
    assert [m.value for m in at.metric] == ["2", "3", "32", "12"]
    assert at.session_state["data"] == mine.info.key
    assert at.sidebar.radio(key="data").options == ["Japanese Vowels", "BasicMotions", "small (yours)"]
    assert any("train a network on it" in s.value for s in at.success)
    for array in (*mine.train.sequences, mine.train.labels):
        assert not array.flags.writeable


@pytest.mark.parametrize(
    "files, problem",
    [
        ([("one_TRAIN.ts", b"@data\n")], "upload either two .ts files"),
        ([("mine.zip", b"not a zip")], "mine.zip"),
        ([("mine.zip", zipped({"up/a.csv": "1,2\n3,4\n"}))], "class"),
        ([("mine.zip", zipped({"up/a.csv": "1,2\n3,abc\n", "down/b.csv": "1,2\n3,4\n"}))], "'abc' is not a number"),
        ([("mine.zip", zipped({"up/a.csv": "1,2\n3,4\n", "down/b.csv": "1,2,3\n3,4,5\n"}))], "channels"),
    ],
)
def test_a_bad_upload_is_named_and_nothing_is_kept(files, problem):
    at = send(open_app(page=PAGE), *files)
    assert not at.exception
    (error,) = at.error
    assert problem in error.value and "Nothing was stored" in error.value
    assert state.stores.own_dataset(at.session_state) is None and at.session_state["data"] == "japanese_vowels"


def test_a_bad_upload_keeps_the_good_one_before_it():
    at = upload_small_dataset(open_app(), train=False)
    key = at.session_state["data"]
    send(at, ("mine.zip", b"not a zip"))
    assert at.error and state.stores.own_dataset(at.session_state).info.key == key


def test_a_new_upload_replaces_the_old_one_and_its_networks(fresh_cache):
    at = upload_small_dataset(open_app())
    old = at.session_state["data"]
    assert state.stores.lab_networks(old, at.session_state)
    at.switch_page(PAGE).run()
    send(at, ("other.zip", small_dataset_zip(seed=1)))
    new = at.session_state["data"]
    assert new != old and state.stores.own_dataset(at.session_state).info.key == new
    assert not state.stores.lab_networks(old, at.session_state) and not state.stores.lab_networks(new, at.session_state)
    assert old not in state.sidebar.dataset_options(at.session_state)
    assert at.sidebar.radio(key="data").value == new and "net" not in [w.key for w in at.sidebar.selectbox]
    assert any("No network has been trained on" in c.value for c in at.sidebar.caption)


def test_forgetting_the_data_set_goes_back_to_the_default():
    at = upload_small_dataset(open_app(), train=False)
    at.button(key="upd_forget").click().run()
    assert state.stores.own_dataset(at.session_state) is None and at.session_state["data"] == "japanese_vowels"
    assert "No data set of yours yet" in at.info[0].value
