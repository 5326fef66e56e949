"""Helpers for chart tests: the data tables and settings inside an Altair chart's Vega-Lite spec."""

import json
import math
import re

import altair as alt
import pandas as pd

__all__ = [
    "spec_tables",
    "spec_table_with",
    "find_in_spec",
    "spec_text",
    "missing_fields",
    "vega_value",
    "JAPANESE_VOWELS_WORDS",
]

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


# What a transform adds to (or, for an aggregate, leaves of) its table's columns.
def _after_transform(transform: dict, columns: set[str] | None) -> set[str] | None:
    if "calculate" in transform:
        return None if columns is None else columns | {transform["as"]}
    if "filter" in transform:
        return columns
    if "aggregate" in transform:
        return set(transform.get("groupby", [])) | {a["as"] for a in transform["aggregate"]}
    if "joinaggregate" in transform or "window" in transform:
        ops = transform.get("joinaggregate") or transform.get("window")
        return None if columns is None else columns | {op["as"] for op in ops}
    if "fold" in transform:
        return None if columns is None else columns | set(transform.get("as", ["key", "value"]))
    raise AssertionError(f"missing_fields does not know the transform {transform}")


_DATUM_FIELD = re.compile(r"datum\.([A-Za-z_]\w*)|datum\[(['\"])(.+?)\2\]")


def _expression_fields(expression: str) -> list[str]:
    """The data fields a Vega expression reads (``datum.x``, ``datum['x y']``)."""
    return [m.group(1) or m.group(3) for m in _DATUM_FIELD.finditer(expression)]


def _read_fields(definition) -> list[str]:
    """Every data field an encoding channel's definition (a dict, or a list of them for tooltips) reads, its
    conditions' fields and tests included."""
    if isinstance(definition, list):
        return [f for item in definition for f in _read_fields(item)]
    if not isinstance(definition, dict):
        return []
    fields = [definition["field"]] if isinstance(definition.get("field"), str) else []
    if isinstance(definition.get("test"), str):
        fields += _expression_fields(definition["test"])
    return fields + _read_fields(definition.get("condition"))


def missing_fields(chart) -> list[str]:
    """The fields that a mark of ``chart`` (an Altair chart or its spec, whose ``datasets`` may be lists of rows
    or DataFrames) encodes, tests in a condition or selects,
    but that neither its data table nor a transform before it provides, as "<where>: <field>"; also fields an
    expression of a transform reads before they exist. An empty list for a sound chart.

    Vega-Lite draws such a field as "undefined" (or nothing) without any error, so only a test finds it.
    """
    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    datasets = spec.get("datasets", {})
    problems = []

    def columns_of(data: dict) -> set[str] | None:  # None: not known (an empty table, a file)
        table = datasets.get(data["name"]) if "name" in data else data.get("values")
        if isinstance(table, pd.DataFrame):
            return set(table.columns) if len(table) else None
        return set().union(*(row.keys() for row in table)) if table else None

    def check(fields, columns, where):
        problems.extend(f"{where}: {f}" for f in fields if columns is not None and f not in columns)

    def walk(node: dict, columns: set[str] | None, where: str) -> None:
        if "data" in node:
            columns = columns_of(node["data"])
        for transform in node.get("transform", []):
            for key in ("calculate", "filter"):
                if isinstance(transform.get(key), str):
                    check(_expression_fields(transform[key]), columns, f"{where} {key}")
            columns = _after_transform(transform, columns)
        if "mark" in node:
            for channel, definition in node.get("encoding", {}).items():
                check(_read_fields(definition), columns, f"{where} {channel}")
            for param in node.get("params", []):
                check(
                    param.get("select", {}).get("fields", []) if isinstance(param.get("select"), dict) else [],
                    columns,
                    f"{where} selection {param.get('name')}",
                )
        for key in ("layer", "vconcat", "hconcat", "concat"):
            for number, child in enumerate(node.get(key, [])):
                walk(child, columns, f"{where}/{key}[{number}]")

    walk(spec, None, "chart")
    return problems


def _top_level(expression: str, char: str) -> list[int]:
    """Positions of ``char`` in ``expression`` outside parentheses, brackets and quotes."""
    depth, quote, found = 0, None, []
    for i, c in enumerate(expression):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == char and depth == 0:
            found.append(i)
    return found


def _python(expression: str) -> str:
    """The Python of a Vega expression of numbers, strings, booleans, arithmetic, comparisons, ``&&``, ``||``,
    ``floor``, ``min``, ``max`` and (nested) ``a ? b : c``."""
    asks = _top_level(expression, "?")
    if not asks:
        return expression.replace("&&", " and ").replace("||", " or ").replace("floor(", "math.floor(")
    ask, depth = asks[0], 0
    for i in sorted(asks[1:] + _top_level(expression, ":")):
        if i < ask:
            continue
        if expression[i] == "?":
            depth += 1
        elif depth:
            depth -= 1
        else:
            condition, yes, no = expression[:ask], expression[ask + 1 : i], expression[i + 1 :]
            return f"(({_python(yes)}) if ({_python(condition)}) else ({_python(no)}))"
    raise ValueError(f"a '?' without its ':' in {expression!r}")


def vega_value(expression, **signals):
    """What a Vega expression (or an ``{"expr": ...}`` of a spec, or a plain value) gives for the signals
    ``signals`` (e.g. ``width=270``), for the simple expressions of our charts (see :func:`_python`)."""
    if not isinstance(expression, dict):
        return expression
    names = {"math": math, "min": min, "max": max, "true": True, "false": False}
    return eval(_python(expression["expr"]), names, dict(signals))
