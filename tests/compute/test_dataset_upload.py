"""Your own data set: .ts pairs and zips of CSV files read exactly, and every bad upload named."""

import io
import zipfile

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.compute import dataset_upload
from core.compute.dataset_upload import MAX_DATASET_BYTES, read_uploaded_dataset
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


def test_the_shipped_ts_files_read_back_as_the_shipped_data_set():
    folder = core.SHIPPED_CHECKPOINT.parents[1] / "data" / "basic_motions"
    files = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.ts"))]
    data = read_uploaded_dataset(files)
    shipped = core.load_dataset("basicmotions")
    assert core.dataset_fingerprint(data) == core.dataset_fingerprint(shipped)
    assert data.info.class_names == ("Standing", "Running", "Walking", "Badminton")
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
        (good_ts(body_test="1,1:2,2:sideways\n"), r"T_TEST.ts: line 4: class 'sideways' is not one of"),
        (good_ts(body_test="1,1:2,2:3,3:down\n"), "different numbers of channels: 2 and 3"),
        (good_ts(body_train="1,2:3,4:up\n5,6:7,8:up\n"), "class 'down' has no training recording"),
        (
            good_ts(body_train="1,2:3,4:up\n5:7:down\n"),
            "training recording 2 has 1 time steps; a recording must have 2",
        ),
        ([("x.zip", b"PK not really")], "x.zip is not a zip file that can be read"),
        ([("x.zip", zipped({}))], "x.zip holds no files"),
        (
            [("x.zip", zipped({"a/1.csv": "1,2\n3,4\n", "notes.txt": "hi"}))],
            r"may hold only CSV files \(one per recording\); notes.txt is not one",
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
            "different numbers of channels: 2 in a/1.csv, 3 in b/1.csv",
        ),
        ([("x.zip", zipped({"1.csv": "x,y\n1,2\n3,4\n"}))], "1.csv: no class: put the file in a folder"),
        ([("x.zip", zipped({"1.csv": "x,label\n1,a\n3,b\n"}))], "the 'label' column must hold one class on every row"),
        ([("x.zip", zipped({"a/1.csv": "1,2\n", "b/1.csv": "1,2\n3,4\n"}))], "a/1.csv: 1 time steps; a recording must"),
        (
            [("x.zip", zipped({"a/1.csv": "1,2\n3,oops\n", "b/1.csv": "1,2\n3,4\n"}))],
            "a/1.csv: row 2, column 2: 'oops' is not a number",
        ),
        ([("x.zip", zipped({"a/1.csv": "1,2\n3,nan\n", "b/1.csv": "1,2\n3,4\n"}))], "a/1.csv: row 2, column 2: .*NaN"),
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
    with pytest.raises(UploadError, match=f"too large: {MAX_DATASET_BYTES + 1:,} bytes"):
        read_uploaded_dataset([("x.zip", b"0" * (MAX_DATASET_BYTES + 1))])
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
    model, history = train_model(TrainConfig(hidden_size=4, epochs=20, batch_size=4, threads=1), data)
    assert (model.config.n_features, model.config.n_classes) == (3, 2)
    batch = core.run_batch(model, data.test.sequences)
    assert batch.probs.shape[2] == 2
    assert history[-1]["test_accuracy"] == pytest.approx(core.accuracy(batch.final_predictions, data.test.labels))
    assert history[-1]["test_accuracy"] == 1.0, "two classes a whole unit apart are learnt"
