"""Your own data set: a UEA/UCR ``.ts`` file pair, or a zip of CSV files, read in memory and checked.

A zip holds one CSV file per recording: one row per time step, one column per
channel, an optional header row. Each recording's class is the name of the
folder it sits in (``walking/rec01.csv``), or, where files are not in class
folders, a column named ``label`` or ``class`` (the same value on every row).
Top-level ``train/`` and ``test/`` folders give the split; without them a
quarter of each class's recordings (seeded) is held out for testing. Every
problem is reported as an :class:`~core.compute.upload.UploadError` that names
the file and, where there is one, the line or row; every file is read, so one
error names the problems of all files (up to ``MAX_LISTED``, then how many
more). Nothing is written anywhere.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePosixPath

import numpy as np

from .checks import counted
from .data import MAX_RECORDED_VALUE, Dataset, DatasetInfo, Split, parse_ts
from .upload import MAX_STEPS, MIN_STEPS, UploadError, cell_value, decode_text, is_number, split_row

__all__ = [
    "MAX_DATASET_MB",
    "MAX_DATASET_BYTES",
    "MAX_RECORDINGS",
    "MIN_STEPS",
    "MAX_STEPS",
    "TEST_SHARE",
    "MAX_LISTED",
    "read_uploaded_dataset",
    "missing_ts_partner",
]

# The upload in all, and what a zip holds once unpacked. In megabytes as the file uploader counts them
# (1,000,000 bytes): the page's uploader takes it as its per-file limit (max_upload_size) and the server's
# server.maxUploadSize in .streamlit/config.toml is the same number (tests/test_streamlit_config.py).
MAX_DATASET_MB = 20
MAX_DATASET_BYTES = MAX_DATASET_MB * 1_000_000
MAX_RECORDINGS = 5_000
TEST_SHARE = 0.25  # of each class, when the zip has no train/ and test/ folders
MAX_LISTED = 10  # problems named in one error; the others are counted
_LABEL_COLUMNS = ("label", "class")
_SPLIT_FOLDERS = ("train", "test")


def read_uploaded_dataset(files: Sequence[tuple[str, bytes]]) -> Dataset:
    """Read an uploaded data set.

    Parameters
    ----------
    files : sequence of (file name, contents)
        Either two ``.ts`` files whose names contain ``TRAIN`` and ``TEST``
        (any case), or one ``.zip`` of CSV files; at most
        ``MAX_DATASET_BYTES`` in all.

    Returns
    -------
    Dataset
        Splits of raw ``(channels, T)`` arrays with labels 1 to C; ``info``
        keyed ``upload-<hash of the contents>``, its classes named as the
        files name them and its channels as the CSV header does (else
        ``channel 1``, ...).

    Raises
    ------
    UploadError
        Naming the file and the problem: the wrong kind or number of files, too
        large, too many recordings, a ``.ts`` file of numbers to predict rather
        than classes or one cut off, a recording shorter than ``MIN_STEPS`` or
        longer than ``MAX_STEPS`` steps, channels of different counts, a
        missing label, a class with too few recordings, a value that is not a
        finite number. Where several files have problems, the error's
        ``problems`` lists up to ``MAX_LISTED`` of them, then "and N more".
    """
    files = [(str(name), bytes(data)) for name, data in files]
    total = sum(len(data) for _, data in files)
    if total > MAX_DATASET_BYTES:
        what = files[0][0] if len(files) == 1 else f"the {len(files)} files together"
        raise UploadError(
            f"{what} {'is' if len(files) == 1 else 'are'} too large: {total:,} bytes ({total / 1e6:.1f} MB); "
            f"the limit is {MAX_DATASET_MB} MB ({MAX_DATASET_BYTES:,} bytes) in all"
        )
    suffixes = sorted(PurePosixPath(name).suffix.lower() for name, _ in files)
    if suffixes == [".ts", ".ts"]:
        train, test, class_names, channel_names = _read_ts_pair(files)
        title = _common_stem([name for name, _ in files])
        split_names = {_ts_kind(name): f"{name}: recording" for name, _ in files}
    elif suffixes == [".zip"]:
        train, test, class_names, channel_names = _read_zip(*files[0])
        title = PurePosixPath(files[0][0]).stem
        split_names = {"train": "training recording", "test": "test recording"}
    else:
        raise UploadError(
            "upload either two .ts files (one named …_TRAIN.ts, the other …_TEST.ts) or one .zip of "
            f"CSV files; got {', '.join(name for name, _ in files) or 'nothing'}"
        )
    _check_sizes(train, test, class_names, split_names)
    digest = hashlib.sha256(b"".join(hashlib.sha256(data).digest() for _, data in sorted(files))).hexdigest()
    info = DatasetInfo(
        key=f"upload-{digest[:10]}",
        title=title or "Your data set",
        class_word="class",
        class_names=tuple(_readable(name) for name in class_names),
        channel_names=tuple(channel_names),
        source="uploaded in this session",
        licence="the uploader's",
    )
    for split in (train, test):
        for x in split.sequences:
            x.flags.writeable = False
        split.labels.flags.writeable = False
    return Dataset(train=train, test=test, info=info)


def _as_number(name: str) -> float | None:
    try:
        return float(name)
    except ValueError:
        return None


def _readable(name: str) -> str:
    """A class name as pages say it: a bare number ("0", "2.5") becomes "class 0"; words stay as they are."""
    return name if _as_number(name) is None else f"class {name}"


def _number_order(name: str) -> tuple:
    """Sort key of class names: numbers by value ("2" before "10"), then words in alphabetical order."""
    number = _as_number(name)
    return (0, number, name) if number is not None else (1, 0.0, name)


def missing_ts_partner(names: Sequence[str]) -> str | None:
    """What to add when the files so far are one ``.ts`` file of a pair; None otherwise.

    Parameters
    ----------
    names : sequence of str
        The names of the files uploaded so far.

    Returns
    -------
    str or None
        For a single ``.ts`` file whose name contains ``TRAIN`` (or ``TEST``), a sentence naming the file that
        is still missing, e.g. "Walking_TRAIN.ts is here; now add its test file (Walking_TEST.ts) to the same
        box.", and what a red mark on it would mean; None for anything else, which
        :func:`read_uploaded_dataset` reads or refuses.
    """
    if isinstance(names, str) or not all(isinstance(name, str) for name in names):
        raise TypeError(f"names must be a sequence of file names, got {names!r}")
    if len(names) != 1 or PurePosixPath(names[0]).suffix.lower() != ".ts" or _ts_kind(names[0]) is None:
        return None
    name = PurePosixPath(names[0]).name
    have, want = ("TRAIN", "TEST") if _ts_kind(name) == "train" else ("TEST", "TRAIN")
    match = re.search(have, name, flags=re.IGNORECASE)
    found = match.group()
    word = want if found.isupper() else want.lower() if found.islower() else want.capitalize()
    partner = name[: match.start()] + word + name[match.end() :]
    role = "test" if want == "TEST" else "training"
    return (
        f"{name} is here; now add its {role} file ({partner}) to the same box. If it is there with a red mark, it "
        f"is larger than {MAX_DATASET_MB} MB and was not read."
    )


# --------------------------------------------------------------------------- problems


def _problems_error(problems: list[str], where: str) -> UploadError:
    """One error for ``problems`` (at least one): the only one as it is, or up to ``MAX_LISTED`` and a count."""
    if len(problems) == 1:
        return UploadError(problems[0])
    listed = problems[:MAX_LISTED]
    more = len(problems) - len(listed)
    lines = [*listed, *([f"and {counted(more, 'more problem')}"] if more else [])]
    return UploadError(f"{counted(len(problems), 'problem')} in {where}: {'; '.join(lines)}", problems=lines)


# --------------------------------------------------------------------------- .ts pair


def _ts_kind(name: str) -> str | None:
    """ "train" or "test", as the file's name says (``TRAIN`` first, any case), or None."""
    upper = PurePosixPath(name).name.upper()
    return "train" if "TRAIN" in upper else "test" if "TEST" in upper else None


