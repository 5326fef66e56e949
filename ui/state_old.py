"""Per-session state: the sidebar choices, the link (URL) parameters, and page widgets that persist.

Everything here lives in ``st.session_state``, so two users never see each
other's choices. A link's parameters are read once, when the session starts,
and bad values fall back to defaults with a short notice.

A page declares the widgets whose values are in its link as a table of
:class:`LinkParam` (name in the link, widget key, :class:`Domain`, default,
words for a bad value) and hands it to :func:`use_link` before its widgets and
to :func:`write_url` after them; widgets that persist without being in the
link go through :func:`keep`. The session keys of this module start with
``_`` and are read and written only here: pages use the functions below.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import streamlit as st

import core
from core.analyses.lab import LabSettings
from ui import loaders, navigation

__all__ = [
    "SPLIT_LABELS",
    "Selection",
    "Domain",
    "LinkParam",
    "int_in",
    "range_in",
    "one_of",
    "list_in",
    "text_up_to",
    "start_session",
    "sidebar",
    "selection",
    "run_page",
    "current_page",
    "use_link",
    "keep",
    "set_persistent",
    "remember",
    "write_url",
    "url_written",
    "choose_split",
    "choose_network",
    "open_observation",
    "follow_page_request",
    "lab_variants",
    "add_lab_variant",
    "model_options",
    "network",
    "with_network",
    "dataset_options",
    "current_dataset",
    "choose_dataset",
    "uploaded_dataset",
    "store_dataset",
    "forget_dataset",
    "uploaded_sequence",
    "store_upload",
    "forget_upload",
    "show_notices",
    "notice",
]

SPLIT_LABELS = {"test": "Test set", "train": "Training set", "upload": "My own sequence"}
_URL = "_url_at_start"  # (url path, {name: value}) of the link the session was opened with
_URL_WARNED = "_url_warned"  # names of the link parameters already reported as bad
_PAGE = "_page"  # url path of the page this run shows ("" for Home)
_URL_WRITTEN = "_url_written"
_IN_ENTRY_RUN = "_in_entry_run"
_SELECTION = "_selection"  # this run's Selection
_KEPT = "_kept"  # {widget key: value}: the persistent widgets' values, restored when their page is shown again
_FOLLOWED = "_followed"  # {widget key(s): the value the widget's value belongs to (LinkParam.follows)}
_REMEMBERED = "_remembered"  # {name: value}, see remember()
_PAGE_REQUEST = "_page_request"  # file of the page a button callback asked for
_LAB_VARIANTS = "_lab_variants"  # {data set key: {variant key: (label, LabSettings)}}
_UPLOAD = "_uploaded_sequence"  # {data set key: (channels, T) float64, read-only}
_DATASET_UPLOAD = "_uploaded_dataset"  # core.Dataset read from the session's own files, or absent
_NOTICES = "_notices"
_NOTICES_SHOWN = "_notices_shown"


@dataclass(frozen=True)
class Selection:
    """The data set, observation and network that every page shows.

    Attributes
    ----------
    dataset : core.Dataset
        The chosen data set (shipped, or this session's upload); ``dataset.info`` names its classes and channels.
    split : {"test", "train", "upload"}
    index : int
        0-based position in the split (0 for an upload).
    x : ndarray of shape (channels, T)
        Raw values of the recording.
    label : int or None
        True class, 1 to C; None for an upload.
    model_key : str
        ``"shipped"`` or a lab variant's key (the link's ``model``).
    model : core.LSTMClassifier or None
        None only for an uploaded data set on which no network has been trained yet.
    history : list of dict
        The model's training log, one dict per epoch.
    layer : int
        The LSTM layer whose hidden units the pages show, 0-based from the bottom (always the top layer,
        ``model.config.num_layers - 1``, for a one-layer network).
    """

    dataset: core.Dataset
    split: str
    index: int
    x: np.ndarray
    label: int | None
    model_key: str
    model: core.LSTMClassifier | None
    history: list[dict]
    layer: int

    @property
    def info(self) -> core.DatasetInfo:
        """The chosen data set's names: title, class word, class names, channel names."""
        return self.dataset.info

    @property
    def network_key(self) -> str:
        """Names the network and its data set for the caches, e.g. ``"basicmotions/shipped"``."""
        return f"{self.info.key}/{self.model_key}"

    @property
    def title(self) -> str:
        if self.split == "upload":
            return "Your uploaded sequence"
        name = "Test" if self.split == "test" else "Training"
        return f"{name} observation {self.index + 1} ({self.info.class_names[self.label - 1]})"

    @property
    def n_steps(self) -> int:
        return self.x.shape[1]

    @property
    def stacked(self) -> bool:
        """True for a network of 2 or more LSTM layers."""
        return self.model is not None and self.model.config.num_layers > 1

    @property
    def units_owner(self) -> str:
        """Whose hidden units the pages show, for a sentence: ``"the network"``, or for a stacked network
        ``"layer 2 (of 3 stacked layers)"``."""
        if not self.stacked:
            return "the network"
        return f"layer {self.layer + 1} (of {self.model.config.num_layers} stacked layers)"

    @property
    def layer_note(self) -> str:
        """A sentence for the pages of a stacked network: which layer's hidden units are shown."""
        return (
            f"These are the hidden units of {self.units_owner}, the layer chosen in the sidebar's *Layer*; "
            f"layer 1 reads the recording, layer {self.model.config.num_layers} passes its units to the output."
        )

    def trace(self) -> core.Trace:
        """Hidden state, cell state and gates of the chosen layer, and probabilities, after every step."""
        if self.split == "upload":
            return self.sequence_trace(self.x)
        return self.split_traces(self.split)[self.index]

    def sequence_trace(self, x: np.ndarray) -> core.Trace:
        """The chosen layer's trace of a recording ``x`` (channels, T) that is not in the data set."""
        return loaders.sequence_trace(self.model, self.network_key, x).layer(self.layer)

    def split_traces(self, split: str) -> core.BatchTrace:
        """Every sequence of ``split`` (``"train"`` or ``"test"``) seen from the chosen layer; read-only."""
        return loaders.split_traces(self.model, self.network_key, split, self.dataset).layer(self.layer)

    def selectivity(self, split: str = "test") -> core.analyses.units.Selectivity:
        """How strongly each hidden unit of the chosen layer singles out each class over ``split``."""
        return loaders.selectivity(self.model, self.network_key, split, self.layer, self.dataset)

    def unit_stats(self, split: str = "test") -> list:
        """Every hidden unit's statistics (``core.presentation.describe.UnitStats``) of the chosen layer over
        ``split``."""
        return loaders.unit_stats(self.model, self.network_key, split, self.layer, self.dataset)

    def hidden_pca(self) -> core.analyses.projection.PCA:
        """The flat map (2-D PCA) of the chosen layer's training hidden states."""
        return loaders.hidden_pca(self.model, self.network_key, self.layer, self.dataset)

    def projected_split(self, split: str) -> np.ndarray:
        """Every hidden state of ``split`` on :meth:`hidden_pca`'s map, shape (N, T_max, 2)."""
        return loaders.projected_split(self.model, self.network_key, split, self.layer, self.dataset)

    def ablation_predictions(self, silenced: tuple[int, ...], silence_from: int) -> np.ndarray:
        """Final predicted class of every test recording, shape (N,), with units ``silenced`` (0-based) of the
        chosen layer off from step ``silence_from`` (0-based) on."""
        return loaders.ablation_predictions(
            self.model, self.network_key, silenced, silence_from, self.layer, self.dataset
        )

    def attribution(self, baseline: str, target: int) -> core.analyses.attribution.Attribution:
        """Integrated gradients of the chosen recording for class ``target`` (1-based), from ``baseline``."""
        return loaders.attribution(self.model, self.network_key, self.x, baseline, target)


