"""Helpers for chart tests: the data tables and settings inside an Altair chart's Vega-Lite spec."""

import json

import altair as alt
import pandas as pd

__all__ = ["spec_tables", "spec_table_with", "find_in_spec", "spec_text", "JAPANESE_VOWELS_WORDS"]

JAPANESE_VOWELS_WORDS = ("speaker", "coefficient 12", "utterance", "LPC")  # in no chart of another data set


def spec_tables(chart: alt.TopLevelMixin) -> list[pd.DataFrame]:
    """Every inline data table of a chart, in the order of its layers."""
    spec = chart.to_dict()
    return [pd.DataFrame(rows) for rows in spec.get("datasets", {}).values()]


def spec_table_with(chart: alt.TopLevelMixin, *columns: str) -> pd.DataFrame:
    """The first data table of ``chart`` whose columns are exactly ``columns`` (in any order)."""
    for table in spec_tables(chart):
        if set(table.columns) == set(columns):
            return table
    raise AssertionError(f"no table with columns {columns}")


def find_in_spec(spec, key: str):
    """Every value stored under ``key`` anywhere in a nested spec (dicts and lists), depth first."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k == key:
                yield v
            yield from find_in_spec(v, key)
    elif isinstance(spec, list):
        for item in spec:
            yield from find_in_spec(item, key)


def spec_text(chart: alt.TopLevelMixin) -> str:
    """A chart's whole Vega-Lite spec (titles, label expressions, data) as one JSON string, to search for words."""
    return json.dumps(chart.to_dict())
