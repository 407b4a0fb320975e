"""A single self-contained HTML report: the two plans side by side, matches linked both ways.

One file with inline CSS and no JavaScript or external URLs, so it can be mailed, archived
and opened offline or on an intranet. Plan text is untrusted; every piece of it passes
through `esc` (html.escape) or `highlight`, which escapes before adding <mark>.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from aligner.model import Alignment, Clause, Coverage, Link, Plan, Status
from aligner.report.text import (
    action_index,
    check_script,
    coverage_percent,
    display_text,
    display_title,
    evidence_lines,
    format_percent,
    format_score,
    group_by_action,
    links_by_pair,
    measures_line,
    same_as_title,
    script_terms,
    status_symbol,
    summary_counts,
    summary_line,
    target_cell,
    target_indicator,
    target_pairs,
)

BASE_CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:1.5rem;
line-height:1.5;color:#1f2328;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #d0d7de}h3{font-size:1rem}
.covered{background:#dafbe1}.partial{background:#fff8c5}.gap{background:#ffebe9}
.error{background:#eaeef2;color:#57606a}
.legend span{display:inline-block;padding:0 .5em;margin-right:.5em;border:1px solid #d0d7de}
.warnings{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem 1rem}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.2em .5em;vertical-align:top}
:target{outline:3px solid #0969da}
mark{background:#ffd33d;padding:0}
"""

_PAGE_CSS = """
.columns{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}
@media (max-width:900px){.columns{grid-template-columns:1fr}}
.clause{margin:.3rem 0;padding:.2rem .5rem;border-left:4px solid transparent}
.clause.covered{border-left-color:#1a7f37}.clause.partial{border-left-color:#9a6700}
.clause.gap{border-left-color:#cf222e}.addition{background:#fbefff}.clause.addition{border-left-color:#8250df}
.k-action>.head{font-weight:bold;font-size:1.05rem}.k-section>.head{font-weight:bold}
.num{color:#57606a;margin-right:.4em}.badge{font-size:.85em;margin-left:.4em}
.text{color:#424a53;font-size:.92em}.links{margin:.2rem 0;padding-left:1.2rem;font-size:.9em}
.meta{color:#57606a;font-size:.85em}
"""


def esc(text: str) -> str:
    """html.escape with quotes, so the result is safe in text and in attribute values."""
    return html.escape(text, quote=True)


def anchor(side: str, clause_id: str) -> str:
    """`n-2.2.1` / `p-1.3`; characters outside [A-Za-z0-9.-] are hex-encoded so ids stay valid and unique."""
    safe = re.sub(r"[^A-Za-z0-9.\-]", lambda m: f"_{ord(m.group()):x}_", clause_id)
    return f"{side}-{safe}"


def highlight(text: str, terms: Iterable[str]) -> str:
    """Escape text and wrap each occurrence of a term in <mark>; escaping happens piecewise first."""
    wanted = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
    if not wanted:
        return esc(text)
    pattern = re.compile("(" + "|".join(re.escape(t) for t in wanted) + ")")
    parts = pattern.split(text)
    return "".join(f"<mark>{esc(p)}</mark>" if i % 2 else esc(p) for i, p in enumerate(parts))


def legend_html() -> str:
    items = "".join(f'<span class="{s.value}">{status_symbol(s)} {s.value}</span>' for s in Status)
    return f'<p class="legend">{items}</p>'


def page(title: str, body: str, css: str) -> str:
    """Wrap body (already escaped HTML) in a complete document; `title` is raw text."""
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def render_html(alignment: Alignment, script: str) -> str:
    """The whole report as one HTML document string."""
    check_script(script)
    province = alignment.province
    parts = [f"<h1>{esc(province.name or 'province')}: {esc(province.title or '(untitled)')}</h1>"]
    parts.append(_warnings(alignment))
    parts.append(_summary(alignment))
    parts.append('<main class="columns">')
    parts.append(_national_column(alignment, script))
    parts.append(_province_column(alignment, script))
    parts.append("</main>")
    parts.append(_gaps(alignment, script))
    parts.append(_additions(alignment, script))
    parts.append(_targets(alignment))
    return page(f"{province.name} — {province.title}", "\n".join(p for p in parts if p), _PAGE_CSS)