def _layer_label(layer: int, num_layers: int) -> str:
    """The sidebar's name for ``layer`` (0-based) of ``num_layers``: ``"Layer 1 (bottom)"`` ... ``"Layer 3 (top,
    read by the output)"``."""
    if layer == num_layers - 1:
        return f"Layer {layer + 1} (top, read by the output)"
    return f"Layer {layer + 1} (bottom)" if layer == 0 else f"Layer {layer + 1}"


def _unchanged(value, default):
    """A :class:`Domain`'s ``fit`` unless given: every value stays as it is."""
    return value


@dataclass(frozen=True)
class Domain:
    """The values a page setting can take: how link text becomes one, how a value is brought back into
    range, and how a value is written into the link.

    Attributes
    ----------
    parse : callable, str -> value
        Reads link text; raises ``ValueError`` (or ``TypeError``) for text that is no value of the domain.
    fit : callable, (value, default) -> value
        The value if it is in the domain, else the nearest one (or ``default``), for a kept value whose range
        has shrunk since (a shorter recording, a smaller network). Returns the value unchanged unless given.
    write : callable, value -> str or None
        The value as link text; ``None`` leaves the parameter out of the link. ``str`` unless given.
    """

    parse: Callable[[str], object]
    fit: Callable[[object, object], object] = _unchanged
    write: Callable[[object], str | None] = str


