"""GitHub-flavoured markdown gap report, for pasting into issues, wikis and briefing notes.

Every piece of document text goes through `md_escape`, because plan text is untrusted
input: a `|` would split a table cell, `<script>` would be live HTML on some renderers.
"""

from __future__ import annotations

import html
import re

from aligner.model import Alignment, Clause, Coverage, Kind, Link, Status
from aligner.report.text import (
    action_index,
    check_script,
    coverage_percent,
    display_title,
    evidence_lines,
    format_percent,
    format_score,
    group_by_action,
    links_by_pair,
    measures_line,
    status_symbol,
    summary_counts,
    summary_line,
    target_cell,
    target_indicator,
    target_pairs,
)

_MD_SPECIALS = re.compile(r"([\\`*_\[\]|~])")
# Everything str.splitlines() breaks on, so no renderer or reader sees a new line inside a cell.
_NEWLINES = re.compile(r"[ \t]*(?:\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029])\s*")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")


def md_escape(text: str) -> str:
    """Make text inert in a GFM table cell or inline position.

    HTML specials become entities, markdown specials get a backslash (including `|`),
    newlines become `<br>` (the only line break a table cell can hold), and a leading
    `#` is escaped so a title cannot turn into a heading.
    """
    text = _MD_SPECIALS.sub(r"\\\1", _CONTROLS.sub("", text).strip())
    text = html.escape(text, quote=False)
    text = _NEWLINES.sub("<br>", text)
    if text.startswith("#"):
        text = "\\" + text
    return text


def table_row(cells: list[str]) -> str:
    """Cells must already be escaped; empty cells get a dash so the column is visibly empty."""
    return "| " + " | ".join(c if c else "—" for c in cells) + " |"


def render_markdown(alignment: Alignment, explain: bool, script: str) -> str:
    """The full gap report as one markdown document (warnings first, then summary, then detail)."""
    check_script(script)
    province = alignment.province
    out: list[str] = [f"# Alignment report: {md_escape(province.name) or 'province'}", ""]
    warnings = [*province.warnings, *alignment.warnings]
    if warnings:
        out += ["> **Warnings**", ">"]
        out += [f"> - {md_escape(w)}" for w in warnings]
        out.append("")
    out += _summary(alignment)
    out += ["## Coverage of national tasks", ""]
    national = alignment.national.by_id()
    tasks = {c.national: c for c in alignment.coverage if _kind(national, c) is Kind.TASK}
    pairs = links_by_pair(alignment)
    for action, ids in group_by_action(alignment.national, tasks):
        heading = f"{action.id} {display_title(alignment.national, action, script)}" if action else "Other tasks"
        out += [f"### {md_escape(heading)}", ""]
        out += _coverage_table(alignment, [tasks[i] for i in ids], pairs, explain, script, "national task")
    measures = [c for c in alignment.coverage if _kind(national, c) is Kind.MEASURE]
    if measures:
        out += ["## National policy measures", ""]
        out += _coverage_table(alignment, measures, pairs, explain, script, "national measure")
    out += _gaps(alignment, script)
    out += _additions(alignment, script)
    out += _targets(alignment)
    return "\n".join(out).rstrip("\n") + "\n"


def _kind(index: dict[str, Clause], coverage: Coverage) -> Kind | None:
    clause = index.get(coverage.national)
    return clause.kind if clause else None


def _summary(alignment: Alignment) -> list[str]:
    counts = summary_counts(alignment)
    legend = " · ".join(f"{status_symbol(s)} {s.value}" for s in Status)
    return [
        f"- **Plan:** {md_escape(alignment.province.title) or '(untitled)'}",
        f"- **Source:** {md_escape(alignment.province.path)}",
        f"- **National plan:** {md_escape(alignment.national.title)}",
        f"- **National tasks:** {summary_line(counts)} ({format_percent(coverage_percent(alignment))})",
        f"- **National measures:** {measures_line(counts)}",
        f"- **Provincial additions:** {counts.additions}",
        "",
        f"Legend: {legend}",
        "",
    ]


def _coverage_table(
    alignment: Alignment,
    rows: list[Coverage],
    pairs: dict[tuple[str, str], Link],
    explain: bool,
    script: str,
    header: str,
) -> list[str]:
    national = alignment.national.by_id()
    province = alignment.province.by_id()
    head = ["#", header, "status", "provincial counterpart(s)", "score", "relation"]
    align = ["---", "---", "---", "---", "---:", "---"]
    if explain:
        head.append("evidence")
        align.append("---")
    out = [table_row(head), table_row(align)]
    for row in rows:
        clause = national.get(row.national)
        title = display_title(alignment.national, clause, script) if clause else "(missing)"
        names, scores, relations, evidence = [], [], [], []
        for pid in row.counterparts:
            pclause = province.get(pid)
            ptitle = display_title(alignment.province, pclause, script) if pclause else "(missing)"
            names.append(md_escape(f"{pid} {ptitle}"))
            link = pairs.get((row.national, pid))
            scores.append(format_score(link.score) if link else "—")
            relations.append(link.relation.value if link else "—")
            if link:
                evidence += [md_escape(f"{pid}: {line}") for line in evidence_lines(link, script)]
        cells = [
            md_escape(row.national),
            md_escape(title),
            f"{status_symbol(row.status)} {row.status.value}",
            "<br>".join(names),
            "<br>".join(scores),
            "<br>".join(relations),
        ]
        if explain:
            cells.append("<br>".join(evidence))
        out.append(table_row(cells))
    out.append("")
    return out


def _gaps(alignment: Alignment, script: str) -> list[str]:
    out = ["## Gaps", ""]
    national = alignment.national.by_id()
    actions = action_index(alignment.national)
    gaps = [c for c in alignment.coverage if c.status is Status.GAP]
    if not gaps:
        return out + ["None: every national task and measure has a provincial counterpart.", ""]
    for row in gaps:
        clause = national.get(row.national)
        title = display_title(alignment.national, clause, script) if clause else "(missing)"
        action = actions.get(row.national)
        where = f" — {md_escape(display_title(alignment.national, action, script))}" if action else ""
        kind = clause.kind.value if clause else "?"
        out.append(f"- {status_symbol(Status.GAP)} {md_escape(row.national)} {md_escape(title)} ({kind}){where}")
    return out + [""]


def _additions(alignment: Alignment, script: str) -> list[str]:
    out = ["## Provincial additions", ""]
    if not alignment.additions:
        return out + ["None.", ""]
    province = alignment.province.by_id()
    for action, ids in group_by_action(alignment.province, alignment.additions):
        heading = f"{action.id} {display_title(alignment.province, action, script)}" if action else "Outside any action"
        out += [f"### {md_escape(heading)}", ""]
        for pid in ids:
            clause = province.get(pid)
            title = display_title(alignment.province, clause, script) if clause else "(missing)"
            units = f" ({md_escape('、'.join(clause.units))})" if clause and clause.units else ""
            out.append(f"- {md_escape(pid)} {md_escape(title)}{units}")
        out.append("")
    return out


def _targets(alignment: Alignment) -> list[str]:
    pairs = target_pairs(alignment)
    if pairs is None:
        return []
    out = ["## Quantitative targets", ""]
    if not pairs:
        return out + ["No quantitative targets found.", ""]
    out.append(table_row(["indicator", "national", md_escape(alignment.province.name) or "province"]))
    out.append(table_row(["---", "---", "---"]))
    for pair in pairs:
        national, province = pair
        out.append(
            table_row([md_escape(target_indicator(pair)), md_escape(target_cell(national)), md_escape(target_cell(province))])
        )
    return out + [""]
