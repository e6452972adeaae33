"""Every file in fixtures/bad/ fails to load with one located, readable message.

`BAD_RUBRICS` is the table: for each fixture, the file and line the message points at, the
node path it names (None where the problem has no node, such as a YAML syntax error) and a
substring of the message. `str(error)` must read `FILE:LINE PATH: MESSAGE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest

from csrscore import CsrscoreError, RubricError, load_rubric
from csrscore.rubric import yamlsafe
from csrscore.rubric.yamlsafe import MAX_BYTES
from tests.rubric.builders import FIXTURES, group, ladder, level, rubric_data

BAD = FIXTURES / "bad"
BAD_REL = "tests/rubric/fixtures/bad/"  # as messages show it from the repository root


@dataclass(frozen=True)
class Bad:
    file: str
    line: int | None
    path: str | None
    message: str
    where: str | None = None  # the file the message points at, when not `file`

    @property
    def located(self) -> str:
        """`FILE:LINE` or `FILE:LINE PATH` as the message starts."""
        head = self.where or self.file
        if self.line is not None:
            head += f":{self.line}"
        return f"{head} {self.path}" if self.path else head


WHEN = "groups[0].criteria[0].levels[0].when"
BAD_RUBRICS = [
    Bad("syntax_error.yaml", 4, None, "invalid YAML: mapping values are not allowed here"),
    Bad("alias_bomb.yaml", 5, None, "YAML nodes after alias expansion (alias bomb?)"),
    # Level 1 is the root mapping and level 2 the `references` mapping, so the 63rd list,
    # at references.deep + 62 indexes, is the 65th level.
    Bad(
        "deep_nesting.yaml",
        6,
        "references.deep" + "[0]" * 62,
        "nesting deeper than 64 levels",
    ),
    Bad(
        "python_tag.yaml",
        5,
        "description",
        "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
    Bad("duplicate_key.yaml", 11, "groups[0].criteria[0].title", "duplicate key 'title'"),
    Bad("empty.yaml", None, None, "the file is empty"),
    Bad(
        "unknown_operator.yaml",
        14,
        f"{WHEN}.grater_than",
        "unknown operator 'grater_than' (did you mean 'gt'?)",
    ),
    Bad(
        "top_level_typo.yaml",
        5,
        "group",
        "unknown key 'group' in csrscore rubric (did you mean 'groups'?)",
    ),
    Bad(
        "gt_on_text.yaml",
        11,
        "groups[0].criteria[0].applies_when.gt",
        "operator 'gt' does not apply to text field 'company.sector' (it applies to: date, number)",
    ),
    Bad(
        "eq_number_on_bool.yaml",
        12,
        f"{WHEN}.eq",
        "'env.ghg.policy' is bool; expected a boolean, got 1",
    ),
    Bad(
        "unknown_disclosure.yaml",
        13,
        "groups[0].criteria[0].levels[1].when.number",
        "unknown disclosure key 'env.ghg.scope3' (did you mean 'env.ghg.scope2'?)",
    ),
    Bad(
        "enum_value.yaml",
        13,
        "groups[0].criteria[0].levels[1].when.eq",
        "'audit' is not an allowed value of 'hr.process' (did you mean 'audited'?)",
    ),
    Bad(
        "duplicate_id.yaml",
        13,
        "groups[0].criteria[1].id",
        "duplicate id 'ghg'; first used at groups[0].criteria[0]",
    ),
    Bad(
        "bad_regex.yaml",
        14,
        f"{WHEN}.matches",
        "invalid regular expression: missing ): (sustainab",
    ),
    Bad(
        "negative_weight.yaml",
        11,
        "groups[0].criteria[0].weight",
        "weight must be 0 or more, got -1",
    ),
    Bad(
        "value_range.yaml",
        11,
        "groups[0].criteria[0].value",
        "min (5) must be below max (5)",
    ),
    Bad(
        "levels_and_value.yaml",
        9,
        "groups[0].criteria[0]",
        "a criterion is scored by exactly one of 'levels', 'value', 'score', 'bands' or "
        "'checklist'",
    ),
    Bad(
        "cumulative_value.yaml",
        9,
        "groups[0].criteria[0]",
        "'cumulative' applies to level ladders only",
    ),
    Bad(
        "bands_same_threshold.yaml",
        11,
        "groups[0].criteria[0].bands",
        "two steps share the same 'at' threshold",
    ),
    Bad("no_points.yaml", 9, "groups[0].criteria[0]", "criterion can earn no points"),
    Bad("empty_group.yaml", 13, "groups[1]", "a group needs 'groups' or 'criteria' (or both)"),
    Bad("empty_group_list.yaml", 13, "groups[1]", "group has no groups or criteria"),
    Bad(
        "two_operators.yaml",
        14,
        WHEN,
        "a condition has exactly one operator, got 2: 'true', 'number'",
    ),
    Bad(
        "between_reversed.yaml",
        14,
        f"{WHEN}.between",
        "between: low 5 is above high 1",
    ),
    Bad(
        "between_wrong_type.yaml",
        14,
        f"{WHEN}.between",
        "'labour.ltifr' is number; expected a number, got 'low'",
    ),
    Bad(
        "grades_gap.yaml",
        5,
        "grades",
        "no grade band starts at 0; totals below 20 would get no grade",
    ),
    Bad(
        "extends_missing.yaml",
        4,
        "extends",
        "'extends' names 'no_such_parent.yaml', which is not a file",
    ),
    Bad(
        "extends_unknown_name.yaml",
        4,
        "extends",
        "no shipped rubric named 'iso2600' (did you mean 'iso26000'?)",
    ),
    # The cycle closes in the second file: A extends B, whose `extends` leads back to A.
    # Paths are shown relative to the working folder (the repository root under pytest).
    Bad(
        "extends_cycle_a.yaml",
        4,
        "extends",
        f"'extends' forms a cycle: {BAD_REL}extends_cycle_a.yaml -> "
        f"{BAD_REL}extends_cycle_b.yaml -> {BAD_REL}extends_cycle_a.yaml",
        where="extends_cycle_b.yaml",
    ),
    Bad(
        "extends_cycle_b.yaml",
        4,
        "extends",
        f"'extends' forms a cycle: {BAD_REL}extends_cycle_b.yaml -> "
        f"{BAD_REL}extends_cycle_a.yaml -> {BAD_REL}extends_cycle_b.yaml",
        where="extends_cycle_a.yaml",
    ),
]


def _params(rows: list[Bad]) -> list[object]:
    return [pytest.param(row, id=row.file) for row in rows]


def _error(row: Bad) -> RubricError:
    with pytest.raises(RubricError) as caught:
        load_rubric(BAD / row.file)
    return caught.value


def test_table_covers_every_fixture() -> None:
    files = {path.name for path in BAD.iterdir()} - {"catalog.yaml"}
    assert files == {row.file for row in BAD_RUBRICS}
    assert len(files) >= 18


@pytest.mark.parametrize("row", _params(BAD_RUBRICS))
def test_bad_rubric_message_names_file_line_and_problem(row: Bad) -> None:
    error = _error(row)
    assert isinstance(error, CsrscoreError)
    text = str(error)
    where = row.where or row.file
    head = f"{where}:{row.line}" if row.line is not None else f"{where}:"
    assert head in text
    assert Path(error.location.source or "").name == where
    assert error.location.line == row.line
    assert row.message in text
    assert "\n" not in text


PATH_ROWS = [row for row in BAD_RUBRICS if row.path is not None]


@pytest.mark.parametrize("row", _params(PATH_ROWS))
def test_bad_rubric_message_names_the_node_path(row: Bad) -> None:
    error = _error(row)
    assert error.location.path == row.path
    assert f"{row.located}: {row.message}" in str(error)


def _between_findings(field: str, bounds: list[object]) -> list[tuple[str, str]]:
    when = {"between": {field: bounds}}
    with pytest.raises(RubricError) as caught:
        load_rubric(rubric_data(group("g", ladder("c", level(1, when)))))
    assert caught.value.location.path == "groups[0].criteria[0].levels[0].when.between"
    findings = caught.value.findings  # type: ignore[attr-defined]
    return [(finding.code, finding.message) for finding in findings]


@pytest.mark.parametrize(
    ("bounds", "wrong"),
    [(["low", 5], ["low"]), ([1, "high"], ["high"]), (["a", "b"], ["a", "b"])],
    ids=["low", "high", "both"],
)
def test_between_with_a_wrong_type_bound_reports_only_the_type_error(
    bounds: list[object], wrong: list[str]
) -> None:
    assert _between_findings("labour.ltifr", bounds) == [
        ("type", f"'labour.ltifr' is number; expected a number, got {value!r}") for value in wrong
    ]


DATE_TYPE = "'report.published' is a date; expected an ISO date (YYYY-MM-DD), got {!r}"


@pytest.mark.parametrize(
    ("bounds", "wrong"),
    [
        pytest.param([1, "2024-06-30"], 1, id="low"),
        pytest.param(["x", "2024-06-30"], "x", id="low-text"),
        pytest.param(["2024-01-01", 5], 5, id="high"),
    ],
)
def test_between_on_a_date_with_a_wrong_type_bound_reports_only_the_type_error(
    bounds: list[object], wrong: object
) -> None:
    assert _between_findings("report.published", bounds) == [("type", DATE_TYPE.format(wrong))]


def test_alias_bomb_fails_fast() -> None:
    """The expansion stops at the node limit: 10^9 strings are never built. Counted in
    conversions, not timed, so a busy machine cannot fail it."""
    convert = yamlsafe._Converter.convert
    calls = 0

    def counting(self: Any, node: Any, path: Any) -> Any:
        nonlocal calls
        calls += 1
        return convert(self, node, path)

    with (
        patch.object(yamlsafe._Converter, "convert", counting),
        pytest.raises(RubricError, match="alias bomb"),
    ):
        load_rubric(BAD / "alias_bomb.yaml")
    assert calls == yamlsafe.MAX_NODES + 1


def test_python_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    source = (BAD / "python_tag.yaml").read_text(encoding="utf-8")
    path = tmp_path / "tag.yaml"
    path.write_text(source.replace("echo pwned", f"touch {marker}"), encoding="utf-8")
    with pytest.raises(RubricError, match="unsupported YAML tag"):
        load_rubric(path)
    assert not marker.exists()


def test_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    filler = "x" * 100 + "\n"
    body = "rubric: large\nversion: 1.0.0\ntitle: Large\ndescription: |\n"
    path.write_text(body + ("  " + filler) * (MAX_BYTES // 100), encoding="utf-8")
    size = path.stat().st_size
    assert size > MAX_BYTES
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert str(caught.value) == (
        f"{path}: the input is {size} bytes, above the limit of 1 MiB"
    )


def test_errors_carry_every_finding() -> None:
    """A rubric with several problems raises on the first, and keeps them all as data."""
    with pytest.raises(RubricError) as caught:
        load_rubric(BAD / "top_level_typo.yaml")
    findings = caught.value.findings  # type: ignore[attr-defined]
    assert "(and 1 more error)" in str(caught.value)
    assert [finding.code for finding in findings] == ["schema", "schema"]
    assert findings[1].message == "a rubric needs 'groups' (or 'extends')"
