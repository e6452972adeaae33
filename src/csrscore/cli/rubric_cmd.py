"""`csrscore rubric list|show|check`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from csrscore.cli.render import json_text, markdown_table
from csrscore.cli.reports import add_allow_path
from csrscore.rubric import Criterion, Group, Rubric, check_rubric, list_rubrics, load_rubric
from csrscore.rubric.methodology import adjustment_words, derived_words, methodology_rows
from csrscore.textsafe import markdown_cell, visible


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "rubric",
        help="list, show or check rubrics",
        description="Work with rubrics: list the shipped ones, show a tree, lint files.",
        epilog="examples:\n  csrscore rubric list\n  csrscore rubric show citi\n"
        "  csrscore rubric check my-index.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list", help="list the shipped rubrics", epilog="example: csrscore rubric list"
    )
    listing.set_defaults(handler=run_list)
    show = actions.add_parser(
        "show",
        help="show a rubric's group tree with weights and maximum points",
        description="Show a rubric: its group tree (text), or a methodology table of every "
        "group and criterion with its weight, its share of the total and how it is scored "
        "(markdown, json).",
        epilog="examples:\n  csrscore rubric show iso26000\n"
        "  csrscore rubric show citi --format markdown",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("rubric", metavar="NAME|PATH")
    show.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    add_allow_path(show)
    show.set_defaults(handler=run_show)
    check = actions.add_parser(
        "check",
        help="lint rubric files; exit 1 on errors",
        epilog="example: csrscore rubric check rubrics/*.yaml",
    )
    check.add_argument("rubrics", metavar="PATH", nargs="+")
    add_allow_path(check)
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(handler=run_check)


def run_list(args: argparse.Namespace) -> int:
    for name in list_rubrics():
        rubric = load_rubric(name)
        print(
            visible(
                f"{name:<12} {rubric.version:<8} {len(rubric.criteria):>3} criteria  {rubric.title}"
            )
        )
    return 0


def _tree(
    node: Group | Criterion,
    depth: int,
    lines: list[str],
    default: str,
    shares: tuple[float, float],
    scale: float,
) -> None:
    """One node and what is below it. `shares` is the node's share of its parent and of
    the total, from the weights as written (every child applicable): the points it can
    bring to the total are its share of the total x the scale, which agrees with the
    percentages however its own maximum points compare with its siblings'."""
    weight = "default" if node.weight is None else f"{node.weight:g}"
    of_parent, of_total = shares
    if isinstance(node, Group) and node.weight is None:
        weight = default
    details = (
        f"weight {weight} ({100 * of_parent:.3g}% of parent), up to {of_total * scale:.4g} "
        f"of the total's {scale:g}, max {node.max_points:g} points"
    )
    if isinstance(node, Group):
        lines.append(f"{'  ' * depth}{node.id}  {node.title}  [{details}]")
        for child, share in zip(node.children, child_shares(node), strict=True):
            _tree(child, depth + 1, lines, default, (share, share * of_total), scale)
    else:
        lines.append(f"{'  ' * depth}- {node.id}  {node.title}  [{node.kind}, {details}]")


def child_shares(group: Group) -> list[float]:
    """Each child's share of the group: its effective weight over the children's sum."""
    weights = [child.effective_weight for child in group.children]
    total = sum(weights)
    return [weight / total if total > 0 else 0.0 for weight in weights]


def _default_group_weight(rubric: Rubric) -> str:
    if rubric.weights == "applicable-points" and rubric.na_policy == "exclude":
        return "applicable points"
    return "default"


