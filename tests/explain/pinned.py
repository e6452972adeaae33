"""Explanations pinned as they were before the explainer was made faster (issue #17).

Each case scores a data set with a rubric and keeps, for several companies, the three
outputs users see: the JSON of `csrscore explain --format json`, the Markdown and the text.
`test_pinned.py` checks that today's explainer still gives them character for character.

The cases cover both shipped rubrics on the shipped examples and on the realistic `spread`
variant (disclosures dropped or changed, so levels, N/A and suggestions vary), the
`iso26000` rubric with geometric groups (gains found by re-aggregation), `citi` under the
`zero` N/A policy with `applicable-points` weights, and a rubric with derived fields and
peer-relative value and band criteria.

Regenerate (only when an explanation is meant to change) with
`python -m tests.explain.pinned`, from the repository root.
"""

from __future__ import annotations

import json
import lzma
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from benchmarks.realistic import example_records, spread

from csrscore import Scores, load_rubric, score
from csrscore.cli.render import json_text
from csrscore.rubric.yamlsafe import load_yaml

HERE = Path(__file__).resolve().parent
PINNED = HERE / "pinned"
FIXTURES = HERE / "fixtures"


class Case(NamedTuple):
    name: str
    scores: Callable[[], Scores]
    rows: Callable[[Scores], list[int]]


def _shipped_document(name: str) -> dict[str, Any]:
    path = HERE.parents[1] / "rubrics" / f"{name}.yaml"
    data: dict[str, Any] = load_yaml(path.read_text(encoding="utf-8"), str(path)).data
    return data


def _geometric_iso26000() -> Scores:
    """`iso26000` with a geometric mean at the root and in two core subjects."""
    document = _shipped_document("iso26000")
    document["aggregation"] = "geometric"
    for group in document["groups"]:
        if group["id"] in ("labour", "environment"):
            group["aggregation"] = "geometric"
    return score(spread(240, seed=3), load_rubric(document))


def _zero_policy_citi() -> Scores:
    document = _shipped_document("citi")
    document["na_policy"] = "zero"
    document["weights"] = "applicable-points"
    return score(spread(240, seed=4), load_rubric(document))


def _derived_peers() -> Scores:
    records = json.loads((FIXTURES / "derived_peers_reports.json").read_text(encoding="utf-8"))
    return score(records, load_rubric(str(FIXTURES / "derived_peers.yaml")))


def _every(step: int) -> Callable[[Scores], list[int]]:
    return lambda scores: list(range(0, len(scores), step))


CASES = [
    Case("iso26000-examples", lambda: score(example_records(), "iso26000"), _every(7)),
    Case("citi-examples", lambda: score(example_records(), "citi"), _every(7)),
    Case("iso26000-spread", lambda: score(spread(240), "iso26000"), _every(29)),
    Case("citi-spread", lambda: score(spread(240, seed=2), "citi"), _every(29)),
    Case("iso26000-geometric", _geometric_iso26000, _every(29)),
    Case("citi-zero-policy", _zero_policy_citi, _every(29)),
    Case("derived-peers", _derived_peers, _every(1)),
]


def outputs(scores: Scores, row: int) -> dict[str, str]:
    """What a user sees of one company's explanation, in each format."""
    explanation = scores.explain(scores.company_ids[row], int(scores.years[row]))
    return {
        "json": json_text(explanation.to_dict()),
        "markdown": explanation.to_markdown(),
        "text": str(explanation),
    }


def path_of(case: Case) -> Path:
    return PINNED / f"{case.name}.json.xz"


def read(case: Case) -> dict[str, dict[str, str]]:
    with lzma.open(path_of(case), "rt", encoding="utf-8") as file:
        pinned: dict[str, dict[str, str]] = json.load(file)
    return pinned


def write(case: Case) -> None:
    scores = case.scores()
    pinned = {str(row): outputs(scores, row) for row in case.rows(scores)}
    PINNED.mkdir(exist_ok=True)
    # xz: the three formats repeat each other, and compress 40-fold.
    text = json.dumps(pinned, indent=1, sort_keys=True).encode("utf-8")
    path_of(case).write_bytes(lzma.compress(text, preset=9 | lzma.PRESET_EXTREME))


if __name__ == "__main__":
    for case in CASES:
        write(case)
        print(f"{path_of(case).relative_to(HERE.parents[1])}: {len(read(case))} companies")
