"""The browser figures against bare Streamlit apps: the slider, cold start, a freshly woken Cloud app, the page
switch and many users with their memory; the real app in headless Chromium, one browser for all of them.

The app is driven as a visitor drives it (``benchmarks.app_driver``): opened from a link, pages opened from the menu
at the top, the Activations time-step slider pressed with the keyboard.
"""

from __future__ import annotations

import ast
import asyncio
import os
import random
import time
from pathlib import Path

from devtools.browser import Server, wait_settled

from .app_driver import (
    CHART,
    DEFAULT_DATASET,
    Presses,
    cache_env,
    default_steps,
    link,
    menu_links,
    n_test,
    on_dataset,
    open_app,
    page_errors,
    press_slider,
    try_click_page,
    visit_every_page,
)
from .common import (
    BASELINE_APPS,
    REPO,
    Result,
    app_script,
    count_exceptions,
    cpu_now,
    median,
    new_page,
    percentile,
    spread,
)

__all__ = ["cold_start", "cold_cloud", "slider", "page_switch", "many_users"]

HOW_SLIDER = (
    "Headless Chromium, one browser context per app, /activations of the app (test observation 1, units 1-10, "
    "hidden state: a 10 x {steps} heatmap) against `benchmarks/baseline_apps/bare_heatmap.py` (one slider redrawing "
    "ONE Altair heatmap of 10 x {steps} cells; no fragment, no sidebar, no cache). The time-step slider's thumb is "
    "focused and ArrowRight (ArrowLeft at the end) pressed; a script in the page records `performance.now()` at the "
    "keydown, at each run's start and end as the server's messages announce them (`new_session`, "
    "`script_finished`) and "
    "at every change of `[data-testid=stApp]`'s `data-test-script-state`; the answer time is keydown -> the first "
    "`notRunning` drawn after the run the key caused has finished (or that run's finishing message, when React drew no "
    "change of state: short runs under load). {warm} warm-up press(es) each, then {rounds} block(s) of {per} presses "
    "alternating between the apps, 150 ms pause between presses; medians. The time also splits into keydown -> "
    "run starts (the slider's "
    "debounce and the websocket) and run -> idle (the server's rerun and the browser drawing the deltas)."
)


HOW_SHELL = (
    "The same presses, measured in the same blocks, on `benchmarks/baseline_apps/bare_multipage.py`: the bare heatmap "
    "as the default page of an 18-page `st.navigation` in 6 sections as a menu at the top, with the sidebar's "
    "widgets of the app's shared choices: the shell the app has. "
    "The browser redraws that shell on every message of a rerun, so this is the least a multipage app of this shape "
    "can answer in; ratio = ours / this."
)


HOW_FROZEN = (
    "The same presses, in the same blocks, on `benchmarks/baseline_apps/bare_heatmap.py` started with "
    "`BENCH_GC_FREEZE=1`: it calls `gc.freeze()` after its imports, as the app's `ui/loaders.py` does, so that "
    "Streamlit's garbage collection after each run is as short as the app's. The default bare app (the target's "
    "baseline) keeps Streamlit's full collection; this row tells how much of the app's lead over it is that "
    "setting."
)


