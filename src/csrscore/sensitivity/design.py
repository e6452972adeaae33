"""The uncertain inputs and their sampling: weight perturbations and discrete switches.

Each uncertain input is one *factor* in the sense of variance-based sensitivity analysis:

- ``weights:<group>``: the weights of one group's children, perturbed together (a block of
  inputs, which the Saltelli design swaps as one);
- ``aggregation``: a Bernoulli switch from the rubric's aggregation of every group to the
  other one (arithmetic <-> geometric);
- ``na_policy``: a Bernoulli switch from the rubric's N/A policy to the other one.

All random numbers of a run are drawn here, up front, from one seed, so that results never
depend on how the evaluations are later chunked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

import numpy as np

from csrscore.compile.plan import Plan
from csrscore.engine.columns import BoolArray, FloatArray, IntArray
from csrscore.rubric.parse import suggest

FactorKind: TypeAlias = Literal["weights", "aggregation", "na_policy"]

# A Dirichlet share is floored here so that no positive weight becomes exactly zero: a zero
# weight would change which children count (methodology §4), not just how much they count.
# A child of nominal weight 0 keeps weight 0 in every draw, for the same reason.
MIN_DIRICHLET_SHARE = 1e-12


@dataclass(frozen=True)
class Uniform:
    """Each child weight times an independent factor drawn from U(1 - spread, 1 + spread)."""

    spread: float = 0.2

    def __post_init__(self) -> None:
        if not 0.0 <= self.spread < 1.0:
            raise ValueError(f"Uniform spread must be in [0, 1), got {self.spread!r}")

    @property
    def is_fixed(self) -> bool:
        return self.spread == 0.0

    def describe(self) -> str:
        return f"uniform ±{self.spread * 100:g}%"


@dataclass(frozen=True)
class Dirichlet:
    """Child weight shares from Dirichlet(concentration × nominal shares).

    The shares average the nominal ones; a larger concentration keeps them closer to it
    (a share p has standard deviation sqrt(p (1 - p) / (concentration + 1))).
    """

    concentration: float = 100.0

    def __post_init__(self) -> None:
        if not self.concentration > 0.0 or not np.isfinite(self.concentration):
            raise ValueError(
                f"Dirichlet concentration must be a positive number, got {self.concentration!r}"
            )

    @property
    def is_fixed(self) -> bool:
        return False

    def describe(self) -> str:
        return f"Dirichlet(concentration {self.concentration:g})"


Perturbation: TypeAlias = Uniform | Dirichlet
WeightSpec: TypeAlias = Uniform | Dirichlet | Mapping[str, Uniform | Dirichlet | None] | None
SwitchSpec: TypeAlias = bool | float


def _no_columns() -> IntArray:
    return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Factor:
    """One uncertain input of the analysis."""

    name: str  # "weights:<group id>", "aggregation" or "na_policy"
    kind: FactorKind
    description: str
    group_id: str | None = None
    perturbation: Uniform | Dirichlet | None = None
    probability: float = 0.0  # of the switched alternative, for the two switches
    # For weights: the group's children, as criterion and group indexes of the plan.
    criterion_columns: IntArray = field(default_factory=_no_columns)
    group_columns: IntArray = field(default_factory=_no_columns)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name, "kind": self.kind}
        if self.group_id is not None:
            out["group"] = self.group_id
        out["description"] = self.description
        if self.kind != "weights":
            out["probability"] = self.probability
        return out


@dataclass(frozen=True)
class Draws:
    """The model inputs of a batch of evaluations, one row each."""

    criterion_weights: FloatArray  # S x C
    group_weights: FloatArray  # S x G
    switch_aggregation: BoolArray  # S
    switch_na_policy: BoolArray  # S

    def __len__(self) -> int:
        return len(self.switch_aggregation)

    def take(self, rows: IntArray) -> Draws:
        return Draws(
            self.criterion_weights[rows],
            self.group_weights[rows],
            self.switch_aggregation[rows],
            self.switch_na_policy[rows],
        )


def _probability(name: str, value: SwitchSpec) -> float:
    if isinstance(value, bool):
        return 0.5 if value else 0.0
    probability = float(value)
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"{name} must be a bool or a probability in [0, 1], got {value!r}")
    return probability


def _perturbation_of(plan: Plan, weights: WeightSpec) -> dict[str, Uniform | Dirichlet | None]:
    """The perturbation of every group's children weights, by group id."""
    ids = plan.group_ids
    if weights is None or isinstance(weights, (Uniform, Dirichlet)):
        return dict.fromkeys(ids, weights)
    default = weights.get("*")
    for key in weights:
        if key != "*" and key not in ids:
            raise ValueError(f"unknown group {key!r} in weights{suggest(key, list(ids))}")
    return {group_id: weights.get(group_id, default) for group_id in ids}