def _warnings(alignment: Alignment) -> str:
    warnings = [*alignment.province.warnings, *alignment.warnings]
    if not warnings:
        return ""
    items = "".join(f"<li>{esc(w)}</li>" for w in warnings)
    return f'<section class="warnings" id="warnings"><h2>Warnings</h2><ul>{items}</ul></section>'


def _summary(alignment: Alignment) -> str:
    counts = summary_counts(alignment)
    rows = [
        ("Province", alignment.province.name),
        ("Plan", alignment.province.title),
        ("Plan file", alignment.province.path),
        ("National plan", alignment.national.title),
        ("National plan file", alignment.national.path),
        ("National tasks", f"{summary_line(counts)} ({format_percent(coverage_percent(alignment))})"),
        ("National measures", measures_line(counts)),
        ("Provincial additions", str(counts.additions)),
    ]
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    legend = legend_html().replace("</p>", '<span class="addition">+ provincial addition</span></p>')
    return f'<section id="summary"><h2>Summary</h2><table>{body}</table>{legend}</section>'


def _depths(plan: Plan) -> dict[str, int]:
    """Nesting depth of each clause, for indentation (cycles in bad input stop at the repeat)."""
    index = plan.by_id()
    out: dict[str, int] = {}
    for clause in plan.clauses:
        depth, current, seen = 0, clause, {clause.id}
        while current.parent and current.parent in index and current.parent not in seen:
            seen.add(current.parent)
            current = index[current.parent]
            depth += 1
        out[clause.id] = min(depth, 6)
    return out


