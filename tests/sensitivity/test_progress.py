"""Progress of a sensitivity run: the library's callback and the CLI's bar on a terminal."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import csrscore
import csrscore.cli.progress
import csrscore.cli.sensitivity_cmd
from csrscore import Scores
from csrscore.sensitivity import sensitivity
from tests.cli.runner import EXAMPLES, run_cli


@pytest.mark.parametrize(
    ("options", "steps"),
    [
        # 1 matrix: scored (1), 5 chunks ranked, 1 block of <= 256 companies summarised.
        ({"indices": False, "chunk_size": 4, "threads": 2}, 1 + 5 + 1),
        # A, B and one per factor (5 weight groups, 1 switch): 8 matrices of 1 + 2 chunks.
        ({"aggregation": 0.5, "chunk_size": 10, "threads": 1}, 8 * (1 + 2) + 1),
    ],
)
def test_the_callback_counts_every_step_in_the_calling_thread(
    citi: Scores, options: dict[str, Any], steps: int
) -> None:
    calls: list[tuple[int, int]] = []
    caller = threading.get_ident()

    def record(done: int, total: int) -> None:
        assert threading.get_ident() == caller
        calls.append((done, total))

    result = sensitivity(citi, 20, 3, progress=record, **options)
    assert calls == [(done, steps) for done in range(1, steps + 1)]
    # Reporting progress changes nothing.
    plain = sensitivity(citi, 20, 3, **options)
    assert (result.rank_samples == plain.rank_samples).all()
    assert (result.score_quantiles == plain.score_quantiles).all()


def test_the_bar_moves_through_the_sampling_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each ranked chunk takes a while, with the bar's delay made 0: the bar shows the
    sampling's progress on stderr, a tenth at a time, and is erased before the output."""
    original = csrscore.sensitivity_analysis

    def slow(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        def step(done: int, total: int) -> None:
            time.sleep(0.15)
            progress(done, total)

        return original(*args, progress=step, chunk_size=20, threads=1, **kwargs)

    monkeypatch.setattr(csrscore.cli.progress, "DELAY_SECONDS", 0.0)
    monkeypatch.setattr(csrscore.cli.sensitivity_cmd, "sensitivity", slow)
    monkeypatch.delenv("NO_COLOR", raising=False)
    argv = ["sensitivity", EXAMPLES, "--rubric", "citi", "--samples", "100", "--no-indices"]
    result = run_cli(argv, terminal=True)
    assert result.code == 0
    shown = {stage for stage in csrscore.cli.sensitivity_cmd.SAMPLING_STAGES if stage in result.err}
    assert {"sampling 0%", "sampling 50%", "sampling 90%"} <= shown
    assert result.err.rfind("\x1b[2K") > result.err.rfind("━")
    assert "sampling" not in result.out
    # Piped, nothing at all is drawn.
    assert run_cli(argv).err == ""
