""" "Your own sequence": read a CSV upload or pasted values as text, never as a file path or a pickle.

One row per time step, one column per channel (12 for Japanese Vowels, in the data set's order), an
optional header row, separated by commas (or semicolons or tabs). Every problem
is reported as an :class:`UploadError` that says what is wrong and where, with
1-based row and column numbers as a spreadsheet or text editor shows them (the
header, if any, is row 1).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

import numpy as np

from .checks import bound_text, counted
from .data import N_FEATURES, DatasetInfo, validate_sequence
from .datasets import load_dataset

__all__ = [
    "UploadError",
    "MAX_UPLOAD_MB",
    "MAX_UPLOAD_BYTES",
    "MIN_STEPS",
    "MAX_STEPS",
    "MAX_ABS_VALUE",
    "parse_sequence_csv",
    "template_csv",
    "decode_text",
    "split_row",
    "is_number",
    "cell_value",
]

MAX_UPLOAD_MB = 5  # a CSV upload, in the file uploader's megabytes (its per-widget limit, max_upload_size): room
# for the longest recording an uploaded data set may hold (MAX_STEPS rows of 100 channels)
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1_000_000
MIN_STEPS = 2  # one step has no "over time": the pages' time-step sliders need two
MAX_STEPS = 2_000  # the longest recording of any data set, uploaded or edited
MAX_ABS_VALUE = 1e3  # the least bound of an own sequence's values (the shipped recordings lie within ±35)
_SEPARATORS = (",", ";", "\t")  # on a tie in the first row, the earlier one wins
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)  # no "1_0", no non-ASCII digits


class UploadError(ValueError):
    """An upload or pasted text cannot be read; the message says why and where.

    Parameters
    ----------
    message : str
        What is wrong, and where.
    problems : sequence of str, optional
        Where a check found several problems: each of them, one a line, as a page lists them (the message
        then sums them up). By default the message is the only problem.

    Attributes
    ----------
    problems : tuple of str
        At least one.
    """

    def __init__(self, message: str, problems: Sequence[str] = ()):
        super().__init__(message)
        self.problems = tuple(problems) or (message,)


def decode_text(data: bytes | str, limit: int = MAX_UPLOAD_BYTES) -> str:
    """Check the size (at most ``limit`` bytes, or characters for str), then turn UTF-8 bytes into text.

    Raises
    ------
    UploadError
        For a too large input, NUL bytes (not a text file) or bytes that are not UTF-8.
    """
    if not isinstance(data, (bytes, bytearray, str)):
        raise TypeError(f"data must be bytes or str, got {type(data).__name__}")
    unit = "characters" if isinstance(data, str) else "bytes"
    if len(data) > limit:
        raise UploadError(f"the input is too large: {len(data):,} {unit}; the limit is {limit:,} bytes")
    if isinstance(data, str):
        text = data
    else:
        if b"\x00" in data:
            raise UploadError("this is not a text file (it contains NUL bytes); upload a CSV file")
        try:
            text = bytes(data).decode("utf-8-sig")  # -sig: drop the byte-order mark spreadsheets write
        except UnicodeDecodeError as exc:
            raise UploadError(
                f"the file is not UTF-8 text (byte {exc.start + 1} is {data[exc.start]:#04x}); save it as UTF-8 CSV"
            ) from exc
    if "\x00" in text:
        raise UploadError("this is not text (it contains NUL characters)")
    return text


def is_number(cell: str) -> bool:
    """A plain decimal number, or a NaN or infinity spelling (reported as such, not as 'not a number')."""
    if _NUMBER.fullmatch(cell):
        return True
    try:
        return not np.isfinite(float(cell))
    except ValueError:
        return False


def cell_value(cell: str, row: int, column: int, limit: float) -> float:
    """The finite value of a cell within ±``limit``; an :class:`UploadError` names the row and column."""
    if not is_number(cell):
        raise UploadError(f"row {row}, column {column}: {cell!r} is not a number")
    value = float(cell)
    if not np.isfinite(value):
        raise UploadError(f"row {row}, column {column}: {cell!r} is NaN or infinite; every value must be finite")
    if abs(value) > limit:
        raise UploadError(
            f"row {row}, column {column}: {cell!r} is too large; values must lie between -{bound_text(limit)} and "
            f"{bound_text(limit)}"
        )
    return value


def split_row(line: str, separator: str) -> list[str]:
    """The cells of one line, quotes removed and spaces trimmed; [] for an empty line."""
    return [cell.strip() for cell in next(csv.reader([line], delimiter=separator), [])]


def _check_n_channels(n_channels) -> int:
    if not (isinstance(n_channels, (int, np.integer)) and not isinstance(n_channels, bool) and n_channels >= 1):
        raise ValueError(f"n_channels must be a positive integer, got {n_channels!r}")
    return int(n_channels)


def _channels_phrase(n_channels: int, info: DatasetInfo | None) -> str:
    """What the columns must be: "one column per channel" and, with ``info``, the channels' names."""
    if info is None:
        return "one column per channel, one row per time step"
    names = list(info.channel_names)
    listed = ", ".join(names) if len(names) <= 6 else f"{', '.join(names[:3])}, …, {names[-1]}"
    return f"one column per channel of {info.title} ({listed}), one row per time step"