async def slider(browser, tmp: Path, quick: bool, dataset: str = DEFAULT_DATASET) -> list[Result]:
    """The slider figure on ``dataset``'s test observation 1; the context rows (shell, frozen) on the default data
    set only."""
    steps = default_steps(dataset)
    bare_env = {"BENCH_STEPS": str(steps), "BENCH_UNITS": "10"}
    servers = {
        "ours": Server(app_script(), env=cache_env(tmp), name=f"app-{dataset}", log_dir=tmp),
        "bare": Server(BASELINE_APPS / "bare_heatmap.py", env=bare_env, name=f"bare_heatmap-{steps}", log_dir=tmp),
    }
    if dataset == DEFAULT_DATASET:
        servers["shell"] = Server(BASELINE_APPS / "bare_multipage.py", env=bare_env, name="bare_multipage", log_dir=tmp)
        servers["frozen"] = Server(
            BASELINE_APPS / "bare_heatmap.py",
            env={**bare_env, "BENCH_GC_FREEZE": "1"},
            name="bare_heatmap_frozen",
            log_dir=tmp,
        )
    paths = {"ours": "/activations" + link(dataset), "bare": "/", "shell": "/", "frozen": "/"}
    contexts = []
    try:
        await asyncio.gather(*(asyncio.to_thread(server.start) for server in servers.values()))
        pages = {}
        for name, server in servers.items():
            context, pages[name] = await open_app(browser, server.url + paths[name])
            contexts.append(context)
        warm = 1 if quick else 3
        for page in pages.values():
            await press_slider(page, warm)
        res = {name: Presses() for name in servers}
        cpu = {name: [0.0, 0.0] for name in servers}  # CPU seconds of the server, of the browser, while it pressed
        rounds, per = (1, 3) if quick else (4, 5)
        for r in range(rounds):
            order = list(pages.items())
            for name, page in order if r % 2 == 0 else order[::-1]:
                before = cpu_now(servers[name].proc.pid)
                res[name].extend(await press_slider(page, per))
                after = cpu_now(servers[name].proc.pid)
                cpu[name] = [total + b - a for total, a, b in zip(cpu[name], before, after, strict=True)]
        errors = await count_exceptions(pages["ours"]) + len(pages["ours"]._bench_errors)
        o, b = (median(res[name].total) for name in ("ours", "bare"))
        details = [f"{name}, key -> idle: {spread(res[name].total)}" for name in servers]
        details += [
            f"{name}, key -> run starts: median {median(res[name].to_running):.0f} ms; run -> idle: median "
            f"{median(res[name].run):.0f} ms"
            for name in servers
        ]
        details += [
            "presses that did not move the slider: "
            + ", ".join(f"{n} {res[n].unchanged}" for n in servers)
            + f"; errors on the page (stException or page errors): {errors}",
            "server memory after the presses: " + ", ".join(f"{n} {s.rss_mb():.0f} MB" for n, s in servers.items()),
            "CPU time per press (the pauses between presses included): "
            + "; ".join(
                f"{n} server {1000 * c[0] / len(res[n].total):.0f} ms, browser {1000 * c[1] / len(res[n].total):.0f} ms"
                for n, c in cpu.items()
            ),
        ]
        how = HOW_SLIDER.format(steps=steps, warm=warm, rounds=rounds, per=per)
        results = [
            Result(
                "slider",
                f"slider answer time (/activations, ArrowRight{on_dataset(dataset)})",
                o,
                b,
                "ms",
                "<= 1.5x (aim 1.0x)",
                None if quick else (o / b <= 1.5 and errors == 0),
                ratio=o / b,
                how=how,
                details=details,
            )
        ]
        if dataset != DEFAULT_DATASET:
            return results
        shell, frozen = median(res["shell"].total), median(res["frozen"].total)
        return results + [
            Result(
                "slider",
                "slider answer, against the bare heatmap inside an 18-page navigation",
                o,
                shell,
                "ms",
                "none (context: the multipage shell's own cost)",
                None,
                ratio=o / shell,
                how=HOW_SHELL,
                details=[f"the shell alone costs {shell / b:.2f}x the bare heatmap's time"],
            ),
            Result(
                "slider",
                "slider answer, against the bare heatmap with gc.freeze() as the app",
                o,
                frozen,
                "ms",
                "none (context: the app's collector setting given to the baseline)",
                None,
                ratio=o / frozen,
                how=HOW_FROZEN,
                details=[f"the frozen bare heatmap answers in {frozen / b:.2f}x the time of the default one"],
            ),
        ]
    finally:
        for ctx in contexts:
            await ctx.close()
        for server in servers.values():
            server.stop()


# --------------------------------------------------------------------------- cold start