@dataclass(frozen=True)
class LinkParam:
    """A page widget whose value is in the link and persists across page switches: one row of a page's table.

    Attributes
    ----------
    name : str
        The parameter's name in the link (``units`` in ``?units=1-10``).
    key : str or tuple of str
        The widget's session key. A tuple for one parameter shown by several widgets; the value is then the
        tuple of their values, in that order.
    domain : Domain
    default : object
        The value when the link holds none or a bad one (and the widget has none yet).
    expected : str
        What a good value looks like, for the notice about a bad one: "… is not ``expected``".
    follows : object, optional
        What the value belongs to, e.g. the observation shown: when it changes, the widget starts again from
        its first value (the link's or the default).
    """

    name: str
    key: str | tuple[str, ...]
    domain: Domain
    default: object
    expected: str
    follows: object = None


def int_in(low: int, high: int) -> Domain:
    """Whole numbers from ``low`` to ``high``, written ``"7"``; a kept value outside is moved to the nearest end."""

    def parse(raw: str) -> int:
        value = int(raw)
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    return Domain(parse, fit=lambda value, default: min(max(value, low), high))


def range_in(low: int, high: int) -> Domain:
    """Ranges ``(a, b)`` with ``low <= a <= b <= high``, written ``"a-b"``; kept ends outside are moved in."""

    def parse(raw: str) -> tuple[int, int]:
        a, b = (int(v) for v in raw.split("-"))
        if not low <= a <= b <= high:
            raise ValueError(raw)
        return a, b

    return Domain(
        parse,
        fit=lambda value, default: tuple(min(max(v, low), high) for v in value),
        write=lambda value: f"{value[0]}-{value[1]}",
    )


def one_of(options) -> Domain:
    """The members of ``options`` (its keys, for a dict), written as they are; a kept value no longer among them
    becomes the default."""

    def parse(raw: str) -> str:
        if raw not in options:
            raise ValueError(raw)
        return raw

    return Domain(parse, fit=lambda value, default: value if value in options else default)


def list_in(low: int, high: int) -> Domain:
    """Sorted lists of distinct whole numbers from ``low`` to ``high``, written ``"3,17,42"`` (``""``: none);
    kept numbers outside are dropped."""

    def parse(raw: str) -> list[int]:
        chosen = sorted({int(v) for v in raw.split(",") if v.strip()})
        if any(not low <= v <= high for v in chosen):
            raise ValueError(raw)
        return chosen

    return Domain(
        parse,
        fit=lambda value, default: [v for v in value if low <= v <= high],
        write=lambda value: ",".join(str(v) for v in value),
    )


