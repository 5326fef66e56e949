"""CSV uploads: what is read, and one test per way a file can be wrong."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.compute.upload import MAX_ROWS, MAX_UPLOAD_BYTES, UploadError, parse_sequence_csv, template_csv

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
    with pytest.raises(ValueError, match=f"limited to {MAX_ROWS}"):
        template_csv(np.zeros((12, MAX_ROWS + 1)))
    with pytest.raises(ValueError, match=r"shape \(12, T\)"):
        template_csv(np.zeros((11, 3)))


def test_wrong_column_count_names_the_row():
    lines = csv_text().splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0]  # row 3 (the second data row) loses a column
    with pytest.raises(UploadError, match="row 3 has 11 columns; expected 12"):
        parse_sequence_csv("\n".join(lines))


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
    lines[1] = odd + lines[1][lines[1].index(","):]
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
    assert parse_sequence_csv(row * MAX_ROWS).shape == (12, MAX_ROWS)
    with pytest.raises(UploadError, match=f"too many rows: {MAX_ROWS + 1} time steps; the limit is {MAX_ROWS}"):
        parse_sequence_csv(HEADER + "\n" + row * (MAX_ROWS + 1))


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
    with pytest.raises(UploadError, match="too few rows: 1 time step; at least 2"):
        parse_sequence_csv("1," * 11 + "1\n")
    with pytest.raises(UploadError, match=r"row 2, column 3: '1e38' is too large"):
        parse_sequence_csv(("1," * 12)[:-1] + "\n" + "1,1,1e38" + ",1" * 9 + "\n")