HOW_COLD = (
    "Wall clock from launching `streamlit run` (a fresh process; for the app an EMPTY disk-cache folder via "
    "`LSTM_EXPLORER_CACHE`, so the test split's traces are computed) to the first chart visible in the browser: "
    "the Activations heatmap (a link to /activations, the page with the app's main figure; the default page, Home, "
    "draws no chart) against `benchmarks/baseline_apps/bare_chart.py` (imports torch, draws one Altair chart) at /. "
    "Chromium is already running; each attempt opens a fresh browser context (empty browser cache) as soon as the "
    "server answers its health check, then waits for a Vega canvas/svg to be visible. Launches alternate between "
    "the two apps; medians. The operating system's file cache is warm (the files were read before)."
)


async def _cold_once(browser, server: Server, path: str) -> tuple[float, float]:
    context, page = await new_page(browser)
    try:
        await asyncio.to_thread(server.start)
        healthy = time.perf_counter()
        await page.goto(server.url + path, wait_until="commit")
        await page.locator(CHART).first.wait_for(state="visible", timeout=120_000)
        done = time.perf_counter()
        return (done - server.started_at) * 1000, (healthy - server.started_at) * 1000
    finally:
        await context.close()
        server.stop()


async def cold_start(browser, tmp: Path, quick: bool) -> list[Result]:
    reps = 1 if quick else 5
    ours, bare, ours_h, bare_h = [], [], [], []
    for r in range(reps):
        runs = [
            ("ours", lambda: Server(app_script(), env=cache_env(tmp), name="cold-app", log_dir=tmp), "/activations"),
            ("bare", lambda: Server(BASELINE_APPS / "bare_chart.py", name="cold-bare", log_dir=tmp), "/"),
        ]
        for name, make, path in runs if r % 2 == 0 else runs[::-1]:
            total, healthy = await _cold_once(browser, make(), path)
            (ours if name == "ours" else bare).append(total)
            (ours_h if name == "ours" else bare_h).append(healthy)
    o, b = median(ours), median(bare)
    return [
        Result(
            "cold_start",
            "cold start to first chart (empty cache, /activations)",
            o,
            b,
            "ms",
            "<= 1.3x",
            None if quick else o / b <= 1.3,
            ratio=o / b,
            how=HOW_COLD,
            details=[
                f"ours: {spread(ours)}",
                f"bare: {spread(bare)}",
                f"launch -> health check answers: ours median {median(ours_h):.0f} ms, bare median "
                f"{median(bare_h):.0f} ms (the rest is the first script run and drawing)",
            ],
        )
    ]


# --------------------------------------------------------------------------- page switch


HOW_FIRST_VISITS = (
    "The same clicks as the page switch figure: the first click on each page's link in the menu in the life of the "
    "server (its disk cache empty), click -> the app idle on the page, so each page computes what it needs for "
    "the first time. The figure is the slowest page; target under 3 s, as for a freshly woken Cloud app."
)
HOW_PAGES = (
    "One browser context on the app; each page's link in the menu at the top is clicked (its section's dropdown "
    "opened first, untimed), in the menu's order, once to warm every page (not with --quick), then {rounds} "
    "round(s) measured. A script in the page records `performance.now()` at the click and the app's script state; "
    "the time "
    "is click -> first `notRunning` after a `running` on the page's address (when the first run to end is one the "
    'previous page had queued, the time runs on to the page\'s own run); "the run itself" is from `running` to '
    "`notRunning`. Median per page; the figure is the SLOWEST page's median (the bound holds for "
    "every page). Absolute bound."
)


