"""Where a company stands among its peers, for a peer-relative criterion: the group (its
values of the grouping fields), the peers, their statistics and the company's."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np

from csrscore.engine.peers import PeerResult
from csrscore.explain.trace import display_value
from csrscore.records.model import Report
from csrscore.rubric.peers import MIDDLE

# A peer set is listed in full up to this many companies; the size is always given.
LISTED_PEERS = 50


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


class PeerExplainer:
    """Peer details of one criterion for any row; members per group found once."""

    def __init__(self, result: PeerResult, company_ids: Sequence[str]) -> None:
        self.result = result
        self.company_ids = company_ids

    @cached_property
    def members_of(self) -> dict[int, list[str]]:
        rows = np.flatnonzero(self.result.members)
        groups: dict[int, list[str]] = {}
        for row in rows.tolist():
            groups.setdefault(int(self.result.group[row]), []).append(self.company_ids[row])
        return {group: sorted(ids) for group, ids in groups.items()}

    def detail(self, row: int, report: Report) -> dict[str, Any]:
        result = self.result
        scoring = result.scoring
        group = int(result.group[row])
        size = int(result.size[group])
        members = self.members_of.get(group, [])
        statistic = _number(float(result.statistic[row]))
        note = None
        if size == 1 and statistic is not None:
            note = f"only peer in its group: placed at the middle ({MIDDLE[scoring.method]:g})"
        elif size > 1 and result.lowest[group] == result.highest[group]:
            note = (
                f"all peers report the same value: all at the middle ({MIDDLE[scoring.method]:g})"
            )
        elif statistic is None:
            note = "no value: earns nothing and is not counted among the peers"
        return {
            "method": scoring.method,
            "group": {name: display_value(report, name)[1] for name in scoring.grouping},
            "size": size,
            "peers": members[:LISTED_PEERS],
            "lowest": _number(float(result.lowest[group])) if size else None,
            "highest": _number(float(result.highest[group])) if size else None,
            "mean": _number(float(result.mean[group])) if size else None,
            "sd": _number(float(result.sd[group])) if size else None,
            "statistic": statistic,
            "note": note,
        }
