"""Figure 1: the batched core against PyTorch's own LSTM and against MATLAB's one-step-at-a-time loop."""

from __future__ import annotations

import time

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

import core
from core.compute.model import pad_sequences

from .common import Result, median, spread

__all__ = ["run", "check_correctness"]

LOOP_BUDGET_MS = 30_000
HOW_LSTM = (
    "`core.run_batch(model, test sequences)` (all 370, from the raw (12, T) arrays; it returns hidden, cell, "
    "gates and probabilities of every step) against the baseline `torch.nn.LSTM` forward over the same "
    "sequences: `pad_sequences` + normalise + `pack_padded_sequence` + `model.lstm(packed)` (hidden states "
    "only). Wall clock (`time.perf_counter`), one warm-up call each, then repetitions interleaved "
    "(batch, LSTM, batch, LSTM, ...), medians; the same `torch.set_num_threads` for both, rows for 1 and 2 "
    "threads. Ratio = ours / baseline (lower is better)."
)
HOW_LONG = (
    "Long recordings, at the size of the UEA archive's ACSF1 test split: 100 recordings of 1,460 steps, 1 channel "
    "(random normal values, seed 0; nothing is downloaded), through an untrained network (seed 0) of 20 and of 100 "
    "hidden units and 10 classes. `core.run_batch` against the packed `nn.LSTM` forward as above (hidden states "
    "only, the same normalised input), 1 torch thread, one warm-up call each, repetitions interleaved, medians. "
    "Correctness: run_batch's hidden states equal nn.LSTM's to 1e-5."
)
LONG_SHAPE = (100, 1460, 1)  # recordings, steps, channels: ACSF1's test split
HOW_LOOP = (
    "MATLAB's `classifyAndUpdateState` loop: for each of the 370 test sequences, `core.step` once per time "
    "step (5,687 calls), state carried by the caller; against one `core.run_batch` call. Interleaved with the "
    "run_batch repetitions (at most 5 loops, fewer once 30 s were spent on them), medians. A loop that runs past "
    "20 s (1 s with --quick; it happens with 2 threads on a busy machine) stops there and "
    "its time is extrapolated from the steps done (per-step cost x 5,687). Ratio = loop / run_batch (higher is better)."
)
HOW_SWEEP = (
    'What if?\'s "How much does it take?": `core.analyses.whatif.sweep(model, x, kind, '
    "sweep_strengths(kind, T))`, 50 strengths of one edit (fewer for cuts, one per step) edited and run in one "
    "`run_batch` call, for each sweep kind (noise, cuts from the start and the end, a channel's factor, speed) "
    "on the longest test recording of each shipped data set with its network; the figure is the slowest kind's "
    "median, at 1 torch thread as each app session runs (`LSTM_EXPLORER_TORCH_THREADS`). Wall clock, one warm-up "
    "call, then repetitions of the kinds interleaved. An absolute bound: the page must answer within 1 s."
)
HOW_FLIP = (
    'What if?\'s "smallest change that flips the answer": `core.analyses.flip.smallest_flip(model, x, c, '
    "training split)` (the nearest training recording of class c, then every stretch of it spliced in, shortest "
    "first, batched by `run_batch`, then the parting of the hidden-state paths) for Japanese Vowels test "
    "recordings 1, 38, 75, ... (every 37th; 2 with --quick) and every class other than the network's answer "
    "(2 with --quick), at 1 torch thread as each app session runs. Wall clock, one warm-up search, then each "
    "case timed 3 times (once with --quick), the case's median kept; the figure is the median over the cases, "
    "and the worst case is in the details and the target. An absolute bound: the page must answer within 2 s. "
    "BasicMotions (100 steps) is timed the same way on 3 recordings (full run only), as context."
)
HOW_ATTRIBUTION = (
    "Why did it decide?'s work for one view: `core.analyses.attribution_checks.explain(model, x, target, kind, "
    "train)` (the starting point, integrated gradients with 64-bit switches within their budget, the deletion check "
    "with 10 random draws, the map of a network with shuffled weights and the rank correlation), for each starting "
    "point (the other classes' average, zeros, an average recording), target the network's answer, at 1 torch "
    "thread as each app session runs. Cases: the longest Japanese Vowels test recording with the shipped network; "
    "BasicMotions test recording 7 with its network (from the average recording the path holds a switch, "
    "integrated in 64 bits); a one-channel recording of 200 steps (a seeded random walk) with seeded untrained "
    "networks of 20 units (the Model lab's default) and 100 units, the training split 30 such walks of 3 classes. "
    "Wall clock, one warm-up call, then repetitions of the cases interleaved; the figure is the slowest case's "
    "median. An absolute bound: the page must answer in well under 3 s."
)
HOW_CHECK = (
    "Correctness, checked before timing: every sequence's slice of `run_batch` equals `run_sequence` (hidden, "
    "cell, gates, probabilities) to 1e-5; the packed `nn.LSTM` hidden states equal run_batch's; the step loop's "
    "states and probabilities equal run_batch's. Any difference fails the benchmark."
)