def text_up_to(length: int) -> Domain:
    """Text, cut to ``length`` characters; written without surrounding spaces, left out of the link when empty."""
    return Domain(lambda raw: raw[:length], write=lambda value: value.strip() or None)


def notice(text: str) -> None:
    """Show a short message once: queued for the top of the page, or at once if the page is already running."""
    if st.session_state.get(_NOTICES_SHOWN):  # a page's own link parameter: the queue was shown already
        st.warning(text, icon=":material/warning:")
    else:
        st.session_state.setdefault(_NOTICES, []).append(text)


def show_notices() -> None:
    for text in st.session_state.pop(_NOTICES, []):
        st.warning(text, icon=":material/warning:")
    st.session_state[_NOTICES_SHOWN] = True


def start_session(page_url_path: str) -> None:
    """Remember the link the session was opened with (its page and parameters), once; note the page."""
    if _URL not in st.session_state:
        st.session_state[_URL] = (page_url_path, st.query_params.to_dict())
    st.session_state[_PAGE] = page_url_path
    st.session_state[_NOTICES_SHOWN] = False


def _session(session):
    """``session`` (a session state, such as an AppTest's ``at.session_state``), or this run's."""
    return st.session_state if session is None else session


def current_page(session=None) -> str:
    """The url path of the page shown (``""`` for Home) in ``session``, this run's by default."""
    return _session(session).get(_PAGE, "")


def _link_value(name: str, parse: Callable[[str], object], default, expected: str, *, shared: bool = False):
    """A parameter of the link the session started with, parsed; ``default`` if absent or bad.

    A page's own parameters (``shared=False``) only apply on the page the link
    opened. ``parse`` raises ``ValueError`` for a bad value; the user then gets
    a notice that says what was expected and what is shown instead.
    """
    start_page, params = st.session_state.get(_URL, ("", {}))
    if name not in params or not (shared or start_page == st.session_state.get(_PAGE)):
        return default
    raw = params[name]
    try:
        return parse(raw)
    except (ValueError, TypeError):
        # The value is shown inside a code span: notices are Markdown, and text from a link must not become a link,
        # an image or a colour directive on the screen of whoever opens it.
        shown = repr(raw[:40]).replace("`", "'")
        warned = st.session_state.setdefault(_URL_WARNED, set())  # read again when a widget lost its value
        if name not in warned:
            warned.add(name)
            instead = "none" if isinstance(default, (tuple, list)) and not default else repr(default)
            notice(f"The link's value for “{name}” (`{shown}`) is not {expected}; showing {instead} instead.")
        return default


def _keys(key: str | tuple[str, ...]) -> tuple[str, ...]:
    return key if isinstance(key, tuple) else (key,)


def _value(key: str | tuple[str, ...]):
    """The value of widget ``key`` (a tuple of values for a tuple of keys)."""
    return tuple(st.session_state[k] for k in key) if isinstance(key, tuple) else st.session_state[key]


def _keep(key: str | tuple[str, ...], initial: Callable[[], object], default, domain: Domain | None, follows) -> None:
    """Give widget ``key`` its value before it is drawn: its current one, else its kept one, else ``initial()``
    (``default`` once ``follows`` has changed);
    fitted into ``domain``; and keep it, so that it survives page switches (Streamlit forgets the value of a
    widget whose page is left)."""
    keys = _keys(key)
    kept = st.session_state.setdefault(_KEPT, {})
    moved_on = False  # what the value follows has changed since it was set: it starts over at the default
    if follows is not None:
        followed = st.session_state.setdefault(_FOLLOWED, {})
        moved_on = key in followed and followed[key] != follows
        if moved_on:
            for k in keys:
                st.session_state.pop(k, None)
                kept.pop(k, None)
        followed[key] = follows
    missing = [k for k in keys if k not in st.session_state]
    if any(k not in kept for k in missing):
        first = default if moved_on else initial()
        first = dict(zip(keys, first if isinstance(key, tuple) else (first,), strict=True))
    for k in missing:
        st.session_state[k] = kept[k] if k in kept else first[k]
    if domain is not None:
        value = _value(key)
        fitted = domain.fit(value, default)
        if fitted != value:
            for k, v in zip(keys, fitted if isinstance(key, tuple) else (fitted,), strict=True):
                st.session_state[k] = v
    for k in keys:
        kept[k] = st.session_state[k]


