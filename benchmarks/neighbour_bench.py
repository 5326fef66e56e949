"""The training neighbour: how much slower one visitor's page answers while another visitor trains a network in the
Model lab on the same server, against the same answers with nobody training.

Session B presses the Activations time-step slider (as the slider figure does); session A, in another browser
context on the same server, trains a network in the Model lab with its default settings (a new seed each time, so
that the lab trains instead of loading the network it trained before). Blocks of B's presses with nobody training
and while A trains alternate; only the presses that began and ended while A's training run was going count as
"while training".
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from devtools.browser import Server

from .app_driver import Presses, cache_env, open_app, page_errors, press_slider, start_training, wait_trained
from .common import Result, app_script, median, spread

__all__ = ["training_neighbour"]

MAX_RATIO = 3.0
FIRST_SEED = 1000  # the lab's seeds for A's trainings: FIRST_SEED, FIRST_SEED + 1, ...

HOW = (
    "One fresh server of the run's snapshot (empty disk cache), two browser contexts: B on /activations (Japanese "
    "Vowels, test recording 1), A on the Model lab. B's answers are timed as in the slider figure (ArrowRight on "
    "the time-step thumb -> the app idle again after the run it caused). {rounds} round(s), each one block of B's "
    "presses with nobody training and one while A trains (the order alternating between rounds): for the second, "
    "A presses *Train this network* with the lab's default settings and a new seed, B starts pressing once A's "
    "progress bar shows the first epoch, and presses (at most {per}) while A's run is still going; a press that "
    "ends after A's run has ended does not count. Then A's training is waited for. Ratio = median answer while A "
    "trains / median answer with nobody training; target <= {limit:.0f}x and no errors (stException or page "
    "errors in either session, presses without an answer in 60 s)."
)


async def _a_is_training(a) -> bool:
    return bool(await a.evaluate("window.__stWire.running"))


async def _presses_while_training(a, b, per: int, seed: int) -> tuple[Presses, int, bool]:
    """A trains with ``seed`` while B presses; B's presses that fell wholly inside A's run, how many presses ended
    after it, and whether A trained (not loaded)."""
    finished = await start_training(a, seed=seed)
    await a.get_by_test_id("stProgress").filter(has_text="Training: ").wait_for(state="visible", timeout=120_000)
    during, late = Presses(), 0
    for _ in range(per):
        if not await _a_is_training(a):
            break
        press = await press_slider(b, 1)
        if await _a_is_training(a):
            during.extend(press)
        else:
            late += 1
    trained = await wait_trained(a, finished)
    return during, late, trained


async def training_neighbour(browser, tmp: Path, quick: bool) -> list[Result]:
    rounds, per = (1, 3) if quick else (4, 6)
    server = Server(app_script(), env=cache_env(tmp), name="neighbour", log_dir=tmp)
    contexts = []
    try:
        await asyncio.to_thread(server.start)
        context_b, b = await open_app(browser, server.url + "/activations")
        context_a, a = await open_app(browser, server.url + "/lab", chart=False)
        contexts += [context_b, context_a]
        await press_slider(b, 1 if quick else 3)  # warm-up
        idle, busy = Presses(), Presses()
        late, loaded, seed = 0, 0, FIRST_SEED
        for r in range(rounds):
            for kind in ("idle", "busy") if r % 2 == 0 else ("busy", "idle"):
                if kind == "idle":
                    idle.extend(await press_slider(b, per))
                    continue
                during, ended, trained = await _presses_while_training(a, b, per, seed)
                busy.extend(during)
                late, loaded, seed = late + ended, loaded + (not trained), seed + 1
        errors = await page_errors(a) + await page_errors(b)
    finally:
        for context in contexts:
            await context.close()
        server.stop()
    if not busy.total:
        raise AssertionError("no press of B fell inside A's training: the training ended too soon")
    o, i = median(busy.total), median(idle.total)
    return [
        Result(
            "training_neighbour",
            "slider answer while another session trains in the Model lab, against nobody training",
            o,
            i,
            "ms",
            f"<= {MAX_RATIO:.0f}x, no errors",
            None if quick else (o / i <= MAX_RATIO and errors == 0 and not loaded),
            ratio=o / i,
            how=HOW.format(rounds=rounds, per=per, limit=MAX_RATIO),
            details=[
                f"while A trains, key -> idle: {spread(busy.total)}",
                f"nobody training, key -> idle: {spread(idle.total)}",
                f"while A trains, key -> run starts median {median(busy.to_running):.0f} ms, run -> idle median "
                f"{median(busy.run):.0f} ms; nobody training: {median(idle.to_running):.0f} ms, "
                f"{median(idle.run):.0f} ms",
                f"presses that ended after A's training had ended (not counted): {late}",
                f"A's trainings loaded at once instead of trained (must be 0): {loaded}",
                f"errors in A and B (stException, page errors): {errors}",
            ],
        )
    ]