def _lstm_forward(model: core.LSTMClassifier, sequences) -> tuple[torch.Tensor, torch.Tensor]:
    """The baseline: pad, normalise, pack and run ``model.lstm``; returns padded hidden (B, T, H) and lengths."""
    with torch.no_grad():
        x, lengths = pad_sequences(sequences)  # (B, T, F), (B,)
        z = (x - model.feature_mean) / model.feature_std
        packed = pack_padded_sequence(z, lengths, batch_first=True, enforce_sorted=False)
        out, _ = model.lstm(packed)
    return out, lengths


def _step_loop(model: core.LSTMClassifier, sequences) -> list[tuple[np.ndarray, np.ndarray]]:
    """MATLAB's loop: one ``core.step`` per time step; returns each sequence's (hidden (T, H), probs (T, C))."""
    out = []
    for x in sequences:
        state, hs, ps = None, [], []
        for x_t in x.T:  # (12,)
            state, o = core.step(model, x_t, state)
            hs.append(o.hidden[-1])  # the top layer, (H,)
            ps.append(o.probs)
        out.append((np.stack(hs), np.stack(ps)))
    return out


def _timed_loop(model, sequences, budget_ms: float) -> tuple[float, int]:
    """Milliseconds for the whole step loop; if it runs past ``budget_ms`` it stops at that step and the time
    is extrapolated from the steps done (a per-step cost). Returns (ms, steps done)."""
    total_steps = sum(x.shape[1] for x in sequences)
    done = 0
    start = time.perf_counter()
    deadline = start + budget_ms / 1000
    for x in sequences:
        state = None
        for x_t in x.T:  # (12,)
            state, _ = core.step(model, x_t, state)
            done += 1
            if time.perf_counter() > deadline:
                break
        else:
            continue
        break
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed * total_steps / done, done


