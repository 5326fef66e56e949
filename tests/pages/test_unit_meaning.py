"""One meaning of "a unit for class X" feeds every consumer: the units table, its class filter and search, the
ranking chart, the Silence units page's quick choice and default, the tour and the plain-words descriptions all
follow ``core.analyses.units.class_units``, computed here from core on the shipped networks; the "Silence unit N"
button opens Silence units with unit N."""

import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

import core
from core.analyses import units
from core.presentation.describe import unit_stats

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
DATASETS = ["japanese_vowels", "basicmotions"]
TOUR_OBSERVATION = 1  # ui.tour's recording: test recording 1


def shipped_classes(key: str) -> tuple[core.Dataset, core.LSTMClassifier, core.BatchTrace, units.ClassUnits]:
    """Data set ``key``, its shipped network, the test split's traces and which class each unit singles out."""
    data = core.load_dataset(key)
    model = core.load_model(core.checkpoint_path(key))
    batch = core.split_traces(model, "test", dataset=data)
    return (
        data,
        model,
        batch,
        units.class_units(units.selectivity(batch, data.test.labels, n_classes=model.config.n_classes)),
    )


@pytest.fixture(scope="module", params=DATASETS)
def reference(request):
    """The data set's shipped network seen from core: which class each unit singles out, and its statistics."""
    data, model, batch, classes = shipped_classes(request.param)
    return {
        "key": request.param,
        "info": data.info,
        "classes": classes,
        "stats": unit_stats(model, "test", batch, dataset=data),
        "tour_class": int(data.test.labels[TOUR_OBSERVATION - 1]),
        "by_count": sorted(range(1, data.info.n_classes + 1), key=lambda k: -len(classes.for_class(k))),
    }


def open_app(key: str, page: str | None = None) -> AppTest:
    """A new session on data set ``key`` (chosen as the sidebar does, before the first run), on ``page``."""
    at = AppTest.from_file(APP, default_timeout=180)
    if key != core.DEFAULT_DATASET:
        at.session_state["data"] = key
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["data"] == key
    return at


def table_of(at: AppTest):
    """The units table (the page's one table) as shown: filtered and searched."""
    assert len(at.dataframe) == 1
    return at.dataframe[0].value


def units_of(at: AppTest) -> list[int]:
    """The units the units table lists, top to bottom."""
    return [int(u) for u in table_of(at)["unit"]]