def use_link(params: Sequence[LinkParam]) -> None:
    """Give each widget of the page's table ``params`` its value; call it before the widgets are drawn.

    The value is the widget's last one (from this page's earlier runs or visits), else the link's (on the page
    the link opened only; a bad one gives a notice), else the default; then the domain fits it into the page's
    current range. :func:`write_url` writes the values back into the link.
    """
    for param in params:
        _keep(
            param.key,
            lambda p=param: _link_value(p.name, p.domain.parse, p.default, p.expected),
            param.default,
            param.domain,
            param.follows,
        )


def keep(key: str, initial, domain: Domain | None = None, follows=None) -> None:
    """Give widget ``key``, which is not in the link, a value that survives page switches: its last one, else
    ``initial``; fitted into ``domain`` if given; ``follows`` as in :class:`LinkParam`."""
    _keep(key, lambda: initial, initial, domain, follows)


def set_persistent(key: str, value) -> None:
    """Set the value of a persistent widget (see :func:`use_link`, :func:`keep`), also if its page is not shown:
    from a callback, before the widget is drawn."""
    st.session_state[key] = value
    st.session_state.setdefault(_KEPT, {})[key] = value


def _mirror_kept() -> None:
    """Keep every persistent widget's current value; fragment reruns skip :func:`use_link`, so :func:`write_url`
    (which every page and fragment calls last) does this too."""
    kept = st.session_state.setdefault(_KEPT, {})
    for key in kept:
        if key in st.session_state:
            kept[key] = st.session_state[key]


def remember(name: str, value, first=None):
    """Keep ``value`` under ``name`` for this session; return what was kept there before (``first`` at first).

    For a page that acts on a change only, e.g. a new pick in a chart whose selection stays in its state.
    """
    remembered = st.session_state.setdefault(_REMEMBERED, {})
    previous = remembered.get(name, first)
    remembered[name] = value
    return previous


def current_dataset(session=None) -> str:
    """The key of the data set chosen in ``session`` (this run's by default): a shipped one's, or the upload's."""
    return _session(session).get("sel_data", core.DEFAULT_DATASET)


def lab_variants(session=None) -> dict[str, tuple[str, LabSettings]]:
    """The networks trained in the Model lab on the chosen data set in ``session`` (this run's by default):
    key -> (label, settings)."""
    session = _session(session)
    return dict((session.get(_LAB_VARIANTS) or {}).get(current_dataset(session), {}))


def add_lab_variant(key: str, label: str, settings: LabSettings) -> None:
    """Offer a network trained in the Model lab on the chosen data set in the sidebar's list, for this session
    only."""
    st.session_state.setdefault(_LAB_VARIANTS, {}).setdefault(current_dataset(), {})[key] = (label, settings)


def model_options() -> dict[str, str]:
    """The networks of the chosen data set: key -> name in the sidebar (the pretrained one first, where the data
    set ships one)."""
    options = {}
    if current_dataset() in core.DATASETS:
        hidden = loaders.shipped_model(current_dataset()).config.hidden_size
        options["shipped"] = f"Pretrained (shipped, {hidden} units)"
    options.update({key: label for key, (label, _) in lab_variants().items()})
    return options


def uploaded_dataset(session=None) -> core.Dataset | None:
    """The data set uploaded in ``session`` (this run's by default), or None."""
    return _session(session).get(_DATASET_UPLOAD)