def check_correctness(model, sequences, batch: core.BatchTrace) -> list[str]:
    """Raise AssertionError unless run_batch, run_sequence, nn.LSTM and the step loop agree to 1e-5."""
    tol = dict(rtol=0, atol=1e-5)
    for i, x in enumerate(sequences):
        one, part = core.run_sequence(model, x), batch[i]
        for name in ("hidden", "cell", "gates", "probs"):
            np.testing.assert_allclose(
                getattr(part, name),
                getattr(one, name),
                **tol,
                err_msg=f"run_batch differs from run_sequence: sequence {i}, {name}",
            )
    out, lengths = _lstm_forward(model, sequences)
    padded, _ = pad_packed_sequence(out, batch_first=True)
    np.testing.assert_allclose(padded.numpy(), batch.hidden, **tol, err_msg="run_batch hidden differs from nn.LSTM")
    loop = _step_loop(model, sequences)
    for i, (h, p) in enumerate(loop):
        np.testing.assert_allclose(h, batch[i].hidden, **tol, err_msg=f"step loop differs: sequence {i}, hidden")
        np.testing.assert_allclose(p, batch[i].probs, **tol, err_msg=f"step loop differs: sequence {i}, probs")
    return [
        f"correctness: run_batch == run_sequence for all {len(sequences)} sequences (hidden, cell, gates, probs), "
        "== nn.LSTM packed hidden, == core.step loop (hidden, probs), all to 1e-5: passed"
    ]


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _slowest_case(cases: list[tuple], reps: int, timed) -> tuple[dict[str, list[float]], str, float]:
    """Time ``timed(*case[1:])`` for every case (a tuple whose first item is its label), the cases interleaved, after
    one untimed warm-up round: every case's times in ms, the label of the case with the slowest median, and that
    median."""
    times: dict[str, list[float]] = {label: [] for label, *_ in cases}
    for rep in range(-1, reps):  # rep -1: the warm-up
        for label, *args in cases:
            ms = _time(lambda a=args: timed(*a))
            if rep >= 0:
                times[label].append(ms)
    slowest = max(times, key=lambda label: median(times[label]))
    return times, slowest, median(times[slowest])


