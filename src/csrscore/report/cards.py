"""Every company-year's scorecard, explained, rendered and written, in worker processes.

Scorecards are independent of one another, so they are cut into chunks of consecutive
company-years shared among forked workers, which write them while the parent writes the
ranking, audit and methodology pages. Forking lets each worker inherit the scores, the
explainer's arrays and the compiled template instead of receiving them pickled; only chunk
bounds go out and page counts come back. Small sites are written in this process, where
starting workers would cost more than it saves, and so is every site where the platform
cannot fork.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from csrscore.explain import Explainer
from csrscore.gcpause import paused_gc
from csrscore.report.carddata import card_data
from csrscore.report.charts import PEERS_TITLE, peer_caption
from csrscore.report.inertjson import inert_dumps
from csrscore.report.pages import scorecard_page
from csrscore.report.scorecard import SectorStats, peer_data
from csrscore.report.writer import unwritable

CHUNK = 100  # scorecards a worker renders between two reports back
SERIAL_BELOW = 200  # fewer scorecards than this are written without workers


@dataclass(frozen=True)
class Written:
    pages: int
    bytes: int
    failed: Path | None = None  # the file that could not be written, and why
    reason: str | None = None


@dataclass(frozen=True)
class Scorecards:
    root: Path
    template: Template
    common: dict[str, Any]  # what every page of the site shares
    explainer: Explainer
    cumulative: list[bool]  # per criterion of the rubric: whether its levels add up
    stats: dict[tuple[int, str | None], SectorStats]
    year_page: dict[int, str]

    def render(self, data: dict[str, Any]) -> str:
        company = data["company"]
        stats = self.stats[(company["year"], company["sector"])]
        return self.template.render(
            self.common,
            root="../",
            e=data,
            data=htmlsafe_json_dumps(
                card_data(data, self.cumulative) | {"peers": peer_data(company["sector"], stats)},
                dumps=inert_dumps,
                separators=(",", ":"),
            ),
            peers_title=PEERS_TITLE,
            peers_caption=peer_caption(company["sector"]),
            year_page=self.year_page[company["year"]],
        )

    def write(self, start: int, stop: int) -> Written:
        pages = size = 0
        # Pages leave nothing behind but reference-counted text: the collector would only
        # walk the inherited scores again and again.
        with paused_gc():
            for position in range(start, stop):
                data = self.explainer.explain(position).to_dict()
                html = self.render(data).encode("utf-8")
                path = self.root / scorecard_page(data["company"]["id"], data["company"]["year"])
                try:
                    path.write_bytes(html)
                except OSError as exc:
                    return Written(pages, size, path, exc.strerror)
                pages += 1
                size += len(html)
        return Written(pages, size)

    @contextmanager
    def writing(self, count: int, workers: int | None = None) -> Iterator[Callable[[], Written]]:
        """Write scorecards 0..count-1 with `workers` processes (default: the usable cores)
        while the caller's block runs; the block calls what it is given to wait for them.
        Without workers the scorecards are written when the block waits."""
        chunks = [(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
        workers = min(workers or usable_cores(), len(chunks))
        if workers <= 1 or count < SERIAL_BELOW or "fork" not in _start_methods():
            yield lambda: _total(self._serial(chunks))
            return
        global _FORKED
        # What explanations of the whole set share (improvement candidates included), once,
        # before the fork, so that no worker computes it again.
        self.explainer.prepare()
        _FORKED = self
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            try:
                # With fork, the pool starts all its workers at the first submit.
                futures = [pool.submit(_write_forked, chunk) for chunk in chunks]
            finally:
                _FORKED = None
            try:
                yield lambda: _total([future.result() for future in futures])
            finally:
                for future in futures:
                    future.cancel()

    def _serial(self, chunks: list[tuple[int, int]]) -> list[Written]:
        results = []
        for chunk in chunks:
            results.append(self.write(*chunk))
            if results[-1].failed:
                break
        return results


def _total(results: list[Written]) -> Written:
    for result in results:
        if result.failed is not None:
            raise unwritable(result.failed, result.reason)
    return Written(sum(r.pages for r in results), sum(r.bytes for r in results))


# The scorecards a forked worker inherits; set only while a pool starts.
_FORKED: Scorecards | None = None


def _write_forked(chunk: tuple[int, int]) -> Written:
    assert _FORKED is not None, "a scorecard worker runs only in a fork of build()"
    return _FORKED.write(*chunk)


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1
