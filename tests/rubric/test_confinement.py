"""`extends` and `catalog` read only below the rubric's folder, the shipped data, or a
folder allowed explicitly; a file that is not a rubric is never quoted in an error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from csrscore import RubricError, load_rubric
from csrscore.rubric import check_rubric
from tests.cli.runner import run_cli
from tests.rubric.builders import FIXTURES

SECRET = "root:secret-hash:19000:0:99999:7:::"
CHILD = "rubric: child\nversion: 1.0.0\ntitle: Child\nextends: {target}\n"
CATALOG_USER = """\
rubric: user
version: 1.0.0
title: User
catalog: {target}
groups:
  - id: g
    title: G
    criteria:
      - {{id: c, title: C, levels: [{{points: 1, label: P, when: {{exists: gov.committee}}}}]}}
"""


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """tmp/outside/{secret.txt,parent.yaml,catalog.yaml} and tmp/project/ for the rubric."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET}\n")
    (outside / "parent.yaml").write_text((FIXTURES / "compose" / "parent.yaml").read_text())
    (outside / "catalog.yaml").write_text((FIXTURES / "catalog.yaml").read_text())
    (tmp_path / "project").mkdir()
    return tmp_path


def _write(layout: Path, template: str, target: str) -> Path:
    path = layout / "project" / "rubric.yaml"
    path.write_text(template.format(target=target))
    return path


@pytest.mark.parametrize("template", [CHILD, CATALOG_USER], ids=["extends", "catalog"])
@pytest.mark.parametrize("target", ["../outside/secret.txt", "ABSOLUTE", "link.yaml"])
def test_paths_outside_the_rubric_folder_are_refused(
    layout: Path, template: str, target: str
) -> None:
    secret = layout / "outside" / "secret.txt"
    if target == "ABSOLUTE":
        target = str(secret)
    if target == "link.yaml":
        os.symlink(secret, layout / "project" / "link.yaml")
    path = _write(layout, template, target)
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    message = str(caught.value)
    assert "is outside the rubric's folder" in message
    assert "pass --allow-path DIR" in message
    assert "secret-hash" not in message


@pytest.mark.parametrize(
    ("template", "target"),
    [(CHILD, "../outside/parent.yaml"), (CATALOG_USER, "../outside/catalog.yaml")],
    ids=["extends", "catalog"],
)
def test_allow_path_lets_a_folder_in(layout: Path, template: str, target: str) -> None:
    path = _write(layout, template, target)
    with pytest.raises(RubricError):
        load_rubric(path)
    assert load_rubric(path, allow_paths=[layout / "outside"]).criteria
    cli = run_cli(["rubric", "check", str(path), "--allow-path", str(layout / "outside")])
    assert cli.code == 0, cli.err


def test_a_non_rubric_file_inside_the_folder_is_not_quoted(layout: Path) -> None:
    (layout / "project" / "notes.yaml").write_text(f"{SECRET}: x\n")
    path = _write(layout, CHILD, "notes.yaml")
    findings = check_rubric(path)
    assert [f.message for f in findings] == [
        "not a csrscore rubric (no 'rubric' key at the top level)"
    ]
    assert "secret" not in str(findings[0])


def test_shipped_rubrics_may_be_extended_from_anywhere(layout: Path) -> None:
    path = _write(layout, CHILD, "citi")
    assert load_rubric(path).name == "child"


def test_extends_cycle_is_shown_with_relative_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(CHILD.format(target="b.yaml"))
    (tmp_path / "b.yaml").write_text(CHILD.format(target="a.yaml"))
    result = run_cli(["rubric", "check", "a.yaml"])
    assert result.code == 1
    assert result.err_lines[0].endswith("'extends' forms a cycle: a.yaml -> b.yaml -> a.yaml")
    assert str(tmp_path) not in result.err