def run(quick: bool) -> list[Result]:
    data, model = core.load_dataset(), core.load_model()
    sequences = data.test.sequences
    previous = torch.get_num_threads()
    results: list[Result] = []
    try:
        torch.set_num_threads(1)
        checked = check_correctness(model, sequences, core.run_batch(model, sequences))
        reps, loop_reps = (2, 1) if quick else (21, 5)
        loop_budget = 1_000 if quick else 20_000
        for threads in (1,) if quick else (1, 2):  # --quick: the same code path once, at 1 thread
            torch.set_num_threads(threads)
            batch_ms, lstm_ms, loop_ms, loop_done = [], [], [], []
            for fn in (lambda: core.run_batch(model, sequences), lambda: _lstm_forward(model, sequences)):
                fn()  # warm-up
            loop_every = max(1, reps // loop_reps)
            for rep in range(reps):
                _time_pair(model, sequences, batch_ms, lstm_ms, rep)
                # the loop takes seconds (minutes with 2 threads on a busy machine): bounded by a time budget
                if (
                    rep % loop_every == 0
                    and len(loop_ms) < loop_reps
                    and (not loop_ms or sum(loop_ms) < LOOP_BUDGET_MS)
                ):
                    ms, done = _timed_loop(model, sequences, loop_budget)
                    loop_ms.append(ms)
                    loop_done.append(done)
            b, s = median(batch_ms), median(loop_ms)
            results.append(
                _versus_lstm(
                    f"370 seqs, {threads} thread{'s' * (threads > 1)}",
                    batch_ms,
                    lstm_ms,
                    quick,
                    checked if threads == 1 else [],
                )
            )
            results.append(
                Result(
                    "core",
                    f"core: run_batch speed-up over core.step loop, {threads} thread{'s' * (threads > 1)}",
                    b,
                    s,
                    "ms",
                    ">= 50x",
                    None if quick else s / b >= 50,
                    ratio=s / b,
                    how=HOW_LOOP,
                    details=[
                        f"core.step loop: {spread(loop_ms)}; steps actually run per loop: "
                        f"{', '.join(map(str, loop_done))} of {sum(x.shape[1] for x in sequences)}"
                    ],
                )
            )
        torch.set_num_threads(1)
        results += [_other_dataset_row(key, quick) for key in core.DATASETS if key != core.DEFAULT_DATASET]
        results += [_long_recordings_row(hidden_size, quick) for hidden_size in (20, 100)]
        results.append(_sweep_row(quick))
        results.append(_flip_row(quick))
        results.append(_attribution_row(quick))
    finally:
        torch.set_num_threads(previous)
    results[0].how += "\n\n" + HOW_CHECK
    return results


def _other_dataset_row(key: str, quick: bool) -> Result:
    """run_batch against one packed nn.LSTM forward on another shipped data set's test split, with its network."""
    data, model = core.load_dataset(key), core.load_model(core.checkpoint_path(key))
    sequences = data.test.sequences
    shape = f"{len(sequences)} seqs of {sequences[0].shape[0]} channels, {int(data.test.lengths.max())} steps"
    return _row_versus_lstm(model, sequences, f"{data.info.title} ({shape}), 1 thread", quick, HOW_LSTM)


def _long_recordings_row(hidden_size: int, quick: bool) -> Result:
    """run_batch against one packed nn.LSTM forward at ACSF1's size, with an untrained network of ``hidden_size``."""
    n, steps, channels = LONG_SHAPE
    rng = np.random.default_rng(0)
    sequences = [rng.normal(size=(channels, steps)) for _ in range(n)]  # each (1, 1460)
    torch.manual_seed(0)
    config = core.ModelConfig(n_features=channels, hidden_size=hidden_size, n_classes=10)
    model = core.LSTMClassifier(config).eval()
    what = f"ACSF1 size ({n} recordings of {steps:,} steps, {channels} channel), {hidden_size} units, 1 thread"
    return _row_versus_lstm(model, sequences, what, quick, HOW_LONG)


def _row_versus_lstm(model, sequences, what: str, quick: bool, how: str) -> Result:
    """Check run_batch's hidden states against the packed nn.LSTM forward, then time both (interleaved)."""
    batch = core.run_batch(model, sequences)
    out, _ = _lstm_forward(model, sequences)
    padded, _ = pad_packed_sequence(out, batch_first=True)
    np.testing.assert_allclose(padded.numpy(), batch.hidden, rtol=1e-5, atol=1e-5, err_msg=f"{what}: run_batch hidden")
    reps = 2 if quick else 21
    batch_ms, lstm_ms = [], []
    for rep in range(reps):
        _time_pair(model, sequences, batch_ms, lstm_ms, rep)
    checked = [f"correctness: run_batch's hidden states equal nn.LSTM's on all {len(sequences)} sequences to 1e-5"]
    return _versus_lstm(what, batch_ms, lstm_ms, quick, checked, how)


def _time_pair(model, sequences, batch_ms: list[float], lstm_ms: list[float], rep: int) -> None:
    """Time run_batch and the packed nn.LSTM forward once each, in an order that alternates with ``rep``."""
    pair = [(batch_ms, lambda: core.run_batch(model, sequences)), (lstm_ms, lambda: _lstm_forward(model, sequences))]
    for store, fn in pair if rep % 2 == 0 else pair[::-1]:
        store.append(_time(fn))


def _versus_lstm(
    what: str, batch_ms: list[float], lstm_ms: list[float], quick: bool, checked: list[str], how: str = HOW_LSTM
) -> Result:
    """The row of run_batch against the packed nn.LSTM forward, medians of the times in ms."""
    b, packed = median(batch_ms), median(lstm_ms)
    return Result(
        "core",
        f"core: run_batch vs nn.LSTM packed, {what}",
        b,
        packed,
        "ms",
        "<= 2x",
        None if quick else b / packed <= 2,
        ratio=b / packed,
        how=how,
        details=[f"run_batch: {spread(batch_ms)}", f"nn.LSTM packed: {spread(lstm_ms)}", *checked],
    )


def _sweep_row(quick: bool) -> Result:
    """The What if? sweep of every kind on the longest test recording of every shipped data set; the slowest."""
    whatif = core.analyses.whatif
    cases = []  # (label, model, x, kind)
    for key in core.DATASETS:
        data = core.load_dataset(key)
        model = core.load_model(core.checkpoint_path(key))
        x = data.test.sequences[int(data.test.lengths.argmax())]  # (F, T_max)
        cases += [(f"{data.info.title} {kind}", model, x, kind) for kind in whatif.SWEEP_KINDS]
    first_model, first_x = cases[0][1], cases[0][2]
    strengths = whatif.sweep_strengths("noise", first_x.shape[1])[:5]
    loop = [
        core.run_sequence(first_model, whatif.apply_edits(first_x, [whatif.noise(s, 0)])).probs[-1] for s in strengths
    ]
    np.testing.assert_allclose(whatif.sweep(first_model, first_x, "noise", strengths).probs, loop, atol=1e-5)
    times, slowest, ms = _slowest_case(
        cases, 2 if quick else 15, lambda m, s, k: whatif.sweep(m, s, k, whatif.sweep_strengths(k, s.shape[1]))
    )
    return Result(
        "core",
        "core: What if? sweep of 50 strengths (one run_batch call), slowest kind, 1 thread",
        ms,
        None,
        "ms",
        "< 1000 ms",
        None if quick else ms < 1000,
        how=HOW_SWEEP,
        details=[
            f"slowest: {slowest}",
            *(f"{label}: {spread(values)}" for label, values in times.items()),
            "correctness: the sweep's final probabilities equal a loop of run_sequence on each edited recording "
            "(5 noise strengths) to 1e-5: passed",
        ],
    )


def _flip_cases(key: str, recordings, classes_per_recording: int | None):
    """(label, model, x, c, training) for the given test recordings (0-based) of data set ``key`` and the classes
    other than the network's answer (the first ``classes_per_recording`` of them; all for None)."""
    data = core.load_dataset(key)
    model = core.load_model(core.checkpoint_path(key))
    cases = []
    for i in recordings:
        x = data.test.sequences[i]
        answer = int(core.run_sequence(model, x).probs[-1].argmax()) + 1
        others = [c for c in range(1, data.info.n_classes + 1) if c != answer][:classes_per_recording]
        cases += [(f"{data.info.title} recording {i + 1}, class {c}", model, x, c, data.train) for c in others]
    return cases


def _check_flip(model, x, c, training, result) -> None:
    """Raise AssertionError unless the result's edit, applied as a page applies it, makes the network answer c."""
    if result.found:
        edited = core.analyses.whatif.apply_edits(x, [result.edit], training=training.sequences)
        assert int(core.run_sequence(model, edited).probs[-1].argmax()) + 1 == c, "the flip's edit does not flip"


def _brute_force_length(model, x, c, training, neighbour: int) -> int | None:
    """The shortest flipping stretch's length by trying every stretch with apply_edits and run_sequence."""
    whatif = core.analyses.whatif
    overlap = min(x.shape[1], training.sequences[neighbour].shape[1])
    for length in range(1, overlap + 1):
        for first in range(1, overlap - length + 2):
            edit = whatif.splice(neighbour + 1, first, first + length - 1, from_training=True)
            edited = whatif.apply_edits(x, [edit], training=training.sequences)
            if int(core.run_sequence(model, edited).probs[-1].argmax()) + 1 == c:
                return length
    return None


def _flip_row(quick: bool) -> Result:
    """The smallest flip on Japanese Vowels test recordings for every other class; BasicMotions as context."""
    flip = core.analyses.flip
    cases = _flip_cases(core.DEFAULT_DATASET, range(0, 74, 37) if quick else range(0, 370, 37), 2 if quick else None)
    context = [] if quick else _flip_cases("basicmotions", (0, 13, 26), None)
    label, model, x, c, training = cases[0]
    first = flip.smallest_flip(model, x, c, training)  # the warm-up, checked against a brute force
    expected = _brute_force_length(model, x, c, training, first.neighbour)
    got = None if first.edit is None else first.edit.last - first.edit.first + 1
    assert got == expected, f"{label}: the search found a stretch of {got} steps, the brute force {expected}"
    times: dict[str, list[float]] = {}
    outcomes: dict[str, int] = {}
    judged = {label for label, *_ in cases}
    for rep in range(1 if quick else 3):
        for label, model, x, c, training in cases + context:
            start = time.perf_counter()
            result = flip.smallest_flip(model, x, c, training)
            times.setdefault(label, []).append((time.perf_counter() - start) * 1000)
            if rep == 0:
                _check_flip(model, x, c, training, result)
                if label in judged:
                    outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    ours = {label: median(times[label]) for label, *_ in cases}
    worst = max(ours, key=ours.get)
    details = [
        f"Japanese Vowels, {len(cases)} searches (case medians): {spread(ours.values())}; worst: {worst}",
        f"Japanese Vowels outcomes: {', '.join(f'{k} {v}' for k, v in sorted(outcomes.items()))}",
        f"correctness: the first case's stretch has the length a brute force finds ({expected}); every found "
        "edit, applied by apply_edits(training=) and run by run_sequence, makes the network answer the class: passed",
    ]
    if context:
        bm = {label: median(times[label]) for label, *_ in context}
        details.append(f"BasicMotions, {len(context)} searches (context, not judged): {spread(bm.values())}")
    return Result(
        "core",
        "core: What if? smallest change that flips the answer, Japanese Vowels, median (worst < 2 s), 1 thread",
        median(ours.values()),
        None,
        "ms",
        "worst < 2000 ms",
        None if quick else ours[worst] < 2000,
        how=HOW_FLIP,
        details=details,
    )


def _one_channel_case(hidden_size: int) -> tuple[str, core.LSTMClassifier, np.ndarray, core.Split]:
    """A seeded untrained one-channel network, a 200-step random walk and a training split of 30 walks."""
    torch.manual_seed(0)
    model = core.LSTMClassifier(core.ModelConfig(n_features=1, hidden_size=hidden_size, n_classes=3))
    model.eval().requires_grad_(False)
    rng = np.random.default_rng(0)
    walks = [np.cumsum(rng.normal(size=(1, 200)), axis=1) for _ in range(31)]  # (1, 200) each
    train = core.Split(walks[1:], np.arange(30) % 3 + 1)
    return f"1 channel, 200 steps, {hidden_size} units", model, walks[0], train


def _attribution_row(quick: bool) -> Result:
    """Why did it decide?'s explanation (map and both checks) for each starting point; the slowest case."""
    explain = core.analyses.attribution_checks.explain
    vowels, motions = core.load_dataset(), core.load_dataset("basicmotions")
    cases = [  # (label, model, x, train)
        (
            "Japanese Vowels, longest test recording",
            core.load_model(),
            vowels.test.sequences[int(vowels.test.lengths.argmax())],
            vowels.train,
        ),
        (
            "BasicMotions, test recording 7",
            core.load_model(core.checkpoint_path("basicmotions")),
            motions.test.sequences[6],
            motions.train,
        ),
        _one_channel_case(20),
        _one_channel_case(100),
    ]
    runs = [
        (f"{label}, {kind}", model, x, int(core.run_sequence(model, x).predictions[-1]), kind, train)
        for label, model, x, train in cases
        for kind in core.analyses.attribution.BASELINES
    ]
    checked = []
    for label, model, x, target, kind, train in runs:
        found = explain(model, x, target, kind, train)
        probs = core.run_sequence(model, x).probs[-1]  # (C,)
        np.testing.assert_allclose(found.deletion.prob_before, probs[target - 1], atol=1e-5, err_msg=label)
        attr = found.attribution
        checked.append(f"{label}: completeness gap {attr.gap:.3f} of {attr.change:.2f}, switches {attr.switches}")
    times, slowest, ms = _slowest_case(runs, 2 if quick else 7, explain)
    return Result(
        "core",
        "core: Why did it decide? map + deletion + randomisation checks, slowest case, 1 thread",
        ms,
        None,
        "ms",
        "< 3000 ms",
        None if quick else ms < 3000,
        how=HOW_ATTRIBUTION,
        details=[
            f"slowest: {slowest}",
            *(f"{label}: {spread(values)}" for label, values in times.items()),
            "correctness: the deletion check's starting probability equals run_sequence's final probability "
            "of the target to 1e-5 in every case: passed",
            *checked,
        ],
    )