async def page_switch(browser, tmp: Path, quick: bool, dataset: str = DEFAULT_DATASET) -> list[Result]:
    server = Server(app_script(), env=cache_env(tmp), name=f"pages-{dataset}", log_dir=tmp)
    context = None
    try:
        await asyncio.to_thread(server.start)
        context, page = await open_app(browser, server.url + "/" + link(dataset), chart=False)
        links = await menu_links(page)
        if quick:  # --quick: the code path, on the first 5 pages
            links = links[:5]
        problems: list[str] = []
        first_visits: dict[str, float] = {}  # title -> ms of the page's first visit in this server's life
        if not quick:  # warm-up round, ending on the first page (--quick: one pass, measured, not judged)
            for target in links[1:] + links[:1]:
                answer = await try_click_page(page, target, [])
                first_visits[target.title] = answer.ms if answer else float("inf")
        rounds = 1 if quick else 3
        times: dict[str, list[float]] = {target.title: [] for target in links}
        runs: dict[str, list[float]] = {target.title: [] for target in links}
        for _ in range(rounds):
            for target in links[1:] + links[:1]:
                answer = await try_click_page(page, target, problems)
                if answer is None:
                    continue
                total, to_running = answer.ms, answer.to_running
                first_visits.setdefault(target.title, total)
                times[target.title].append(total)
                if to_running == to_running:  # not NaN
                    runs[target.title].append(total - to_running)
        errors = await page_errors(page) + len(problems)
        medians = {title: median(v) if v else float("inf") for title, v in times.items()}
        slowest = max(medians, key=medians.get)
        overall = [t for v in times.values() for t in v]
        details = [
            f"{title}: "
            + ", ".join(f"{t:.0f}" for t in times[title])
            + f" ms (median {medians[title]:.0f}"
            + (f"; of which the run itself, median {median(runs[title]):.0f})" if runs[title] else ")")
            for title in medians
        ]
        details += (
            [
                f"all switches: {spread(overall)}",
                f"slowest page: {slowest}",
                f"errors (stException, page errors, clicks without an answer in 30 s or that reloaded the page): "
                f"{errors}",
            ]
            + [f"problem: {p}" for p in problems[:5]]
            + [f"server memory after one session visited every page: {server.rss_mb():.0f} MB"]
        )
        worst = medians[slowest]
        first_slowest = max(first_visits, key=first_visits.get)
        return [
            Result(
                "pages",
                f"first visit of a page, slowest of {len(links)} pages{on_dataset(dataset)}",
                first_visits[first_slowest],
                None,
                "ms",
                "< 3 s per page",
                None if quick else (first_visits[first_slowest] < 3000 and errors == 0),
                how=HOW_FIRST_VISITS,
                details=[f"{title}: {t:.0f} ms" for title, t in first_visits.items()] + [f"slowest: {first_slowest}"],
            ),
            Result(
                "pages",
                f"page switch, slowest of {len(links)} pages "
                + ("(first visits, --quick" if quick else "(warm")
                + f"{on_dataset(dataset)})",
                worst,
                None,
                "ms",
                "< 500 ms",
                None if quick else (worst < 500 and errors == 0),
                how=HOW_PAGES.format(rounds=rounds),
                details=details,
            ),
        ]
    finally:
        if context is not None:
            await context.close()
        server.stop()


# --------------------------------------------------------------------------- many users and memory


def cache_list() -> list[str]:
    """Every Streamlit cache in ui/loaders.py with its bound, read from the source."""
    tree = ast.parse((REPO / "ui" / "loaders.py").read_text())
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for dec in node.decorator_list:
            call = dec if isinstance(dec, ast.Call) else None
            func = call.func if call else dec
            name = ast.unparse(func)
            if "cache_resource" in name or "cache_data" in name:
                bound = "unbounded"
                for kw in call.keywords if call else []:
                    if kw.arg == "max_entries":
                        bound = f"max_entries={ast.unparse(kw.value)}"
                args = [a.arg for a in node.args.args]
                if bound == "unbounded" and not args:
                    bound = "unbounded, but takes no arguments: one entry"
                out.append(f"`{node.name}({', '.join(args)})`: {name.split('.')[-1]}, {bound}")
    out.append("disk cache `core.compute.cache.DiskCache`: max_entries=64 per namespace (files, not server memory)")
    return out


class _RssSampler:
    """Samples a server's resident memory every 0.25 s in the background; keeps the peak."""

    def __init__(self, server: Server):
        self.server, self.peak, self._task = server, 0.0, None

    async def _run(self):
        while True:
            self.peak = max(self.peak, self.server.rss_mb())
            await asyncio.sleep(0.25)

    def __enter__(self):
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc):
        self._task.cancel()