def factors_for(
    plan: Plan, weights: WeightSpec, aggregation: SwitchSpec, na_policy: SwitchSpec
) -> tuple[Factor, ...]:
    """The uncertain inputs, in plan order: group weights, then the two switches.

    A group with fewer than two children has no weight factor: its score does not depend
    on its children's weights. Nor does a group whose perturbation is fixed.
    """
    factors: list[Factor] = []
    perturbations = _perturbation_of(plan, weights)
    for group_plan in plan.groups:
        perturbation = perturbations[group_plan.group.id]
        children = len(group_plan.criterion_children) + len(group_plan.group_children)
        if perturbation is None or perturbation.is_fixed or children < 2:
            continue
        factors.append(
            Factor(
                name=f"weights:{group_plan.group.id}",
                kind="weights",
                description=f"weights of the {children} children, {perturbation.describe()}",
                group_id=group_plan.group.id,
                perturbation=perturbation,
                criterion_columns=group_plan.criterion_children,
                group_columns=group_plan.group_children,
            )
        )
    aggregation_p = _probability("aggregation", aggregation)
    if aggregation_p > 0.0:
        factors.append(
            Factor(
                name="aggregation",
                kind="aggregation",
                description=f"every group's aggregation switched, probability {aggregation_p:g}",
                probability=aggregation_p,
            )
        )
    na_policy_p = _probability("na_policy", na_policy)
    if na_policy_p > 0.0:
        other = "zero" if plan.rubric.na_policy == "exclude" else "exclude"
        factors.append(
            Factor(
                name="na_policy",
                kind="na_policy",
                description=f"N/A policy {other} with probability {na_policy_p:g}",
                probability=na_policy_p,
            )
        )
    return tuple(factors)


def draw(plan: Plan, factors: tuple[Factor, ...], n: int, rng: np.random.Generator) -> Draws:
    """`n` independent draws of every factor; fixed inputs keep their nominal values."""
    criterion_weights = np.tile(plan.criterion_weights, (n, 1))
    group_weights = np.tile(plan.group_weights, (n, 1))
    switch_aggregation = np.zeros(n, dtype=bool)
    switch_na_policy = np.zeros(n, dtype=bool)
    for factor in factors:
        if factor.kind == "aggregation":
            switch_aggregation = rng.random(n) < factor.probability
        elif factor.kind == "na_policy":
            switch_na_policy = rng.random(n) < factor.probability
        else:
            crit, sub = factor.criterion_columns, factor.group_columns
            nominal = np.concatenate([plan.criterion_weights[crit], plan.group_weights[sub]])
            block = _perturb(factor.perturbation, nominal, n, rng)
            criterion_weights[:, crit] = block[:, : len(crit)]
            group_weights[:, sub] = block[:, len(crit) :]
    return Draws(criterion_weights, group_weights, switch_aggregation, switch_na_policy)


def _perturb(
    perturbation: Uniform | Dirichlet | None, nominal: FloatArray, n: int, rng: np.random.Generator
) -> FloatArray:
    if isinstance(perturbation, Uniform):
        spread = perturbation.spread
        factors: FloatArray = rng.uniform(1.0 - spread, 1.0 + spread, size=(n, len(nominal)))
        return nominal[None, :] * factors
    assert isinstance(perturbation, Dirichlet)
    total = float(nominal.sum())
    if total == 0.0:  # every child weighs 0: nothing to share out
        return np.zeros((n, len(nominal)))
    shares: FloatArray = rng.dirichlet(perturbation.concentration * nominal / total, size=n)
    # A child of weight 0 draws a share of 0 and keeps it: the floor would make it count.
    floored = np.maximum(shares, MIN_DIRICHLET_SHARE, out=shares, where=nominal > 0.0)
    return floored * total


def saltelli_rows(
    a: Draws, b: Draws, factors: tuple[Factor, ...], matrix: int, rows: IntArray
) -> Draws:
    """Rows of one matrix of the Saltelli design: 0 is A, 1 is B, 2 + i is A_B^(i).

    A_B^(i) is A with the columns of factor i taken from B.
    """
    if matrix == 0:
        return a.take(rows)
    if matrix == 1:
        return b.take(rows)
    out = a.take(rows)
    from_b = b.take(rows)
    factor = factors[matrix - 2]
    if factor.kind == "aggregation":
        out.switch_aggregation[:] = from_b.switch_aggregation
    elif factor.kind == "na_policy":
        out.switch_na_policy[:] = from_b.switch_na_policy
    else:
        crit, sub = factor.criterion_columns, factor.group_columns
        out.criterion_weights[:, crit] = from_b.criterion_weights[:, crit]
        out.group_weights[:, sub] = from_b.group_weights[:, sub]
    return out