def parse_sequence_csv(
    data: bytes | str,
    n_channels: int | None = None,
    *,
    info: DatasetInfo | None = None,
    lengths: tuple[int, int] | None = None,
    limit: float = MAX_ABS_VALUE,
) -> np.ndarray:
    """Read one sequence from CSV text, as uploaded (bytes) or pasted (str).

    The first row is a header when none of its cells is a number (a row with
    some numbers is data, so a typo in it is reported instead of dropped).
    The separator is whichever of comma, semicolon and tab occurs most in the
    first row. Blank lines at the end are ignored; elsewhere they are errors.

    Parameters
    ----------
    data : bytes or str
        At most ``MAX_UPLOAD_BYTES`` bytes (characters for str), UTF-8;
        one row per time step, ``MIN_STEPS`` to ``MAX_STEPS`` rows, ``n_channels`` columns,
        values within ±``limit``.
    n_channels : int, optional
        F, the data set's channels (the model's ``config.n_features``); by default ``info``'s, or 12 (Japanese
        Vowels) without it.
    info : DatasetInfo, optional
        The data set the sequence is for: its channels are named in the error about the number of columns.
    lengths : (int, int), optional
        The shortest and longest recording of the data set, in time steps, quoted in the error about too few
        rows.
    limit : float
        How far from 0 a value may lie: the data set's own bound (``core.analyses.whatif.value_limit``, which a
        What if? edit keeps to as well); ``MAX_ABS_VALUE`` by default.

    Returns
    -------
    ndarray of shape (F, T), float64

    Raises
    ------
    UploadError
        Naming the problem and, where there is one, its row and column.
    """
    if n_channels is None:
        n_channels = N_FEATURES if info is None else info.n_channels
    n_channels = _check_n_channels(n_channels)
    if info is not None and n_channels != info.n_channels:
        raise ValueError(f"n_channels is {n_channels} but {info.title} has {info.n_channels} channels")
    lines = decode_text(data).splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise UploadError(f"the input is empty: expected one row per time step with {counted(n_channels, 'value')}")
    separator = max(_SEPARATORS, key=lines[0].count)
    header_rows = 0 if any(is_number(cell) for cell in split_row(lines[0], separator)) else 1
    n_steps = len(lines) - header_rows
    if n_steps == 0:
        raise UploadError("there are no data rows: only a header")
    if n_steps > MAX_STEPS:
        raise UploadError(f"too many rows: {n_steps:,} time steps; the limit is {MAX_STEPS:,}")
    values = np.empty((n_steps, n_channels))  # (T, F)
    for row_number, line in enumerate(lines, start=1):
        cells = split_row(line, separator)
        if not any(cells):
            raise UploadError(f"row {row_number} is blank; remove it or fill in its {counted(n_channels, 'value')}")
        if len(cells) != n_channels:
            raise UploadError(
                f"row {row_number} has {counted(len(cells), 'column')}; expected {n_channels} "
                f"({_channels_phrase(n_channels, info)})"
            )
        if row_number > header_rows:
            values[row_number - 1 - header_rows] = [
                cell_value(cell, row_number, column, limit) for column, cell in enumerate(cells, start=1)
            ]
    if n_steps < MIN_STEPS:
        known = "" if lengths is None else f" (the data set's recordings have {lengths[0]} to {lengths[1]})"
        raise UploadError(
            f"too few rows: {n_steps} time step; at least {MIN_STEPS} are needed to follow the network over time{known}"
        )
    return validate_sequence(values.T.copy(), name="the uploaded sequence", n_channels=n_channels)  # (F, T)


def _header(channel_names: Sequence[str]) -> str:
    """The CSV header row of ``channel_names``, quoted where a name holds a separator or a quote."""
    names = [str(name) for name in channel_names]
    if not names or any(not name.strip() or is_number(name.strip()) for name in names):
        raise ValueError(f"channel_names must be non-empty names that are not numbers, got {names!r}")
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(names)
    return out.getvalue()


def template_csv(x=None, *, channel_names: Sequence[str] | None = None) -> str:
    """A CSV that :func:`parse_sequence_csv` reads back exactly: a header and one row per step.

    Parameters
    ----------
    x : array-like of shape (F, T), optional
        Defaults to the first test observation of Japanese Vowels (F = 12), so the user starts from a real
        example; give one for any other data set.
    channel_names : sequence of str, length F, optional
        The header (:attr:`core.compute.data.DatasetInfo.channel_names`); F is their number. By default
        ``feature_1,...,feature_12``.

    Returns
    -------
    str
        The header, then T rows of shortest round-trip floats.
    """
    if channel_names is None:
        channel_names = [f"feature_{i}" for i in range(1, N_FEATURES + 1)]
    header = _header(channel_names)
    n_channels = len(channel_names)
    if x is None:
        if n_channels != N_FEATURES:
            raise ValueError(f"x is needed for {n_channels} channels: the default example has {N_FEATURES}")
        x = load_dataset().test.sequences[0]
    x = validate_sequence(x, name="x", n_channels=n_channels)  # (F, T)
    if x.shape[1] > MAX_STEPS:
        raise ValueError(f"x has {x.shape[1]} time steps; a recording may have at most {MAX_STEPS:,}")
    return "\n".join([header, *(",".join(repr(float(v)) for v in step) for step in x.T)]) + "\n"