def _read_ts_pair(files):
    by_split = {}
    for name, data in files:
        kind = _ts_kind(name)
        if kind is None or kind in by_split:
            raise UploadError(
                "name one .ts file …_TRAIN.ts and the other …_TEST.ts, so that the training and the "
                f"test recordings can be told apart; got {', '.join(n for n, _ in files)}"
            )
        by_split[kind] = (name, data)
    read, problems = {}, {}
    for kind in ("train", "test"):
        name, data = by_split[kind]
        try:
            read[kind] = parse_ts(decode_text(data, MAX_DATASET_BYTES))
        except ValueError as exc:  # UploadError included
            problems[name] = str(exc)
    if len(problems) == 2 and len(set(problems.values())) == 1:  # the same problem in both files, said once
        raise UploadError(f"in both files, {next(iter(problems.values()))}")
    if problems:
        raise _problems_error([f"{name}: {problem}" for name, problem in problems.items()], "the two files")
    (train, train_classes), (test, test_classes) = read["train"], read["test"]
    if train_classes != test_classes:
        raise UploadError(
            f"the two files list different classes: {', '.join(train_classes)} in "
            f"{by_split['train'][0]}, {', '.join(test_classes)} in {by_split['test'][0]}"
        )
    if train.sequences[0].shape[0] != test.sequences[0].shape[0]:
        raise UploadError(
            f"the two files have different numbers of channels: {train.sequences[0].shape[0]} in "
            f"{by_split['train'][0]}, {test.sequences[0].shape[0]} in {by_split['test'][0]}"
        )
    return train, test, train_classes, [f"channel {k}" for k in range(1, train.sequences[0].shape[0] + 1)]