def run_show(args: argparse.Namespace) -> int:
    rubric = load_rubric(args.rubric, allow_paths=args.allow_path)
    if args.format == "json":
        print(json_text(_methodology_document(rubric)), end="")
        return 0
    if args.format == "markdown":
        print(_methodology_markdown(rubric), end="")
        return 0
    lines = [
        f"{rubric.name} {rubric.version}: {rubric.title}",
        f"hash {rubric.content_hash}",
        f"scale {rubric.scale:g}, N/A policy {rubric.na_policy}, "
        f"{len(rubric.criteria)} criteria, {len(rubric.groups) - 1} groups, "
        f"max {rubric.root.max_points:g} points",
        "",
    ]
    for child, share in zip(rubric.root.children, child_shares(rubric.root), strict=True):
        _tree(child, 0, lines, _default_group_weight(rubric), (share, share), rubric.scale)
    if rubric.derived:
        lines += ["", "derived fields:"]
        lines += [f"  {d.name} = {derived_words(d)}" for d in rubric.derived]
    if rubric.adjustments:
        lines += ["", "adjustments:"]
        lines += [f"  {a.id}  {a.title}  [{a.kind}]" for a in rubric.adjustments]
    if rubric.grades:
        lines += [
            "",
            "grades: " + ", ".join(f"{label} >= {limit:g}" for label, limit in rubric.grades),
        ]
    print("\n".join(map(visible, lines)))
    return 0


def _methodology_document(rubric: Rubric) -> dict[str, Any]:
    return {
        "rubric": {
            "name": rubric.name,
            "version": rubric.version,
            "title": rubric.title,
            "hash": rubric.content_hash,
        },
        "scale": rubric.scale,
        "na_policy": rubric.na_policy,
        "weights": rubric.weights,
        "nodes": [row.to_dict() for row in methodology_rows(rubric)],
        "derived": [
            {"field": d.name, "form": d.form, "inputs": list(d.inputs), "rule": derived_words(d)}
            for d in rubric.derived
        ],
        "adjustments": [
            {"id": a.id, "title": a.title, "kind": a.kind, "rule": adjustment_words(a)}
            for a in rubric.adjustments
        ],
        "grades": [{"grade": label, "from": limit} for label, limit in rubric.grades],
    }


def _methodology_markdown(rubric: Rubric) -> str:
    """The methodology table a published index prints: one row per group and criterion,
    criteria under their group, with weights and nominal shares of the total."""
    headers = ["id", "title", "weight in group", "share of total", "max points", "scoring"]
    body = [
        [
            "› " * row.depth + row.id,
            row.title + (" (where it applies)" if row.conditional else ""),
            f"{row.weight:.1f}%",
            f"{row.share:.2f}%",
            f"{row.max_points:g}",
            row.scoring,
        ]
        for row in methodology_rows(rubric)
    ]
    parts = [
        f"## {markdown_cell(rubric.title)}",
        "",
        markdown_cell(
            f"rubric {rubric.name} {rubric.version} ({rubric.content_hash}) · scale "
            f"{rubric.scale:g} · N/A policy {rubric.na_policy} · default weights "
            f"{rubric.weights}"
        ),
        "",
        markdown_table(headers, body, [False, False, True, True, True, False]),
    ]
    if rubric.weights == "applicable-points":
        parts += [
            "",
            "Shares are those of a company to which every criterion applies; a criterion "
            "that does not apply leaves its weight to the others.",
        ]
    if rubric.derived:
        derived = [[d.name, derived_words(d)] for d in rubric.derived]
        parts += ["", markdown_table(["derived field", "computed as"], derived, [False, False])]
    if rubric.adjustments:
        adjustments = [[a.id, a.title, adjustment_words(a)] for a in rubric.adjustments]
        parts += ["", markdown_table(["adjustment", "title", "rule"], adjustments, [False] * 3)]
    if rubric.grades:
        grades = [[label, f"{limit:g}"] for label, limit in rubric.grades]
        parts += ["", markdown_table(["grade", "from a total of"], grades, [False, True])]
    return "\n".join(parts) + "\n"


def run_check(args: argparse.Namespace) -> int:
    findings = [
        finding
        for path in args.rubrics
        for finding in check_rubric(path, allow_paths=args.allow_path)
    ]
    errors = [f for f in findings if f.severity == "error"]
    if args.format == "json":
        print(json_text([f.to_dict() for f in findings]), end="")
    else:
        for finding in findings:
            print(
                visible(str(finding)),
                file=sys.stderr if finding.severity == "error" else sys.stdout,
            )
        warnings = len(findings) - len(errors)
        print(
            f"{len(args.rubrics)} rubric(s) checked: {len(errors)} error(s), {warnings} warning(s)"
        )
    return 1 if errors else 0
