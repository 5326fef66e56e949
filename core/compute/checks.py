"""Argument checks shared by the public functions of ``core``.

Every public function checks what it is given before it computes, so that a wrong call fails with a message
naming the argument and what was expected, rather than deep inside NumPy or PyTorch (or, worse, not at all:
a NaN that ranks silently, a 1.5 truncated to 1). These helpers keep those messages alike across modules.
"""

from __future__ import annotations

import numpy as np

__all__ = ["is_int", "check_type", "check_int", "check_layer", "real_array", "counted", "bound_text"]

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def is_int(value) -> bool:
    """True for a Python or NumPy integer, but not for a bool (``True`` is not unit 1)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` with its noun, singular for one and plural otherwise: "1 channel", "0 channels", "2,000 time steps".

    ``plural`` defaults to ``noun + "s"``; give it for other plurals ("1 class", "3 classes").
    """
    if not is_int(n):
        raise TypeError(f"n must be an integer, got {n!r}")
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def bound_text(limit: float) -> str:
    """A bound on values, as a message states it: "1,000", "16,000"; from 10^15 on, "10³⁰" or "2.5 × 10²⁰".

    Exact for the bounds the app enforces (whole numbers below 10^15, two significant figures above), so that a
    message never states a bound other than the one it checked."""
    if limit < 1e15:
        return f"{limit:,.0f}"
    exponent = int(np.floor(np.log10(limit)))
    mantissa = f"{limit / 10.0**exponent:.2g}"
    power = f"10{str(exponent).translate(_SUPERSCRIPTS)}"
    return power if mantissa == "1" else f"{mantissa} × {power}"


def check_type(value, expected: type, name: str) -> None:
    """Raise ``TypeError`` unless ``value`` is an instance of ``expected``."""
    if not isinstance(value, expected):
        type_name = expected.__name__
        # "an LSTMClassifier": an initialism is read letter by letter, and "L" sounds like "el".
        vowel_sounds = "AEFHILMNORSX" if type_name[:2].isupper() else "AEIOU"
        article = "an" if type_name[0] in vowel_sounds else "a"
        raise TypeError(f"{name} must be {article} {type_name}, got {type(value).__name__}")


def check_int(value, name: str, low: int, high: int) -> int:
    """``value`` as an int; ``ValueError`` unless it is an integer with ``low <= value <= high``."""
    if not (is_int(value) and low <= value <= high):
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return int(value)


def check_layer(value, name: str, num_layers: int) -> int:
    """``value``, a layer of a network of ``num_layers`` stacked layers (0-based, bottom first; negative counts
    from the top, -1 being the top), as a 0-based index; ``ValueError`` naming ``name`` for anything else."""
    if not (is_int(value) and -num_layers <= value < num_layers):
        raise ValueError(f"{name} must be from 0 to {num_layers - 1} (or -1 for the top), got {value!r}")
    return int(value) % num_layers


def real_array(
    value, name: str, *, dtype=np.float64, finite: bool = True, not_numbers: type[Exception] = TypeError
) -> np.ndarray:
    """``value`` as a NumPy array of real numbers, or an error that names ``name``.

    Parameters
    ----------
    value : array-like
    name : str
        How the argument is called in error messages.
    dtype : NumPy dtype, default float64
        What the values are converted to.
    finite : bool, default True
        Refuse NaN and infinite values.
    not_numbers : exception type, default TypeError
        What values that are not real numbers raise; ``ValueError`` where the argument is documented as
        numbers and text in it is just a bad value, like NaN.

    Returns
    -------
    ndarray of ``value``'s shape

    Raises
    ------
    TypeError (or ``not_numbers``)
        If ``value`` holds text, complex numbers or objects that are not numbers (complex values would
        otherwise be cast to real, their imaginary part dropped with only a warning).
    ValueError
        If ``finite`` and a value is NaN or infinite.
    """
    what = f"{name} must be a numeric array of real numbers"
    if value is None:
        raise not_numbers(f"{what}, got None")
    try:
        raw = np.asarray(value)
    except ValueError as exc:  # ragged nested lists
        raise not_numbers(f"{what}, got ragged {type(value).__name__}") from exc
    text_or_complex = (complex, str, bytes, np.complexfloating)
    if raw.dtype.kind in "cUSVMm" or (raw.dtype.kind == "O" and any(isinstance(v, text_or_complex) for v in raw.flat)):
        raise not_numbers(f"{what}, got {raw.dtype} values")
    try:
        arr = np.asarray(raw, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise not_numbers(f"{what}, got {type(value).__name__}") from exc
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr
