"""The tables of bad calls that each test module keeps for its module: rows ``(name, call, error, match)``, where
``call(api)`` must raise ``error`` with a message matching ``match``."""

import pytest

__all__ = ["bad_call_cases", "assert_bad_call_named"]


def bad_call_cases(table) -> list:
    """The rows of a bad-call table as pytest parameters, each named by its first column."""
    return [pytest.param(*row, id=row[0]) for row in table]


def assert_bad_call_named(api, name: str, call, error: type, match: str, documented=(ValueError, TypeError)) -> None:
    """``call(api)`` raises ``error`` matching ``match``, of one of the ``documented`` error types."""
    with pytest.raises(error, match=match) as info:
        call(api)
    assert type(info.value) in documented, f"{name}: {type(info.value).__name__} is not one of the documented types"
