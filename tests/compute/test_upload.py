"""CSV uploads: what is read, and one test per way a file can be wrong."""

import io
import os
import pickle
import sys

import joblib
import numpy as np
import pytest
import torch
from bad_calls import assert_bad_call_named, bad_call_cases
from hostile_input import HOSTILE_PATH, Payload
from numpy.testing import assert_allclose

from core.compute import upload
from core.compute.upload import MAX_STEPS, MAX_UPLOAD_BYTES, UploadError, parse_sequence_csv, template_csv

HEADER = ",".join(f"feature_{i}" for i in range(1, 13))
EXPECTED = np.arange(36, dtype=float).reshape(3, 12).T / 10  # (12, T=3)


def csv_text(values=EXPECTED, separator=",", header=True):
    rows = [separator.join(f"{v:g}" for v in step) for step in values.T]
    return "\n".join(([HEADER.replace(",", separator)] if header else []) + rows) + "\n"


def test_header_and_no_header_read_the_same_values():
    assert_allclose(parse_sequence_csv(csv_text().encode()), EXPECTED)
    assert_allclose(parse_sequence_csv(csv_text(header=False).encode()), EXPECTED)


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolons_and_tabs(separator):
    assert_allclose(parse_sequence_csv(csv_text(separator=separator)), EXPECTED)


def test_pasted_text_with_windows_line_ends_spaces_a_bom_and_trailing_blank_lines():
    text = csv_text().replace("\n", "\r\n").replace(",", ", ") + "\r\n  \r\n\n"
    assert_allclose(parse_sequence_csv(text), EXPECTED)
    assert_allclose(parse_sequence_csv(b"\xef\xbb\xbf" + csv_text().encode()), EXPECTED)


def test_round_trip_of_the_template_is_exact(dataset):
    assert_allclose(parse_sequence_csv(template_csv()), dataset.test.sequences[0], rtol=0, atol=0)
    awkward = np.random.default_rng(0).normal(size=(12, 7)) * np.logspace(-300, 2, 7)  # tiny to near the bound
    awkward[0, 0] = -0.0
    text = template_csv(awkward)
    assert text.splitlines()[0] == HEADER
    assert_allclose(parse_sequence_csv(text.encode()), awkward, rtol=0, atol=0)


def test_template_rejects_what_cannot_be_read_back():
    with pytest.raises(ValueError, match=f"a recording may have at most {MAX_STEPS:,}"):
        template_csv(np.zeros((12, MAX_STEPS + 1)))
    with pytest.raises(ValueError, match=r"shape \(12, T\)"):
        template_csv(np.zeros((11, 3)))


def test_wrong_column_count_names_the_row():
    lines = csv_text().splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0]  # row 3 (the second data row) loses a column
    with pytest.raises(UploadError, match=r"row 3 has 11 columns; expected 12 \(one column per channel, one row"):
        parse_sequence_csv("\n".join(lines))


def test_the_data_sets_channels_are_named_in_the_column_error(bm_info, toy_info):
    with pytest.raises(
        UploadError,
        match=r"row 1 has 3 columns; expected 6 \(one column per channel of BasicMotions \(accelerometer x, "
        r"accelerometer y, accelerometer z, gyroscope x, gyroscope y, gyroscope z\), one row per time step\)",
    ):
        parse_sequence_csv("1,2,3\n4,5,6\n", info=bm_info)
    assert parse_sequence_csv("left,right,up\n1,2,3\n4,5,6\n", info=toy_info).tolist() == [[1, 4], [2, 5], [3, 6]]
    with pytest.raises(ValueError, match="n_channels is 12 but Toy has 3 channels"):
        parse_sequence_csv("1,2,3\n4,5,6\n", 12, info=toy_info)


def test_non_numeric_cell_names_row_and_column():
    lines = csv_text().splitlines()
    cells = lines[1].split(",")
    cells[4] = "abc"
    lines[1] = ",".join(cells)
    with pytest.raises(UploadError, match=r"row 2, column 5: 'abc' is not a number"):
        parse_sequence_csv("\n".join(lines))