def _common_stem(names: list[str]) -> str:
    stem = PurePosixPath(names[0]).stem
    for suffix in ("_TRAIN", "_TEST", "_train", "_test"):
        stem = stem.removesuffix(suffix)
    return stem


# --------------------------------------------------------------------------- zip of CSV files


def _read_zip(name: str, data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [info for info in archive.infolist() if not info.is_dir() and not _hidden(info.filename)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise UploadError(f"{name} is not a zip file that can be read ({exc})") from exc
    if not entries:
        raise UploadError(f"{name} holds no files; put one CSV file per recording in it")
    if len(entries) > MAX_RECORDINGS:
        raise UploadError(f"{name} holds {len(entries):,} files; the limit is {MAX_RECORDINGS:,} recordings")
    parts = [PurePosixPath(e.filename).parts for e in entries]
    if len({p[0] for p in parts}) == 1 and all(len(p) > 2 for p in parts):  # one folder around class folders
        parts = [p[1:] for p in parts]
    unpacked, recordings, problems = 0, [], []
    for entry, path in zip(entries, parts, strict=True):
        if PurePosixPath(entry.filename).suffix.lower() != ".csv":
            problems.append(f"{entry.filename} is not a CSV file; the zip may hold only CSV files (one per recording)")
            continue
        try:
            with archive.open(entry) as stream:
                content = stream.read(MAX_DATASET_BYTES - unpacked + 1)
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:  # damaged, encrypted or truncated
            problems.append(f"{entry.filename} cannot be read from {name} ({exc})")
            continue
        unpacked += len(content)
        if unpacked > MAX_DATASET_BYTES:
            raise UploadError(
                f"{name} unpacks to more than {MAX_DATASET_BYTES:,} bytes ({MAX_DATASET_MB} MB); that is the limit"
            )
        split = path[0].lower() if len(path) > 1 and path[0].lower() in _SPLIT_FOLDERS else None
        inner = path[1:] if split else path
        folder_class = inner[-2] if len(inner) > 1 else None
        try:
            values, header, label = _read_csv(content, label_from_column=folder_class is None)
        except UploadError as exc:
            problems.append(f"{entry.filename}: {exc}")
            continue
        recordings.append((entry.filename, split, folder_class or label, values, header))
    if len({r[1] is None for r in recordings}) > 1:
        problems.append(
            "put every file in train/ or test/, or none of them (then a quarter of each class is held out for testing)"
        )
    problems += _channel_problems(recordings)
    if problems:
        raise _problems_error(problems, name)
    class_names = sorted({r[2] for r in recordings}, key=_number_order)
    header = recordings[0][4]
    channel_names = header or [f"channel {k}" for k in range(1, recordings[0][3].shape[0] + 1)]
    labels = np.array([class_names.index(r[2]) + 1 for r in recordings])
    sequences = [r[3] for r in recordings]
    if recordings[0][1] is not None:
        in_test = np.array([r[1] == "test" for r in recordings])
    else:
        in_test = _held_out(labels, class_names, name)
    pick = lambda mask: Split([s for s, m in zip(sequences, mask, strict=True) if m], labels[mask])  # noqa: E731
    return pick(~in_test), pick(in_test), class_names, channel_names


def _channel_problems(recordings: list) -> list[str]:
    """One problem per recording whose channel count differs from the most common one (the first file's on a
    tie), naming the first recording that has the common count."""
    counts = Counter(r[3].shape[0] for r in recordings)
    if len(counts) < 2:
        return []
    common = max(counts, key=counts.get)  # a Counter keeps the files' order: the first maximum wins a tie
    reference = next(r[0] for r in recordings if r[3].shape[0] == common)
    return [
        f"{r[0]} has {counted(r[3].shape[0], 'channel')} but {reference} has {common}; every recording must have "
        "the same number of channels"
        for r in recordings
        if r[3].shape[0] != common
    ]


def _hidden(filename: str) -> bool:
    """Files a zip tool adds that are not recordings (macOS resource forks, dot files)."""
    return any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(filename).parts)


def _held_out(labels: np.ndarray, class_names: list[str], where: str) -> np.ndarray:
    """A seeded mask of a quarter of each class's recordings (at least one), for testing."""
    rng = np.random.default_rng(0)
    in_test = np.zeros(len(labels), bool)
    problems = []
    for k, name in enumerate(class_names, start=1):
        members = np.flatnonzero(labels == k)
        if len(members) < 2:
            problems.append(
                f"class {name!r} has only {counted(len(members), 'recording')}; each class needs at least 2 "
                "(one to train on, one to test)"
            )
            continue
        chosen = rng.choice(members, size=max(1, round(TEST_SHARE * len(members))), replace=False)
        in_test[chosen] = True
    if problems:
        raise _problems_error(problems, where)
    return in_test


def _read_csv(content: bytes, *, label_from_column: bool) -> tuple[np.ndarray, list[str] | None, str | None]:
    """One recording: values (channels, T), the channel names of its header (or None), its label column's value."""
    lines = decode_text(content, MAX_DATASET_BYTES).splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise UploadError("the file is empty")
    separator = max((",", ";", "\t"), key=lines[0].count)
    first = split_row(lines[0], separator)
    header = None if any(is_number(cell) for cell in first) else first
    label_column = None
    if label_from_column:
        found = [k for k, cell in enumerate(header or []) if cell.lower() in _LABEL_COLUMNS]
        if not found:
            raise UploadError(
                "no class: put the file in a folder named after its class, or give it a column "
                "named 'label' (or 'class') in a header row"
            )
        label_column = found[0]
    rows = lines[1:] if header else lines
    if not MIN_STEPS <= len(rows) <= MAX_STEPS:
        raise UploadError(f"{counted(len(rows), 'time step')}; a recording must have {MIN_STEPS} to {MAX_STEPS:,}")
    width = len(first)
    labels, values = [], []
    for row_number, line in enumerate(lines, start=1):
        if header and row_number == 1:
            continue
        cells = split_row(line, separator)
        if len(cells) != width:
            raise UploadError(f"row {row_number} has {counted(len(cells), 'column')}; the first row has {width}")
        if label_column is not None:
            label = cells.pop(label_column)
            if not label:
                raise UploadError(
                    f"row {row_number}: the '{header[label_column]}' column is empty; every row needs the "
                    "recording's class"
                )
            labels.append(label)
        values.append(
            [cell_value(cell, row_number, column, MAX_RECORDED_VALUE) for column, cell in enumerate(cells, start=1)]
        )
    if label_column is not None:
        if len(set(labels)) != 1:
            raise UploadError(
                f"the '{header[label_column]}' column must hold the same class on every row, got "
                f"{', '.join(sorted(set(labels)))}"
            )
        header = header[:label_column] + header[label_column + 1 :]
    array = np.array(values, dtype=np.float64).T.copy()  # (channels, T)
    if array.shape[0] == 0:
        raise UploadError("no channels: every column is a label")
    return array, header, labels[0] if labels else None


def _check_sizes(train: Split, test: Split, class_names: list[str], split_names: dict[str, str]) -> None:
    """The data set as a whole: how many recordings, classes and test recordings, every class in training, and
    every recording's length (``split_names``: what a recording of each split is called in a message)."""
    n = len(train) + len(test)
    if n > MAX_RECORDINGS:
        raise UploadError(f"{n:,} recordings; the limit is {MAX_RECORDINGS:,}")
    if len(class_names) < 2:
        raise UploadError(f"only one class ({', '.join(class_names)}); a classifier needs at least 2")
    if not len(test):
        raise UploadError("no test recordings")
    problems = [
        f"class {class_names[k - 1]!r} has no training recording"
        for k in sorted(set(range(1, len(class_names) + 1)) - set(train.labels.tolist()))
    ]
    for kind, split in (("train", train), ("test", test)):
        for k, steps in enumerate(split.lengths.tolist(), start=1):
            if not MIN_STEPS <= steps <= MAX_STEPS:
                problems.append(
                    f"{split_names[kind]} {k} has {counted(steps, 'time step')}; a recording must have "
                    f"{MIN_STEPS} to {MAX_STEPS:,}"
                )
    if problems:
        raise _problems_error(problems, "the data set")