def _terms_by_clause(links: list[Link], side: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for link in links:
        key = link.national if side == "n" else link.province
        out.setdefault(key, set()).update(link.evidence.shared_terms)
    return out


def _clause_block(
    plan: Plan, clause: Clause, side: str, depth: int, classes: list[str], terms: list[str], badge: str, links: str, script: str
) -> str:
    title = display_title(plan, clause, script)
    text = display_text(clause, script)
    body = f'<div class="text">{highlight(text, terms)}</div>' if text.strip() and not same_as_title(text, title) else ""
    units = f'<div class="meta">{esc("、".join(clause.units))}</div>' if clause.units else ""
    cls = " ".join(["clause", f"k-{clause.kind.value}", *classes])
    return (
        f'<div class="{esc(cls)}" id="{esc(anchor(side, clause.id))}" style="margin-left:{depth}em">'
        f'<div class="head"><span class="num">{esc(clause.id)}</span>'
        f'<span class="title">{highlight(title, terms)}</span>{badge}</div>{body}{units}{links}</div>'
    )


def _link_item(target_side: str, target: Clause | None, target_id: str, plan: Plan, link: Link | None, script: str) -> str:
    label = esc(target_id) + (" " + esc(display_title(plan, target, script)) if target else "")
    ref = f'<a href="#{esc(anchor(target_side, target_id))}">{label}</a>' if target else label
    if link is None:
        return f"<li>{ref}</li>"
    evidence = "".join(f"<li>{esc(line)}</li>" for line in evidence_lines(link, script))
    details = f"<details><summary>evidence</summary><ul>{evidence}</ul></details>" if evidence else ""
    return f"<li>{ref} <span class=\"meta\">{format_score(link.score)} {esc(link.relation.value)}</span>{details}</li>"


def _national_column(alignment: Alignment, script: str) -> str:
    plan, province = alignment.national, alignment.province
    pindex = province.by_id()
    coverage: dict[str, Coverage] = {c.national: c for c in alignment.coverage}
    pairs = links_by_pair(alignment)
    terms = _terms_by_clause(alignment.links, "n")
    depths = _depths(plan)
    blocks = []
    for clause in plan.clauses:
        cov = coverage.get(clause.id)
        classes, badge, links = [], "", ""
        if cov is not None:
            classes.append(cov.status.value)
            badge = f'<span class="badge {cov.status.value}">{status_symbol(cov.status)} {cov.status.value}</span>'
            items = [
                _link_item("p", pindex.get(pid), pid, province, pairs.get((clause.id, pid)), script) for pid in cov.counterparts
            ]
            links = f'<ul class="links">{"".join(items)}</ul>' if items else ""
        shown = script_terms(terms.get(clause.id, ()), script)
        blocks.append(_clause_block(plan, clause, "n", depths[clause.id], classes, shown, badge, links, script))
    return (
        f'<section id="national"><h2>National: {esc(plan.title)}</h2>'
        f'<p class="meta">{esc(plan.path)}</p>{"".join(blocks)}</section>'
    )


def _province_column(alignment: Alignment, script: str) -> str:
    plan, national = alignment.province, alignment.national
    nindex = national.by_id()
    additions = set(alignment.additions)
    by_province: dict[str, list[Link]] = {}
    for link in alignment.links:
        by_province.setdefault(link.province, []).append(link)
    terms = _terms_by_clause(alignment.links, "p")
    depths = _depths(plan)
    blocks = []
    for clause in plan.clauses:
        classes, badge = [], ""
        if clause.id in additions:
            classes.append("addition")
            badge = '<span class="badge addition">+ addition</span>'
        items = [_link_item("n", nindex.get(l.national), l.national, national, l, script) for l in by_province.get(clause.id, [])]
        links = f'<ul class="links">{"".join(items)}</ul>' if items else ""
        shown = script_terms(terms.get(clause.id, ()), script)
        blocks.append(_clause_block(plan, clause, "p", depths[clause.id], classes, shown, badge, links, script))
    return (
        f'<section id="province"><h2>{esc(plan.name or "Province")}: {esc(plan.title)}</h2>'
        f'<p class="meta">{esc(plan.path)}</p>{"".join(blocks)}</section>'
    )


def _ref(side: str, clause_id: str, known: dict[str, Clause], plan: Plan, script: str) -> str:
    clause = known.get(clause_id)
    label = esc(clause_id) + (" " + esc(display_title(plan, clause, script)) if clause else "")
    return f'<a href="#{esc(anchor(side, clause_id))}">{label}</a>' if clause else label


def _gaps(alignment: Alignment, script: str) -> str:
    index = alignment.national.by_id()
    actions = action_index(alignment.national)
    gaps = [c for c in alignment.coverage if c.status is Status.GAP]
    if not gaps:
        return '<section id="gaps"><h2>Gaps</h2><p>None.</p></section>'
    items = []
    for cov in gaps:
        clause = index.get(cov.national)
        kind = f' <span class="meta">{esc(clause.kind.value)}</span>' if clause else ""
        action = actions.get(cov.national)
        where = f' <span class="meta">— {esc(display_title(alignment.national, action, script))}</span>' if action else ""
        items.append(f'<li class="gap">{_ref("n", cov.national, index, alignment.national, script)}{kind}{where}</li>')
    return f'<section id="gaps"><h2>Gaps</h2><ul>{"".join(items)}</ul></section>'


def _additions(alignment: Alignment, script: str) -> str:
    if not alignment.additions:
        return '<section id="additions"><h2>Provincial additions</h2><p>None.</p></section>'
    plan = alignment.province
    index = plan.by_id()
    parts = []
    for action, ids in group_by_action(plan, alignment.additions):
        heading = f"{action.id} {display_title(plan, action, script)}" if action else "Outside any action"
        items = "".join(f"<li>{_ref('p', pid, index, plan, script)}</li>" for pid in ids)
        parts.append(f"<h3>{esc(heading)}</h3><ul>{items}</ul>")
    return f'<section id="additions"><h2>Provincial additions</h2>{"".join(parts)}</section>'


def _targets(alignment: Alignment) -> str:
    pairs = target_pairs(alignment)
    if pairs is None:
        return ""
    if not pairs:
        return '<section id="targets"><h2>Quantitative targets</h2><p>None found.</p></section>'
    rows = "".join(
        f"<tr><td>{esc(target_indicator(p))}</td><td>{esc(target_cell(p[0]))}</td><td>{esc(target_cell(p[1]))}</td></tr>"
        for p in pairs
    )
    head = f"<tr><th>indicator</th><th>national</th><th>{esc(alignment.province.name or 'province')}</th></tr>"
    return f'<section id="targets"><h2>Quantitative targets</h2><table>{head}{rows}</table></section>'