def test_a_first_row_with_some_numbers_is_data_so_its_typo_is_reported():
    lines = csv_text(header=False).splitlines()
    lines[0] = "x" + lines[0][1:]
    with pytest.raises(UploadError, match=r"row 1, column 1: 'x' is not a number"):
        parse_sequence_csv("\n".join(lines))


@pytest.mark.parametrize("bad", ["nan", "NaN", "inf", "-Infinity", "1e999"])
def test_nan_and_infinite_values(bad):
    lines = csv_text().splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + "," + bad
    with pytest.raises(UploadError, match=rf"row 4, column 12: '{bad}' is NaN or infinite"):
        parse_sequence_csv("\n".join(lines))


@pytest.mark.parametrize("odd", ["1_0", "0x10", "\u0661"])  # float() would accept the first and the Arabic-Indic one
def test_only_plain_decimal_numbers_are_numbers(odd):
    lines = csv_text(header=False).splitlines()
    lines[1] = odd + lines[1][lines[1].index(",") :]
    with pytest.raises(UploadError, match="row 2, column 1: .* is not a number"):
        parse_sequence_csv("\n".join(lines))


@pytest.mark.parametrize("data", [b"", "", "\n \n\n"])
def test_no_rows(data):
    with pytest.raises(UploadError, match="the input is empty"):
        parse_sequence_csv(data)


def test_only_a_header():
    with pytest.raises(UploadError, match="no data rows"):
        parse_sequence_csv(HEADER + "\n")


def test_blank_line_inside_the_data():
    lines = csv_text().splitlines()
    lines.insert(2, "")
    with pytest.raises(UploadError, match="row 3 is blank"):
        parse_sequence_csv("\n".join(lines))


def test_too_many_rows():
    row = ",".join(["1.5"] * 12) + "\n"
    assert parse_sequence_csv(row * MAX_STEPS).shape == (12, MAX_STEPS)
    with pytest.raises(UploadError, match=f"too many rows: {MAX_STEPS + 1:,} time steps; the limit is {MAX_STEPS:,}"):
        parse_sequence_csv(HEADER + "\n" + row * (MAX_STEPS + 1))


def test_too_large_is_refused_before_decoding():
    huge = b"\xff" * (50 * 1024 * 1024)  # 50 MB that would not even decode
    with pytest.raises(UploadError, match="too large: 52,428,800 bytes"):
        parse_sequence_csv(huge)
    with pytest.raises(UploadError, match="too large"):
        parse_sequence_csv("1" * (MAX_UPLOAD_BYTES + 1))


def test_random_binary_bytes_are_not_a_text_file():
    with pytest.raises(UploadError, match="not a text file"):
        parse_sequence_csv(np.random.default_rng(0).bytes(4096))
    with pytest.raises(UploadError, match="not a text file"):
        parse_sequence_csv(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_not_utf8():
    latin1 = csv_text().replace("feature_1,", "caf\u00e9,").encode("latin-1")
    with pytest.raises(UploadError, match=r"not UTF-8 text \(byte 4 is 0xe9\)"):
        parse_sequence_csv(latin1)


def test_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="data must be bytes or str"):
        parse_sequence_csv(EXPECTED)


def test_too_few_rows_and_too_large_values_are_refused():
    with pytest.raises(
        UploadError, match="too few rows: 1 time step; at least 2 are needed to follow the network over time$"
    ):
        parse_sequence_csv("1," * 11 + "1\n")
    with pytest.raises(UploadError, match=r"at least 2 are needed .* \(the data set's recordings have 54 to 100\)$"):
        parse_sequence_csv("1,2,3,4,5,6\n", 6, lengths=(54, 100))
    with pytest.raises(UploadError, match=r"row 2, column 3: '1e38' is too large; values must lie between -1,000 and"):
        parse_sequence_csv(("1," * 12)[:-1] + "\n" + "1,1,1e38" + ",1" * 9 + "\n")


