"""`align outline FILE`: the parsed clause tree, to check what the parser found.

Document text goes through `escape.safe_text` like every report, so a title cannot send
terminal control sequences or bidi overrides; the JSON form is valid UTF-8 (`json_safe`)."""

from __future__ import annotations

import json

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from aligner.model import Kind, Plan
from aligner.report.escape import json_safe, safe_text
from aligner.report.json_report import plan_json

_STYLE = {Kind.ACTION: "bold cyan", Kind.SECTION: "magenta", Kind.TASK: "green", Kind.MEASURE: "yellow", Kind.OTHER: "dim"}


def render_outline(plan: Plan, console: Console) -> None:
    counts = {kind: len(plan.of_kind(kind)) for kind in Kind}
    head = Text(safe_text(f"{plan.name} — {plan.title or plan.path}") + "\n", style="bold")
    head.append(", ".join(f"{n} {kind.value}{'s' if n != 1 else ''}" for kind, n in counts.items() if n))
    root = Tree(head)
    branches: dict[str | None, Tree] = {None: root}
    for clause in plan.clauses:
        label = Text(f"{clause.id} ", style="dim")
        label.append(f"[{clause.kind.value}] ", style=_STYLE[clause.kind])
        label.append(safe_text(f"{clause.number} {clause.original_title or clause.title}".strip()))
        if clause.units:
            label.append(safe_text(f"  (责任单位: {'、'.join(clause.units)})"), style="dim")
        branches[clause.id] = branches.get(clause.parent, root).add(label)
    console.print(root)
    for warning in plan.warnings:
        console.print(Text(safe_text(f"warning: {warning}"), style="yellow"))


def render_outline_json(plan: Plan) -> str:
    return json_safe(json.dumps(plan_json(plan), ensure_ascii=False, indent=2)) + "\n"