HOW_USERS = (
    "{sessions} browser contexts at once (one Chromium), each a separate Streamlit session on /activations of a "
    "different test observation (via the link's `obs`), each pressing the time-step thumb {presses} times with "
    "75-225 ms pauses, all sessions concurrently; every answer timed as in the slider figure. Compared with the "
    "single-session median measured on the same server just before (one session, {single} presses). Errors: "
    "stException elements and page errors in every session. The server runs from the run's snapshot of the app with "
    "`LSTM_EXPLORER_TORCH_THREADS` = 1 (the app's setting) or 2; the two servers alternate."
)
HOW_MEMORY = (
    "Resident memory (VmRSS from /proc, the streamlit process and its children) of the threads=1 server of the "
    "many-users figure: right after start and one session's first page, after that one session visited every page "
    "(its links in the menu clicked), then with {sessions} sessions open after each of them visited every page, and "
    "the peak sampled every 0.25 s during the load (--quick: 2 sessions, first 4 pages). Caches (from "
    "ui/loaders.py): {caches}."
)


async def many_users(
    browser,
    tmp: Path,
    quick: bool,
    *,
    want_users: bool = True,
    want_memory: bool = True,
    dataset: str = DEFAULT_DATASET,
) -> list[Result]:
    sessions = 2 if quick else 10
    presses = 3 if quick else 10
    single_n = 3 if quick else 10
    script = app_script()
    thread_settings = (1, 2) if want_users and not quick else (1,)  # --quick: the threads=1 server only
    servers = {
        n: Server(
            script,
            env={**cache_env(tmp), "LSTM_EXPLORER_TORCH_THREADS": str(n)},
            name=f"users-threads{n}-{dataset}",
            log_dir=tmp,
        )
        for n in thread_settings
    }
    contexts = []
    results: list[Result] = []
    try:
        await asyncio.gather(*(asyncio.to_thread(srv.start) for srv in servers.values()))
        stats = {}
        memory = {}
        visit_problems: list[str] = []
        links = None
        for n in thread_settings:  # the two servers one after the other, never both loaded at once
            srv = servers[n]
            ctx, first = await open_app(browser, srv.url + "/activations" + link(dataset, obs=1))
            contexts.append(ctx)
            if n == 1:
                memory["after start and one session's first page"] = srv.rss_mb()
                links = await menu_links(first)
                if quick:  # --quick: the code path, on a few pages
                    links = links[:4]
                await visit_every_page(first, links, visit_problems)
                memory["after one session visited every page"] = srv.rss_mb()
                # back (a new session) for the presses
                await first.goto(srv.url + "/activations" + link(dataset, obs=1))
                await first.locator(CHART).first.wait_for(state="visible")
                await wait_settled(first, 60_000)
            await press_slider(first, 1)
            before = cpu_now(srv.proc.pid)
            single = await press_slider(first, single_n) if want_users else Presses()
            single_cpu = [b - a for a, b in zip(before, cpu_now(srv.proc.pid), strict=True)]  # server, browser
            recordings = n_test(dataset)
            urls = [srv.url + "/activations" + link(dataset, obs=1 + 37 * i % recordings) for i in range(1, sessions)]
            pages = [first]
            opened = await asyncio.gather(*(open_app(browser, u) for u in urls))
            contexts += [c for c, _ in opened]
            pages += [p for _, p in opened]
            load = Presses()
            with _RssSampler(srv) as sampler:
                if want_users:
                    start = time.perf_counter()
                    parts = await asyncio.gather(
                        *(
                            press_slider(p, presses, pause=0.15, rng=random.Random(i), timeout=30_000, tolerate=True)
                            for i, p in enumerate(pages)
                        )
                    )
                    elapsed = time.perf_counter() - start
                    for part in parts:
                        load.extend(part)
                if n == 1 and want_memory:
                    await asyncio.gather(*(visit_every_page(p, links, visit_problems) for p in pages))
                    memory[f"{sessions} sessions open, each visited every page"] = srv.rss_mb()
                    memory["peak during the load"] = sampler.peak
            errors = len(load.unanswered)
            for p in pages:
                errors += await page_errors(p)
            if want_users:
                stats[n] = (single, load, errors, elapsed, single_cpu)
            for ctx in contexts:
                await ctx.close()
            contexts.clear()
        for n, (single, load, errors, elapsed, single_cpu) in stats.items():
            s, p95 = median(single.total), percentile(load.total, 95)
            server_cpu, browser_cpu = (c / max(len(single.total), 1) for c in single_cpu)  # s per answer
            cores = len(os.sched_getaffinity(0))
            capacity = (
                f"{cores / (server_cpu + browser_cpu):.1f}" if server_cpu + browser_cpu > 0 else "(no CPU time read)"
            )
            results.append(
                Result(
                    "users",
                    f"{sessions} sessions at once: p95 slider answer, torch threads {n}{on_dataset(dataset)}",
                    p95,
                    s,
                    "ms",
                    "p95 <= 3x single median, no errors",
                    None if quick else (p95 <= 3 * s and errors == 0),
                    ratio=p95 / s,
                    how=HOW_USERS.format(sessions=sessions, presses=presses, single=single_n),
                    details=[
                        f"single session: {spread(single.total)}",
                        f"under load: {spread(load.total)}",
                        f"under load, key -> run starts median {median(load.to_running):.0f} ms, run -> idle median "
                        f"{median(load.run):.0f} ms; {len(load.total)} answers in {elapsed:.1f} s",
                        f"errors in {sessions} sessions (stException, page errors, presses unanswered after 30 s): "
                        f"{errors}; presses that did not move the slider: {load.unchanged}",
                        f"CPU time one answer costs (single session, pauses included): server "
                        f"{1000 * server_cpu:.0f} ms, browser {1000 * browser_cpu:.0f} ms; the {cores} cores can "
                        f"give at most {capacity} answers a second at that cost, and the sessions got "
                        f"{len(load.total) / elapsed:.1f}",
                    ]
                    + [f"unanswered: {u[:300]}" for u in load.unanswered[:3]],
                )
            )
        if want_memory:
            key = f"{sessions} sessions open, each visited every page"
            value = memory[key]
            results.append(
                Result(
                    "memory",
                    f"server memory, {key}{on_dataset(dataset)}",
                    value,
                    None,
                    "MB",
                    "< 700 MB",
                    None if quick else value < 700,
                    how=HOW_MEMORY.format(sessions=sessions, caches="; ".join(cache_list())),
                    details=[f"{k}: {v:.0f} MB" for k, v in memory.items()]
                    + [f"cache: {c}" for c in cache_list()]
                    + [
                        f"page visits without an answer in 60 s (opened by address instead) or that reloaded: "
                        f"{len(visit_problems)}"
                    ]
                    + [f"problem: {p}" for p in visit_problems[:5]],
                )
            )
        return results
    finally:
        for ctx in contexts:
            await ctx.close()
        for srv in servers.values():
            srv.stop()