def dataset_options(session=None) -> dict[str, str]:
    """The data sets to choose from in ``session``: key -> title; the shipped ones, then the session's upload."""
    options = {key: shipped.info.title for key, shipped in core.DATASETS.items()}
    if (mine := uploaded_dataset(session)) is not None:
        options[mine.info.key] = f"{mine.info.title} (yours)"
    return options


def choose_dataset(key: str) -> None:
    """Button callback: show data set ``key`` on every page: the sidebar's choice."""
    st.session_state["sel_data"] = key


def store_dataset(data: core.Dataset) -> None:
    """Keep ``data`` as this session's own data set (replacing an earlier one, its networks and its sequence) and
    choose it in the sidebar."""
    forget_dataset()
    st.session_state[_DATASET_UPLOAD] = data
    choose_dataset(data.info.key)


def forget_dataset() -> None:
    """Drop this session's own data set, and the networks and sequence of it; the sidebar goes back to the
    default data set if it showed it."""
    data = st.session_state.pop(_DATASET_UPLOAD, None)
    if data is None:
        return
    st.session_state.get(_LAB_VARIANTS, {}).pop(data.info.key, None)
    st.session_state.get(_UPLOAD, {}).pop(data.info.key, None)
    if current_dataset() == data.info.key:
        choose_dataset(core.DEFAULT_DATASET)


def _chosen_dataset() -> core.Dataset:
    key = current_dataset()
    return loaders.dataset(key) if key in core.DATASETS else uploaded_dataset()


def uploaded_sequence(session=None) -> np.ndarray | None:
    """The sequence uploaded for the chosen data set in ``session`` (this run's by default), shape (channels, T),
    read-only; None if none."""
    session = _session(session)
    return (session.get(_UPLOAD) or {}).get(current_dataset(session))


def store_upload(x: np.ndarray) -> None:
    """Keep ``x`` (channels, T) as this session's own sequence of the chosen data set, offered in the sidebar as
    "My own sequence"."""
    x.flags.writeable = False
    st.session_state.setdefault(_UPLOAD, {})[current_dataset()] = x


def forget_upload() -> None:
    """Drop this session's own sequence; the sidebar goes back to the test set if it showed it."""
    st.session_state.get(_UPLOAD, {}).pop(current_dataset(), None)
    if st.session_state.get("sel_split") == "upload":
        choose_split("test")


def network(model_key: str) -> tuple[core.LSTMClassifier, list[dict]]:
    """Network ``model_key`` of the chosen data set (``"shipped"`` or a lab variant's key, see
    :func:`model_options`) and its training log, one dict per epoch."""
    if model_key == "shipped":
        return loaders.shipped_model(current_dataset()), loaders.shipped_meta(current_dataset())["history"]
    variant = loaders.lab_variant(lab_variants()[model_key][1], current_dataset(), _chosen_dataset())
    return variant.model, variant.history


def with_network(sel: Selection, model_key: str) -> Selection:
    """``sel`` with network ``model_key`` of the same data set in place of its own (its top layer): the same
    recording seen by another network."""
    model, history = network(model_key)
    return replace(sel, model_key=model_key, model=model, history=history, layer=model.config.num_layers - 1)


def _start_value(key: str, name: str, domain: Domain, default, expected: str, fallback=None):
    """Give sidebar widget ``key`` the link's ``name`` (shared by every page) when it has no value yet; a value
    not in ``domain`` any more (the options changed) becomes ``fallback`` (``default`` if not given)."""
    if key not in st.session_state:
        st.session_state[key] = _link_value(name, domain.parse, default, expected, shared=True)
    elif domain.fit(st.session_state[key], None) is None:
        st.session_state[key] = default if fallback is None else fallback