def roles_in(text: str, names) -> list[tuple[str, str]]:
    """Every "on for <class>" and "off for <class>" in ``text``: (on or off, the class's name)."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.findall(rf"\b(on|off) for ({alternatives})(?![\w])", text)


def test_the_units_table_filtered_to_a_class_lists_its_units_strongest_first(reference):
    classes, info = reference["classes"], reference["info"]
    at = open_app(reference["key"], "pages/units.py")
    assert units_of(at) == (classes.ranking() + 1).tolist()  # every unit, in the one ranking
    assert at.slider(key="units_unit").value == classes.ranking()[0] + 1
    for k in range(1, info.n_classes + 1):
        at.selectbox(key="units_class").set_value(k).run()
        assert not at.exception
        assert units_of(at) == (classes.for_class(k) + 1).tolist(), info.class_names[k - 1]
        table = table_of(at)
        assert all(role.endswith(f" for {info.class_names[k - 1]}") for role in table["singles out"])
        if not classes.for_class(k).size:
            assert any(f"No unit singles out that {info.class_word}" in w.value for w in at.warning)


def test_searching_the_descriptions_for_on_or_off_for_a_class_finds_exactly_those_units(reference):
    classes, info = reference["classes"], reference["info"]
    at = open_app(reference["key"], "pages/units.py")
    found_any = False
    for k in reference["by_count"][:2]:
        for sign, words in ((1, "on for"), (-1, "off for")):
            at.text_input(key="units_search").set_value(f"{words} {info.class_names[k - 1]}").run()
            expected = [u + 1 for u in classes.for_class(k) if classes.sign[u] == sign]
            assert units_of(at) == expected
            found_any |= bool(expected)
    assert found_any


def test_the_ranking_chart_orders_the_bars_by_the_one_ranking(reference):
    classes, info = reference["classes"], reference["info"]
    at = open_app(reference["key"], "pages/units.py")
    charts = [c for c in at.get("vega_lite_chart") if '"singles out"' in c.proto.spec]
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    bars = spec["layer"][0]
    tables = [pa.ipc.open_stream(d.data.data).read_pandas() for d in charts[0].proto.datasets]
    (table,) = [t for t in tables if "singles out" in t.columns]
    rows = table.to_dict("records")
    order = classes.ranking()
    assert [r["unit"] for r in rows] == (order + 1).tolist()
    assert bars["encoding"]["x"]["sort"] == (order + 1).tolist()
    assert [r[info.class_word] for r in rows] == classes.klass[order].tolist()
    for row in rows:
        u = row["unit"] - 1
        name = info.class_names[classes.klass[u] - 1]
        assert row["singles out"] == (
            "no class" if not classes.klass[u] else f"{'on' if classes.sign[u] > 0 else 'off'} for {name}"
        )


def test_the_quick_choice_on_silence_units_takes_the_strongest_units_of_the_class(reference):
    classes, info = reference["classes"], reference["info"]
    at = open_app(reference["key"], "pages/ablation.py")
    tour_class = reference["tour_class"]  # the sidebar shows test recording 1: its class is the default
    assert at.multiselect(key="abl_units").value == sorted(int(u) + 1 for u in classes.for_class(tour_class)[:20])
    many, few = reference["by_count"][0], reference["by_count"][-1]
    for k, n in ((many, 5), (many, 1), (few, len(classes.for_class(few)) + 3)):
        at.selectbox(key="abl_speaker").set_value(k).run()
        at.slider(key="abl_k").set_value(n).run()
        listed = classes.for_class(k)
        if not listed.size:
            assert at.button(key="abl_fill").disabled
            assert any(f"No unit singles out {info.class_names[k - 1]}" in c.value for c in at.caption)
            continue
        at.button(key="abl_fill").click().run()
        assert not at.exception
        assert at.multiselect(key="abl_units").value == sorted(int(u) + 1 for u in listed[:n])


def test_every_description_says_on_or_off_only_for_the_units_own_class(reference):
    classes, info, stats = reference["classes"], reference["info"], reference["stats"]
    at = open_app(reference["key"], "pages/units.py")
    table = table_of(at)
    assert len(table) == len(classes.klass)
    claims = 0
    for unit, role, sentence in zip(table["unit"], table["singles out"], table["description"], strict=True):
        u = int(unit) - 1
        said = roles_in(f"{role} {sentence}", info.class_names)
        expected = ("on" if classes.sign[u] > 0 else "off", info.class_names[classes.klass[u] - 1])
        assert all(s == expected for s in said), (unit, said)
        assert bool(said) == bool(classes.klass[u])
        assert stats[u].klass == classes.klass[u]
        claims += len(said)
    assert claims >= len(table)
    shown = at.slider(key="units_unit").value - 1  # the unit on show: its box and its "It singles out" number
    on_show = roles_in(" ".join([*(b.value for b in at.info), *(m.value for m in at.metric)]), info.class_names)
    assert on_show and set(on_show) == {
        ("on" if classes.sign[shown] > 0 else "off", info.class_names[classes.klass[shown] - 1])
    }


def test_the_tour_meets_the_strongest_unit_of_its_recordings_class(reference):
    classes, info = reference["classes"], reference["info"]
    expected = int(classes.for_class(reference["tour_class"])[0]) + 1
    name = info.class_names[reference["tour_class"] - 1]
    at = open_app(reference["key"])
    at.session_state["tour_at"] = 3  # steps 1 to 3 done: Home offers step 4
    at.run()
    lead = f"unit {expected} is the one that singles out {name} most strongly. In words: Unit {expected} is "
    assert any(lead in m.value for m in at.markdown), "step 4 names the strongest unit of its class"
    said = roles_in("\n".join(m.value for m in at.markdown if lead in m.value), info.class_names)
    assert said and all(s[1] == name for s in said)


def test_the_tour_opens_the_units_page_on_that_unit():
    """Step by step through the tour's buttons, on Japanese Vowels."""
    data, _, _, classes = shipped_classes(core.DEFAULT_DATASET)
    expected = int(classes.for_class(int(data.test.labels[TOUR_OBSERVATION - 1]))[0]) + 1
    at = open_app(core.DEFAULT_DATASET)
    for step in (1, 2, 3, 4):
        at.switch_page("pages/home.py").run()
        at.button(key=f"tour_go_{step}").click().run()
        assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["units_unit"] == expected and at.slider(key="units_unit").value == expected


def silence_from_the_unit_page(key: str, classes: units.ClassUnits) -> tuple[AppTest, int]:
    """On the units page, show a unit other than the first and press "Silence unit N"; returns (app, N)."""
    at = open_app(key, "pages/units.py")
    unit = int(classes.ranking()[1]) + 1
    at.slider(key="units_unit").set_value(unit).run()
    button = at.button(key="units_silence")
    assert button.label == f"Silence unit {unit}"
    button.click().run()
    return at, unit


def test_silence_unit_n_opens_silence_units_with_that_unit():
    at, unit = silence_from_the_unit_page(core.DEFAULT_DATASET, shipped_classes(core.DEFAULT_DATASET)[3])
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Silence units"
    assert at.session_state["abl_units"] == [unit] and at.multiselect(key="abl_units").value == [unit]
    assert at.slider(key="abl_from").value == 1


def test_silence_unit_n_opens_silence_units_on_another_data_set():
    at, unit = silence_from_the_unit_page("basicmotions", shipped_classes("basicmotions")[3])
    assert not at.exception, [e.value for e in at.exception][:1]
    assert at.multiselect(key="abl_units").value == [unit]