# --------------------------------------------------------------------------- cold Cloud


HOW_COLD_CLOUD = (
    "What a visitor of a freshly woken Streamlit Community Cloud app meets: a fresh `streamlit run` process with an "
    "EMPTY disk-cache folder (Cloud wipes the disk on every wake-up and redeploy), one browser context opening / "
    "(Home), then clicking every page's link in the menu at the top in the menu's order, each page visited for the "
    "first time in the life of the server. The time per page is click -> the app idle on the page with every chart "
    "drawn (a Vega canvas or svg of marks in each chart; a chart can appear a few hundred ms after the run ends, "
    "while Vega draws it) and nothing stale, measured inside the page. Target: every page under 3 s. "
    "Then {extra} more sessions open / and all {sessions} visit every page "
    "at once; the server's resident memory (the streamlit process and its children) is sampled every 0.25 s from "
    "its launch to the end; target: peak under 690 MB, the memory of Community Cloud's smallest machine. "
    "{reps} server(s), each started from scratch; the table gives the worst of them."
)


async def _cold_cloud_once(
    browser, tmp: Path, sessions: int
) -> tuple[dict[str, float], dict[str, int], float, float, float, list[str]]:
    """One fresh server: first-visit ms per page title, charts per page, launch -> Home idle ms, peak MB with one
    session, peak MB with ``sessions`` sessions, problems."""
    server = Server(app_script(), env=cache_env(tmp), name="cold-cloud", log_dir=tmp)
    contexts = []
    problems: list[str] = []
    try:
        await asyncio.to_thread(server.start)
        with _RssSampler(server) as sampler:
            context, page = await new_page(browser)
            contexts.append(context)
            await page.goto(server.url + "/")
            await wait_settled(page, 120_000)
            home_ms = (time.perf_counter() - server.started_at) * 1000
            links = await menu_links(page)
            first_visit: dict[str, float] = {links[0].title: float("nan")}  # Home: opened by address, timed above
            charts: dict[str, int] = {links[0].title: await page.locator(CHART).count()}
            for target in links[1:]:
                answer = await try_click_page(page, target, problems, timeout=120_000, drawn=True)
                first_visit[target.title] = float("inf") if answer is None else answer.ms
                charts[target.title] = 0 if answer is None else await page.locator(CHART).count()
            problems += [
                f"stException on the page after the first visits: {n}" for n in [await count_exceptions(page)] if n
            ]
            one_session_peak = sampler.peak
            opened = await asyncio.gather(
                *(open_app(browser, server.url + "/", chart=False) for _ in range(sessions - 1))
            )
            contexts += [c for c, _ in opened]
            pages = [page] + [p for _, p in opened]
            await asyncio.gather(*(visit_every_page(p, links, problems) for p in pages))
            for p in pages:
                if n := await page_errors(p):
                    problems.append(f"errors on a page after {sessions} sessions visited every page: {n}")
            peak = max(sampler.peak, server.rss_mb())
        return first_visit, charts, home_ms, one_session_peak, peak, problems
    finally:
        for ctx in contexts:
            await ctx.close()
        server.stop()


