"""`check_rubric` and `lint_rubric`: every warning and every error code, as located data."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from csrscore import Finding, RubricError, check_rubric, list_rubrics, load_rubric
from csrscore.rubric import lint_rubric
from tests.rubric.builders import FIXTURES, group, ladder, level, rubric_data

LINT = FIXTURES / "lint"
BAD = FIXTURES / "bad"


def _line_of(path: Path, text: str) -> int:
    """1-based line of the first line of `path` that contains `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def _check(path: Path) -> list[dict[str, object]]:
    return [finding.to_dict() for finding in check_rubric(path)]


WARNINGS = [
    (
        "unreachable_level.yaml",
        [
            (
                "unreachable-level",
                "groups[0].criteria[0].levels[0]",
                "level 1 ('Policy and data') can never count: level 2 ('Policy') holds "
                "whenever it does and earns at least as many points",
                "- points: 1",
            )
        ],
    ),
    (
        "unreachable_cumulative.yaml",
        [
            (
                "unreachable-level",
                "groups[0].criteria[0].levels[1]",
                "level 2 ('Contradiction') can never count: its condition can never hold",
                "- points: 2",
            ),
            (
                "unreachable-level",
                "groups[0].criteria[0].levels[2]",
                "level 3 ('Scope 2') can never count: level 2 before it can never hold",
                "{points: 3",
            ),
        ],
    ),
    (
        "level_order.yaml",
        [
            (
                "level-order",
                "groups[0].criteria[0].levels[1]",
                "cumulative level 2 earns fewer points than level 1",
                "{points: 1",
            )
        ],
    ),
    (
        "na_from_disclosure.yaml",
        [
            (
                "na-from-disclosure",
                "groups[0].criteria[0].applies_when",
                "applicability depends on disclosure 'env.ghg.policy': a company that omits "
                "it becomes N/A instead of scoring 0",
                "applies_when:",
            )
        ],
    ),
    (
        "mixed_weights.yaml",
        [
            (
                "mixed-weights",
                "groups[0]",
                "some children have explicit weights and others default to their maximum points",
                "- id: g",
            )
        ],
    ),
]

Expected = list[tuple[str, str, str, str]]


@pytest.mark.parametrize(("fixture", "expected"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_lint_warning(fixture: str, expected: Expected) -> None:
    path = LINT / fixture
    found = _check(path)
    assert [(f["severity"], f["code"], f["path"]) for f in found] == [
        ("warning", code, node_path) for code, node_path, _, _ in expected
    ]
    for finding, (_, _, message, _) in zip(found, expected, strict=True):
        assert str(finding["message"]).startswith(message)
        assert finding["source"] == str(path)
        assert isinstance(finding["line"], int)
    # Warnings do not stop loading.
    load_rubric(path)


@pytest.mark.parametrize(("fixture", "expected"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_rubric_lines_map_each_node_path_to_its_line(fixture: str, expected: Expected) -> None:
    path = LINT / fixture
    rubric = load_rubric(path)
    for _, node_path, _, text in expected:
        assert rubric.lines[node_path] == _line_of(path, text)
    assert rubric.lines["groups"] == _line_of(path, "groups:")


def test_rubric_lines_are_empty_for_rubric_data() -> None:
    rubric = load_rubric(rubric_data(group("g", ladder("c", level(1, {"true": "env.ghg.policy"})))))
    assert rubric.lines == {}


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [pytest.param(*warning, id=warning[0]) for warning in WARNINGS],
)
def test_lint_warning_points_at_the_exact_line(fixture: str, expected: Expected) -> None:
    path = LINT / fixture
    found = _check(path)
    assert [f["line"] for f in found] == [_line_of(path, text) for *_, text in expected]


def test_top_level_mixed_weights_points_at_the_groups_line(tmp_path: Path) -> None:
    path = tmp_path / "top.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            rubric: top-mixed
            version: 1.0.0
            title: Top-level mixed weights
            catalog: {FIXTURES / "catalog.yaml"}
            groups:
              - id: a
                title: A
                weight: 2
                criteria:
                  - id: x
                    title: X
                    levels: [{{points: 1, label: P, when: {{true: env.ghg.policy}}}}]
              - id: b
                title: B
                criteria:
                  - id: y
                    title: Y
                    levels: [{{points: 1, label: P, when: {{true: env.ghg.policy}}}}]
            """
        ),
        encoding="utf-8",
    )
    (finding,) = check_rubric(path, allow_paths=[FIXTURES])
    assert (finding.code, finding.location.path) == ("mixed-weights", "groups")
    assert finding.location.line == 5


def test_lint_rubric_returns_findings_for_a_loaded_rubric() -> None:
    rubric = load_rubric(LINT / "level_order.yaml")
    findings = lint_rubric(rubric)
    assert [f.code for f in findings] == ["level-order"]
    assert all(isinstance(f, Finding) and f.severity == "warning" for f in findings)
    assert str(findings[0]).startswith(f"{LINT / 'level_order.yaml'}:")
    assert ": warning: cumulative level 2" in str(findings[0])


def test_equal_points_earlier_level_is_unreachable() -> None:
    """On equal points the later level counts, so an earlier level whose condition implies
    the later one's can never be the one that counts."""
    data = rubric_data(
        group(
            "g",
            ladder(
                "c",
                level(2, {"true": "env.ghg.policy"}, "first"),
                level(2, {"true": "env.ghg.policy"}, "second"),
            ),
        )
    )
    findings = lint_rubric(load_rubric(data))
    assert [(f.code, f.location.path) for f in findings] == [
        ("unreachable-level", "groups[0].criteria[0].levels[0]")
    ]


def test_no_unreachable_warning_for_a_sound_ladder() -> None:
    data = rubric_data(
        group(
            "g",
            ladder(
                "c",
                level(1, {"true": "env.ghg.policy"}),
                level(2, {"all": [{"true": "env.ghg.policy"}, {"number": "env.ghg.scope1"}]}),
            ),
        )
    )
    assert lint_rubric(load_rubric(data)) == []


def test_na_from_disclosure_on_a_group_but_not_on_builtin_fields() -> None:
    data = rubric_data(
        group(
            "by-sector",
            ladder("a", level(1, {"true": "env.ghg.policy"})),
            applies_when={"in": {"company.sector": ["mining"]}},
        ),
        group(
            "by-disclosure",
            ladder("b", level(1, {"true": "env.ghg.policy"})),
            applies_when={"any": [{"exists": "hr.process"}, {"violations": {"status": "open"}}]},
        ),
    )
    findings = lint_rubric(load_rubric(data))
    assert [(f.code, f.location.path) for f in findings] == [
        ("na-from-disclosure", "groups[1].applies_when")
    ]
    assert "'hr.process'" in findings[0].message


def test_mixed_weights_among_top_level_groups() -> None:
    data = rubric_data(
        group("a", ladder("x", level(1, {"true": "env.ghg.policy"})), weight=1),
        group("b", ladder("y", level(1, {"true": "env.ghg.policy"}))),
    )
    findings = lint_rubric(load_rubric(data))
    assert [(f.code, f.location.path) for f in findings] == [("mixed-weights", "groups")]


ERRORS = [
    ("duplicate_id.yaml", "duplicate-id", "groups[0].criteria[1].id"),
    ("unknown_disclosure.yaml", "unknown-field", "groups[0].criteria[0].levels[1].when.number"),
    ("gt_on_text.yaml", "type", "groups[0].criteria[0].applies_when.gt"),
    ("eq_number_on_bool.yaml", "type", "groups[0].criteria[0].levels[0].when.eq"),
    ("bad_regex.yaml", "regex", "groups[0].criteria[0].levels[0].when.matches"),
    ("negative_weight.yaml", "weight", "groups[0].criteria[0].weight"),
    ("value_range.yaml", "range", "groups[0].criteria[0].value"),
    ("between_reversed.yaml", "range", "groups[0].criteria[0].levels[0].when.between"),
    ("enum_value.yaml", "value", "groups[0].criteria[0].levels[1].when.eq"),
    ("grades_gap.yaml", "grades-gap", "grades"),
    ("no_points.yaml", "no-points", "groups[0].criteria[0]"),
    ("empty_group_list.yaml", "empty-group", "groups[1]"),
    ("cumulative_value.yaml", "cumulative", "groups[0].criteria[0]"),
    ("bands_same_threshold.yaml", "bands", "groups[0].criteria[0].bands"),
    ("levels_and_value.yaml", "schema", "groups[0].criteria[0]"),
    ("unknown_operator.yaml", "schema", "groups[0].criteria[0].levels[0].when.grater_than"),
    ("syntax_error.yaml", "load", None),
]


@pytest.mark.parametrize(("fixture", "code", "node_path"), ERRORS, ids=[e[0] for e in ERRORS])
def test_error_codes_as_findings(fixture: str, code: str, node_path: str | None) -> None:
    path = BAD / fixture
    (finding,) = check_rubric(path, allow_paths=[FIXTURES])
    data = finding.to_dict()
    assert set(data) == {"severity", "code", "message", "source", "line", "path"}
    assert data["severity"] == "error"
    assert data["code"] == code
    assert data["source"] == str(path)
    assert isinstance(data["line"], int)
    assert data["path"] == node_path
    with pytest.raises(RubricError):
        load_rubric(path)


def test_check_rubric_collects_every_error(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            rubric: many
            version: 1.0.0
            title: Many errors
            catalog: {FIXTURES / "catalog.yaml"}
            groups:
              - id: g
                title: G
                applies_when: {{true: env.ghg.scope8}}
                criteria:
                  - id: g
                    title: Same id as the group
                    levels:
                      - {{points: 1, label: L, when: {{number: env.ghg.scope9}}}}
                      - {{points: 2, label: M, when: {{matches: {{gov.committee: "("}}}}}}
            """
        ),
        encoding="utf-8",
    )
    findings = check_rubric(path, allow_paths=[FIXTURES])
    assert all(f.severity == "error" and f.location.source == str(path) for f in findings)
    assert sorted((f.location.line or 0, f.code) for f in findings) == [
        (8, "unknown-field"),
        (10, "duplicate-id"),
        (13, "unknown-field"),
        (14, "regex"),
    ]


def test_check_rubric_reports_an_unknown_name_as_a_finding() -> None:
    (finding,) = check_rubric("iso2600")
    assert finding.code == "load"
    assert "did you mean 'iso26000'?" in finding.message


@pytest.mark.parametrize("name", list_rubrics())
def test_shipped_rubrics_load_and_lint_clean(name: str) -> None:
    rubric = load_rubric(name)
    assert rubric.name == name
    assert check_rubric(name) == []
    assert lint_rubric(rubric) == []


def test_shipped_rubrics_exist() -> None:
    assert {"iso26000", "citi"} <= set(list_rubrics())
