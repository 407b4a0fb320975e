"""`align outline FILE`: the parsed clause tree, to check what the parser found."""

from __future__ import annotations

import json

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from aligner.model import Kind, Plan
from aligner.report.json_report import plan_json

_STYLE = {Kind.ACTION: "bold cyan", Kind.SECTION: "magenta", Kind.TASK: "green", Kind.MEASURE: "yellow", Kind.OTHER: "dim"}


def render_outline(plan: Plan, console: Console) -> None:
    counts = {kind: len(plan.of_kind(kind)) for kind in Kind}
    head = Text(f"{plan.name} — {plan.title or plan.path}\n", style="bold")
    head.append(", ".join(f"{n} {kind.value}{'s' if n != 1 else ''}" for kind, n in counts.items() if n))
    root = Tree(head)
    branches: dict[str | None, Tree] = {None: root}
    for clause in plan.clauses:
        label = Text(f"{clause.id} ", style="dim")
        label.append(f"[{clause.kind.value}] ", style=_STYLE[clause.kind])
        label.append(f"{clause.number} {clause.original_title or clause.title}".strip())
        if clause.units:
            label.append(f"  (责任单位: {'、'.join(clause.units)})", style="dim")
        branches[clause.id] = branches.get(clause.parent, root).add(label)
    console.print(root)
    for warning in plan.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))


def render_outline_json(plan: Plan) -> str:
    return json.dumps(plan_json(plan), ensure_ascii=False, indent=2) + "\n"