async def cold_cloud(browser, tmp: Path, quick: bool) -> list[Result]:
    sessions, reps = 3, (1 if quick else 2)
    runs = [await _cold_cloud_once(browser, tmp, sessions) for _ in range(reps)]
    titles = list(runs[0][0])
    worst = {t: max(r[0].get(t, float("inf")) for r in runs) for t in titles[1:]}
    slowest = max(worst, key=worst.get)
    home = max(r[2] for r in runs)
    peak = max(r[4] for r in runs)
    problems = [p for r in runs for p in r[5]]
    details = [
        f"{t}: first visit " + ", ".join(f"{r[0][t]:.0f}" for r in runs) + f" ms; charts on the page: {runs[0][1][t]}"
        for t in titles[1:]
    ]
    details += [
        "server launch -> Home idle in the browser: " + ", ".join(f"{r[2]:.0f}" for r in runs) + " ms",
        "peak server memory while one session made its first visits: " + ", ".join(f"{r[3]:.0f}" for r in runs) + " MB",
        f"peak server memory with {sessions} sessions visiting every page: "
        + ", ".join(f"{r[4]:.0f}" for r in runs)
        + " MB",
        f"slowest first visit: {slowest}",
        f"problems (clicks without an answer in 120 s, reloads, errors on the page): {len(problems)}",
    ]
    details += [f"problem: {p}" for p in problems[:5]]
    how = HOW_COLD_CLOUD.format(extra=sessions - 1, sessions=sessions, reps=reps)
    judged = None if quick else not problems
    return [
        Result(
            "cold_cloud",
            f"cold Cloud: slowest first visit of {len(titles) - 1} pages (empty cache)",
            worst[slowest],
            None,
            "ms",
            "< 3 s per page",
            None if quick else judged and worst[slowest] < 3000,
            how=how,
            details=details,
        ),
        Result(
            "cold_cloud",
            "cold Cloud: server launch -> Home drawn (empty cache)",
            home,
            None,
            "ms",
            "none (context)",
            None,
            how=how,
        ),
        Result(
            "cold_cloud",
            f"cold Cloud: peak server memory, {sessions} sessions visiting every page",
            peak,
            None,
            "MB",
            "< 690 MB",
            None if quick else judged and peak < 690,
            how=how,
        ),
    ]
