"""“Your own data set” through AppTest: a good upload is read, checked and chosen; every bad one is named and
nothing is kept; a new upload replaces the old one with its networks; forgetting goes back to the default."""

import io
import zipfile

import pytest
from app_helpers import ROOT, SMALL_CHANNELS, SMALL_CLASSES, open_app, small_dataset_zip, upload_small_dataset

from core.compute.dataset_upload import MAX_DATASET_BYTES, read_uploaded_dataset
from ui import state

PAGE = "pages/upload_data.py"


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def send(at, *files: tuple[str, bytes]):
    """Drop ``files`` on the page's only uploader (its key changes after every upload)."""
    (uploader,) = at.file_uploader
    return uploader.set_value([(name, data, "application/octet-stream") for name, data in files]).run()


def uploader_files(at) -> list[str]:
    """The names of the files in the page's uploader."""
    (uploader,) = at.file_uploader
    return [file.name for file in uploader.value or []]


def ts_pair(header: str, train: str, test: str, stem: str = "T") -> list[tuple[str, bytes]]:
    return [(f"{stem}_TRAIN.ts", (header + train).encode()), (f"{stem}_TEST.ts", (header + test).encode())]


TS_HEADER = "@problemName Tiny\n@classLabel true up down\n@data\n"
GOOD_PAIR = ts_pair(TS_HEADER, "1,2,3,4:up\n5,6,7,8:down\n", "1,1,2,2:down\n4,3,2,1:up\n")  # 1 channel, 4 steps


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
        ([("one_TRAIN.ts", b"@data\n"), ("one.zip", b"")], "upload either two .ts files"),
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


def test_the_size_limit_is_stated_by_the_uploader_and_a_larger_upload_is_refused_in_words():
    at = open_app(page=PAGE)
    (uploader,) = at.file_uploader
    # the same limit as the uploader's own "20MB per file", and the reader's in all
    assert uploader.label == "Your files (.ts pair or .zip), at most 20 MB per file and in all"
    assert any(
        "A file larger than 20 MB is not read: it stays in the box with a red mark" in c.value for c in at.caption
    )
    said = " ".join(" ".join(m.value.split()) for m in at.markdown)
    assert "at most 20 MB per file and in all (a zip also once unpacked) and 5,000 recordings" in said
    half = b"0" * (MAX_DATASET_BYTES // 2 + 1)  # each file within the uploader's limit, the two together over it
    send(at, ("big_TRAIN.ts", half), ("big_TEST.ts", half))
    (error,) = at.error
    assert error.value.startswith(
        "“big_TRAIN.ts”, “big_TEST.ts” could not be used: the 2 files together are too large: 20,000,002 bytes "
        "(20.0 MB); the limit is 20 MB (20,000,000 bytes) in all. Nothing was stored"
    )


def test_a_file_of_numbers_to_predict_is_said_to_be_one_that_a_classifier_cannot_use():
    header = "@problemname Covid3Month\n@univariate true\n@targetlabel true\n@data\n"
    at = send(open_app(page=PAGE), *ts_pair(header, "0.0,5.0,12.0:0.0\n", "1,2,3:0.1\n", stem="Covid3Month"))
    (error,) = at.error
    assert error.value.startswith(
        "“Covid3Month_TRAIN.ts”, “Covid3Month_TEST.ts” could not be used: in both files, each recording comes with a "
        "number to predict, not a class"
    )
    assert "this app trains classifiers" in error.value and "@classLabel line" not in error.value


def test_a_cut_off_file_is_named_with_the_line_where_it_ends_early():
    at = send(open_app(page=PAGE), *ts_pair(TS_HEADER, "1,2,3,4:up\n5,6,7,8:down\n", "1,1,2,2:down\n4,3,2,1:u"))
    (error,) = at.error
    assert (
        "T_TEST.ts: line 5 ends early (its class label 'u' is the start of a longer one): the file seems cut off"
        in (error.value)
    )


def test_every_problem_of_a_zip_is_listed_up_to_ten_then_counted():
    files = {f"a/{k:02d}.csv": f"1,2\n3,x{k}\n" for k in range(12)} | {"b/1.csv": "1,2\n3,4\n"}
    at = send(open_app(page=PAGE), ("mine.zip", zipped(files)))
    (error,) = at.error
    items = [line for line in error.value.splitlines() if line.startswith("- ")]
    assert items == [f"- a/{k:02d}.csv: row 2, column 2: 'x{k}' is not a number" for k in range(10)] + [
        "- and 2 more problems"
    ]
    assert error.value.startswith("“mine.zip” could not be used. Nothing was stored; fix the files and try again.")


def test_the_uploader_starts_empty_after_each_upload_and_a_new_pair_is_read_alone():
    at = send(open_app(page=PAGE), *ts_pair(TS_HEADER, "1,2:up\n", "1,2:sideways\n", stem="Bad"))
    assert "Bad_TEST.ts: line 4: class 'sideways'" in at.error[0].value
    assert uploader_files(at) == [], "the refused files are not kept in the uploader"
    send(at, *GOOD_PAIR)
    assert not at.error, "the new pair is read alone, and the old message is gone"
    mine = state.stores.own_dataset(at.session_state)
    assert mine.info.title == "T" and uploader_files(at) == []
    assert "**Time steps per recording:** 4." in "\n".join(m.value for m in at.markdown), "one length, said once"
    assert [m.value for m in at.metric] == ["2", "1", "2", "2"]


def test_a_lone_ts_file_waits_for_its_partner_and_the_old_message_goes():
    at = send(open_app(page=PAGE), ("x.zip", b"not a zip"))
    assert at.error
    send(at, GOOD_PAIR[0])
    assert not at.error and uploader_files(at) == ["T_TRAIN.ts"]
    assert any(
        i.value.startswith("T_TRAIN.ts is here; now add its test file (T_TEST.ts) to the same box.") for i in at.info
    )
    send(at, *GOOD_PAIR)  # the second file is added to the first
    assert not at.error and state.stores.own_dataset(at.session_state).info.title == "T"
    assert uploader_files(at) == []


def test_removing_a_waiting_file_removes_its_message():
    at = send(open_app(page=PAGE), GOOD_PAIR[1])
    assert any("now add its training file (T_TRAIN.ts)" in i.value for i in at.info)
    (uploader,) = at.file_uploader
    uploader.set_value(None).run()
    assert not any("now add" in i.value for i in at.info) and not at.error


def test_a_shipped_pair_reads_as_an_upload():
    folder = ROOT / "data" / "basic_motions"
    at = send(open_app(page=PAGE), *[(p.name, p.read_bytes()) for p in sorted(folder.glob("*.ts"))])
    assert not at.error and state.stores.own_dataset(at.session_state).info.title == "BasicMotions"
    assert "**Time steps per recording:** 100." in "\n".join(m.value for m in at.markdown)