def test_the_value_bound_is_the_data_set_s_own():
    """A data set recorded in large units (aeon's UnitTest holds counts above 1,000) passes its own bound: values
    up to it are read, one beyond is refused with the bound in words."""
    text = "a\n1500\n-2500\n"
    with pytest.raises(
        UploadError, match="row 2, column 1: '1500' is too large; values must lie between -1,000 and 1,000"
    ):
        parse_sequence_csv(text, 1)
    assert_allclose(parse_sequence_csv(text, 1, limit=25_000.0), [[1500.0, -2500.0]])
    with pytest.raises(UploadError, match="'30000' is too large; values must lie between -25,000 and 25,000$"):
        parse_sequence_csv("30000\n1\n", 1, limit=25_000.0)


ROW = ",".join(["0.5"] * 12) + "\n"


def _binary_files():
    checkpoint = io.BytesIO()
    torch.save({"format": 1}, checkpoint)
    joblib_file = io.BytesIO()
    joblib.dump({"a": np.arange(3)}, joblib_file)
    return {
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "xlsx (zip)": b"PK\x03\x04\x14\x00\x06\x00" + os.urandom(512),
        "gzip": b"\x1f\x8b\x08\x00" + os.urandom(512),
        "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "elf": b"\x7fELF\x02\x01\x01\x00" + bytes(64),
        "utf-16 csv": ("\ufeff" + ROW * 3).encode("utf-16-le"),
        "pickle": pickle.dumps({"a": 1}, protocol=5),
        "torch checkpoint": checkpoint.getvalue(),
        "joblib file": joblib_file.getvalue(),
        "random": np.random.default_rng(1).bytes(100_000),
        "latin-1 csv": ("é;" * 11 + "é\n").encode("latin-1"),
    }


@pytest.mark.parametrize("kind", list(_binary_files()))
def test_a_binary_file_renamed_csv_is_refused_as_not_text(kind):
    with pytest.raises(UploadError, match="not a text file|not UTF-8 text|not text"):
        parse_sequence_csv(_binary_files()[kind])