def sidebar() -> Selection:
    """Draw the shared sidebar choices and return the current :class:`Selection`."""
    datasets = dataset_options()
    _start_value("sel_data", "data", one_of(datasets), core.DEFAULT_DATASET, "a data set of this app")
    uploaded = uploaded_sequence()
    splits = ["test", "train"] + (["upload"] if uploaded is not None else [])
    _start_value("sel_split", "split", one_of(splits), "test", "test or train")
    with st.sidebar:
        st.markdown("### What to look at")
        data_key = st.selectbox(
            "Data set",
            list(datasets),
            format_func=datasets.get,
            key="sel_data",
            help="Which recordings, and the network trained on them. Your own data set appears here once "
            "uploaded on the page “Your own data set”.",
        )
    data = _chosen_dataset()
    info = data.info
    options = model_options()
    first_model = next(iter(options), "")
    _start_value("sel_model", "model", one_of(options), first_model, "a network trained in this session")

    with st.sidebar:
        split = st.radio(
            "Recordings",
            splits,
            format_func=lambda name: SPLIT_LABELS[name] + (f" ({len(data.split(name))})" if name != "upload" else ""),
            key="sel_split",
            help="Which recordings to choose from: the network learned from the training set and never saw the "
            "test set.",
        )
        if split == "upload":
            index, x, label = 0, uploaded, None
            st.caption(f"Your sequence: {uploaded.shape[1]} time steps.")
        else:
            part = data.split(split)
            obs_key = f"sel_obs_{data_key}_{split}"
            if obs_key not in st.session_state:
                start_params = st.session_state[_URL][1]
                linked_data = start_params.get("data", core.DEFAULT_DATASET)  # a bad one fell back to the default
                linked = (
                    start_params.get("split", "test") == split
                    and (linked_data if linked_data in datasets else core.DEFAULT_DATASET) == data_key
                )
                st.session_state[obs_key] = (
                    _link_value("obs", int_in(1, len(part)).parse, 1, f"a number from 1 to {len(part)}", shared=True)
                    if linked
                    else 1
                )
            number = st.slider(
                "Observation",
                1,
                len(part),
                key=obs_key,
                help=f"Which recording to show. Each one is labelled with its {info.class_word}.",
            )
            index, x, label = number - 1, part.sequences[number - 1], int(part.labels[number - 1])
            st.caption(f"{info.class_names[label - 1].capitalize()} · {x.shape[1]} time steps")
        model, history, layer = None, [], 0
        if options:
            model_key = st.selectbox(
                "Network",
                list(options),
                format_func=options.get,
                key="sel_model",
                help="The pretrained network, or one you trained in the Model lab.",
            )
        else:
            model_key = ""
            st.caption(f"No network has been trained on {info.title} yet: train one in the Model lab.")
    if model_key:
        model, history = network(model_key)
    if model is not None:
        with st.sidebar:
            layer = _layer_choice(model.config.num_layers)
    return Selection(data, split, index, x, label, model_key, model, history, layer)


def _layer_choice(num_layers: int) -> int:
    """The sidebar's Layer choice (0-based), drawn only for a network of 2 or more layers; the top by default,
    or the link's ``layer`` (1-based)."""
    if num_layers == 1:
        return 0
    if st.session_state.get("sel_layer") not in range(num_layers):
        st.session_state["sel_layer"] = (
            _link_value(
                "layer", int_in(1, num_layers).parse, num_layers, f"a layer from 1 to {num_layers}", shared=True
            )
            - 1
        )
    return st.selectbox(
        "Layer",
        list(range(num_layers)),
        format_func=lambda k: _layer_label(k, num_layers),
        key="sel_layer",
        help="Which LSTM layer's hidden units the pages show. The layers are stacked: each one reads what the "
        "layer below passes on, and the network's answer is read from the top one.",
    )


