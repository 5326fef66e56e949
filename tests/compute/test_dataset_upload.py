"""Your own data set: .ts pairs and zips of CSV files read exactly, and every bad upload named."""

import io
import zipfile

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.compute import dataset_upload
from core.compute.dataset_upload import (
    MAX_DATASET_BYTES,
    MAX_DATASET_MB,
    MAX_LISTED,
    MAX_STEPS,
    missing_ts_partner,
    read_uploaded_dataset,
)
from core.compute.upload import UploadError

TS_HEADER = "@problemName Tiny\n@classLabel true up down\n@data\n"


def zipped(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def csv_recording(values, header="a,b,c", label=None) -> str:
    """A CSV of ``values`` (T, channels), with a label column last when ``label`` is given."""
    rows = [header + (",label" if label is not None else "")] if header else []
    rows += [",".join(str(v) for v in row) + (f",{label}" if label is not None else "") for row in values]
    return "\n".join(rows) + "\n"


def plain_ts_reader(text: str) -> tuple[list[np.ndarray], list[int], list[str]]:
    """A second reader of a well-formed .ts file, for the test: after ``@data``, each line is channels split by
    ':' (each comma-separated values) then the class; classes are numbered in ``@classLabel``'s order."""
    head, _, body = text.partition("\n@data\n")
    classes = next(line.split()[2:] for line in head.splitlines() if line.startswith("@classLabel"))
    sequences, labels = [], []
    for line in body.splitlines():
        if line.strip():
            *channels, label = line.split(":")
            sequences.append(np.array([[float(v) for v in channel.split(",")] for channel in channels]))
            labels.append(classes.index(label) + 1)
    return sequences, labels, classes


def test_the_shipped_ts_files_read_back_as_a_second_reader_reads_them():
    folder = core.SHIPPED_CHECKPOINT.parents[1] / "data" / "basic_motions"
    files = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.ts"))]
    data = read_uploaded_dataset(files)
    for split in ("train", "test"):
        sequences, labels, classes = plain_ts_reader((folder / f"BasicMotions_{split.upper()}.ts").read_text())
        assert len(sequences) == 40 and sequences[0].shape == (6, 100)
        assert data.split(split).labels.tolist() == labels
        for read, expected in zip(data.split(split).sequences, sequences, strict=True):
            assert_array_equal(read, expected)
    assert classes == ["Standing", "Running", "Walking", "Badminton"]
    assert data.info.class_names == ("Standing", "Running", "Walking", "Badminton")
    shipped = core.load_dataset("basicmotions")
    assert core.dataset_fingerprint(data) == core.dataset_fingerprint(shipped), "the same numbers as shipped"
    assert data.info.title == "BasicMotions" and data.info.key.startswith("upload-") and data.info.n_channels == 6


def test_a_zip_with_class_folders_and_split_folders_keeps_both():
    up, down = [[1, 2, 3], [4, 5, 6]], [[-1, -2, -3], [-4, -5, -6], [0, 0, 0]]
    data = read_uploaded_dataset(
        [
            (
                "motions.zip",
                zipped(
                    {
                        "motions/train/up/1.csv": csv_recording(up),
                        "motions/train/down/1.csv": csv_recording(down),
                        "motions/test/up/2.csv": csv_recording(down),
                        "motions/test/down/2.csv": csv_recording(up),
                        "__MACOSX/._junk": b"\x00\x01",
                        "motions/.DS_Store": b"\x00",
                    }
                ),
            )
        ]
    )
    assert data.info.class_names == ("down", "up") and data.info.channel_names == ("a", "b", "c")
    assert data.info.title == "motions" and data.info.class_word == "class"
    assert_array_equal(data.train.labels, [2, 1]) and len(data.test) == 2
    assert_allclose(data.train.sequences[0], np.array(up).T)
    assert data.train.sequences[1].shape == (3, 3)


def test_a_label_column_and_no_split_folders_hold_out_a_quarter_of_each_class():
    files = {
        f"rec{k}.csv": csv_recording(np.full((4, 2), k), header="x,y", label="odd" if k % 2 else "even")
        for k in range(16)
    }
    data = read_uploaded_dataset([("flat.zip", zipped(files))])
    assert data.info.class_names == ("even", "odd") and data.info.channel_names == ("x", "y")
    assert np.bincount(data.test.labels).tolist() == [0, 2, 2] and len(data.train) == 12
    again = read_uploaded_dataset([("flat.zip", zipped(files))])
    assert core.dataset_fingerprint(again) == core.dataset_fingerprint(data), "the held-out quarter is seeded"


def test_values_in_any_unit_are_read_in_both_formats():
    """Counts in the millions (no data-set bound below ±1e30): a zip of CSV files reads them as a .ts pair does."""
    counts = {f"{c}/{k}.csv": csv_recording([[2.5e6 * k, -1], [1e7, k]], header=None) for c in "ab" for k in range(3)}
    data = read_uploaded_dataset([("x.zip", zipped(counts))])
    assert max(np.abs(x).max() for x in data.train.sequences + data.test.sequences) == 1e7
    ts = read_uploaded_dataset(good_ts(body_test="1,-9.5e25:2,2:down\n"))
    assert ts.test.sequences[0][0, 1] == -9.5e25


def test_csv_files_without_a_header_get_numbered_channels():
    files = {f"{c}/{k}.csv": csv_recording([[k, 1], [2, k]], header=None) for c in ("a", "b") for k in range(3)}
    data = read_uploaded_dataset([("x.zip", zipped(files))])
    assert data.info.channel_names == ("channel 1", "channel 2")


def test_the_data_set_is_read_only_and_its_key_follows_the_contents():
    files = {f"{c}/{k}.csv": csv_recording([[k, 1, 2], [2, k, 0]]) for c in ("a", "b") for k in range(3)}
    data = read_uploaded_dataset([("x.zip", zipped(files))])
    with pytest.raises(ValueError, match="read-only"):
        data.train.sequences[0][0, 0] = 9
    changed = {**files, "a/0.csv": csv_recording([[5, 1, 2], [2, 5, 0]])}
    assert read_uploaded_dataset([("x.zip", zipped(changed))]).info.key != data.info.key


def good_ts(body_train="1,2:3,4:up\n5,6:7,8:down\n", body_test="1,1:2,2:down\n"):
    return [("T_TRAIN.ts", (TS_HEADER + body_train).encode()), ("T_TEST.ts", (TS_HEADER + body_test).encode())]


@pytest.mark.parametrize(
    "files, message",
    [
        ([], "upload either two .ts files"),
        ([("a.csv", b"1,2\n")], "upload either two .ts files .* got a.csv"),
        ([("a.ts", b""), ("b.ts", b"")], "name one .ts file …_TRAIN.ts and the other …_TEST.ts"),
        ([("x_TRAIN.ts", b"\x00bin"), ("x_TEST.ts", b"")], r"x_TRAIN.ts: this is not a text file"),
        (good_ts(body_test="1,?:2,2:down\n"), r"T_TEST.ts: line 4: a value is not a number"),
        (good_ts(body_test="1,nan:2,2:down\n"), r"T_TEST.ts: line 4: NaN or infinite"),
        (
            good_ts(body_test="1,2e30:2,2:down\n"),
            r"T_TEST.ts: line 4: a value lies beyond ±10³⁰, too large for the network's 32-bit arithmetic",
        ),
        (good_ts(body_test="1,1:2,2:sideways\n"), r"T_TEST.ts: line 4: class 'sideways' is not one of"),
        (good_ts(body_test="1,1:2,2:3,3:down\n"), "different numbers of channels: 2 in T_TRAIN.ts, 3 in T_TEST.ts"),
        (good_ts(body_train="1,2:3,4:up\n5,6:7,8:up\n"), "class 'down' has no training recording"),
        (
            good_ts(body_train="1,2:3,4:up\n5:7:down\n"),
            "T_TRAIN.ts: recording 2 has 1 time step; a recording must have 2 to 2,000$",
        ),
        ([("x.zip", b"PK not really")], "x.zip is not a zip file that can be read"),
        ([("x.zip", zipped({}))], "x.zip holds no files"),
        (
            [("x.zip", zipped({"a/1.csv": "1,2\n3,4\n", "notes.txt": "hi"}))],
            r"^notes.txt is not a CSV file; the zip may hold only CSV files \(one per recording\)$",
        ),
        (
            [
                (
                    "x.zip",
                    zipped(
                        {
                            "a/1.csv": "1,2\n3,4\n",
                            "b/1.csv": "1,2,3\n3,4,5\n",
                            "b/2.csv": "1,2,3\n3,4,5\n",
                            "a/2.csv": "1,2\n1,1\n",
                        }
                    ),
                )
            ],
            "^2 problems in x.zip: b/1.csv has 3 channels but a/1.csv has 2; every recording must have the same "
            "number of channels; b/2.csv has 3 channels but a/1.csv has 2",
        ),
        ([("x.zip", zipped({"1.csv": "x,y\n1,2\n3,4\n"}))], "1.csv: no class: put the file in a folder"),
        (
            [("x.zip", zipped({"1.csv": "x,label\n1,a\n3,b\n"}))],
            "the 'label' column must hold the same class on every row, got a, b$",
        ),
        ([("x.zip", zipped({"a/1.csv": "1,2\n", "b/1.csv": "1,2\n3,4\n"}))], "a/1.csv: 1 time step; a recording must"),
        (
            [("x.zip", zipped({"a/1.csv": "1,2\n3,oops\n", "b/1.csv": "1,2\n3,4\n"}))],
            "a/1.csv: row 2, column 2: 'oops' is not a number",
        ),
        ([("x.zip", zipped({"a/1.csv": "1,2\n3,nan\n", "b/1.csv": "1,2\n3,4\n"}))], "a/1.csv: row 2, column 2: .*NaN"),
        (
            [("x.zip", zipped({"a/1.csv": "1,2\n3,-2e30\n", "b/1.csv": "1,2\n3,4\n"}))],
            r"a/1.csv: row 2, column 2: '-2e30' is too large; values must lie between -10³⁰ and 10³⁰",
        ),
        (
            [("x.zip", zipped({"a/1.csv": "1,2\n3,4\n", "a/2.csv": "1,2\n3,4\n", "b/1.csv": "1,2\n3,4\n"}))],
            "class 'b' has only 1 recording; each class needs at least 2",
        ),
        ([("x.zip", zipped({"a/1.csv": "1,2\n3,4\n", "a/2.csv": "1,2\n3,4\n"}))], r"only one class \(a\)"),
        (
            [("x.zip", zipped({"train/a/1.csv": "1,2\n3,4\n", "a/2.csv": "1,2\n3,4\n"}))],
            "put every file in train/ or test/, or none of them",
        ),
    ],
)
def test_a_bad_upload_is_named(files, message):
    with pytest.raises(UploadError, match=message):
        read_uploaded_dataset(files)


def test_limits_on_size_count_and_length(monkeypatch):
    assert (MAX_DATASET_MB, MAX_DATASET_BYTES) == (20, 20_000_000), "the page, the uploader and the server say 20 MB"
    with pytest.raises(
        UploadError,
        match=r"^x.zip is too large: 20,000,001 bytes \(20.0 MB\); the limit is 20 MB \(20,000,000 bytes\) in all$",
    ):
        read_uploaded_dataset([("x.zip", b"0" * (MAX_DATASET_BYTES + 1))])
    half = b"0" * (MAX_DATASET_BYTES // 2 + 1)
    with pytest.raises(UploadError, match=r"^the 2 files together are too large: 20,000,002 bytes \(20.0 MB\)"):
        read_uploaded_dataset([("x_TRAIN.ts", half), ("x_TEST.ts", half)])
    long = csv_recording(np.zeros((2_001, 2)), header="p,q")
    with pytest.raises(UploadError, match="a/1.csv: 2,001 time steps; a recording must have 2 to 2,000"):
        read_uploaded_dataset([("x.zip", zipped({"a/1.csv": long}))])
    monkeypatch.setattr(dataset_upload, "MAX_RECORDINGS", 3)
    files = {f"{c}/{k}.csv": "1,2\n3,4\n" for c in ("a", "b") for k in range(2)}
    with pytest.raises(UploadError, match="x.zip holds 4 files; the limit is 3 recordings"):
        read_uploaded_dataset([("x.zip", zipped(files))])


def test_a_zip_that_unpacks_beyond_the_limit_is_stopped_while_reading(monkeypatch):
    monkeypatch.setattr(dataset_upload, "MAX_DATASET_BYTES", 10_000)
    bomb = "1,2\n" * 5_000  # 20,000 bytes that compress to a few hundred
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/1.csv", bomb)
    assert len(buffer.getvalue()) < 10_000
    with pytest.raises(UploadError, match="unpacks to more than 10,000 bytes"):
        read_uploaded_dataset([("x.zip", buffer.getvalue())])


def test_a_network_trains_on_an_uploaded_data_set_of_3_channels_and_2_classes():
    from core.compute.training import TrainConfig, train_model

    rng = np.random.default_rng(1)
    files = {
        f"{c}/{k}.csv": csv_recording(rng.normal(sign, 0.3, size=(int(rng.integers(5, 12)), 3)))
        for c, sign in (("low", -1.0), ("high", 1.0))
        for k in range(12)
    }
    data = read_uploaded_dataset([("mine.zip", zipped(files))])
    trained = train_model(TrainConfig(hidden_size=4, epochs=20, batch_size=4), data)
    model = trained.model
    assert (model.config.n_features, model.config.n_classes) == (3, 2)
    batch = core.run_batch(model, data.test.sequences)
    assert batch.probs.shape[2] == 2
    assert trained.test_accuracy == pytest.approx(core.accuracy(batch.final_predictions, data.test.labels, 2))
    assert trained.test_accuracy == 1.0, "two classes a whole unit apart are learnt"


def test_recordings_of_exactly_the_longest_length_are_accepted():
    assert MAX_STEPS == 2_000
    longest = csv_recording(np.arange(2 * MAX_STEPS).reshape(MAX_STEPS, 2) % 7, header="p,q")
    files = {f"{split}/{c}/1.csv": longest for split in ("train", "test") for c in ("a", "b")}
    data = read_uploaded_dataset([("x.zip", zipped(files))])
    assert data.train.lengths.tolist() == [2_000, 2_000] and data.test.lengths.tolist() == [2_000, 2_000]
    assert_allclose(data.test.sequences[0][:, :3], [[0, 2, 4], [1, 3, 5]])


def test_two_recordings_of_each_class_without_split_folders_hold_out_one_of_each():
    files = {f"{c}/{k}.csv": csv_recording([[k, 1, 2], [2, k, 0]]) for c in ("a", "b") for k in range(2)}
    data = read_uploaded_dataset([("x.zip", zipped(files))])
    assert sorted(data.test.labels.tolist()) == [1, 2] and sorted(data.train.labels.tolist()) == [1, 2]


def test_a_label_column_empty_on_every_row_is_refused():
    files = {f"{k}.csv": "x,label\n1,\n2,\n" for k in range(4)}
    with pytest.raises(
        UploadError, match=r"^4 problems in x.zip: 0.csv: row 2: the 'label' column is empty; every row"
    ):
        read_uploaded_dataset([("x.zip", zipped(files))])
    with pytest.raises(UploadError, match=r"^a.csv: row 3: the 'label' column is empty"):
        read_uploaded_dataset([("x.zip", zipped({"a.csv": "x,label\n1,up\n2,\n", "b.csv": "x,label\n1,up\n2,up\n"}))])


# The header of aeon's Covid3Month_TRAIN.ts and _TEST.ts: each recording's last value is a number to predict.
REGRESSION = "# Dataset Information\n@problemname Covid3Month\n@univariate true\n@targetlabel true\n@data\n"


def test_a_file_of_numbers_to_predict_is_said_to_be_one():
    pair = [
        ("Covid_TRAIN.ts", (REGRESSION + "0.0,5.0,12.0:0.0\n").encode()),
        ("Covid_TEST.ts", (REGRESSION + "1,2,3:0.1\n").encode()),
    ]
    with pytest.raises(
        UploadError,
        match=r"^in both files, each recording comes with a number to predict, not a class .*"
        "this app trains classifiers",
    ):
        read_uploaded_dataset(pair)
    with pytest.raises(UploadError, match=r"^T_TEST.ts: each recording comes with a number to predict"):
        read_uploaded_dataset([good_ts()[0], ("T_TEST.ts", (REGRESSION + "1,2:0.5\n").encode())])


def test_a_cut_off_ts_file_is_named_with_the_line_that_ends_early():
    folder = core.SHIPPED_CHECKPOINT.parents[1] / "data" / "basic_motions"
    train, test = (folder / "BasicMotions_TRAIN.ts").read_bytes(), (folder / "BasicMotions_TEST.ts").read_bytes()
    cut = test[: len(test) - 500]  # the last line loses its end, and with it its class label
    last_line = cut.count(b"\n") + 1
    with pytest.raises(
        UploadError, match=rf"^BasicMotions_TEST.ts: line {last_line} ends early \(.*\): the file seems cut off there"
    ):
        read_uploaded_dataset([("BasicMotions_TRAIN.ts", train), ("BasicMotions_TEST.ts", cut)])


def test_both_files_of_a_pair_are_named_with_their_problems():
    files = good_ts(body_train="1,2:3,x:up\n", body_test="1,2:3,4:sideways\n")
    with pytest.raises(UploadError) as error:
        read_uploaded_dataset(files)
    assert error.value.problems == (
        "T_TRAIN.ts: line 4: a value is not a number (could not convert string to float: 'x')",
        "T_TEST.ts: line 4: class 'sideways' is not one of @classLabel's up, down",
    )
    assert str(error.value).startswith("2 problems in the two files: T_TRAIN.ts: line 4")


def test_a_zip_names_every_problem_up_to_the_limit_then_counts_the_rest():
    good = csv_recording([[1, 2], [3, 4]], header="p,q")
    files = {"a/good.csv": good, "b/good.csv": good, "b/good2.csv": good, "a/good2.csv": good}
    files |= {f"a/bad{k:02d}.csv": f"p,q\n1,2\n3,v{k}\n" for k in range(MAX_LISTED + 3)}
    files["notes.txt"] = "not a recording"
    with pytest.raises(UploadError) as error:
        read_uploaded_dataset([("x.zip", zipped(files))])
    expected = [f"a/bad{k:02d}.csv: row 3, column 2: 'v{k}' is not a number" for k in range(MAX_LISTED)]
    assert list(error.value.problems) == [*expected, "and 4 more problems"]
    assert str(error.value) == "14 problems in x.zip: " + "; ".join([*expected, "and 4 more problems"])
    few = {"a/1.csv": good, "a/2.csv": "p,q\n1\n2\n", "b/1.csv": "p,q\n1,2\n", "b/2.csv": good}
    with pytest.raises(UploadError) as error:
        read_uploaded_dataset([("x.zip", zipped(few))])
    assert error.value.problems == (
        "a/2.csv: row 2 has 1 column; the first row has 2",
        "b/1.csv: 1 time step; a recording must have 2 to 2,000",
    )
    with pytest.raises(UploadError) as error:
        read_uploaded_dataset([("x.zip", zipped({"a/1.csv": good, "b/1.csv": good, "c/1.csv": good}))])
    assert [p.split(" has")[0] for p in error.value.problems] == ["class 'a'", "class 'b'", "class 'c'"]
    assert (
        error.value.problems[0]
        == "class 'a' has only 1 recording; each class needs at least 2 (one to train on, one to test)"
    )


def test_a_single_problem_is_the_message_itself():
    error = UploadError("row 2: 'x' is not a number")
    assert error.problems == ("row 2: 'x' is not a number",)


@pytest.mark.parametrize(
    "names, expected",
    [
        (
            ["Walking_TRAIN.ts"],
            "Walking_TRAIN.ts is here; now add its test file (Walking_TEST.ts) to the same box.",
        ),
        (
            ["walking_test.ts"],
            "walking_test.ts is here; now add its training file (walking_train.ts) to the same box.",
        ),
        (
            ["dir/Gun_Train.TS"],
            "Gun_Train.TS is here; now add its test file (Gun_Test.TS) to the same box.",
        ),
        (["a_TRAIN.ts", "a_TEST.ts"], None),
        (["a.ts"], None),
        (["a_TRAIN.zip"], None),
        ([], None),
    ],
)
def test_a_lone_ts_file_asks_for_its_partner(names, expected):
    red_mark = " If it is there with a red mark, it is larger than 20 MB and was not read."
    assert missing_ts_partner(names) == (expected and expected + red_mark)


def test_missing_ts_partner_takes_file_names_only():
    with pytest.raises(TypeError, match="names must be a sequence of file names, got 'a_TRAIN.ts'"):
        missing_ts_partner("a_TRAIN.ts")


def test_classes_named_by_bare_numbers_are_called_class_n_and_ordered_by_value():
    files = {
        f"train/{label}/{k}.csv": csv_recording(np.full((4, 2), k), header="x,y")
        for label in ("10", "2", "0")
        for k in (1, 2)
    }
    files |= {f"test/{label}/9.csv": csv_recording(np.zeros((4, 2)), header="x,y") for label in ("10", "2", "0")}
    data = read_uploaded_dataset([("numbers.zip", zipped(files))])
    assert data.info.class_names == ("class 0", "class 2", "class 10")
    assert_array_equal(np.bincount(data.train.labels), [0, 2, 2, 2])
    header = TS_HEADER.replace("@classLabel true up down", "@classLabel true 1 0.5 words")
    assert "@classLabel true 1 0.5 words" in header, "the test's header lists its classes"
    body = "1,2:3,4:1\n5,6:7,8:0.5\n1,2:3,4:words\n"
    mixed = read_uploaded_dataset([("T_TRAIN.ts", (header + body).encode()), ("T_TEST.ts", (header + body).encode())])
    assert mixed.info.class_names == ("class 1", "class 0.5", "words"), "a .ts file keeps its @classLabel order"