@pytest.mark.parametrize(
    "data, match",
    [
        (ROW.encode() * (50 * 1024 * 1024 // len(ROW)), r"too large: 52,\d{3},\d{3} bytes; the limit is 5,000,000"),
        (ROW * (MAX_UPLOAD_BYTES // len(ROW) + 1), "too large"),
        (b"\x00" * (50 * 1024 * 1024), "too large"),
        ("=cmd|' /C calc'!A0" + ",1" * 11, r"row 1, column 1: .* is not a number"),
        ("@SUM(1+1)" + ",1" * 11, r"row 1, column 1: .* is not a number"),
        ("0x1p3" + ",1" * 11, "is not a number"),
        ("1,2,3\n" * 3, "row 1 has 3 columns; expected 12"),
        (ROW + ",,,,,,,,,,,\n", "row 2 is blank"),
        (ROW + "1,,,,,,,,,,,\n", r"row 2, column 2: '' is not a number"),
        (",,,,,,,,,,,\n", "no data rows"),
        (ROW + "1;2;3;4;5;6;7;8;9;10;11;12\n", "row 2 has 1 column; expected 12"),
    ],
)
def test_oversized_and_malformed_uploads_name_the_problem(data, match):
    with pytest.raises(UploadError, match=match):
        parse_sequence_csv(data)


def test_uploads_are_read_as_text_only(tmp_path):
    """Nothing in an upload is unpickled, evaluated or opened as a path; a protocol-0 pickle is plain ASCII text."""
    marker = tmp_path / "ran"
    events = []

    def hook(event, args):
        if recording and event in ("pickle.find_class", "exec", "compile", "open", "marshal.loads", "import"):
            events.append(event)

    recording = False
    sys.addaudithook(hook)
    csv_path = tmp_path / "real.csv"
    csv_path.write_text(ROW * 5)
    inputs = [
        pickle.dumps(Payload(marker), protocol=0),
        pickle.dumps(Payload(marker), protocol=5),
        str(csv_path),
        str(csv_path).encode(),
        "file://" + str(csv_path),
        HOSTILE_PATH,
        "__import__('os').system('touch ran')" + ",1" * 11,
        *_binary_files().values(),
    ]
    for record in (False, True):  # the first pass imports what the parser imports lazily
        recording = record
        try:
            for data in inputs:
                with pytest.raises(UploadError):
                    parse_sequence_csv(data)
            assert parse_sequence_csv(ROW * 5).shape == (12, 5)
        finally:
            recording = False
    assert events == [] and not marker.exists()


@pytest.fixture(scope="module")
def api(dataset):
    """What the bad calls below need: a real sequence (an array, not text)."""
    return dict(x=dataset.test.sequences[0])


# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
BAD_CALLS = [
    ("upload.parse_sequence_csv/None", lambda a: upload.parse_sequence_csv(None), TypeError, "data must be"),
    ("upload.parse_sequence_csv/array", lambda a: upload.parse_sequence_csv(a["x"]), TypeError, "data must be"),
    (
        "upload.parse_sequence_csv/NaN",
        lambda a: upload.parse_sequence_csv(",".join(["nan"] * 12)),
        UploadError,
        "NaN or infinite",
    ),
    ("upload.parse_sequence_csv/empty", lambda a: upload.parse_sequence_csv(b""), UploadError, "empty"),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match, documented=(ValueError, TypeError, UploadError))


def test_a_basicmotions_sequence_round_trips_through_a_six_column_csv(bm_dataset):
    info = bm_dataset.info
    x = bm_dataset.test.sequences[0]  # (6, T)
    text = template_csv(x, channel_names=info.channel_names)
    lines = text.splitlines()
    assert lines[0] == ",".join(info.channel_names)
    assert len(lines) == 1 + x.shape[1] and all(len(line.split(",")) == 6 for line in lines)
    assert_allclose(parse_sequence_csv(text.encode(), n_channels=info.n_channels), x, rtol=0, atol=0)
    with pytest.raises(UploadError, match="row 1 has 6 columns; expected 12"):
        parse_sequence_csv(text)
    with pytest.raises(UploadError, match="row 1 has 12 columns; expected 6"):
        parse_sequence_csv(template_csv(), n_channels=6)
    with pytest.raises(UploadError, match="expected one row per time step with 6 values"):
        parse_sequence_csv("", n_channels=6)


def test_channel_names_with_a_separator_are_quoted_and_read_back():
    x = np.array([[1.0, 2.0, 3.0], [-0.5, 0.25, 4.0]])  # (2, T=3)
    text = template_csv(x, channel_names=["x, left", 'y "up"'])
    assert text.splitlines()[0] == '"x, left","y ""up"""'
    assert_allclose(parse_sequence_csv(text, n_channels=2), x)


def test_template_and_parse_check_their_channel_arguments():
    with pytest.raises(ValueError, match="x is needed for 6 channels: the default example has 12"):
        template_csv(channel_names=[f"c{i}" for i in range(6)])
    with pytest.raises(ValueError, match=r"x must have shape \(2, T\)"):
        template_csv(np.zeros((3, 4)), channel_names=["a", "b"])
    with pytest.raises(ValueError, match="channel_names must be non-empty names that are not numbers"):
        template_csv(np.zeros((2, 4)), channel_names=["a", "2"])
    with pytest.raises(ValueError, match="n_channels must be a positive integer, got 0"):
        parse_sequence_csv("1\n2\n", n_channels=0)


def test_a_one_channel_data_set_is_asked_for_one_value_per_row():
    with pytest.raises(UploadError, match="^the input is empty: expected one row per time step with 1 value$"):
        parse_sequence_csv("", n_channels=1)
    with pytest.raises(UploadError, match="^row 2 is blank; remove it or fill in its 1 value$"):
        parse_sequence_csv("0.5\n\n0.7\n", n_channels=1)
    with pytest.raises(UploadError, match="^row 1 has 2 columns; expected 1 "):
        parse_sequence_csv("0.5,1\n0.7,1\n", n_channels=1)
    assert_allclose(parse_sequence_csv("0.5\n0.7\n", n_channels=1), [[0.5, 0.7]])