def selection() -> Selection:
    """The selection the entry point computed for this run; call it at the top of every page.

    With a folder named ``pages/`` next to the entry point, Streamlit starts
    in its older multipage mode and runs a linked page's file directly, without
    the entry point, until some session calls ``st.navigation`` (so it does on
    every first run under AppTest). A page run that way declares the app's
    menu, a call to ``st.navigation`` that ends the older mode for every
    session of the server, and reruns: the rerun goes through the entry point
    to the same page (Streamlit names a page's run after its address, which is
    its file's name in both modes, see ``ui.navigation``).
    """
    if not st.session_state.get(_IN_ENTRY_RUN):
        navigation.menu()
        st.rerun()
    return st.session_state[_SELECTION]


def run_page(page, sel: Selection) -> None:
    """Run ``page``, the ``st.Page`` chosen in the menu, with ``sel`` as this run's selection (the entry point's
    last step)."""
    st.session_state[_SELECTION] = sel
    if sel.model is None and navigation.page(page.url_path).needs_network:
        st.title(page.title)
        st.info(
            f"No network has been trained on {sel.info.title} yet, so there is nothing inside to look at. Train one "
            "in the Model lab (a minute or two); it then appears in the sidebar's *Network* list, and this page "
            "shows it.",
            icon=":material/science:",
        )
        st.page_link(navigation.page("lab").file, label="Open the Model lab", icon=":material/science:")
        return
    st.session_state[_IN_ENTRY_RUN] = True
    try:
        page.run()
    finally:
        st.session_state[_IN_ENTRY_RUN] = False


def choose_split(split: str) -> None:
    """Button callback: show ``split`` (``"test"``, ``"train"`` or ``"upload"``) on every page: the sidebar's choice."""
    st.session_state["sel_split"] = split


def choose_network(model_key: str) -> None:
    """Button callback: show network ``model_key`` (``"shipped"`` or a lab variant's key) on every page: the
    sidebar's choice."""
    st.session_state["sel_model"] = model_key


def open_observation(split: str, number: int, page: navigation.Page) -> None:
    """Button callback: make observation ``number`` (1-based) of ``split`` the sidebar's choice and open ``page``.

    The page opens early in the run the click starts (:func:`follow_page_request`): ``st.switch_page`` does not
    work in a callback under AppTest, whose pages are unknown until ``st.navigation`` runs, and the clicked
    button is often gone from that run.
    """
    choose_split(split)
    st.session_state[f"sel_obs_{current_dataset()}_{split}"] = number
    st.session_state[_PAGE_REQUEST] = page.file


def follow_page_request() -> None:
    """Open the page a button callback asked for (:func:`open_observation`), if any.

    The entry point calls it after the sidebar; a fragment whose buttons ask for pages calls it first thing, since
    a click there reruns the fragment only.
    """
    file = st.session_state.pop(_PAGE_REQUEST, None)
    if file:
        st.switch_page(file)


def write_url(params: Sequence[LinkParam] = ()) -> None:
    """Make the address bar reproduce this view: the shared choices, then each of ``params`` (a page's table)
    with its widget's value.

    Pages (and their fragments) call it after their widgets; the entry point
    calls it without any for pages that have none (see :func:`url_written`).
    """
    sel = st.session_state[_SELECTION]  # also called from fragment reruns, which skip the entry point
    link = {} if sel.info.key == core.DEFAULT_DATASET else {"data": sel.info.key}
    link.update({"split": sel.split, "obs": str(sel.index + 1)} if sel.split != "upload" else {"split": "upload"})
    if sel.model_key not in ("shipped", ""):
        link["model"] = sel.model_key
    if sel.stacked:
        link["layer"] = str(sel.layer + 1)
    for param in params:
        text = param.domain.write(_value(param.key))
        if text is not None:
            link[param.name] = text
    if st.query_params.to_dict() != link or any(len(st.query_params.get_all(k)) > 1 for k in link):
        st.query_params.from_dict(link)  # (a repeated parameter, ?obs=1&obs=2, is written back once)
    st.session_state[_URL_WRITTEN] = bool(params)
    _mirror_kept()


def url_written() -> bool:
    """True if the page wrote its own parameters during this run (and resets the flag)."""
    return st.session_state.pop(_URL_WRITTEN, False)
